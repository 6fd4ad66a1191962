import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { CMD_DISCONNECT_STATUS, HTTP_ADDR_NOT_IMPLEMENTED, type Value } from "../../../sdk/index.js";
import { decodeShellConfig } from "./config.js";
import {
  flattenEnvVars,
  inlineScript,
  ShellProvisioner,
  shellEnvVars,
  UNEXPECTED_DISCONNECT_MESSAGE,
} from "./provisioner.js";
import { buildInfo, config, FakeCommunicator, recordingUi, runContext } from "./test-support.js";

const never = new AbortController().signal;

function prepared(native: Record<string, unknown>, cwd?: string): ShellProvisioner {
  const p = new ShellProvisioner();
  const r = p.prepare(config(native) as Value, buildInfo(cwd !== undefined ? { cwd } : {}));
  expect(r.diagnostics).toEqual([]);
  return p;
}

describe("environment", () => {
  it("sorts, escapes and includes the HTTP server when the builder has one", () => {
    const c = decodeShellConfig(
      config({ inline: ["x"], environment_vars: ["B=it's", "A=1=2"], env: { C: "c", A: "from env" } }),
      buildInfo(),
    ).config!;
    const vars = shellEnvVars(c, buildInfo(), {
      PackerHTTPAddr: "10.0.2.2:8080",
      PackerHTTPIP: "10.0.2.2",
      PackerHTTPPort: "8080",
    });
    expect(flattenEnvVars(c, vars)).toBe(
      "A='from env' B='it'\"'\"'s' C='c' PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='test' " +
        "PACKER_HTTP_ADDR='10.0.2.2:8080' PACKER_HTTP_IP='10.0.2.2' PACKER_HTTP_PORT='8080' ",
    );
    const none = shellEnvVars(c, buildInfo(), { PackerHTTPAddr: HTTP_ADDR_NOT_IMPLEMENTED });
    expect(none.map(([k]) => k)).not.toContain("PACKER_HTTP_ADDR");
  });

  it("writes the shebang unless the commands bring their own", () => {
    const c = (native: Record<string, unknown>) => decodeShellConfig(config(native), buildInfo()).config!;
    expect(inlineScript(c({ inline: ["echo a", "echo b"] }), {})).toBe("#!/bin/sh -e\necho a\necho b\n");
    expect(inlineScript(c({ inline: ["#!/bin/bash", "echo a"] }), {})).toBe("#!/bin/bash\necho a\n");
    expect(inlineScript(c({ inline: ["#!/bin/bash", "echo a"], inline_shebang: "/bin/zsh" }), {})).toBe(
      "#!/bin/zsh\n#!/bin/bash\necho a\n",
    );
    expect(inlineScript(c({ inline: ["echo {{ build `ID` }}"] }), { ID: "i-123" })).toBe(
      "#!/bin/sh -e\necho i-123\n",
    );
  });
});

describe("ShellProvisioner with a scripted communicator", () => {
  it("uploads, makes executable, runs with the variables, streams output and cleans up", async () => {
    const comm = new FakeCommunicator();
    comm.onStart = (cmd) =>
      cmd.includes("chmod +x")
        ? { exitStatus: 0, stdout: "hello\nworld\n", stderr: "warn\n" }
        : { exitStatus: 0 };
    const ui = recordingUi();
    const p = prepared({ inline: ["echo hello"], environment_vars: ["FOO=bar"], remote_path: "/tmp/s.sh" });
    await p.provision(ui, comm, {}, never, runContext);
    expect(
      comm.events.map((e) => (e.kind === "start" ? e.command : `${e.kind} ${"path" in e ? e.path : ""}`)),
    ).toEqual([
      "upload /tmp/s.sh",
      "chmod 0755 /tmp/s.sh",
      "chmod +x /tmp/s.sh; FOO='bar' PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='test'  /tmp/s.sh",
      "rm -f /tmp/s.sh",
    ]);
    expect(comm.files.get("/tmp/s.sh")).toBe("#!/bin/sh -e\necho hello\n");
    expect(ui.lines[0]).toMatch(/^say: Provisioning with shell script: \/tmp\/packer-shell\d+$/);
    expect(ui.lines.slice(1)).toEqual(["message: hello", "message: world", "error: warn"]);
    // The local copy of the inline script is removed afterwards.
    expect(existsSync(ui.lines[0]!.replace(/^.*: /, ""))).toBe(false);
  });

  it("writes the inline script under the run's TMPDIR, as Go's os.TempDir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-shell-tmpdir-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const comm = new FakeCommunicator();
    const p = new ShellProvisioner();
    const info = buildInfo({ env: { TMPDIR: dir } });
    expect(p.prepare(config({ inline: ["true"] }) as Value, info).diagnostics).toEqual([]);
    const ui = recordingUi();
    let seen: string[] = [];
    comm.onStart = () => {
      seen = readdirSync(dir);
      return { exitStatus: 0 };
    };
    await p.provision(ui, comm, {}, never, runContext);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^packer-shell\d+$/);
    expect(ui.lines[0]).toBe(`say: Provisioning with shell script: ${join(dir, seen[0]!)}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("converts CRLF in scripts unless binary, and keeps scripts with skip_clean", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-shell-test-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "a.sh"), "echo a\r\necho b");
    for (const binary of [false, true]) {
      const comm = new FakeCommunicator();
      await prepared({ script: "a.sh", binary, skip_clean: true, remote_path: "/r.sh" }, dir).provision(
        recordingUi(),
        comm,
        {},
        never,
        runContext,
      );
      expect(comm.files.get("/r.sh")).toBe(binary ? "echo a\r\necho b" : "echo a\necho b\n");
      expect(comm.events.some((e) => e.kind === "start" && e.command.startsWith("rm -f"))).toBe(false);
    }
  });

  it("fails on exit codes outside valid_exit_codes with Packer's message", async () => {
    const comm = new FakeCommunicator();
    comm.onStart = (cmd) => ({ exitStatus: cmd.includes("chmod +x") ? 3 : 0 });
    await expect(
      prepared({ inline: ["exit 3"] }).provision(recordingUi(), comm, {}, never, runContext),
    ).rejects.toThrow("Script exited with non-zero exit status: 3.Allowed exit codes are: [0]");
    await expect(
      prepared({ inline: ["exit 3"], valid_exit_codes: [0, 3] }).provision(
        recordingUi(),
        comm,
        {},
        never,
        runContext,
      ),
    ).resolves.toBeUndefined();
    await expect(
      prepared({ inline: ["exit 3"], valid_exit_codes: [1, 2] }).provision(
        recordingUi(),
        comm,
        {},
        never,
        runContext,
      ),
    ).rejects.toThrow("Allowed exit codes are: [1 2]");
  });

  it("treats a disconnect as failure unless expected", async () => {
    const comm = new FakeCommunicator();
    comm.onStart = (cmd) => ({ exitStatus: cmd.includes("chmod +x") ? CMD_DISCONNECT_STATUS : 0 });
    await expect(
      prepared({ inline: ["reboot"] }).provision(recordingUi(), comm, {}, never, runContext),
    ).rejects.toThrow(UNEXPECTED_DISCONNECT_MESSAGE);
    await prepared({ inline: ["reboot"], expect_disconnect: true }).provision(
      recordingUi(),
      comm,
      {},
      never,
      runContext,
    );
    await prepared({ inline: ["reboot"], valid_exit_codes: [0, CMD_DISCONNECT_STATUS] }).provision(
      recordingUi(),
      comm,
      {},
      never,
      runContext,
    );
  });

  it("retries the upload and run together until they work", async () => {
    const comm = new FakeCommunicator();
    let failures = 2;
    comm.onUpload = () => {
      if (failures-- > 0) throw new Error("connection refused");
    };
    const p = new ShellProvisioner();
    p.prepare(config({ inline: ["true"], remote_path: "/s.sh" }), buildInfo());
    // The retry waits 2 s between attempts, as Packer's.
    await p.provision(recordingUi(), comm, {}, never, runContext);
    expect(comm.events.filter((e) => e.kind === "upload")).toHaveLength(1);
    expect(failures).toBe(-1);
  }, 20_000);

  it("gives up after start_retry_timeout with the upload error", async () => {
    const comm = new FakeCommunicator();
    comm.onUpload = () => {
      throw new Error("connection refused");
    };
    const p = new ShellProvisioner();
    p.prepare(config({ inline: ["true"], start_retry_timeout: "1s" }), buildInfo());
    await expect(p.provision(recordingUi(), comm, {}, never, runContext)).rejects.toThrow(
      "Error uploading script: connection refused",
    );
  }, 20_000);

  it("sources an uploaded variable file with use_env_var_file, then removes it", async () => {
    const comm = new FakeCommunicator();
    await prepared({
      inline: ["true"],
      use_env_var_file: true,
      environment_vars: ["X=1"],
      remote_path: "/tmp/s.sh",
    }).provision(recordingUi(), comm, {}, never, runContext);
    const varUpload = comm.events.find((e) => e.kind === "upload" && e.path.includes("varfile_"));
    expect(varUpload).toBeDefined();
    const varPath = varUpload!.kind === "upload" ? varUpload!.path : "";
    expect(comm.files.get(varPath)).toBe(
      "export PACKER_BUILDER_TYPE='null'\nexport PACKER_BUILD_NAME='test'\nexport X='1'\n",
    );
    const commands = comm.events.flatMap((e) => (e.kind === "start" ? [e.command] : []));
    expect(commands).toEqual([
      `chmod 0600 ${varPath}`,
      "chmod 0755 /tmp/s.sh",
      `chmod +x /tmp/s.sh; . ${varPath} && /tmp/s.sh`,
      "rm -f /tmp/s.sh",
      `rm -f ${varPath}`,
    ]);
  });

  it("pauses after, and refuses to run unprepared", async () => {
    const ui = recordingUi();
    const started = Date.now();
    await prepared({ inline: ["true"], pause_after: "300ms" }).provision(
      ui,
      new FakeCommunicator(),
      {},
      never,
      runContext,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(ui.lines.at(-1)).toBe("say: Pausing 300ms after this provisioner...");
    await expect(
      new ShellProvisioner().provision(ui, new FakeCommunicator(), {}, never, runContext),
    ).rejects.toThrow(/before a successful prepare/);
  });
});
