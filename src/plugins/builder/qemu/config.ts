/**
 * The `qemu` builder's configuration (packer-plugin-qemu's Config with the SDK's HTTPConfig, ISOConfig,
 * VNCConfig, ShutdownConfig, FloppyConfig, CDConfig and communicator keys): its schema, and Prepare's defaults
 * and checks with Packer's messages, in Packer's order.
 *
 * kiln's deliberate differences (all for a host that exposes nothing it does not need to):
 *  - accelerator auto-detection probes KVM for real (see accelerator.ts);
 *  - http_bind_address defaults to 127.0.0.1 with user-mode networking (the guest reaches the server through
 *    QEMU, which connects from the host's loopback); Packer binds 0.0.0.0.
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import {
  type CommunicatorConfig,
  type ConfigReader,
  communicatorConfigSpec,
  decodeCommunicatorConfig,
} from "../../../communicator/index.js";
import {
  boolType,
  type Diagnostic,
  listType,
  mapType,
  numberType,
  stringType,
  type Value,
} from "../../../hcl/index.js";
import { type BuildInfo, type ConfigSpec, Duration } from "../../../sdk/index.js";
import { renderOnce } from "../../../template/index.js";
import { goGlob } from "../../post-processor/artifice/go-glob.js";
import {
  decodePluginConfig,
  interpolateContext,
  PACKER_CONFIG_SPEC,
  toPlainObject,
} from "../../provisioner/shell-local/plugin-config.js";
import { detectAccelerator } from "./accelerator.js";
import { parseBootCommand, validateBootCommand } from "./boot-command.js";
import {
  type ChecksumSpec,
  checksumFromLocalFile,
  checksumSpecMessage,
  checksumString,
  isRemote,
  parseChecksumSpec,
} from "./checksum.js";

export const QEMU_BUILDER_ID = "transcend.qemu";

const ACCELERATORS = ["none", "kvm", "tcg", "xen", "hax", "hvf", "whpx"];
const DISK_INTERFACES = ["ide", "sata", "scsi", "sd", "virtio", "virtio-scsi"];
const DISK_CACHES = ["writethrough", "writeback", "none", "unsafe", "directsync"];
const DISK_DISCARDS = ["unmap", "ignore"];
const DISK_DETECT_ZEROES = ["unmap", "on", "off"];
const HTTP_PROTOCOLS = ["tcp", "tcp4", "tcp6", "unix", "unixpacket"];

export interface QemuImgArgs {
  readonly convert: readonly string[];
  readonly create: readonly string[];
  readonly resize: readonly string[];
}

export interface QemuConfig {
  // HTTP server
  readonly httpDir: string;
  readonly httpContent: Readonly<Record<string, string>>;
  readonly httpPortMin: number;
  readonly httpPortMax: number;
  readonly httpAddress: string;
  readonly httpNetworkProtocol: string;
  // Source image
  readonly isoUrls: readonly string[];
  /** The checksum as Packer normalizes it (`sha256:<hex>`, `none`, or `file:<url>` still to be read). */
  readonly isoChecksum: string;
  readonly isoChecksumSpec: ChecksumSpec;
  readonly isoTargetPath: string;
  readonly isoTargetExtension: string;
  readonly isoSkipCache: boolean;
  // Boot
  readonly bootWait: Duration;
  readonly bootCommand: readonly string[];
  readonly bootSteps: readonly (readonly string[])[];
  readonly disableVnc: boolean;
  readonly bootKeyIntervalMs: number;
  readonly bootKeyGroupIntervalMs: number;
  // Shutdown
  readonly shutdownCommand: string;
  readonly shutdownTimeout: Duration;
  // Communicator
  readonly comm: CommunicatorConfig;
  readonly hostPortMin: number;
  readonly hostPortMax: number;
  readonly skipNatMapping: boolean;
  // Floppy and CD
  readonly floppyFiles: readonly string[];
  readonly floppyDirs: readonly string[];
  readonly floppyContent: Readonly<Record<string, string>>;
  readonly floppyLabel: string;
  readonly cdFiles: readonly string[];
  readonly cdContent: Readonly<Record<string, string>>;
  readonly cdLabel: string;
  // Machine
  readonly cpus: number;
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
  readonly efiBoot: boolean;
  readonly efiFirmwareCode: string;
  readonly efiFirmwareVars: string;
  readonly efiDropEfivars: boolean;
  readonly accelerator: string;
  readonly diskAdditionalSize: readonly string[];
  readonly firmware: string;
  readonly usePflash: boolean;
  readonly diskInterface: string;
  readonly diskSize: string;
  readonly skipResizeDisk: boolean;
  readonly diskCache: string;
  readonly diskDiscard: string;
  readonly detectZeroes: string;
  readonly skipCompaction: boolean;
  readonly diskCompression: boolean;
  readonly format: "qcow2" | "raw";
  readonly headless: boolean;
  readonly diskImage: boolean;
  readonly useBackingFile: boolean;
  readonly machineType: string;
  readonly memory: number;
  readonly netDevice: string;
  readonly netBridge: string;
  /** output_directory as written (messages and artifact files use it). */
  readonly outputDir: string;
  readonly qemuArgs: readonly (readonly string[])[];
  readonly qemuImgArgs: QemuImgArgs;
  readonly qemuBinary: string;
  readonly qmpEnable: boolean;
  readonly qmpSocketPath: string;
  readonly useDefaultDisplay: boolean;
  readonly vga: string;
  readonly display: string;
  readonly vncBindAddress: string;
  readonly vncUsePassword: boolean;
  readonly vncPassword: string;
  readonly vncPortMin: number;
  readonly vncPortMax: number;
  readonly vmName: string;
  readonly cdromInterface: string;
  readonly vtpm: boolean;
  readonly useTpm1: boolean;
  readonly tpmDeviceType: string;
  readonly cpuModel: string;
  readonly runOnce: boolean;
}

const str = { kind: "attribute", type: stringType } as const;
const num = { kind: "attribute", type: numberType } as const;
const bool = { kind: "attribute", type: boolType } as const;
const strList = { kind: "attribute", type: listType(stringType) } as const;
const strListList = { kind: "attribute", type: listType(listType(stringType)) } as const;
const strMap = { kind: "attribute", type: mapType(stringType) } as const;

/** The builder's schema (config.hcl2spec.go). */
export function qemuConfigSpec(): ConfigSpec {
  return {
    ...PACKER_CONFIG_SPEC,
    http_directory: str,
    http_content: strMap,
    http_port_min: num,
    http_port_max: num,
    http_bind_address: str,
    http_interface: str,
    http_network_protocol: str,
    iso_checksum: str,
    iso_url: str,
    iso_urls: strList,
    iso_target_path: str,
    iso_target_extension: str,
    boot_keygroup_interval: str,
    boot_wait: str,
    boot_command: strList,
    disable_vnc: bool,
    boot_key_interval: str,
    shutdown_command: str,
    shutdown_timeout: str,
    ...communicatorConfigSpec(),
    host_port_min: num,
    host_port_max: num,
    skip_nat_mapping: bool,
    ssh_host_port_min: num,
    ssh_host_port_max: num,
    floppy_files: strList,
    floppy_dirs: strList,
    floppy_content: strMap,
    floppy_label: str,
    cd_files: strList,
    cd_content: strMap,
    cd_label: str,
    cpus: num,
    sockets: num,
    cores: num,
    threads: num,
    efi_boot: bool,
    efi_firmware_code: str,
    efi_firmware_vars: str,
    efi_drop_efivars: bool,
    iso_skip_cache: bool,
    accelerator: str,
    disk_additional_size: strList,
    firmware: str,
    use_pflash: bool,
    disk_interface: str,
    disk_size: str,
    skip_resize_disk: bool,
    disk_cache: str,
    disk_discard: str,
    disk_detect_zeroes: str,
    skip_compaction: bool,
    disk_compression: bool,
    format: str,
    headless: bool,
    disk_image: bool,
    use_backing_file: bool,
    machine_type: str,
    memory: num,
    net_device: str,
    net_bridge: str,
    output_directory: str,
    qemuargs: strListList,
    qemu_img_args: { kind: "block", spec: { convert: strList, create: strList, resize: strList } },
    qemu_binary: str,
    qmp_enable: bool,
    qmp_socket_path: str,
    use_default_display: bool,
    vga: str,
    display: str,
    vnc_bind_address: str,
    vnc_use_password: bool,
    vnc_password: str,
    vnc_port_min: num,
    vnc_port_max: num,
    vm_name: str,
    cdrom_interface: str,
    vtpm: bool,
    use_tpm1: bool,
    tpm_device_type: str,
    boot_steps: strListList,
    cpu_model: str,
    run_once: bool,
  };
}

/** Keys whose strings are rendered when the builder runs, with run-time data (`{{ .HTTPIP }}`, ...). */
export const RUN_TIME_RENDERED_KEYS = ["boot_command", "boot_steps", "qemuargs"] as const;

export interface DecodeQemuOptions {
  /** Chooses the accelerator when none is configured; default: probe this host. */
  readonly detectAccelerator?: () => { accelerator: string; reason: string };
  readonly log?: (message: string) => void;
}

export interface DecodeQemuResult {
  readonly config: QemuConfig | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

function stringLists(raw: unknown): string[][] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: string[][] = [];
  for (const row of raw) {
    if (!Array.isArray(row)) return undefined;
    out.push(row.map((x) => (x === null || x === undefined ? "" : String(x))));
  }
  return out;
}

/** A duration that must be given as Go's duration text; undefined when absent (errors go to the reader). */
function durationMs(reader: ConfigReader, name: string): number | undefined {
  const d = reader.duration(name);
  return d === undefined ? undefined : Number(d.nanoseconds / 1_000_000n);
}

function local(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Go's os.Stat error text for a missing or unreadable path. */
function statError(path: string, cwd: string): string | undefined {
  try {
    statSync(local(path, cwd));
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `stat ${path}: ${code === "ENOENT" ? "no such file or directory" : (err as Error).message}`;
  }
}

/** Decodes and checks the configuration as Packer's Config.Prepare does. */
export function decodeQemuConfig(
  value: Value | undefined,
  info: BuildInfo,
  options: DecodeQemuOptions = {},
): DecodeQemuResult {
  const log = options.log ?? (() => {});
  const { reader, failed } = decodePluginConfig(value, qemuConfigSpec(), info, {
    exclude: [...RUN_TIME_RENDERED_KEYS],
  });
  if (failed) return { config: undefined, diagnostics: reader.diagnostics };
  const raw = toPlainObject(value);
  const cwd = info.cwd;

  // ShutdownConfig
  let shutdownTimeout = reader.duration("shutdown_timeout") ?? Duration.zero;
  if (shutdownTimeout.isZero()) shutdownTimeout = Duration.fromMilliseconds(5 * 60_000);

  // Disk size: digits with an optional b/k/m/g/t suffix; bare digits mean MiB.
  let diskSize = reader.string("disk_size") ?? "";
  if (diskSize === "" || diskSize === "0") diskSize = "40960M";
  else if (!/^\d+[bkmgt]?$/.test(diskSize.toLowerCase())) reader.error("Invalid disk size.");
  else if (/^\d+$/.test(diskSize)) diskSize = `${diskSize}M`;

  const diskCache = reader.string("disk_cache") || "writeback";
  const diskDiscard = reader.string("disk_discard") || "ignore";
  const detectZeroes = reader.string("disk_detect_zeroes") || "off";

  let accelerator = reader.string("accelerator") ?? "";
  if (accelerator === "") {
    const detected = (options.detectAccelerator ?? (() => detectAccelerator()))();
    accelerator = detected.accelerator;
    log(`use detected accelerator: ${accelerator} (${detected.reason})`);
  } else log(`use specified accelerator: ${accelerator}`);

  const machineType = reader.string("machine_type") || "pc";
  const outputDir = reader.string("output_directory") || `output-${info.buildName}`;
  const qemuBinary = reader.string("qemu_binary") || "qemu-system-x86_64";
  let memory = reader.int("memory") ?? 0;
  if (memory < 10) {
    log(`MemorySize ${memory} is too small, using default: 512`);
    memory = 512;
  }
  const vncBindAddress = reader.string("vnc_bind_address") || "127.0.0.1";
  const vncPortMin = reader.int("vnc_port_min") || 5900;
  const vncPortMax = reader.int("vnc_port_max") || 6000;
  const vmName = reader.string("vm_name") || `packer-${info.buildName}`;
  const formatText = reader.string("format") || "qcow2";
  const tpmDeviceType = reader.string("tpm_device_type") || "tpm-tis";

  // QemuEFIBootConfig.loadDefaults
  let efiFirmwareCode = reader.string("efi_firmware_code") ?? "";
  let efiFirmwareVars = reader.string("efi_firmware_vars") ?? "";
  let efiBoot = reader.bool("efi_boot") ?? false;
  if (efiFirmwareCode !== "" || efiFirmwareVars !== "") efiBoot = true;
  if (efiBoot) {
    if (efiFirmwareCode === "") efiFirmwareCode = "/usr/share/OVMF/OVMF_CODE.fd";
    if (efiFirmwareVars === "") efiFirmwareVars = "/usr/share/OVMF/OVMF_VARS.fd";
  }

  // FloppyConfig.Prepare
  const floppyFiles = reader.stringList("floppy_files") ?? [];
  for (const path of floppyFiles) {
    const problem = /[*?[]/.test(path) ? globError(path, cwd) : statError(path, cwd);
    if (problem !== undefined) reader.error(`Bad Floppy disk file '${path}': ${problem}`);
  }
  const floppyDirs = reader.stringList("floppy_dirs") ?? [];
  for (const path of floppyDirs) {
    const problem = /[*?[]/.test(path) ? globError(path, cwd) : statError(path, cwd);
    if (problem !== undefined) reader.error(`Bad Floppy disk directory '${path}': ${problem}`);
  }
  // CDConfig.Prepare: globs are expanded here.
  const cdFiles: string[] = [];
  for (const path of reader.stringList("cd_files") ?? []) {
    if (/[*?[]/.test(path)) {
      try {
        cdFiles.push(...goGlob(path, cwd));
      } catch (err) {
        reader.error(`Bad CD disk file '${path}': ${(err as Error).message}`);
      }
    } else {
      cdFiles.push(path);
      const problem = statError(path, cwd);
      if (problem !== undefined) reader.error(`Bad CD disk file '${path}': ${problem}`);
    }
  }

  // VNCConfig.Prepare (with BootConfig)
  const bootCommand = reader.stringList("boot_command") ?? [];
  const disableVnc = reader.bool("disable_vnc") ?? false;
  if (bootCommand.length > 0 && disableVnc)
    reader.error("A boot command cannot be used when vnc is disabled.");
  let bootWait = reader.duration("boot_wait") ?? Duration.zero;
  if (bootWait.isZero()) bootWait = Duration.fromMilliseconds(10_000);
  if (raw.boot_command !== undefined) {
    const parsed = parseBootCommand(bootCommand.join(""));
    if (!parsed.ok) reader.error(parsed.error);
    else for (const e of validateBootCommand(parsed.value)) reader.error(e);
  }
  const bootKeyIntervalMs = durationMs(reader, "boot_key_interval") ?? 0;
  const bootKeyGroupIntervalMs = durationMs(reader, "boot_keygroup_interval") ?? 0;

  const netDevice = reader.string("net_device") || "virtio-net";
  const diskInterface = reader.string("disk_interface") || "virtio";

  // ISOConfig.Prepare
  const isoSkipCache = reader.bool("iso_skip_cache") ?? false;
  let isoChecksum = reader.string("iso_checksum") ?? "";
  if (isoSkipCache) isoChecksum = "none";
  const isoUrl = reader.string("iso_url") ?? "";
  let isoUrls = reader.stringList("iso_urls") ?? [];
  let isoTargetExtension = (reader.string("iso_target_extension") || "iso").toLowerCase();
  let isoChecksumSpec: ChecksumSpec = { kind: "none" };
  const isoProblems = (): void => {
    if (isoUrls.length !== 0 && isoUrl !== "") {
      reader.error("Only one of iso_url or iso_urls must be specified");
      return;
    }
    if (isoUrl !== "") isoUrls = [isoUrl, ...isoUrls];
    if (isoUrls.length === 0) {
      reader.error("One of iso_url or iso_urls must be specified");
      return;
    }
    if (isoChecksum === "none") {
      reader.warning(
        "A checksum of 'none' was specified. Since ISO files are so big,\na checksum is highly recommended.",
      );
      return;
    }
    if (isoChecksum === "") reader.error("A checksum must be specified");
    else {
      try {
        const spec = parseChecksumSpec(isoChecksum);
        if (spec.kind === "value") {
          isoChecksumSpec = spec;
          isoChecksum = checksumString(spec.checksum);
        } else if (spec.kind === "file") {
          // A local checksum file is read now, as Packer does; a remote one when the build runs.
          if (isRemote(spec.location)) isoChecksumSpec = spec;
          else {
            const c = checksumFromLocalFile(spec.location, isoUrls[0]!, cwd);
            isoChecksumSpec = { kind: "value", checksum: c };
            isoChecksum = checksumString(c);
          }
        }
      } catch (err) {
        reader.error(checksumSpecMessage(err, isoChecksum));
      }
    }
    if (isoChecksum.toLowerCase().endsWith(".iso")) {
      reader.error("Error parsing checksum: .iso is not a valid checksum ending");
    }
  };
  isoProblems();
  isoTargetExtension ||= "iso";

  // HTTPConfig.Prepare
  const httpPortMin = reader.int("http_port_min") || 8000;
  const httpPortMax = reader.int("http_port_max") || 9000;
  const httpInterface = reader.string("http_interface") ?? "";
  let httpAddress = reader.string("http_bind_address") ?? "";
  if (httpInterface !== "" && httpAddress !== "") {
    reader.error("either http_interface or http_bind_address can be specified");
  }
  const netBridge = reader.string("net_bridge") ?? "";
  if (httpAddress === "") httpAddress = netBridge === "" ? "127.0.0.1" : "0.0.0.0";
  if (httpPortMin > httpPortMax) reader.error("http_port_min must be less than http_port_max");
  const httpContent = reader.stringMap("http_content") ?? {};
  const httpDir = reader.string("http_directory") ?? "";
  if (Object.keys(httpContent).length > 0 && httpDir !== "") {
    reader.error(
      "http_content cannot be used in conjunction with http_dir. Consider using the file function to load file in memory and serve them with http_content: https://www.packer.io/docs/templates/hcl_templates/functions/file/file",
    );
  }
  const httpNetworkProtocol = reader.string("http_network_protocol") || "tcp";
  if (!HTTP_PROTOCOLS.includes(httpNetworkProtocol)) {
    reader.error(`http_network_protocol is invalid. Must be one of: [${HTTP_PROTOCOLS.join(" ")}]`);
  }

  // CommConfig.Prepare
  let hostPortMin = reader.int("host_port_min") ?? 0;
  let hostPortMax = reader.int("host_port_max") ?? 0;
  const sshHostPortMin = reader.int("ssh_host_port_min") ?? 0;
  const sshHostPortMax = reader.int("ssh_host_port_max") ?? 0;
  if (sshHostPortMin !== 0) {
    reader.warning(
      "ssh_host_port_min is deprecated and is being replaced by host_port_min. Please, update your template to use host_port_min. In future versions of Packer, inclusion of ssh_host_port_min will error your builds.",
    );
    hostPortMin = sshHostPortMin;
  }
  if (sshHostPortMax !== 0) {
    reader.warning(
      "ssh_host_port_max is deprecated and is being replaced by host_port_max. Please, update your template to use host_port_max. In future versions of Packer, inclusion of ssh_host_port_max will error your builds.",
    );
    hostPortMax = sshHostPortMax;
  }
  if (hostPortMin === 0) hostPortMin = 2222;
  if (hostPortMax === 0) hostPortMax = 4444;
  const comm = decodeCommunicatorConfig(reader, { cwd, env: info.env });
  const skipNatMapping = reader.bool("skip_nat_mapping") ?? false;
  if (skipNatMapping && comm.ssh.host === "" && comm.winrm.host === "") {
    log("Resetting ssh host to 127.0.0.1");
    comm.ssh.host = "127.0.0.1";
  }
  if (hostPortMin > hostPortMax) reader.error("host_port_min must be less than host_port_max");
  if (hostPortMin < 0) reader.error("host_port_min must be positive");

  if (formatText !== "qcow2" && formatText !== "raw")
    reader.error("invalid format, only 'qcow2' or 'raw' are allowed");
  const format: "qcow2" | "raw" = formatText === "raw" ? "raw" : "qcow2";
  let skipCompaction = reader.bool("skip_compaction") ?? false;
  let diskCompression = reader.bool("disk_compression") ?? false;
  if (formatText !== "qcow2") {
    skipCompaction = true;
    diskCompression = false;
  }
  const diskImage = reader.bool("disk_image") ?? false;
  const useBackingFile = reader.bool("use_backing_file") ?? false;
  if (useBackingFile) {
    skipCompaction = true;
    if (!(diskImage && formatText === "qcow2")) {
      reader.error("use_backing_file can only be enabled for QCOW2 images and when disk_image is true");
    }
  }
  const skipResizeDisk = reader.bool("skip_resize_disk") ?? false;
  if (skipResizeDisk && !diskImage) reader.error("skip_resize_disk can only be used when disk_image is true");
  if (!ACCELERATORS.includes(accelerator)) {
    reader.error(
      "invalid accelerator, only 'kvm', 'tcg', 'xen', 'hax', 'hvf', 'whpx', or 'none' are allowed",
    );
  }
  if (!DISK_INTERFACES.includes(diskInterface)) reader.error("unrecognized disk interface type");
  if (!DISK_CACHES.includes(diskCache)) reader.error("unrecognized disk cache type");
  if (!DISK_DISCARDS.includes(diskDiscard)) reader.error("unrecognized disk discard type");
  if (!DISK_DETECT_ZEROES.includes(detectZeroes)) reader.error("unrecognized disk detect zeroes setting");
  const cpus = reader.int("cpus") ?? 0;
  const sockets = reader.int("sockets") ?? 0;
  const cores = reader.int("cores") ?? 0;
  const threads = reader.int("threads") ?? 0;
  if (cpus < 0) reader.error("cpus must be a positive number");
  if (sockets < 0) reader.error("sockets must be a positive number");
  if (cores < 0) reader.error("cores must be a positive number");
  if (threads < 0) reader.error("threads must be a positive number");
  if (!info.force && existsSync(local(outputDir, cwd))) {
    reader.error(`Output directory '${outputDir}' already exists. It must not exist.`);
  }
  if (vncPortMin < 5900) reader.error("vnc_port_min cannot be below 5900");
  if (vncPortMin > 65535 || vncPortMax > 65535) {
    reader.error("vmc_port_min and vnc_port_max must both be below 65535 to be valid TCP ports");
  }
  if (vncPortMin > vncPortMax) reader.error("vnc_port_min must be less than vnc_port_max");
  if (netBridge !== "" && process.platform !== "linux") {
    reader.error("net_bridge is only supported in Linux based OSes");
  }
  const bootSteps = stringLists(raw.boot_steps) ?? [];
  if (bootCommand.length > 0 && bootSteps.length > 0) {
    reader.error("boot_command and boot_steps cannot be used together");
  }
  const vncUsePassword = reader.bool("vnc_use_password") ?? false;
  let qmpEnable = reader.bool("qmp_enable") ?? false;
  if (netBridge !== "" || vncUsePassword) qmpEnable = true;
  let qmpSocketPath = reader.string("qmp_socket_path") ?? "";
  if (qmpEnable && qmpSocketPath === "") qmpSocketPath = `${outputDir.replace(/\/+$/, "")}/${vmName}.monitor`;

  const qemuArgs = stringLists(raw.qemuargs) ?? [];
  const imgArgsRaw = (raw.qemu_img_args ?? {}) as Record<string, unknown>;
  const ictx = interpolateContext(info);
  const renderList = (key: string): string[] => {
    const list = imgArgsRaw[key];
    if (!Array.isArray(list)) return [];
    return list.map((item) => {
      const r = renderOnce(String(item), ictx);
      if ("error" in r) {
        reader.error(r.error);
        return String(item);
      }
      return r.value;
    });
  };
  const qemuImgArgs: QemuImgArgs = {
    convert: renderList("convert"),
    create: renderList("create"),
    resize: renderList("resize"),
  };

  const vncPassword = reader.string("vnc_password") ?? "";
  const diagnostics = reader.diagnostics;
  if (diagnostics.some((d) => d.severity === "error")) return { config: undefined, diagnostics };

  const config: QemuConfig = {
    httpDir,
    httpContent,
    httpPortMin,
    httpPortMax,
    httpAddress,
    httpNetworkProtocol,
    isoUrls,
    isoChecksum,
    isoChecksumSpec,
    isoTargetPath: reader.string("iso_target_path") ?? "",
    isoTargetExtension,
    isoSkipCache,
    bootWait,
    bootCommand,
    bootSteps,
    disableVnc,
    bootKeyIntervalMs,
    bootKeyGroupIntervalMs,
    shutdownCommand: reader.string("shutdown_command") ?? "",
    shutdownTimeout,
    comm,
    hostPortMin,
    hostPortMax,
    skipNatMapping,
    floppyFiles,
    floppyDirs,
    floppyContent: reader.stringMap("floppy_content") ?? {},
    floppyLabel: reader.string("floppy_label") ?? "",
    cdFiles,
    cdContent: reader.stringMap("cd_content") ?? {},
    cdLabel: reader.string("cd_label") ?? "",
    cpus,
    sockets,
    cores,
    threads,
    efiBoot,
    efiFirmwareCode,
    efiFirmwareVars,
    efiDropEfivars: reader.bool("efi_drop_efivars") ?? false,
    accelerator,
    diskAdditionalSize: reader.stringList("disk_additional_size") ?? [],
    firmware: reader.string("firmware") ?? "",
    usePflash: reader.bool("use_pflash") ?? false,
    diskInterface,
    diskSize,
    skipResizeDisk,
    diskCache,
    diskDiscard,
    detectZeroes,
    skipCompaction,
    diskCompression,
    format,
    headless: reader.bool("headless") ?? false,
    diskImage,
    useBackingFile,
    machineType,
    memory,
    netDevice,
    netBridge,
    outputDir,
    qemuArgs,
    qemuImgArgs,
    qemuBinary,
    qmpEnable,
    qmpSocketPath,
    useDefaultDisplay: reader.bool("use_default_display") ?? false,
    vga: reader.string("vga") ?? "",
    display: reader.string("display") ?? "",
    vncBindAddress,
    vncUsePassword,
    vncPassword,
    vncPortMin,
    vncPortMax,
    vmName,
    cdromInterface: reader.string("cdrom_interface") ?? "",
    vtpm: reader.bool("vtpm") ?? false,
    useTpm1: reader.bool("use_tpm1") ?? false,
    tpmDeviceType,
    cpuModel: reader.string("cpu_model") ?? "",
    runOnce: reader.bool("run_once") ?? false,
  };
  return { config, diagnostics };
}

function globError(pattern: string, cwd: string): string | undefined {
  try {
    goGlob(pattern, cwd);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Packer's QemuSMPConfig.getDefaultCmdLine: the `-smp` value. */
export function smpArgument(c: Pick<QemuConfig, "cpus" | "sockets" | "cores" | "threads">): string {
  let total = c.sockets;
  if (c.cores > 0 && total > 0) total *= c.cores;
  if (total === 0) total = c.cores;
  if (c.threads > 0 && total !== 0) total *= c.threads;
  if (total === 0) total = c.threads;
  if (total === 0 && c.cpus === 0) return "1";
  let cpus = c.cpus;
  if (cpus === 0) cpus = total;
  if (cpus > total && total !== 0) cpus = total;
  let smp = String(cpus);
  if (c.sockets > 0) smp += `,sockets=${c.sockets}`;
  if (c.cores > 0) smp += `,cores=${c.cores}`;
  if (c.threads > 0) smp += `,threads=${c.threads}`;
  return smp;
}

/** Resolves a path of the configuration against the build's directory. */
export function resolvePath(path: string, cwd: string): string {
  return local(path, cwd);
}
