import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { valueFromNative } from "../../../hcl/index.js";
import type { BuildInfo } from "../../../sdk/index.js";
import { testBuildInfo } from "../../provisioner/shell-local/test-support.js";
import { probeKvm } from "./accelerator.js";
import { decodeQemuConfig, qemuConfigSpec, smpArgument } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-qemu-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const image = join(dir, "disk.qcow2");
writeFileSync(image, "x");
const sha = "e".repeat(64);

function info(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return testBuildInfo({ buildName: "deb", builderType: "qemu", cwd: dir, ...overrides });
}

const tcg = () => ({ accelerator: "tcg", reason: "test" });

function decode(config: Record<string, unknown>, i: BuildInfo = info()) {
  return decodeQemuConfig(valueFromNative(config), i, { detectAccelerator: tcg });
}

function errors(config: Record<string, unknown>, i?: BuildInfo): string[] {
  return decode(config, i)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => d.summary);
}

const minimal = { iso_url: image, iso_checksum: `sha256:${sha}`, ssh_username: "root" };

describe("qemu config", () => {
  it("applies Packer's defaults", () => {
    const c = decode(minimal).config!;
    expect(c).toMatchObject({
      diskSize: "40960M",
      diskCache: "writeback",
      diskDiscard: "ignore",
      detectZeroes: "off",
      accelerator: "tcg",
      machineType: "pc",
      outputDir: "output-deb",
      qemuBinary: "qemu-system-x86_64",
      memory: 512,
      vncBindAddress: "127.0.0.1",
      vncPortMin: 5900,
      vncPortMax: 6000,
      vmName: "packer-deb",
      format: "qcow2",
      netDevice: "virtio-net",
      diskInterface: "virtio",
      hostPortMin: 2222,
      hostPortMax: 4444,
      httpPortMin: 8000,
      httpPortMax: 9000,
      httpAddress: "127.0.0.1",
      isoTargetExtension: "iso",
      isoUrls: [image],
      isoChecksum: `sha256:${sha}`,
      tpmDeviceType: "tpm-tis",
      qmpEnable: false,
    });
    expect(c.bootWait.toString()).toBe("10s");
    expect(c.shutdownTimeout.toString()).toBe("5m0s");
    expect(c.comm.ssh.port).toBe(22);
    expect(decode({ ...minimal, disk_size: "2048" }).config?.diskSize).toBe("2048M");
    expect(decode({ ...minimal, net_bridge: "br0" }).config?.httpAddress).toBe("0.0.0.0");
  });

  it("reports Packer's errors in Packer's order", () => {
    expect(
      errors({
        iso_url: image,
        iso_checksum: "",
        ssh_username: "root",
        disk_size: "abc",
        format: "vmdk",
        output_directory: dir,
      }),
    ).toEqual([
      "Invalid disk size.",
      "A checksum must be specified",
      "invalid format, only 'qcow2' or 'raw' are allowed",
      `Output directory '${dir}' already exists. It must not exist.`,
    ]);
    expect(errors({ ...minimal, output_directory: dir }, info({ force: true }))).toEqual([]);
    expect(
      errors({
        ...minimal,
        accelerator: "foo",
        disk_interface: "floppy",
        disk_cache: "x",
        disk_discard: "x",
        disk_detect_zeroes: "x",
        cpus: -1,
        vnc_port_min: 100,
        use_backing_file: true,
        skip_resize_disk: true,
        boot_command: ["<wait0>"],
        boot_steps: [["a"]],
        host_port_min: 5000,
        host_port_max: 4000,
        http_port_min: 9001,
      }),
    ).toEqual([
      "Expecting a positive wait value. Got 0s",
      "http_port_min must be less than http_port_max",
      "host_port_min must be less than host_port_max",
      "use_backing_file can only be enabled for QCOW2 images and when disk_image is true",
      "skip_resize_disk can only be used when disk_image is true",
      "invalid accelerator, only 'kvm', 'tcg', 'xen', 'hax', 'hvf', 'whpx', or 'none' are allowed",
      "unrecognized disk interface type",
      "unrecognized disk cache type",
      "unrecognized disk discard type",
      "unrecognized disk detect zeroes setting",
      "cpus must be a positive number",
      "vnc_port_min cannot be below 5900",
      "boot_command and boot_steps cannot be used together",
    ]);
    expect(errors({ iso_checksum: "none", ssh_username: "root" })).toEqual([
      "One of iso_url or iso_urls must be specified",
    ]);
    expect(errors({ ...minimal, iso_urls: ["a"] })).toEqual([
      "Only one of iso_url or iso_urls must be specified",
    ]);
    expect(errors({ ...minimal, boot_command: ["a"], disable_vnc: true })).toEqual([
      "A boot command cannot be used when vnc is disabled.",
    ]);
    expect(errors({ iso_url: image, iso_checksum: "none" })[0]).toMatch(/^An ssh_username must be specified/);
  });

  it("checks iso_checksum as go-getter does (Packer 1.6.6's texts)", () => {
    const checksum = (v: string) => errors({ ...minimal, iso_checksum: v });
    expect(checksum("bogus")).toEqual([
      `invalid checksum: encoding/hex: invalid byte: U+006F 'o' in "bogus"`,
    ]);
    expect(checksum("md5:zz")).toEqual([
      `invalid checksum: encoding/hex: invalid byte: U+007A 'z' in "md5:zz"`,
    ]);
    expect(checksum("foo:abc")).toEqual([
      `invalid checksum: encoding/hex: odd length hex string in "foo:abc"`,
    ]);
    expect(checksum("foo:abcd")).toEqual([`unsupported checksum type: foo in "foo:abcd"`]);
    expect(checksum("abcd")).toEqual([`Unknown type for checksum abcd in "abcd"`]);
    expect(checksum("abc.iso")).toEqual([
      `invalid checksum: encoding/hex: invalid byte: U+002E '.' in "abc.iso"`,
      "Error parsing checksum: .iso is not a valid checksum ending",
    ]);
    expect(checksum("SHA256:abcd")).toEqual([]);
    expect(decode({ ...minimal, iso_checksum: "ABCD".repeat(16) }).config?.isoChecksum).toBe(
      `sha256:${"abcd".repeat(16)}`,
    );
    expect(checksum("file:/nonexistent.txt")).toEqual([
      `Error downloading checksum file: source path error: stat /nonexistent.txt: no such file or directory in "file:/nonexistent.txt"`,
    ]);
    const none = decode({ ...minimal, iso_checksum: "none" });
    expect(none.diagnostics.map((d) => [d.severity, d.summary])).toEqual([
      [
        "warning",
        "A checksum of 'none' was specified. Since ISO files are so big,\na checksum is highly recommended.",
      ],
    ]);
  });

  it("reads a local checksum file in GNU or BSD format", () => {
    writeFileSync(join(dir, "SHA256SUMS"), `${"1".repeat(64)}  other.iso\n${sha} *disk.qcow2\n`);
    expect(decode({ ...minimal, iso_checksum: "file:SHA256SUMS" }).config?.isoChecksum).toBe(`sha256:${sha}`);
    writeFileSync(join(dir, "BSD"), `SHA512 (disk.qcow2) = ${"a".repeat(128)}\n`);
    expect(decode({ ...minimal, iso_checksum: `file://${join(dir, "BSD")}` }).config?.isoChecksum).toBe(
      `sha512:${"a".repeat(128)}`,
    );
    writeFileSync(join(dir, "NONE"), `${"1".repeat(64)}  other.iso\n`);
    expect(errors({ ...minimal, iso_checksum: "file:NONE" })).toEqual([
      `no checksum found in: NONE in "file:NONE"`,
    ]);
  });

  it("warns about the deprecated host port keys and uses them", () => {
    const d = decode({ ...minimal, ssh_host_port_min: 3000, ssh_host_port_max: 3001 });
    expect(d.config).toMatchObject({ hostPortMin: 3000, hostPortMax: 3001 });
    expect(d.diagnostics.filter((x) => x.severity === "warning").map((x) => x.summary.split(" ")[0])).toEqual(
      ["ssh_host_port_min", "ssh_host_port_max"],
    );
  });

  it("derives QMP, EFI and compaction settings as Packer does", () => {
    expect(decode({ ...minimal, vnc_use_password: true, vm_name: "v" }).config).toMatchObject({
      qmpEnable: true,
      qmpSocketPath: "output-deb/v.monitor",
    });
    expect(decode({ ...minimal, efi_firmware_code: "/x/code.fd" }).config).toMatchObject({
      efiBoot: true,
      efiFirmwareCode: "/x/code.fd",
      efiFirmwareVars: "/usr/share/OVMF/OVMF_VARS.fd",
    });
    expect(decode({ ...minimal, format: "raw", disk_compression: true }).config).toMatchObject({
      skipCompaction: true,
      diskCompression: false,
    });
    expect(decode({ ...minimal, disk_image: true, use_backing_file: true }).config?.skipCompaction).toBe(
      true,
    );
  });

  it("expands cd_files globs and checks missing files", () => {
    writeFileSync(join(dir, "a.cfg"), "a");
    writeFileSync(join(dir, "b.cfg"), "b");
    expect(decode({ ...minimal, cd_files: ["*.cfg"] }).config?.cdFiles).toEqual(["a.cfg", "b.cfg"]);
    expect(errors({ ...minimal, cd_files: ["missing.txt"] })).toEqual([
      "Bad CD disk file 'missing.txt': stat missing.txt: no such file or directory",
    ]);
    expect(errors({ ...minimal, floppy_files: ["missing.txt"], floppy_dirs: ["nodir"] })).toEqual([
      "Bad Floppy disk file 'missing.txt': stat missing.txt: no such file or directory",
      "Bad Floppy disk directory 'nodir': stat nodir: no such file or directory",
    ]);
  });

  it("keeps qemuargs and boot_command for run-time rendering and renders qemu_img_args now", () => {
    const c = decode({
      ...minimal,
      qemuargs: [["-m", "{{ .Name }}"], ["-no-reboot"]],
      boot_command: ["<esc>{{ .HTTPIP }}"],
      qemu_img_args: { create: ["-o", "cluster_size={{ build_name }}"] },
    }).config!;
    expect(c.qemuArgs).toEqual([["-m", "{{ .Name }}"], ["-no-reboot"]]);
    expect(c.bootCommand).toEqual(["<esc>{{ .HTTPIP }}"]);
    expect(c.qemuImgArgs).toEqual({ convert: [], create: ["-o", "cluster_size=deb"], resize: [] });
  });

  it("has the schema of the plugin's hcl2spec", () => {
    const spec = qemuConfigSpec();
    for (const key of [
      "qemuargs",
      "qemu_img_args",
      "boot_steps",
      "http_content",
      "cd_label",
      "vtpm",
      "ssh_username",
    ]) {
      expect(spec[key], key).toBeDefined();
    }
    expect(spec.qemu_img_args?.kind).toBe("block");
  });

  it("computes -smp from the CPU topology", () => {
    const smp = (cpus: number, sockets = 0, cores = 0, threads = 0) =>
      smpArgument({ cpus, sockets, cores, threads });
    expect(smp(0)).toBe("1");
    expect(smp(4)).toBe("4");
    expect(smp(0, 2, 2)).toBe("4,sockets=2,cores=2");
    expect(smp(8, 1, 2, 2)).toBe("4,sockets=1,cores=2,threads=2");
    expect(smp(2, 1, 2, 2)).toBe("2,sockets=1,cores=2,threads=2");
  });
});

describe("accelerator probe", () => {
  it("uses KVM only when /dev/kvm opens and the CPU has hardware virtualization", () => {
    const dev = join(dir, "kvm");
    writeFileSync(dev, "");
    const cpu = (flags: string) => {
      const p = join(dir, `cpuinfo-${flags.length}`);
      writeFileSync(p, `processor\t: 0\nflags\t\t: fpu ${flags} sse\n`);
      return p;
    };
    expect(probeKvm({ devicePath: dev, cpuinfoPath: cpu("vmx"), arch: "x64" }).usable).toBe(true);
    expect(probeKvm({ devicePath: dev, cpuinfoPath: cpu("svm hypervisor"), arch: "x64" }).usable).toBe(true);
    const none = probeKvm({ devicePath: dev, cpuinfoPath: cpu("hypervisor"), arch: "x64" });
    expect(none).toEqual({
      usable: false,
      reason: `${dev} opens but the CPU has no hardware virtualization (no vmx or svm flag)`,
    });
    expect(probeKvm({ devicePath: join(dir, "nokvm"), arch: "x64" }).usable).toBe(false);
    expect(probeKvm({ devicePath: dev, arch: "arm64" }).usable).toBe(true);
  });
});
