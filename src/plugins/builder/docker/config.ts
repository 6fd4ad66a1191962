/**
 * The `docker` builder's configuration (packer-plugin-docker's Config and DockerfileBootstrapConfig): its
 * schema, with the communicator keys merged in, and Prepare's defaults and checks with Packer's messages.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import {
  type CommunicatorConfig,
  type ConfigReader,
  communicatorConfigSpec,
  decodeCommunicatorConfig,
} from "../../../communicator/index.js";
import { boolType, type Diagnostic, listType, mapType, stringType, type Value } from "../../../hcl/index.js";
import type { BuildInfo, ConfigSpec } from "../../../sdk/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC } from "../../provisioner/shell-local/plugin-config.js";

export const DEFAULT_RUN_COMMAND: readonly string[] = [
  "-d",
  "-i",
  "-t",
  "--entrypoint=/bin/sh",
  "--",
  "{{.Image}}",
];
export const DEFAULT_WINDOWS_RUN_COMMAND: readonly string[] = [
  "-d",
  "-i",
  "-t",
  "--entrypoint=powershell",
  "--",
  "{{.Image}}",
];

export const ERR_ARTIFACT_NOT_USED =
  "No instructions given for handling the artifact; expected commit, discard, or export_path";
export const ERR_ARTIFACT_USE_CONFLICT = "Cannot specify more than one of commit, discard, and export_path";
export const ERR_EXPORT_PATH_NOT_FILE = "export_path must be a file, not a directory";

/** The `build { ... }` block: bootstrap the source image from a Dockerfile. */
export interface DockerfileBuildConfig {
  /** Absolute path of the Dockerfile. */
  readonly path: string;
  /** Absolute path of the build context. */
  readonly buildDir: string;
  readonly arguments: Readonly<Record<string, string>>;
  /** `pull` is a trilean: unset means true. */
  readonly pull: boolean;
  readonly compress: boolean;
  /** The builder's `platform`. */
  readonly platform: string;
}

export interface DockerConfig {
  image: string;
  readonly build: DockerfileBuildConfig | undefined;
  readonly pull: boolean;
  readonly commit: boolean;
  readonly discard: boolean;
  /** export_path as written (the artifact names it so). */
  readonly exportPath: string;
  /** Changes applied at commit; StepSetDefaults may add CMD and ENTRYPOINT. */
  changes: string[];
  readonly runCommand: readonly string[];
  readonly dockerPath: string;
  readonly containerDir: string;
  /** container_dir was set in the template (the build container then shares the temp dir there). */
  readonly containerDirSet: boolean;
  readonly fixUploadOwner: boolean;
  readonly execUser: string;
  readonly pty: boolean;
  readonly privileged: boolean;
  readonly runtime: string;
  readonly platform: string;
  readonly device: readonly string[];
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly tmpfs: readonly string[];
  /** Host path -> container path. */
  readonly volumes: Readonly<Record<string, string>>;
  readonly author: string;
  readonly message: string;
  readonly windowsContainer: boolean;
  readonly login: boolean;
  readonly loginServer: string;
  loginUsername: string;
  loginPassword: string;
  readonly ecrLogin: boolean;
  readonly comm: CommunicatorConfig;
}

const str = { kind: "attribute", type: stringType } as const;
const bool = { kind: "attribute", type: boolType } as const;
const strList = { kind: "attribute", type: listType(stringType) } as const;
const strMap = { kind: "attribute", type: mapType(stringType) } as const;

/** The keys registry login shares with docker-push (login*, ecr_login and the aws_* keys). */
export function loginConfigSpec(): ConfigSpec {
  return {
    login: bool,
    login_password: str,
    login_server: str,
    login_username: str,
    ecr_login: bool,
    aws_access_key: str,
    aws_secret_key: str,
    aws_token: str,
    aws_profile: str,
    aws_force_use_public_ecr: bool,
  };
}

/** The `build` block's keys. */
const BUILD_BLOCK_SPEC: ConfigSpec = {
  path: str,
  build_dir: str,
  arguments: strMap,
  pull: bool,
  compress: bool,
};

export function dockerConfigSpec(): ConfigSpec {
  return {
    ...PACKER_CONFIG_SPEC,
    ...communicatorConfigSpec(),
    build: { kind: "block", spec: BUILD_BLOCK_SPEC },
    author: str,
    changes: strList,
    commit: bool,
    container_dir: str,
    device: strList,
    discard: bool,
    cap_add: strList,
    cap_drop: strList,
    docker_path: str,
    exec_user: str,
    export_path: str,
    image: str,
    message: str,
    privileged: bool,
    pty: bool,
    runtime: str,
    pull: bool,
    run_command: strList,
    tmpfs: strList,
    volumes: strMap,
    fix_upload_owner: bool,
    windows_container: bool,
    platform: str,
    ...loginConfigSpec(),
  };
}

/** The known, non-null attribute `name` of an object value (nested blocks decode to objects). */
export function attributeValue(config: Value | undefined, name: string): Value | undefined {
  if (config === undefined) return undefined;
  const [v] = config.unmark();
  if (!v.isKnown() || v.isNull() || (v.type.kind !== "object" && v.type.kind !== "map")) return undefined;
  const attr = v.asValueMap().get(name);
  if (attr === undefined) return undefined;
  const [u] = attr.unmark();
  return u.isKnown() && !u.isNull() ? attr : undefined;
}

function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function statOrError(path: string): { isFile: boolean; isDir: boolean } | string {
  try {
    const st = statSync(path);
    return { isFile: st.isFile(), isDir: st.isDirectory() };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `stat ${path}: ${code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : String(code ?? err)}`;
  }
}

function decodeBuildBlock(
  block: ConfigReader,
  reader: ConfigReader,
  cwd: string,
  platform: string,
): DockerfileBuildConfig {
  const path = block.string("path") ?? "";
  const buildDir = block.string("build_dir") || ".";
  const args = block.stringMap("arguments") ?? {};
  const pull = block.bool("pull");
  const compress = block.bool("compress") ?? false;
  for (const d of block.diagnostics) reader.diagnostics.push(d);
  const out: DockerfileBuildConfig = {
    path: path === "" ? "" : resolvePath(path, cwd),
    buildDir: resolvePath(buildDir, cwd),
    arguments: args,
    pull: pull ?? true,
    compress,
    platform,
  };
  if (path === "") {
    reader.error("`path` is required for bootstrapping a build with `docker build`");
    return out;
  }
  const dockerfile = statOrError(out.path);
  if (typeof dockerfile === "string") reader.error(`failed to stat file "${path}": ${dockerfile}`);
  else if (!dockerfile.isFile) reader.error(`dockerfile "${path}" is not a regular file`);
  const dir = statOrError(out.buildDir);
  if (typeof dir === "string") reader.error(`failed to stat build directory "${buildDir}": ${dir}`);
  else if (!dir.isDir) reader.error(`specified build_dir "${buildDir}" is not a directory`);
  return out;
}

/**
 * Packer's Config.Prepare: decodes `config` (its strings rendered as legacy templates, run_command excepted:
 * it is rendered with `{{.Image}}` when the container starts) with defaults, and returns the problems as
 * diagnostics. `config` is undefined when decoding failed.
 */
export function decodeDockerConfig(
  config: Value,
  info: BuildInfo,
): { config: DockerConfig | undefined; diagnostics: Diagnostic[]; warnings: string[] } {
  const decoded = decodePluginConfig(config, dockerConfigSpec(), info, { exclude: ["run_command"] });
  const reader = decoded.reader;
  if (decoded.failed) return { config: undefined, diagnostics: reader.diagnostics, warnings: [] };
  const warnings: string[] = [];
  const windowsContainer = reader.bool("windows_container") ?? false;
  const platform = reader.string("platform") ?? "";
  let image = reader.string("image") ?? "";
  let pull = reader.bool("pull") ?? false;

  const buildValue = attributeValue(config, "build");
  const buildBlock =
    buildValue !== undefined ? decodePluginConfig(buildValue, BUILD_BLOCK_SPEC, info) : undefined;
  for (const d of buildBlock?.failed ? buildBlock.reader.diagnostics : []) reader.diagnostics.push(d);
  let build: DockerfileBuildConfig | undefined;
  if (buildBlock !== undefined && !buildBlock.failed && !isDefaultBuildBlock(buildBlock.reader)) {
    build = decodeBuildBlock(buildBlock.reader, reader, info.cwd, platform);
    if (image !== "") reader.error("`image` cannot be specified with a build config");
    if (pull) {
      warnings.push(
        "when running a bootstrap build, the `pull` option is ignored and is replaced by `build.pull` (true by default)",
      );
      pull = false;
    }
    image = "";
  } else {
    if (!reader.has("pull")) pull = true;
    if (image === "") {
      reader.error(
        "missing 'image' attribute or 'build' section, either needs to be specified for a build to run.",
      );
    }
  }

  const comm = decodeCommunicatorConfig(reader, {
    cwd: info.cwd,
    env: info.env,
    defaultType: windowsContainer ? "dockerWindowsContainer" : "docker",
    customTypes: ["docker", "dockerWindowsContainer"],
  });

  const commit = reader.bool("commit") ?? false;
  const discard = reader.bool("discard") ?? false;
  const exportPath = reader.string("export_path") ?? "";
  if ((exportPath !== "" && commit) || (exportPath !== "" && discard) || (commit && discard)) {
    reader.error(ERR_ARTIFACT_USE_CONFLICT);
  }
  if (exportPath === "" && !commit && !discard) reader.error(ERR_ARTIFACT_NOT_USED);
  if (exportPath !== "") {
    const st = statOrError(resolvePath(exportPath, info.cwd));
    if (typeof st !== "string" && st.isDir) reader.error(ERR_EXPORT_PATH_NOT_FILE);
  }

  const loginServer = reader.string("login_server") ?? "";
  const ecrLogin = reader.bool("ecr_login") ?? false;
  if (ecrLogin && loginServer === "") reader.error("ECR login requires login server to be provided.");

  const runCommand = reader.stringList("run_command") ?? [];
  const out: DockerConfig = {
    image,
    build,
    pull,
    commit,
    discard,
    exportPath,
    changes: reader.stringList("changes") ?? [],
    runCommand:
      runCommand.length > 0
        ? runCommand
        : windowsContainer
          ? DEFAULT_WINDOWS_RUN_COMMAND
          : DEFAULT_RUN_COMMAND,
    dockerPath: reader.string("docker_path") || "docker",
    containerDir: reader.string("container_dir") || (windowsContainer ? "c:/packer-files" : "/packer-files"),
    containerDirSet: (reader.string("container_dir") ?? "") !== "",
    fixUploadOwner: reader.bool("fix_upload_owner") ?? true,
    execUser: reader.string("exec_user") ?? "",
    pty: reader.bool("pty") ?? false,
    privileged: reader.bool("privileged") ?? false,
    runtime: reader.string("runtime") ?? "",
    platform,
    device: reader.stringList("device") ?? [],
    capAdd: reader.stringList("cap_add") ?? [],
    capDrop: reader.stringList("cap_drop") ?? [],
    tmpfs: reader.stringList("tmpfs") ?? [],
    volumes: reader.stringMap("volumes") ?? {},
    author: reader.string("author") ?? "",
    message: reader.string("message") ?? "",
    windowsContainer,
    login: reader.bool("login") ?? false,
    loginServer,
    loginUsername: reader.string("login_username") ?? "",
    loginPassword: reader.string("login_password") ?? "",
    ecrLogin,
    comm,
  };
  return { config: out, diagnostics: reader.diagnostics, warnings };
}

/** Packer's DockerfileBootstrapConfig.IsDefault: an empty `build {}` block counts as absent. */
function isDefaultBuildBlock(block: ConfigReader): boolean {
  const args = block.stringMap("arguments") ?? {};
  return (
    !block.string("path") &&
    !block.string("build_dir") &&
    block.bool("pull") === undefined &&
    !block.bool("compress") &&
    Object.keys(args).length === 0
  );
}
