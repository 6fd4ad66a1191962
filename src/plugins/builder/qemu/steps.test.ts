import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import {
  type AddressInfo,
  createServer as createNetServer,
  connect as netConnect,
  type Socket,
} from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStepRunner } from "../../../core/index.js";
import { valueFromNative } from "../../../hcl/index.js";
import { type Communicator, noopLogger, type RemoteCommand } from "../../../sdk/index.js";
import { RecordingUi, testBuildInfo } from "../../provisioner/shell-local/test-support.js";
import { QemuBuilder } from "./builder.js";
import { decodeQemuConfig } from "./config.js";
import type { QemuDriver } from "./driver.js";
import type { QmpClient } from "./qmp.js";
import type { QemuState } from "./state.js";
import { StepTypeBootCommand } from "./step-boot.js";
import { StepConnectWhileRunning } from "./step-connect.js";
import { cleanToolLine, StepCreateCD } from "./step-create-cd.js";
import { StepPrepareOutputDir } from "./step-output-dir.js";
import { nodeBridgeCommand } from "./step-run.js";
import { StepShutdown } from "./step-shutdown.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-qemu-steps-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A VM that stops when told, or after `stopsAfterMs` by itself (never when undefined). */
class FakeVm {
  running = true;
  readonly calls: string[] = [];
  private stopped: (() => void) | undefined;
  private readonly exited = new Promise<void>((r) => (this.stopped = r));
  constructor(stopsAfterMs?: number) {
    if (stopsAfterMs !== undefined) setTimeout(() => this.halt(), stopsAfterMs);
  }
  halt(): void {
    this.running = false;
    this.stopped?.();
  }
  async stop(): Promise<void> {
    this.calls.push("stop");
    this.halt();
  }
  async waitForShutdown(ms: number): Promise<boolean> {
    this.calls.push(`wait ${ms}`);
    return Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
    ]);
  }
}

function makeState(config: Record<string, unknown>, vm: FakeVm, extra: Partial<QemuState> = {}): QemuState {
  const info = testBuildInfo({ cwd: dir, buildName: "s", builderType: "qemu", force: true });
  const decoded = decodeQemuConfig(
    valueFromNative({
      iso_url: "x.iso",
      iso_checksum: "none",
      ssh_username: "root",
      output_directory: "out",
      ...config,
    }),
    info,
    { detectAccelerator: () => ({ accelerator: "tcg", reason: "" }) },
  );
  if (decoded.config === undefined) throw new Error(decoded.diagnostics.map((d) => d.summary).join("; "));
  return {
    config: decoded.config,
    info,
    log: noopLogger,
    secrets: { add() {} },
    driver: vm as unknown as QemuDriver,
    cacheDir: join(dir, "cache"),
    workDir: dir,
    hook: { run: async () => {} },
    ui: new RecordingUi(),
    ...extra,
  };
}

function communicator(onCommand: (cmd: string) => number): Communicator & { commands: string[] } {
  const commands: string[] = [];
  const fail = async () => {
    throw new Error("not used");
  };
  return {
    commands,
    async start(cmd: RemoteCommand) {
      commands.push(cmd.command);
      return { exitStatus: onCommand(cmd.command) };
    },
    upload: fail,
    uploadDir: fail,
    download: fail,
    downloadDir: fail,
  };
}

const signal = new AbortController().signal;
const ui = (s: QemuState) => s.ui as RecordingUi;

describe("stepShutdown", () => {
  it("runs shutdown_command and waits for the VM to stop", async () => {
    const vm = new FakeVm();
    const comm = communicator(() => {
      setTimeout(() => vm.halt(), 30);
      return 0;
    });
    const s = makeState({ shutdown_command: "poweroff", shutdown_timeout: "2s" }, vm, { communicator: comm });
    expect(await new StepShutdown().run(s, signal)).toBe("continue");
    expect(comm.commands).toEqual(["poweroff"]);
    expect(vm.calls).toEqual(["wait 2000"]);
    expect(ui(s).texts("say")).toEqual(["Gracefully halting virtual machine..."]);
  });

  it("falls back to an ACPI power-down request, and fails as Packer does when that does not work either", async () => {
    const vm = new FakeVm();
    const qmpCalls: string[] = [];
    const qmp = {
      async execute(cmd: string) {
        qmpCalls.push(cmd);
        setTimeout(() => vm.halt(), 20);
        return {};
      },
    } as unknown as QmpClient;
    const s = makeState({ shutdown_command: "halt-ish", shutdown_timeout: "100ms" }, vm, {
      communicator: communicator(() => 0),
      qmp,
    });
    expect(await new StepShutdown({ acpiGraceMs: 1000 }).run(s, signal)).toBe("continue");
    expect(qmpCalls).toEqual(["system_powerdown"]);
    expect(ui(s).texts("say")).toContain("The VM stopped after an ACPI power-down request.");

    const stubborn = new FakeVm();
    const t = makeState({ shutdown_command: "halt-ish", shutdown_timeout: "50ms" }, stubborn, {
      communicator: communicator(() => 0),
      qmp: { execute: async () => ({}) } as unknown as QmpClient,
    });
    expect(await new StepShutdown({ acpiGraceMs: 50 }).run(t, signal)).toBe("halt");
    expect((t.error as Error).message).toBe("Timeout while waiting for machine to shut down.");
    expect(ui(t).texts("error")).toEqual(["Timeout while waiting for machine to shut down."]);
  });

  it("without shutdown_command, syncs the guest's disks and stops QEMU", async () => {
    const vm = new FakeVm();
    const comm = communicator(() => 0);
    const s = makeState({}, vm, { communicator: comm });
    expect(await new StepShutdown().run(s, signal)).toBe("continue");
    expect(comm.commands).toEqual(["sync"]);
    expect(vm.calls).toEqual(["stop"]);
    expect(ui(s).texts("say")).toEqual(["Halting the virtual machine..."]);
  });

  it("with communicator none, waits for the guest to power off by itself", async () => {
    const s = makeState({ communicator: "none", shutdown_timeout: "1s" }, new FakeVm(20));
    expect(await new StepShutdown().run(s, signal)).toBe("continue");
    const t = makeState({ communicator: "none", shutdown_timeout: "50ms" }, new FakeVm());
    expect(await new StepShutdown().run(t, signal)).toBe("halt");
    expect((t.error as Error).message).toBe("Failed to shutdown");
  });
});

describe("stepPrepareOutputDir", () => {
  it("creates the directory and deletes it again when the build fails or is cancelled", async () => {
    const s = makeState({}, new FakeVm());
    const step = new StepPrepareOutputDir();
    expect(await step.run(s)).toBe("continue");
    expect(existsSync(join(dir, "out"))).toBe(true);
    writeFileSync(join(dir, "out", "half-written"), "x");
    await step.cleanup(s, signal);
    expect(existsSync(join(dir, "out"))).toBe(true);
    s.halted = true;
    await step.cleanup(s, signal);
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(ui(s).texts("say")).toEqual(["Deleting output directory..."]);
  });

  it("with -force, deletes a previous output directory first", async () => {
    mkdirSync(join(dir, "out"), { recursive: true });
    writeFileSync(join(dir, "out", "old"), "x");
    const s = makeState({}, new FakeVm());
    expect(await new StepPrepareOutputDir().run(s)).toBe("continue");
    expect(existsSync(join(dir, "out", "old"))).toBe(false);
    expect(ui(s).texts("say")).toEqual(["Deleting previous output directory..."]);
    rmSync(join(dir, "out"), { recursive: true });
  });
});

describe("StepCreateCD", () => {
  it("cleans the ISO tool's lines as Packer does", () => {
    expect(cleanToolLine("  ISO image produced: 186 sectors \n")).toBe("ISO image produced: 186 sectors");
    expect(cleanToolLine("\x1b[1;32mgreen\x1b[0m")).toBe("green");
    expect(cleanToolLine("10% done\r20% done")).toBe("20% done");
    expect(cleanToolLine("   ")).toBe("");
  });

  it("makes an ISO with the label from files, directories and content, and removes it afterwards", async () => {
    mkdirSync(join(dir, "cdsrc", "sub"), { recursive: true });
    writeFileSync(join(dir, "cdsrc", "sub", "nested.txt"), "nested");
    writeFileSync(join(dir, "top.txt"), "top");
    const work = mkdtempSync(join(dir, "work-"));
    const s = makeState(
      {
        cd_files: ["top.txt", "cdsrc/"],
        cd_content: { "meta/user-data": "#cloud-config" },
        cd_label: "cidata",
      },
      new FakeVm(),
      { workDir: work },
    );
    const step = new StepCreateCD();
    expect(await step.run(s, signal)).toBe("continue");
    const iso = readFileSync(s.cdPath!);
    // The primary volume descriptor (sector 16) carries the volume id; the files are in the image.
    expect(iso.subarray(16 * 2048 + 40, 16 * 2048 + 46).toString("latin1")).toBe("cidata");
    for (const text of ["#cloud-config", "nested", "top"]) expect(iso.includes(Buffer.from(text))).toBe(true);
    expect(ui(s).texts("say")).toEqual(["Creating CD disk..."]);
    expect(ui(s).texts("message").at(-1)).toBe("Done copying paths from CD_dirs");
    // xorriso's blank lines are not shown (as Packer).
    expect(ui(s).texts("message")).not.toContain("");
    expect(
      ui(s)
        .texts("message")
        .some((l) => l.startsWith("xorriso")),
    ).toBe(true);
    await step.cleanup(s);
    expect(existsSync(s.cdPath!)).toBe(false);
  });
});

/** A VNC server (RFB 3.8, no authentication) that takes `keys` key events and then drops the connection. */
async function droppingVncServer(keys: number): Promise<{ port: number; close(): void; seen: number[] }> {
  const seen: number[] = [];
  const server = createNetServer((socket) => {
    let buf = Buffer.alloc(0);
    let stage = 0;
    socket.write("RFB 003.008\n");
    socket.on("error", () => {});
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (stage === 0 && buf.length >= 12) {
          buf = buf.subarray(12);
          socket.write(Buffer.from([1, 1]));
          stage = 1;
        } else if (stage === 1 && buf.length >= 1) {
          buf = buf.subarray(1);
          socket.write(Buffer.from([0, 0, 0, 0]));
          stage = 2;
        } else if (stage === 2 && buf.length >= 1) {
          buf = buf.subarray(1);
          const init = Buffer.alloc(24 + 2);
          init.writeUInt16BE(720, 0);
          init.writeUInt16BE(400, 2);
          init.writeUInt32BE(2, 20);
          init.write("vm", 24, "latin1");
          socket.write(init);
          stage = 3;
        } else if (stage === 3 && buf.length >= 8) {
          if (buf[0] === 4 && buf[1] === 1) seen.push(buf.readUInt32BE(4));
          buf = buf.subarray(8);
          if (seen.length >= keys) {
            socket.destroy();
            return;
          }
        } else return;
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => server.close(), seen };
}

describe("stepTypeBootCommand when the guest powers off", () => {
  it("is no error when the VM exits as the VNC connection drops (an installer's last key)", async () => {
    const vnc = await droppingVncServer(3);
    try {
      let exit!: () => void;
      const vmExited = new Promise<{ code: number; signal: null }>((r) => {
        exit = () => r({ code: 0, signal: null });
      });
      const s = makeState(
        {
          boot_command: ["abcdefgh<wait1s>"],
          boot_wait: "1ms",
          boot_key_interval: "1ms",
          communicator: "none",
        },
        new FakeVm(),
        { vncPort: vnc.port, vmExited },
      );
      setTimeout(exit, 100);
      expect(await new StepTypeBootCommand({ vmExitGraceMs: 2000 }).run(s, signal)).toBe("continue");
      expect(s.error).toBeUndefined();
      expect(vnc.seen.length).toBe(3);
      expect(ui(s).texts("error")).toEqual([]);
    } finally {
      vnc.close();
    }
  });

  it("fails as before when QEMU crashed rather than the guest powering off", async () => {
    const vnc = await droppingVncServer(3);
    try {
      const s = makeState(
        { boot_command: ["abcdefgh"], boot_wait: "1ms", boot_key_interval: "1ms", communicator: "none" },
        new FakeVm(),
        { vncPort: vnc.port, vmExited: Promise.resolve({ code: 1, signal: null }) },
      );
      expect(await new StepTypeBootCommand({ vmExitGraceMs: 2000 }).run(s, signal)).toBe("halt");
      expect(ui(s).texts("error")[0]).toMatch(/^Error running boot command: /);
    } finally {
      vnc.close();
    }
  });

  it("fails as before when the connection drops but the VM keeps running", async () => {
    const vnc = await droppingVncServer(3);
    try {
      const s = makeState(
        { boot_command: ["abcdefgh"], boot_wait: "1ms", boot_key_interval: "1ms", communicator: "none" },
        new FakeVm(),
        { vncPort: vnc.port, vmExited: new Promise(() => {}) },
      );
      expect(await new StepTypeBootCommand({ vmExitGraceMs: 200 }).run(s, signal)).toBe("halt");
      expect(ui(s).texts("error")[0]).toMatch(/^Error running boot command: /);
    } finally {
      vnc.close();
    }
  });
});

describe("StepConnect while the VM runs", () => {
  it("stops waiting and fails with QEMU's output when the VM exits", async () => {
    const vm = new FakeVm();
    (vm as unknown as { stderrTail(): string }).stderrTail = () => "qemu: guest panicked";
    const s = makeState({}, vm, {
      vmExited: new Promise((r) => setTimeout(() => r({ code: 0, signal: null }), 50)),
    });
    let innerSignal: AbortSignal | undefined;
    const inner = {
      name: "StepConnect",
      run: (_: QemuState, sig: AbortSignal) =>
        new Promise<"halt">((resolve) =>
          sig.addEventListener("abort", () => resolve("halt"), { once: true }),
        ),
    };
    const step = new StepConnectWhileRunning(inner, (sig) => {
      innerSignal = sig;
    });
    expect(step.name).toBe("StepConnect");
    expect(await step.run(s, signal)).toBe("halt");
    expect(innerSignal?.aborted).toBe(true);
    expect((s.error as Error).message).toBe(
      "Qemu exited before the communicator could connect:\nqemu: guest panicked",
    );
    // A cancelled build is not reported as the VM's failure.
    const controller = new AbortController();
    const t = makeState({}, new FakeVm(), { vmExited: new Promise(() => {}) });
    const running = new StepConnectWhileRunning(inner).run(t, controller.signal);
    controller.abort();
    expect(await running).toBe("halt");
    expect(t.error).toBeUndefined();
  });
});

describe("HTTP bridge for the guest", () => {
  it("relays a connection handed over as standard input and output to the HTTP server, both ways", async () => {
    const http = createHttpServer((req, res) => res.end(`hello ${req.url}`));
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
    const port = (http.address() as AddressInfo).port;
    // QEMU hands the program one end of a socket pair; a unix socket connection stands in for it here.
    const sock = join(dir, "bridge.sock");
    const accepted = new Promise<Socket>((resolve) => {
      const server = createNetServer((s) => {
        resolve(s);
        server.close();
      });
      server.listen(sock);
    });
    const client = netConnect(sock);
    const end = await accepted;
    const [node, ...args] = parseShellWords(nodeBridgeCommand("127.0.0.1", port));
    const child = spawn(node!, args, { stdio: [end, end, "inherit"] });
    end.destroy();
    let answer = "";
    client.on("data", (d) => {
      answer += d.toString();
    });
    client.write("GET /seed.txt HTTP/1.0\r\nHost: x\r\n\r\n");
    await new Promise<void>((r) => client.on("close", () => r()));
    await new Promise<void>((r) => child.on("exit", () => r()));
    http.close();
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\n\r\nhello \/seed\.txt$/);
  });
});

/** Splits `a -e 'b c'` as GLib's g_shell_parse_argv does for these commands (single quotes only). */
function parseShellWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2]!);
  return words;
}

describe("qemu builder run", () => {
  it("fails with Packer's message when QEMU is not installed", async () => {
    const b = new QemuBuilder({ detectAccelerator: () => ({ accelerator: "tcg", reason: "" }) });
    const info = testBuildInfo({
      cwd: dir,
      buildName: "s",
      builderType: "qemu",
      env: { PATH: join(dir, "empty") },
    });
    const prepared = b.prepare(
      valueFromNative({
        iso_url: "x.iso",
        iso_checksum: "none",
        ssh_username: "root",
        output_directory: "out-none",
      }),
      info,
    );
    expect(prepared.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(prepared.generatedDataKeys).toEqual([]);
    await expect(
      b.run(new RecordingUi(), { run: async () => {} }, signal, {
        log: noopLogger,
        secrets: { add() {} },
        runner: createStepRunner({ onError: "", debug: false }),
      }),
    ).rejects.toThrow(
      'Failed creating Qemu driver: exec: "qemu-system-x86_64": executable file not found in $PATH',
    );
  });
});
