import { describe, expect, it } from "vitest";
import { valueFromNative } from "../../../hcl/index.js";
import { testBuildInfo } from "../../provisioner/shell-local/test-support.js";
import { decodeQemuConfig } from "./config.js";
import { type QemuArgsInput, qemuCommandArgs, vncConnectionMessage } from "./qemu-args.js";

const info = testBuildInfo({ buildName: "deb", builderType: "qemu", cwd: "/nonexistent-kiln-dir" });

function input(config: Record<string, unknown>, extra: Partial<QemuArgsInput> = {}): QemuArgsInput {
  const decoded = decodeQemuConfig(
    valueFromNative({
      iso_url: "/img/x.iso",
      iso_checksum: "none",
      ssh_username: "root",
      headless: true,
      ...config,
    }),
    info,
    { detectAccelerator: () => ({ accelerator: "tcg", reason: "test" }) },
  );
  if (decoded.config === undefined) throw new Error(decoded.diagnostics.map((d) => d.summary).join("; "));
  return {
    config: decoded.config,
    atLeastVersion2: true,
    commHostPort: 2345,
    commGuestPort: 22,
    vncPort: 5907,
    vncPassword: "",
    httpIp: "10.0.2.2",
    httpPort: 0,
    isoPath: "/cache/abc.iso",
    cdPath: undefined,
    floppyPath: undefined,
    diskPaths: ["/out/packer-deb"],
    efivarsPath: undefined,
    vtpmSocketPath: undefined,
    bridgeCommand: (host, port) => `bridge ${host} ${port}`,
    buildInfo: info,
    ...extra,
  };
}

function args(config: Record<string, unknown>, extra: Partial<QemuArgsInput> = {}): string[] {
  const r = qemuCommandArgs(input(config, extra));
  if ("error" in r) throw new Error(r.error);
  return r.args;
}

/** The values of one option. */
function values(list: readonly string[], key: string): string[] {
  const out: string[] = [];
  list.forEach((a, i) => {
    if (a === key) out.push(list[i + 1] ?? "");
  });
  return out;
}

describe("qemu command line", () => {
  it("builds Packer's defaults for an ISO install, with kiln's isolated user network", () => {
    const r = qemuCommandArgs(input({}));
    if ("error" in r) throw new Error(r.error);
    expect(r.args).toEqual([
      "-name",
      "packer-deb",
      "-machine",
      "type=pc,accel=tcg",
      "-m",
      "512M",
      "-smp",
      "1",
      "-boot",
      "once=d",
      "-drive",
      "file=/out/packer-deb,if=virtio,cache=writeback,discard=ignore,format=qcow2",
      "-drive",
      "file=/cache/abc.iso,media=cdrom",
      "-device",
      "virtio-net,netdev=user.0",
      "-netdev",
      "user,id=user.0,restrict=on,hostfwd=tcp:127.0.0.1:2345-:22",
      "-vnc",
      "127.0.0.1:7",
    ]);
    expect(r.messages).toEqual([
      { kind: "say", text: "Starting VM, booting from CD-ROM" },
      {
        kind: "message",
        text: "The VM will be run headless, without a GUI. If you want to\nview the screen of the VM, connect via VNC without a password to\nvnc://127.0.0.1:5907",
      },
    ]);
  });

  it("boots a disk image, attaches the CD and forwards the HTTP server into the restricted guest", () => {
    const a = args(
      { disk_image: true, cd_content: { a: "b" } },
      { httpPort: 8123, cdPath: "/tmp/w,x/cd.iso" },
    );
    expect(values(a, "-boot")).toEqual(["c"]);
    expect(values(a, "-drive")).toEqual([
      "file=/out/packer-deb,if=virtio,cache=writeback,discard=ignore,format=qcow2",
      "file=/tmp/w,,x/cd.iso,media=cdrom",
    ]);
    expect(values(a, "-netdev")).toEqual([
      "user,id=user.0,restrict=on,host=10.0.2.1,guestfwd=tcp:10.0.2.2:8123-cmd:bridge 127.0.0.1 8123,hostfwd=tcp:127.0.0.1:2345-:22",
    ]);
  });

  it("replaces defaults option by option with qemuargs, rendering {{ .Name }} and friends", () => {
    const a = args(
      {
        disk_image: true,
        qemuargs: [
          ["-m", "2048M"],
          ["-device", "virtio-rng-pci"],
          ["-serial", "file:{{ .OutputDir }}/{{ .Name }}-{{ .SSHHostPort }}.log"],
          ["-no-reboot"],
          ["-drive", "file=a,", "if=ide"],
        ],
      },
      {},
    );
    expect(values(a, "-m")).toEqual(["2048M"]);
    // The user's -device list lacks the network device, so it is added back.
    expect(values(a, "-device")).toEqual(["virtio-rng-pci", "virtio-net,netdev=user.0"]);
    expect(values(a, "-serial")).toEqual(["file:output-deb/packer-deb-2345.log"]);
    expect(values(a, "-drive")).toEqual(["file=a,if=ide"]);
    expect(a).toContain("-no-reboot");
    expect(a.indexOf("-no-reboot")).toBeGreaterThan(a.indexOf("-vnc"));
    const r = qemuCommandArgs(input({ qemuargs: [["-m", "{{ .Nope }}"]] }));
    expect("error" in r && r.error).toMatch(/can't evaluate field Nope in type qemu\.qemuArgsTemplateData/);
  });

  it("handles accelerator none, displays, firmware, EFI, vTPM, virtio-scsi and VNC passwords", () => {
    const none = qemuCommandArgs(input({ accelerator: "none", headless: false }));
    if ("error" in none) throw new Error(none.error);
    expect(values(none.args, "-machine")).toEqual(["type=pc"]);
    expect(values(none.args, "-display")).toEqual(["gtk"]);
    expect(none.messages[1]?.text).toMatch(
      /^WARNING: The VM will be started with no hardware acceleration\./,
    );
    // As Packer: `display = "none"` is not passed on, so the GTK default applies.
    expect(values(args({ headless: false, display: "none" }), "-display")).toEqual(["gtk"]);
    expect(values(args({ headless: false, display: "sdl" }), "-display")).toEqual(["sdl"]);
    expect(values(args({ headless: false, use_default_display: true }), "-display")).toEqual([]);
    const efi = args(
      { efi_boot: true, vtpm: true },
      { efivarsPath: "/out/efivars.fd", vtpmSocketPath: "/w/vtpm.sock" },
    );
    expect(values(efi, "-boot")).toEqual([]);
    expect(values(efi, "-drive").slice(-2)).toEqual([
      "file=/usr/share/OVMF/OVMF_CODE.fd,if=pflash,unit=0,format=raw,readonly=on",
      "file=/out/efivars.fd,if=pflash,unit=1,format=raw",
    ]);
    expect(values(efi, "-chardev")).toEqual(["socket,id=vtpm,path=/w/vtpm.sock"]);
    expect(values(efi, "-device")).toContain("tpm-tis,tpmdev=tpm0");
    const scsi = args(
      { disk_interface: "virtio-scsi", disk_detect_zeroes: "unmap", disk_additional_size: ["1G"] },
      {
        diskPaths: ["/out/d", "/out/d-1"],
      },
    );
    expect(values(scsi, "-device").slice(0, 3)).toEqual([
      "virtio-scsi-pci,id=scsi0",
      "scsi-hd,bus=scsi0.0,drive=drive0",
      "scsi-hd,bus=scsi0.0,drive=drive1",
    ]);
    expect(values(scsi, "-drive")[1]).toBe(
      "if=none,file=/out/d-1,id=drive1,cache=writeback,discard=ignore,format=qcow2,detect-zeroes=unmap",
    );
    expect(values(args({ vnc_use_password: true }), "-vnc")).toEqual(["127.0.0.1:7,password=on"]);
    expect(values(args({ vnc_use_password: true }), "-qmp")).toEqual([
      "unix:output-deb/packer-deb.monitor,server=on,wait=off",
    ]);
    expect(values(args({ firmware: "/fw.bin" }), "-bios")).toEqual(["/fw.bin"]);
    expect(values(args({ communicator: "none" }), "-netdev")).toEqual(["user,id=user.0,restrict=on"]);
    expect(values(args({ net_bridge: "br0" }), "-netdev")).toEqual(["bridge,id=user.0,br=br0"]);
  });

  it("tells how to watch a headless VM", () => {
    expect(vncConnectionMessage(false, "127.0.0.1:5901", "")).toBe("");
    expect(vncConnectionMessage(true, "127.0.0.1:5901", "pw")).toBe(
      "The VM will be run headless, without a GUI. If you want to\nview the screen of the VM, connect via VNC to vnc://127.0.0.1:5901\nwith the password: pw",
    );
  });
});
