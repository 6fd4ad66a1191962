import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NoneCommunicator } from "../../../communicator/index.js";
import { valueFromNative } from "../../../hcl/index.js";
import { type BuildInfo, basicArtifact, isCancellation } from "../../../sdk/index.js";
import { ShellLocalPostProcessor } from "../../post-processor/shell-local/post-processor.js";
import { convertToLinuxPath, decodeShellLocalConfig } from "./config.js";
import { ShellLocalProvisioner } from "./provisioner.js";
import { runShellLocal } from "./run.js";
import { RecordingUi, testBuildInfo, testRunContext } from "./test-support.js";

let dir: string;
let tmp: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-shell-local-"));
  tmp = join(dir, "tmp");
  mkdirSync(tmp);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function info(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return testBuildInfo({ cwd: dir, env: { PATH: "/usr/bin:/bin", TMPDIR: tmp }, ...overrides });
}

function prepared(config: Record<string, unknown>, buildInfo: BuildInfo = info()): ShellLocalProvisioner {
  const p = new ShellLocalProvisioner();
  const { diagnostics } = p.prepare(valueFromNative(config), buildInfo);
  expect(diagnostics).toEqual([]);
  return p;
}

function errors(config: Record<string, unknown>, buildInfo: BuildInfo = info()): string[] {
  const p = new ShellLocalProvisioner();
  return p.prepare(valueFromNative(config), buildInfo).diagnostics.map((d) => d.summary);
}

async function provision(p: ShellLocalProvisioner, data: Record<string, string> = {}): Promise<RecordingUi> {
  const ui = new RecordingUi();
  await p.provision(ui, new NoneCommunicator(), data, new AbortController().signal, testRunContext());
  return ui;
}

describe("shell-local provisioner", () => {
  it("runs inline commands through /bin/sh and streams stdout as messages, stderr as errors", async () => {
    const p = prepared({
      inline: [
        "echo hi $PACKER_BUILD_NAME $PACKER_BUILDER_TYPE",
        "echo oops >&2",
        "echo",
        "printf 'a\\rb\\n'",
      ],
    });
    const ui = await provision(p);
    expect(ui.lines[0]?.kind).toBe("say");
    expect(ui.lines[0]?.text).toMatch(new RegExp(`^Running local shell script: ${tmp}/packer-shell\\d+$`));
    expect(ui.texts("message")).toEqual(["hi test null", "", "b"]);
    expect(ui.texts("error")).toEqual(["oops"]);
    // The temporary script is gone.
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("flattens environment variables into {{.Vars}}, sorted, quoted, env overriding environment_vars", async () => {
    const p = prepared({
      inline: ["true"],
      environment_vars: ["B=it's", "A=1", "EMPTY="],
      env: { A: "over", C: "x y" },
      execute_command: ["/usr/bin/printf", "%s|", "{{.Vars}}"],
    });
    const ui = await provision(p);
    expect(ui.texts("message")).toEqual([
      "A='over' B='it'\"'\"'s' C='x y' EMPTY='' PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='test' |",
    ]);
  });

  it("exports the variables to the script with the default execute_command", async () => {
    const p = prepared({ inline: ['echo "$B|$C"'], environment_vars: ["B=it's"], env: { C: "a b" } });
    const ui = await provision(p);
    expect(ui.texts("message")).toEqual(["it's|a b"]);
  });

  it("renders .Script, .Command, generated data and template functions in execute_command", async () => {
    const p = prepared({
      inline: ["true"],
      execute_command: [
        "/bin/sh",
        "-c",
        "echo {{.Script}} {{.Command}} {{.ID}} {{build_name}} '{{ .Missing }}'",
      ],
    });
    const ui = await provision(p, { ID: "machine-1" });
    const [line] = ui.texts("message");
    expect(line).toMatch(new RegExp(`^(${tmp}/packer-shell\\d+) \\1 machine-1 test <no value>$`));
  });

  it("uses env_var_format", async () => {
    const p = prepared({
      inline: ["echo $X"],
      environment_vars: ["X=1"],
      env_var_format: "export %s=%s; ",
    });
    expect((await provision(p)).texts("message")).toEqual(["1"]);
  });

  it("turns command into an inline script", async () => {
    const p = prepared({ command: "echo command-form" });
    expect((await provision(p)).texts("message")).toEqual(["command-form"]);
  });

  it("runs script and scripts files, relative to the working directory, with absolute .Script", async () => {
    // The default execute_command runs the script itself, so it must be executable (as in Packer).
    writeFileSync(join(dir, "a.sh"), "#!/bin/sh\necho from-a $0\n", { mode: 0o755 });
    writeFileSync(join(dir, "b.sh"), "#!/bin/sh\necho from-b\n", { mode: 0o755 });
    const ui = await provision(prepared({ scripts: ["a.sh", "b.sh"] }));
    expect(ui.texts("say")).toEqual(["Running local shell script: a.sh", "Running local shell script: b.sh"]);
    expect(ui.texts("message")).toEqual([`from-a ${join(dir, "a.sh")}`, "from-b"]);
    const single = await provision(prepared({ script: "b.sh" }));
    expect(single.texts("message")).toEqual(["from-b"]);
  });

  it("writes the shebang and the tempfile extension; the script can be run directly", async () => {
    const p = prepared({
      inline: ["echo $0"],
      inline_shebang: "/bin/sh -x",
      tempfile_extension: ".sh",
      execute_command: ["{{.Script}}"],
    });
    const ui = await provision(p);
    const [line] = ui.texts("message");
    expect(line).toMatch(new RegExp(`^${tmp}/packer-shell\\d+\\.sh$`));
    // sh -x traces the command on standard error.
    expect(ui.texts("error")).toEqual([`+ echo ${line}`]);
  });

  it("fails with Packer's message on an exit status that is not allowed", async () => {
    const p = prepared({ inline: ["exit 3"] });
    await expect(provision(p)).rejects.toThrow(
      "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
    );
    const allowed = prepared({ inline: ["exit 3"], valid_exit_codes: [0, 3] });
    await expect(provision(allowed)).resolves.toBeDefined();
    const other = prepared({ inline: ["exit 4"], valid_exit_codes: [0, 3] });
    await expect(provision(other)).rejects.toThrow("Allowed exit codes are: [0 3]");
  });

  it("reports a program that cannot be started", async () => {
    const p = prepared({ inline: ["true"], execute_command: ["/nonexistent/program"] });
    await expect(provision(p)).rejects.toThrow(
      /^Error executing script: .*packer-shell\d+\n\nPlease see output above for more information\.$/,
    );
  });

  it("stops the script's processes when cancelled", async () => {
    const pidFile = join(dir, "pid");
    const p = prepared({ inline: [`sleep 30 & echo $! > ${pidFile}; wait`] });
    const controller = new AbortController();
    const ui = new RecordingUi();
    const running = p.provision(ui, new NoneCommunicator(), {}, controller.signal, testRunContext());
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8").trim() === "") {
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    const started = Date.now();
    controller.abort();
    const err = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCancellation(err)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    // The background process was in the script's process group; wait for it to be reaped.
    const gone = async (): Promise<boolean> => {
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return true;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };
    expect(await gone()).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("skips when the OS is not in only_on", async () => {
    const config = decodeShellLocalConfig(
      valueFromNative({ inline: ["exit 1"], only_on: ["windows"] }),
      info(),
    );
    expect(config.diagnostics).toEqual([]);
    const ui = new RecordingUi();
    await runShellLocal(ui, config.config!, {}, new AbortController().signal, testRunContext(), "linux");
    expect(ui.lines).toEqual([{ kind: "say", text: "Skipping shell-local due to runtime OS" }]);
  });

  it("renders legacy templates at prepare time: user variables, build_name, placeholders of JSON templates", async () => {
    const json = info({ templatePath: join(dir, "t.json"), userVariables: { v: "uservar" } });
    const p = prepared(
      { inline: ["echo {{ build `ID` }} {{ user `v` }} {{ build_type }} {{ .PackerRunUUID | len }}"] },
      json,
    );
    const ui = await provision(p, { ID: "Null" });
    expect(ui.texts("message")).toEqual(["Null uservar null 102"]);
  });

  it("rejects `build` at prepare time in HCL templates, with the template error", () => {
    expect(errors({ inline: ["echo {{ build `ID` }}"] })).toEqual([
      expect.stringMatching(
        /^Error decoding config: render 'inline': template: root:1:8: executing "root" at <build `ID`>: error calling build: .*ID.*in:\n\necho \{\{ build `ID` \}\}$/,
      ),
    ]);
    expect(errors({ inline: ["{{ .Foo "] })).toEqual([
      "Error decoding config: invalid 'inline': template: root:1: unclosed action in:\n\n{{ .Foo ",
    ]);
  });

  it("validates like Packer", () => {
    expect(errors({})).toEqual(["Command, Inline, Script and Scripts options cannot all be empty."]);
    const tooMany =
      "You may only specify one of the following options: Command, Inline, Script or Scripts. Please " +
      "consolidate these options in your config.";
    expect(errors({ command: "x", inline: ["a"] })).toEqual([tooMany]);
    expect(errors({ scripts: ["a", "b"], inline: [] })).toEqual([
      tooMany,
      "Bad script 'a': stat a: no such file or directory",
      "Bad script 'b': stat b: no such file or directory",
    ]);
    expect(errors({ inline: ["a"], environment_vars: ["=x", "y", "z=1", "=", "a=b=c"] })).toEqual([
      "Environment variable not in format 'key=value': =x",
      "Environment variable not in format 'key=value': y",
      "Environment variable not in format 'key=value': =",
    ]);
    // An unsupported OS is reported alone.
    expect(errors({ scripts: ["a"], inline: ["x"], only_on: ["linux", "plan9"] })).toEqual([
      "Invalid OS specified in only_on: 'plan9'\nSupported OS names: darwin, freebsd, linux, openbsd, solaris, windows",
    ]);
    expect(errors({ inline: ["x"], use_linux_pathing: true })).toEqual([
      "Packer is unable to use the Command and Inline features with the Windows Linux Subsystem. Please use " +
        "the Script or Scripts options instead",
    ]);
  });

  it("accepts a comma-separated string for a list, as JSON templates may give", async () => {
    const p = prepared({ inline: ["true"], only_on: "linux,windows" });
    expect((await provision(p)).texts("say")).toHaveLength(1);
  });

  it("converts Windows paths for WSL", () => {
    expect(convertToLinuxPath("C:\\Users\\me\\s.sh")).toEqual({ ok: true, path: "/mnt/c/Users/me/s.sh" });
    expect(convertToLinuxPath("/home/me/s.sh")).toEqual({
      ok: false,
      error:
        "There was an error splitting your absolute path; expected to find a drive following the format ':/' " +
        "but did not: absolute path: /home/me/s.sh",
    });
  });

  it("takes Windows defaults on Windows", () => {
    const r = decodeShellLocalConfig(valueFromNative({ inline: ["dir"] }), info(), { goos: "windows" });
    expect(r.config?.executeCommand).toEqual(["cmd", "/V", "/C", "{{.Vars}}", "call", "{{.Script}}"]);
    expect(r.config?.tempfileExtension).toBe("cmd");
    expect(r.config?.envVarFormat).toBe("set %s=%s && ");
    expect(r.config?.inlineShebang).toBe("");
  });
});

describe("shell-local post-processor", () => {
  it("runs with the artifact's generated data and keeps the artifact", async () => {
    const pp = new ShellLocalPostProcessor();
    const cfg = { inline: ["echo pp $PACKER_BUILD_NAME {{ build `ID` }}"] };
    const { diagnostics } = pp.configure(valueFromNative(cfg), info({ templatePath: join(dir, "t.json") }));
    expect(diagnostics).toEqual([]);
    const artifact = basicArtifact({
      builderId: "fnoeding.null",
      id: "Null",
      string: "null",
      state: { generated_data: { ID: "Null" } },
    });
    const ui = new RecordingUi();
    const result = await pp.postProcess(ui, artifact, new AbortController().signal, testRunContext());
    expect(result).toEqual({ artifact, keep: true, forceOverride: true });
    expect(ui.texts("message")).toEqual(["pp test Null"]);
  });

  it("runs a one-string execute_command through sh -c", async () => {
    const pp = new ShellLocalPostProcessor();
    const cfg = { inline: ["true"], execute_command: "echo single {{.Script}}" };
    expect(pp.configure(valueFromNative(cfg), info()).diagnostics).toEqual([]);
    const artifact = basicArtifact({ builderId: "packer.file", id: "File", string: "f" });
    const ui = new RecordingUi();
    await pp.postProcess(ui, artifact, new AbortController().signal, testRunContext());
    expect(ui.texts("message")[0]).toMatch(new RegExp(`^single ${tmp}/packer-shell\\d+$`));
  });

  it("fails the post-processor on a bad exit status", async () => {
    const pp = new ShellLocalPostProcessor();
    expect(pp.configure(valueFromNative({ inline: ["exit 2"] }), info()).diagnostics).toEqual([]);
    const artifact = basicArtifact({ builderId: "packer.file", id: "File", string: "f" });
    await expect(
      pp.postProcess(new RecordingUi(), artifact, new AbortController().signal, testRunContext()),
    ).rejects.toThrow("Script exited with non-zero exit status: 2.Allowed exit codes are: [0]");
  });
});
