import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { boolVal, mapVal, objectVal, stringVal, tupleVal, type Value } from "../../../hcl/index.js";
import type { BuildInfo } from "../../../sdk/index.js";
import {
  DEFAULT_RUN_COMMAND,
  decodeDockerConfig,
  dockerConfigSpec,
  ERR_ARTIFACT_NOT_USED,
  ERR_ARTIFACT_USE_CONFLICT,
  ERR_EXPORT_PATH_NOT_FILE,
} from "./config.js";

function v(js: unknown): Value {
  if (typeof js === "string") return stringVal(js);
  if (typeof js === "boolean") return boolVal(js);
  if (Array.isArray(js)) return tupleVal(js.map(v));
  return objectVal(
    Object.entries(js as Record<string, unknown>).map(([k, x]) => [k, v(x)] as [string, Value]),
  );
}

const cwd = mkdtempSync(join(tmpdir(), "kiln-docker-config-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const info: BuildInfo = {
  buildName: "x",
  builderType: "docker",
  coreVersion: "1.6.6",
  debug: false,
  force: false,
  onError: "cleanup",
  userVariables: { who: "user-var" },
  sensitiveVariables: [],
  runUuid: "u",
  env: { HOME: "/home/u" },
  cwd,
};

function errors(config: Record<string, unknown>): string[] {
  return decodeDockerConfig(v(config), info)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => d.summary);
}

describe("decodeDockerConfig", () => {
  it("renders legacy templates in strings, except run_command", () => {
    const { config } = decodeDockerConfig(
      v({
        image: "img",
        commit: true,
        message: "by {{user `who`}} for {{build_name}}",
        run_command: ["-d", "{{.Image}}"],
      }),
      info,
    );
    expect(config?.message).toBe("by user-var for x");
    expect(config?.runCommand).toEqual(["-d", "{{.Image}}"]);
  });

  it("applies Packer's defaults", () => {
    const { config, diagnostics } = decodeDockerConfig(v({ image: "img", commit: true }), info);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      image: "img",
      pull: true,
      commit: true,
      runCommand: DEFAULT_RUN_COMMAND,
      dockerPath: "docker",
      containerDir: "/packer-files",
      fixUploadOwner: true,
      execUser: "",
      changes: [],
      volumes: {},
    });
    expect(config?.comm.type).toBe("docker");
  });

  it("keeps an explicit pull = false, and reads lists and maps", () => {
    const { config } = decodeDockerConfig(
      objectVal([
        ["image", stringVal("img")],
        ["discard", boolVal(true)],
        ["pull", boolVal(false)],
        ["changes", tupleVal([stringVal("ENV A=1")])],
        ["volumes", mapVal([["/h", stringVal("/c")]])],
        ["container_dir", stringVal("/share")],
        ["fix_upload_owner", boolVal(false)],
      ]),
      info,
    );
    expect(config).toMatchObject({
      pull: false,
      changes: ["ENV A=1"],
      volumes: { "/h": "/c" },
      containerDir: "/share",
      fixUploadOwner: false,
    });
  });

  it("reports the artifact choices as Packer does", () => {
    expect(errors({ image: "img" })).toEqual([ERR_ARTIFACT_NOT_USED]);
    expect(errors({ image: "img", commit: true, discard: true })).toEqual([ERR_ARTIFACT_USE_CONFLICT]);
    expect(errors({ image: "img", commit: true, export_path: "x.tar" })).toEqual([ERR_ARTIFACT_USE_CONFLICT]);
    mkdirSync(join(cwd, "adir"), { recursive: true });
    expect(errors({ image: "img", export_path: "adir" })).toEqual([ERR_EXPORT_PATH_NOT_FILE]);
  });

  it("requires an image or a build block, not both", () => {
    expect(errors({ commit: true })).toEqual([
      "missing 'image' attribute or 'build' section, either needs to be specified for a build to run.",
    ]);
    writeFileSync(join(cwd, "Dockerfile"), "FROM scratch\n");
    expect(errors({ image: "img", commit: true, build: { path: "Dockerfile" } })).toEqual([
      "`image` cannot be specified with a build config",
    ]);
  });

  it("checks the build block and ignores pull with a warning", () => {
    writeFileSync(join(cwd, "Dockerfile"), "FROM scratch\n");
    const ok = decodeDockerConfig(v({ commit: true, pull: true, build: { path: "Dockerfile" } }), info);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.warnings).toEqual([
      "when running a bootstrap build, the `pull` option is ignored and is replaced by `build.pull` (true by default)",
    ]);
    expect(ok.config?.pull).toBe(false);
    expect(ok.config?.build).toEqual({
      path: join(cwd, "Dockerfile"),
      buildDir: cwd,
      arguments: {},
      pull: true,
      compress: false,
      platform: "",
    });
    expect(errors({ commit: true, build: { build_dir: "." } })).toEqual([
      "`path` is required for bootstrapping a build with `docker build`",
    ]);
    expect(errors({ commit: true, build: { path: "missing" } })[0]).toMatch(
      /^failed to stat file "missing": stat .*no such file or directory$/,
    );
    expect(errors({ commit: true, build: { path: "adir" } })).toEqual([
      'dockerfile "adir" is not a regular file',
    ]);
    expect(errors({ commit: true, build: { path: "Dockerfile", build_dir: "Dockerfile" } })).toEqual([
      'specified build_dir "Dockerfile" is not a directory',
    ]);
  });

  it("needs a login server for ecr_login", () => {
    expect(errors({ image: "img", commit: true, ecr_login: true })).toEqual([
      "ECR login requires login server to be provided.",
    ]);
  });

  it("validates ssh settings only when the ssh communicator is chosen", () => {
    expect(errors({ image: "img", commit: true, communicator: "ssh" })[0]).toMatch(
      /^An ssh_username must be specified/,
    );
    expect(errors({ image: "img", commit: true, communicator: "none" })).toEqual([]);
  });
});

describe("dockerConfigSpec", () => {
  it("has the plugin's keys, the communicator's and the build block", () => {
    const spec = dockerConfigSpec();
    for (const key of [
      "image",
      "pull",
      "commit",
      "discard",
      "export_path",
      "changes",
      "run_command",
      "exec_user",
      "privileged",
      "volumes",
      "container_dir",
      "fix_upload_owner",
      "author",
      "message",
      "platform",
      "login",
      "login_username",
      "login_password",
      "login_server",
      "ecr_login",
      "cap_add",
      "cap_drop",
      "tmpfs",
      "device",
      "runtime",
      "pty",
      "docker_path",
      "windows_container",
      "aws_access_key",
      "aws_force_use_public_ecr",
      "communicator",
      "ssh_username",
      "pause_before_connecting",
    ]) {
      expect(spec[key], key).toBeDefined();
    }
    expect(spec.build?.kind).toBe("block");
  });
});
