/**
 * The QEMU command line (Packer's stepRun.getDefaultArgs and applyUserOverrides): default arguments keyed by
 * option, replaced option by option by `qemuargs` (each row is `[option, value parts...]`, the parts joined;
 * a row with only the option gives a bare flag), the network device added back when a user's `-device` list
 * lacks it. Unlike Packer (a Go map), the order is fixed: defaults in a stable order, then options only the user
 * gave, in their order.
 *
 * Networking (user mode, kiln's isolation): the guest is `restrict=on` (it reaches neither the host nor
 * anything beyond), the communicator port is forwarded from 127.0.0.1 only, and when an HTTP server runs the
 * guest reaches it at 10.0.2.2:<port> through a guest forward; QEMU's own host address then moves to 10.0.2.1
 * (a restricted guest has no use for a gateway), because a guest forward cannot take the host's address.
 */
import { GoMap, GoStruct, renderUntilFixpoint } from "../../../template/index.js";
import { interpolateContext } from "../../provisioner/shell-local/plugin-config.js";
import type { QemuConfig } from "./config.js";
import { smpArgument } from "./config.js";
import { NET_PROBE_GUEST_PORT } from "./ssh-banner.js";

/** QEMU's own host address when the HTTP server's guest forward takes 10.0.2.2. */
export const USER_NET_MOVED_HOST_IP = "10.0.2.1";

/** What the command line depends on besides the configuration. */
export interface QemuArgsInput {
  readonly config: QemuConfig;
  /** QEMU 2.0 or later (always, in practice). */
  readonly atLeastVersion2: boolean;
  readonly commHostPort: number | undefined;
  /** The host port forwarded to the network probe's guest port, if any. */
  readonly netProbePort?: number | undefined;
  /** The guest port the communicator connects to. */
  readonly commGuestPort: number;
  readonly vncPort: number;
  readonly vncPassword: string;
  readonly httpIp: string;
  readonly httpPort: number;
  readonly isoPath: string | undefined;
  readonly cdPath: string | undefined;
  readonly floppyPath: string | undefined;
  /** Absolute disk paths, the main disk first. */
  readonly diskPaths: readonly string[];
  readonly efivarsPath: string | undefined;
  readonly vtpmSocketPath: string | undefined;
  /** The program that bridges a guest connection to the HTTP server (stdin/stdout to TCP). */
  readonly bridgeCommand: (host: string, port: number) => string;
  /** Absolute output directory (qemuargs `{{ .OutputDir }}` shows it as configured). */
  readonly buildInfo: Parameters<typeof interpolateContext>[0];
}

export interface QemuArgsResult {
  readonly args: string[];
  /** Messages Packer prints while building the command line (for ui.say / ui.message). */
  readonly messages: readonly { readonly kind: "say" | "message"; readonly text: string }[];
}

/** A value inside a QEMU option list: commas are doubled. */
export function qemuOptionValue(v: string): string {
  return v.replaceAll(",", ",,");
}

function commHostPortFor(input: QemuArgsInput): number {
  return input.config.comm.type !== "none" ? (input.commHostPort ?? 0) : 0;
}

/** Packer's getVncConnectionMessage. */
export function vncConnectionMessage(headless: boolean, vnc: string, password: string): string {
  if (!headless) return "";
  if (vnc === "") {
    return "The VM will be run headless, without a GUI, as configured.\nIf the run isn't succeeding as you expect, please enable the GUI\nto inspect the progress of the build.";
  }
  if (password !== "") {
    return `The VM will be run headless, without a GUI. If you want to\nview the screen of the VM, connect via VNC to vnc://${vnc}\nwith the password: ${password}`;
  }
  return `The VM will be run headless, without a GUI. If you want to\nview the screen of the VM, connect via VNC without a password to\nvnc://${vnc}`;
}

function netdevArgument(input: QemuArgsInput): string {
  const c = input.config;
  if (c.netBridge !== "") return `bridge,id=user.0,br=${c.netBridge}`;
  const parts = ["user", "id=user.0", "restrict=on"];
  if (input.httpPort > 0) {
    const target =
      c.httpAddress === "" || c.httpAddress === "0.0.0.0" || c.httpAddress === "::"
        ? "127.0.0.1"
        : c.httpAddress;
    parts.push(`host=${USER_NET_MOVED_HOST_IP}`);
    parts.push(
      `guestfwd=tcp:${input.httpIp}:${input.httpPort}-cmd:${qemuOptionValue(input.bridgeCommand(target, input.httpPort))}`,
    );
  }
  if (c.comm.type !== "none") {
    parts.push(`hostfwd=tcp:127.0.0.1:${commHostPortFor(input)}-:${input.commGuestPort}`);
    if (input.netProbePort !== undefined) {
      parts.push(`hostfwd=tcp:127.0.0.1:${input.netProbePort}-:${NET_PROBE_GUEST_PORT}`);
    }
  }
  return parts.join(",");
}

function deviceAndDriveArgs(input: QemuArgsInput): { devices: string[]; drives: string[] } {
  const c = input.config;
  const devices: string[] = [];
  const drives: string[] = [];
  let scsiIndex = 0;
  if (input.atLeastVersion2) {
    input.diskPaths.forEach((path, i) => {
      let drive = `file=${qemuOptionValue(path)},if=${c.diskInterface},cache=${c.diskCache},discard=${c.diskDiscard},format=${c.format}`;
      if (c.diskInterface === "virtio-scsi") {
        if (scsiIndex === 0) devices.push("virtio-scsi-pci,id=scsi0");
        devices.push(`scsi-hd,bus=scsi0.0,drive=drive${i}`);
        drive = `if=none,file=${qemuOptionValue(path)},id=drive${i},cache=${c.diskCache},discard=${c.diskDiscard},format=${c.format}`;
        scsiIndex++;
      }
      if (c.detectZeroes !== "off") drive += `,detect-zeroes=${c.detectZeroes}`;
      drives.push(drive);
    });
  } else {
    const path = input.diskPaths[0] ?? "";
    drives.push(
      `file=${qemuOptionValue(path)},if=${c.diskInterface},cache=${c.diskCache},format=${c.format}`,
    );
  }
  devices.push(`${c.netDevice},netdev=user.0`);
  const cdPaths: string[] = [];
  if (!c.diskImage && input.isoPath !== undefined) cdPaths.push(input.isoPath);
  if (input.cdPath !== undefined && input.cdPath !== "") cdPaths.push(input.cdPath);
  cdPaths.forEach((cd, i) => {
    const file = qemuOptionValue(cd);
    if (c.cdromInterface === "") drives.push(`file=${file},media=cdrom`);
    else if (c.cdromInterface === "virtio-scsi") {
      if (scsiIndex === 0) devices.push("virtio-scsi-pci,id=scsi0");
      drives.push(`file=${file},if=none,index=${scsiIndex},id=cdrom${i},media=cdrom`);
      devices.push("virtio-scsi-device", `scsi-cd,drive=cdrom${i}`);
      scsiIndex++;
    } else drives.push(`file=${file},if=${c.cdromInterface},index=${i},id=cdrom${i},media=cdrom`);
  });
  if (c.firmware !== "" && c.usePflash) {
    drives.push(`file=${qemuOptionValue(c.firmware)},if=pflash,format=raw,readonly=on`);
  }
  if (c.efiBoot) {
    drives.push(`file=${qemuOptionValue(c.efiFirmwareCode)},if=pflash,unit=0,format=raw,readonly=on`);
    drives.push(`file=${qemuOptionValue(input.efivarsPath ?? "")},if=pflash,unit=1,format=raw`);
  }
  if (c.vtpm) devices.push(`${c.tpmDeviceType},tpmdev=tpm0`);
  return { devices, drives };
}

/** The default arguments, in kiln's fixed order. */
export function defaultArgs(
  input: QemuArgsInput,
  messages: { kind: "say" | "message"; text: string }[],
): Map<string, string | string[]> {
  const c = input.config;
  const args = new Map<string, string | string[]>();
  messages.push({
    kind: "say",
    text: c.diskImage ? "Starting VM, booting disk image" : "Starting VM, booting from CD-ROM",
  });
  args.set("-name", qemuOptionValue(c.vmName));
  if (c.accelerator === "none") {
    args.set("-machine", `type=${c.machineType}`);
    messages.push({
      kind: "message",
      text: "WARNING: The VM will be started with no hardware acceleration.\nThe installation may take considerably longer to finish.\n",
    });
  } else args.set("-machine", `type=${c.machineType},accel=${c.accelerator}`);
  args.set("-m", `${c.memory}M`);
  args.set("-smp", smpArgument(c));
  if (c.cpuModel !== "") args.set("-cpu", c.cpuModel);
  if (!c.efiBoot) args.set("-boot", c.diskImage ? "c" : "once=d");
  if (c.firmware !== "" && !c.usePflash) args.set("-bios", c.firmware);
  const { devices, drives } = deviceAndDriveArgs(input);
  args.set("-drive", drives);
  if (input.floppyPath !== undefined) args.set("-fda", input.floppyPath);
  args.set("-device", devices);
  args.set("-netdev", netdevArgument(input));
  const vncIp = c.vncBindAddress;
  let vnc = `${vncIp}:${input.vncPort - 5900}`;
  if (c.vncUsePassword) vnc += ",password=on";
  args.set("-vnc", vnc);
  const message = vncConnectionMessage(c.headless, `${vncIp}:${input.vncPort}`, input.vncPassword);
  if (message !== "") messages.push({ kind: "message", text: message });
  if (!c.headless) {
    if (input.atLeastVersion2) {
      if (c.display.length > 0 && c.display !== "none") args.set("-display", c.display);
      else if (!c.useDefaultDisplay) args.set("-display", "gtk");
    } else {
      messages.push({
        kind: "message",
        text: "WARNING: The version of qemu  on your host doesn't support display mode.\nThe display parameter will be ignored.",
      });
    }
  }
  if (c.vga !== "") args.set("-vga", c.vga);
  if (c.vtpm) {
    args.set("-chardev", `socket,id=vtpm,path=${qemuOptionValue(input.vtpmSocketPath ?? "")}`);
    args.set("-tpmdev", "emulator,id=tpm0,chardev=vtpm");
  }
  if (c.qmpEnable) args.set("-qmp", `unix:${qemuOptionValue(c.qmpSocketPath)},server=on,wait=off`);
  return args;
}

/** The template data of qemuargs (Packer's qemuArgsTemplateData). */
function qemuArgsTemplateData(input: QemuArgsInput): GoStruct {
  const c = input.config;
  return new GoStruct(
    "qemu.qemuArgsTemplateData",
    new Map<string, string | bigint | GoMap>([
      ["HTTPIP", input.httpIp],
      ["HTTPPort", BigInt(input.httpPort)],
      ["HTTPDir", c.httpDir],
      ["HTTPContent", new GoMap("string", new Map(Object.entries(c.httpContent)))],
      ["OutputDir", c.outputDir],
      ["Name", c.vmName],
      ["SSHHostPort", BigInt(commHostPortFor(input))],
    ]),
  );
}

/** The full command line, or the template error of a qemuargs value. */
export function qemuCommandArgs(input: QemuArgsInput): QemuArgsResult | { readonly error: string } {
  const messages: { kind: "say" | "message"; text: string }[] = [];
  const defaults = defaultArgs(input, messages);
  const c = input.config;
  const user = new Map<string, string[]>();
  if (c.qemuArgs.length > 0) {
    messages.push({
      kind: "say",
      text: "Overriding default Qemu arguments with qemuargs template option...",
    });
    const ctx = interpolateContext(input.buildInfo, qemuArgsTemplateData(input));
    for (const row of c.qemuArgs) {
      const rendered: string[] = [];
      for (const part of row) {
        const r = renderUntilFixpoint(part, ctx);
        if ("error" in r) return { error: r.error };
        rendered.push(r.value);
      }
      const key = rendered[0];
      if (key === undefined) continue;
      const value = rendered.slice(1).join("");
      const list = user.get(key) ?? [];
      if (value.length > 0) list.push(value);
      user.set(key, list);
    }
  }
  const merged = new Map<string, string[]>();
  for (const [key, value] of defaults) {
    merged.set(key, user.get(key) ?? (typeof value === "string" ? [value] : [...value]));
  }
  for (const [key, values] of user) if (!merged.has(key)) merged.set(key, values);
  const devices = merged.get("-device");
  if (devices !== undefined && user.has("-device") && !devices.join("").includes(c.netDevice)) {
    devices.push(`${c.netDevice},netdev=user.0`);
  }
  const args: string[] = [];
  for (const [key, values] of merged) {
    if (values.length === 0) args.push(key);
    else for (const v of values) args.push(key, v);
  }
  return { args, messages };
}
