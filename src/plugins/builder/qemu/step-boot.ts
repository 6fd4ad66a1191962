/**
 * stepTypeBootCommand: waits boot_wait, connects to the VM's VNC server and types boot_command (or each of
 * boot_steps, with its description), rendered with `{{ .HTTPIP }}`, `{{ .HTTPPort }}`, `{{ .Name }}` and
 * `{{ .SSHPublicKey }}`. stepWaitGuestAddress: with net_bridge, finds the guest's address from its MAC in the
 * host's ARP table.
 */
import { readFile } from "node:fs/promises";
import {
  cancelledError,
  ErrorCode,
  errorMessage,
  KilnError,
  type Step,
  type StepAction,
} from "../../../sdk/index.js";
import { GoStruct, renderUntilFixpoint } from "../../../template/index.js";
import { interpolateContext } from "../../provisioner/shell-local/plugin-config.js";
import { parseBootCommand, sleepFor, typeBootCommand } from "./boot-command.js";
import type { QmpClient } from "./qmp.js";
import type { QemuState } from "./state.js";
import { VncClient } from "./vnc-client.js";
import { keyIntervalMs, VncBootDriver } from "./vnc-driver.js";

/** How long a VNC failure waits to see whether QEMU has exited (the socket closes before the exit is seen). */
const VM_EXIT_GRACE_MS = 3000;

/** How the VM ended, if it has or does within `ms`. */
async function vmExitWithin(
  state: QemuState,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  const exited = state.vmExited;
  if (exited === undefined) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      exited,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * A VNC failure because the guest powered itself off (an installer that ends with `poweroff`, often with the
 * last key of the boot command) is no error of the boot command: the steps after it deal with a stopped VM
 * (stepShutdown accepts it with communicator `none`; the connect step reports it otherwise). Only a clean
 * exit of QEMU (status 0, as after a guest power-off) counts; a crash stays the boot command's error.
 */
async function vmPoweredOffInstead(state: QemuState, err: unknown, graceMs: number): Promise<boolean> {
  const exit = await vmExitWithin(state, graceMs);
  if (exit === undefined) return false;
  if (exit.code !== 0 || exit.signal !== null) {
    state.log.log(`QEMU ended (code ${exit.code}, signal ${exit.signal}) while the boot command was typed`);
    return false;
  }
  state.log.log(`The guest powered off while its boot command was typed (${errorMessage(err)})`);
  return true;
}

export interface StepTypeBootCommandOptions {
  /** How long a VNC failure waits to see whether QEMU has exited; default 3 s. */
  readonly vmExitGraceMs?: number;
}

export class StepTypeBootCommand implements Step<QemuState> {
  readonly name = "stepTypeBootCommand";

  constructor(private readonly options: StepTypeBootCommandOptions = {}) {}

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui, info } = state;
    const command = config.bootCommand.join("");
    const bootSteps: readonly (readonly string[])[] = command.length > 0 ? [[command]] : config.bootSteps;
    if (config.disableVnc) {
      state.log.log("Skipping boot command step...");
      return "continue";
    }
    const fail = (message: string, cause?: unknown): StepAction => {
      const err = new KilnError(ErrorCode.Builder, message, cause !== undefined ? { cause } : {});
      state.error = err;
      ui.error(err.message);
      return "halt";
    };
    if (config.bootWait.nanoseconds > 0n) {
      ui.say(`Waiting ${config.bootWait} for boot...`);
      try {
        await sleepFor(config.bootWait.milliseconds, signal);
      } catch {
        return "halt";
      }
    }
    const host = config.vncBindAddress;
    const port = state.vncPort ?? 0;
    ui.say(`Connecting to VM via VNC (${host}:${port})`);
    let client: VncClient;
    try {
      client = await VncClient.connect(
        {
          host: host === "0.0.0.0" ? "127.0.0.1" : host,
          port,
          password: state.vncPassword ?? "",
          shared: true,
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      if (await vmPoweredOffInstead(state, err, this.options.vmExitGraceMs ?? VM_EXIT_GRACE_MS))
        return "continue";
      const message = errorMessage(err);
      return /refused|ENOTFOUND|EHOSTUNREACH|timeout/i.test(message)
        ? fail(`Error connecting to VNC: ${message}`, err)
        : fail(`Error handshaking with VNC: ${message}`, err);
    }
    try {
      state.log.log(`Connected to VNC desktop: ${client.desktopName}`);
      const data = new GoStruct(
        "qemu.bootCommandTemplateData",
        new Map<string, string | bigint>([
          ["HTTPIP", state.httpIp ?? ""],
          ["HTTPPort", BigInt(state.httpPort ?? 0)],
          ["Name", config.vmName],
          ["SSHPublicKey", config.comm.ssh.publicKey],
        ]),
        true,
      );
      const ctx = interpolateContext(info, data);
      const driver = new VncBootDriver(client, keyIntervalMs(config.bootKeyIntervalMs, info.env), (m) =>
        state.log.log(m),
      );
      ui.say("Typing the boot command over VNC...");
      for (const step of bootSteps) {
        if (step.length === 0) continue;
        const description = step.length >= 2 ? step[1]! : "";
        if (description.length > 0) ui.say(`Typing boot command for: ${description}`);
        const rendered = renderUntilFixpoint(step[0]!, ctx);
        if ("error" in rendered) return fail(`Error preparing boot command: ${rendered.error}`);
        const seq = parseBootCommand(rendered.value);
        if (!seq.ok) return fail(`Error generating boot command: ${seq.error}`);
        try {
          await typeBootCommand(seq.value, driver, signal, (d) => state.log.log(`[INFO] Waiting ${d}`));
        } catch (err) {
          if (signal.aborted) return "halt";
          if (await vmPoweredOffInstead(state, err, this.options.vmExitGraceMs ?? VM_EXIT_GRACE_MS))
            return "continue";
          return fail(`Error running boot command: ${errorMessage(err)}`, err);
        }
        if (info.debug) {
          const message =
            description.length > 0
              ? `boot description: "${description}", command: ${rendered.value}`
              : `boot_command: ${rendered.value}`;
          try {
            await ui.ask(`Pausing after run of step '${message}'. Press enter to continue.`, signal);
          } catch (err) {
            state.log.log(`Error asking for input: ${errorMessage(err)}`);
          }
        }
      }
    } finally {
      client.close();
    }
    return "continue";
  }
}

interface QomEntry {
  readonly name: string;
  readonly type: string;
}

/** The MAC address of the NIC attached to netdev `netdev`, found through QOM (as Packer's getNetDevices). */
async function guestMac(qmp: QmpClient, netdev: string): Promise<string | undefined> {
  for (const parent of ["/machine/peripheral", "/machine/peripheral-anon"]) {
    const children = (await qmp.execute("qom-list", { path: parent })) as QomEntry[];
    for (const child of children) {
      if (!child.type.startsWith("child<")) continue;
      const path = `${parent}/${child.name}`;
      const props = (await qmp.execute("qom-list", { path })) as QomEntry[];
      if (!props.some((p) => p.name === "netdev")) continue;
      const name = await qmp.execute("qom-get", { path, property: "netdev" });
      if (name !== netdev) continue;
      return String(await qmp.execute("qom-get", { path, property: "mac" }));
    }
  }
  return undefined;
}

/** The IPv4 address of a complete ARP entry for `mac` on `device` (/proc/net/arp). */
export function arpAddress(table: string, device: string, mac: string): string | undefined {
  for (const line of table.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    if (device !== "" && f[5] !== device) continue;
    if (f[3]?.toLowerCase() !== mac.toLowerCase()) continue;
    if ((Number.parseInt(f[2] ?? "0", 16) & 0x02) === 0x02) return f[0];
  }
  return undefined;
}

export class StepWaitGuestAddress implements Step<QemuState> {
  readonly name = "stepWaitGuestAddress";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (config.comm.type === "none") {
      ui.message("No communicator is configured -- skipping StepWaitGuestAddress");
      return "continue";
    }
    if (config.netBridge === "") {
      ui.message("Not using a NetBridge -- skipping StepWaitGuestAddress");
      return "continue";
    }
    const qmp = state.qmp;
    if (qmp === undefined) throw new KilnError(ErrorCode.Internal, "no QMP connection to the VM");
    ui.say(`Waiting for the guest address to become available in the ${config.netBridge} network bridge...`);
    const deadline = Date.now() + config.comm.ssh.timeout.milliseconds;
    for (;;) {
      if (signal.aborted) throw cancelledError(signal.reason);
      try {
        const mac = await guestMac(qmp, "user.0");
        if (mac !== undefined) {
          const address = arpAddress(await readFile("/proc/net/arp", "utf8"), config.netBridge, mac);
          if (address !== undefined) {
            state.log.log(`Found guest address ${address}`);
            state.guestAddress = address;
            return "continue";
          }
        } else state.log.log("QEMU QMP network device user.0 was not found");
      } catch (err) {
        state.log.log(`Could not retrieve QEMU QMP network device list: ${errorMessage(err)}`);
      }
      if (Date.now() > deadline) return "halt";
      try {
        await sleepFor(10_000, signal);
      } catch {
        return "halt";
      }
    }
  }
}
