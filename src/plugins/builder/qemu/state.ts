/**
 * The qemu builder's step state (Packer's state bag: iso_path, cd_path, floppy_path, qemu_disk_paths,
 * http_ip/http_port, commHostPort, vnc_port, vnc_password, qmp_monitor, guestAddress, ...).
 */
import type { BuildInfo, Logger, ProvisionState, SecretFilter } from "../../../sdk/index.js";
import type { QemuConfig } from "./config.js";
import type { QemuDriver } from "./driver.js";
import type { QmpClient } from "./qmp.js";

export interface QemuState extends ProvisionState {
  readonly config: QemuConfig;
  readonly info: BuildInfo;
  readonly log: Logger;
  readonly secrets: SecretFilter;
  readonly driver: QemuDriver;
  /** Packer's cache directory (downloads, port locks). */
  readonly cacheDir: string;
  /** A private directory for this build's sockets and scratch files; removed at the end. */
  readonly workDir: string;
  /** The source image: downloaded, cached or used in place (iso_path). */
  isoPath?: string;
  sourceImageUrl?: string;
  /** The ISO made from cd_files / cd_content. */
  cdPath?: string;
  /** The floppy image made from floppy_files / floppy_dirs / floppy_content. */
  floppyPath?: string;
  /** Absolute paths of the VM's disks, the main one first (qemu_disk_paths). */
  diskPaths?: string[];
  /** The host port forwarded to the guest's communicator port. */
  commHostPort?: number;
  /** The host port forwarded to a closed guest port, to see when the guest's network is up (ssh-banner.ts). */
  netProbePort?: number;
  vncPort?: number;
  vncPassword?: string;
  /** The swtpm control socket (vtpm). */
  vtpmSocketPath?: string;
  /** The copy of the UEFI variables the VM writes. */
  efivarsPath?: string;
  /** QMP connection kiln keeps to the VM (internal socket), once it runs. */
  qmp?: QmpClient;
  /** The user's QMP socket (qmp_enable), as Packer's qmp_monitor. */
  userQmp?: QmpClient;
  /** The guest's address on net_bridge. */
  guestAddress?: string;
  /** The VM's exit, once it runs (settles when QEMU ends). */
  vmExited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The internal QMP socket of the build. */
export function internalQmpPath(state: Pick<QemuState, "workDir">): string {
  return `${state.workDir}/qmp.sock`;
}
