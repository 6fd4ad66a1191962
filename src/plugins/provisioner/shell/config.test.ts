import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { decodeShellConfig, SHELL_CONFIG_SPEC } from "./config.js";
import { buildInfo, config } from "./test-support.js";

describe("decodeShellConfig", () => {
  it("applies Packer's defaults", () => {
    const { config: c, diagnostics } = decodeShellConfig(config({ inline: ["echo hi"] }), buildInfo());
    expect(diagnostics).toEqual([]);
    expect(c).toMatchObject({
      inline: ["echo hi"],
      envVarFormat: "%s='%s' ",
      executeCommand: "chmod +x {{.Path}}; {{.Vars}} {{.Path}}",
      inlineShebang: "/bin/sh -e",
      inlineShebangDefined: false,
      remoteFolder: "/tmp",
      skipClean: false,
      expectDisconnect: false,
      binary: false,
    });
    expect(c?.remoteFile).toMatch(/^script_\d{1,4}\.sh$/);
    expect(c?.remotePath).toBe(`/tmp/${c?.remoteFile}`);
    expect(c?.startRetryTimeout.toString()).toBe("5m0s");
  });

  it("switches format and command for use_env_var_file", () => {
    const { config: c } = decodeShellConfig(
      config({ inline: ["x"], use_env_var_file: true, remote_folder: "/var/tmp" }),
      buildInfo(),
    );
    expect(c?.envVarFormat).toBe("export %s='%s'\n");
    expect(c?.executeCommand).toBe("chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}");
    expect(c?.remotePath.startsWith("/var/tmp/script_")).toBe(true);
  });

  it("reports Packer's errors", () => {
    const errors = (native: Record<string, unknown>): string[] =>
      decodeShellConfig(config(native), buildInfo()).diagnostics.map((d) => d.summary);
    expect(errors({})).toEqual(["Either a script file or inline script must be specified."]);
    expect(errors({ inline: [] })).toEqual(["Either a script file or inline script must be specified."]);
    expect(errors({ script: "a.sh", scripts: ["b.sh"], environment_vars: ["=x", "NOEQ", "OK=1"] })).toEqual([
      "Only one of script or scripts can be specified.",
      "Bad script 'a.sh': stat a.sh: no such file or directory",
      "Environment variable not in format 'key=value': =x",
      "Environment variable not in format 'key=value': NOEQ",
    ]);
    expect(errors({ inline: ["x"], pause_after: "soon" })).toEqual([
      `error decoding 'pause_after': time: invalid duration "soon"`,
    ]);
  });

  it("resolves scripts against the working directory and rejects inline plus scripts", () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-shell-cfg-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "s.sh"), "echo\n");
    const ok = decodeShellConfig(config({ script: "s.sh" }), buildInfo({ cwd: dir }));
    expect(ok.config?.scripts).toEqual([join(dir, "s.sh")]);
    expect(ok.config?.scriptNames).toEqual(["s.sh"]);
    const both = decodeShellConfig(config({ scripts: ["s.sh"], inline: ["x"] }), buildInfo({ cwd: dir }));
    expect(both.diagnostics.map((d) => d.summary)).toEqual([
      "Only a script file or an inline script can be specified, not both.",
    ]);
  });

  it("has Packer's schema", () => {
    expect(
      Object.keys(SHELL_CONFIG_SPEC)
        .filter((k) => !k.startsWith("packer_"))
        .sort(),
    ).toEqual([
      "binary",
      "env",
      "env_var_format",
      "environment_vars",
      "execute_command",
      "expect_disconnect",
      "inline",
      "inline_shebang",
      "pause_after",
      "remote_file",
      "remote_folder",
      "remote_path",
      "script",
      "scripts",
      "skip_clean",
      "start_retry_timeout",
      "use_env_var_file",
      "valid_exit_codes",
    ]);
  });
});
