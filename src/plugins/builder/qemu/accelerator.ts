/**
 * Chooses the accelerator when none is configured. Packer picks `kvm` whenever /dev/kvm can be opened, but a
 * device node is not proof that KVM can run a guest: some hosts expose /dev/kvm through a paravirtual module
 * without hardware virtualization, and guests then hang. kiln picks `kvm` only when /dev/kvm opens for
 * reading and writing and, on x86, the CPU advertises hardware virtualization (`vmx` or `svm`); otherwise `tcg`.
 */
import { closeSync, constants, openSync, readFileSync } from "node:fs";

export interface KvmProbe {
  readonly usable: boolean;
  /** Why (for the debug log). */
  readonly reason: string;
}

export interface KvmProbeEnvironment {
  readonly devicePath?: string;
  readonly cpuinfoPath?: string;
  readonly arch?: string;
}

/** Whether KVM can run guests here. */
export function probeKvm(envir: KvmProbeEnvironment = {}): KvmProbe {
  const device = envir.devicePath ?? "/dev/kvm";
  try {
    closeSync(openSync(device, constants.O_RDWR));
  } catch (err) {
    return { usable: false, reason: `${device} cannot be opened: ${(err as Error).message}` };
  }
  const arch = envir.arch ?? process.arch;
  if (arch !== "x64" && arch !== "ia32") return { usable: true, reason: `${device} opens` };
  let cpuinfo: string;
  try {
    cpuinfo = readFileSync(envir.cpuinfoPath ?? "/proc/cpuinfo", "utf8");
  } catch (err) {
    return { usable: false, reason: `cannot read the CPU flags: ${(err as Error).message}` };
  }
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  if (flags.includes("vmx") || flags.includes("svm")) {
    return { usable: true, reason: `${device} opens and the CPU has hardware virtualization` };
  }
  return {
    usable: false,
    reason: `${device} opens but the CPU has no hardware virtualization (no vmx or svm flag)`,
  };
}

/** Packer's default: `tcg` on Windows, else `kvm` when usable, else `tcg`. */
export function detectAccelerator(
  probe: () => KvmProbe = probeKvm,
  platform = process.platform,
): {
  accelerator: string;
  reason: string;
} {
  if (platform === "win32") return { accelerator: "tcg", reason: "windows" };
  const p = probe();
  return { accelerator: p.usable ? "kvm" : "tcg", reason: p.reason };
}
