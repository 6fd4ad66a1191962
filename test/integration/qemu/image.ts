// The cached QEMU test image (scripts/qemu-image.sh) and the process checks that prove no VM outlives a build.
// Plain Node (no kiln modules), so e2e tests can use it too.
//
// Contract: readQemuImage() fails loudly (never skips) when the image is missing. Every VM a test starts has a
// unique marker in its name (vm_name), so killVms(marker) can find and kill it whatever happened.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** The `qemu` section of $KILN_TEST_STATE/qemu-image.json (the fields these tests use). */
export interface QemuImage {
  readonly image: string;
  readonly sha256: string;
  readonly virtualSizeBytes: number;
  readonly user: string;
  readonly password: string;
  readonly privateKeyPath: string;
  readonly sshPort: number;
  readonly kernel: string;
}

export function readQemuImage(): QemuImage {
  const stateDir = process.env.KILN_TEST_STATE ?? "/var/lib/kiln-test";
  const file = join(stateDir, "qemu-image.json");
  const hint = "run scripts/test-env.sh (or scripts/qemu-image.sh) as root";
  if (!existsSync(file)) throw new Error(`kiln test environment: no ${file}: ${hint}`);
  const doc = JSON.parse(readFileSync(file, "utf8")) as {
    schemaVersion?: unknown;
    qemu?: Record<string, unknown>;
  };
  const q = doc.qemu;
  if (doc.schemaVersion !== 1 || q === undefined)
    throw new Error(`kiln test environment: ${file} is not schema 1: ${hint}`);
  for (const key of ["image", "sha256", "user", "privateKeyPath"]) {
    if (typeof q[key] !== "string" || q[key] === "")
      throw new Error(`kiln test environment: ${file}: qemu.${key} missing: ${hint}`);
  }
  const image = q as unknown as QemuImage;
  if (!existsSync(image.image)) throw new Error(`kiln test environment: ${image.image} is missing: ${hint}`);
  return image;
}

/** Whether process `pid` runs (exists and is not a zombie waiting to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1];
    return state !== undefined && state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(marker) && isRunning(Number(entry))) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/** Pids of live QEMU system emulators (argv[0] `qemu-system-*`) whose command line contains `marker`. */
export function qemuProcessesWith(marker: string): number[] {
  return processesWith(marker).filter((pid) => {
    try {
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
      return basename(argv0).startsWith("qemu-system-");
    } catch {
      return false;
    }
  });
}

/** Kills every process whose command line contains `marker` (afterAll safety net). */
export function killVms(marker: string): void {
  for (const pid of processesWith(marker)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
