// The qemu builder installing from an ISO (iso_url, not disk_image), against real QEMU (TCG). The ISO is made
// here: GRUB for BIOS (El Torito) whose configuration sends its console to the serial port too, so the test
// sees what the "installer" did. Served over HTTP with a SHA256SUMS file (iso_checksum = "file:<url>"), it is
// downloaded into PACKER_CACHE_DIR, booted from CD with an empty disk, and the boot command typed over VNC at
// GRUB's prompt prints a line (with `{{ .Name }}` rendered), lists the drives and powers the VM off; with
// communicator "none" the build waits for that power-off. The second build finds the ISO in the cache.
// Each boot takes a few seconds under TCG. Fails (never skips) without QEMU, GRUB's BIOS files or xorriso:
// run scripts/test-env.sh (scripts/qemu-image.sh installs them) as root.

import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killVms, processesWith, readQemuImage, runBuild, transcript } from "./support.js";

const BUILD_TIMEOUT_MS = 5 * 60_000;
const GRUB_BIOS_DIR = "/usr/lib/grub/i386-pc";

/** Makes a BIOS-bootable ISO 9660 image whose GRUB talks on the serial port and waits at its prompt. */
function makeInstallerIso(dir: string): string {
  const hint = "run scripts/test-env.sh (scripts/qemu-image.sh installs grub-pc-bin and xorriso) as root";
  if (!existsSync(GRUB_BIOS_DIR)) throw new Error(`no ${GRUB_BIOS_DIR}: ${hint}`);
  const root = join(dir, "iso-root");
  mkdirSync(join(root, "boot", "grub"), { recursive: true });
  // No menu entries: GRUB goes straight to its command line.
  writeFileSync(
    join(root, "boot", "grub", "grub.cfg"),
    "serial --unit=0 --speed=115200\nterminal_output --append serial\necho kiln installer ready\n",
  );
  try {
    execFileSync(
      "grub-mkimage",
      [
        "-O",
        "i386-pc-eltorito",
        "-d",
        GRUB_BIOS_DIR,
        "-p",
        "/boot/grub",
        "-o",
        join(root, "boot", "grub", "eltorito.img"),
        ...["biosdisk", "iso9660", "normal", "configfile", "echo", "ls", "halt", "serial", "terminal"],
      ],
      { stdio: "pipe" },
    );
    const iso = join(dir, "kiln-installer.iso");
    execFileSync(
      "xorriso",
      [
        ...["-as", "mkisofs", "-rock", "-volid", "KILNINSTALL"],
        ...["-b", "boot/grub/eltorito.img", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table"],
        ...["-output", iso, root],
      ],
      { stdio: "pipe" },
    );
    return iso;
  } catch (err) {
    const e = err as Error & { stderr?: Buffer };
    throw new Error(`making the test ISO failed: ${e.message}\n${e.stderr?.toString() ?? ""}\n${hint}`);
  }
}

function imgInfo(path: string): { format: string; "virtual-size": number } {
  return JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", path], { encoding: "utf8" }));
}

describe("qemu builder from an ISO (TCG)", () => {
  let dir: string;
  let marker: string;
  let server: Server;
  let base: string;
  let isoSha256: string;
  const gets = new Map<string, number>();

  beforeAll(async () => {
    readQemuImage(); // the QEMU test environment is set up
    dir = mkdtempSync(join(tmpdir(), "kiln-qemu-iso-test-"));
    marker = `kilnisotest${randomUUID().slice(0, 8)}`;
    const iso = makeInstallerIso(dir);
    const isoBytes = readFileSync(iso);
    isoSha256 = createHash("sha256").update(isoBytes).digest("hex");
    const files = new Map<string, Buffer>([
      ["/kiln-installer.iso", isoBytes],
      ["/SHA256SUMS", Buffer.from(`${"0".repeat(64)}  other.iso\n${isoSha256}  kiln-installer.iso\n`)],
    ]);
    server = createServer((req, res) => {
      const body = files.get(req.url ?? "");
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      if (req.method === "GET") gets.set(req.url!, (gets.get(req.url!) ?? 0) + 1);
      res.writeHead(200, { "Content-Length": String(body.length) });
      res.end(req.method === "HEAD" ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (marker !== undefined) killVms(marker);
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const config = (name: string, extra: Record<string, unknown>): Record<string, unknown> => ({
    iso_url: `${base}/kiln-installer.iso`,
    iso_checksum: `file:${base}/SHA256SUMS`,
    communicator: "none",
    accelerator: "tcg",
    headless: true,
    memory: 256,
    vm_name: `${marker}-${name}`,
    output_directory: join(dir, `out-${name}`),
    // GRUB's prompt: print a line, list the drives, power off.
    boot_wait: "5s",
    boot_key_interval: "20ms",
    boot_command: ["<enter>echo typed-{{ .Name }}-ok<enter>ls<enter><wait1s>halt<enter>"],
    shutdown_timeout: "3m",
    qemuargs: [["-serial", `file:${join(dir, `serial-${name}.log`)}`]],
    ...extra,
  });
  const env = () => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: "/root",
    TMPDIR: "/tmp",
    PACKER_CACHE_DIR: join(dir, "cache"),
  });

  it(
    "downloads the ISO (checksum from a SHA256SUMS file), boots it from CD with a new disk and waits for the guest to power off",
    async () => {
      const o = await runBuild({
        config: config("a", { disk_size: "64M", format: "qcow2" }),
        hook: { run: async () => {} },
        info: { env: env() },
      });
      expect(o.error, transcript(o)).toBeUndefined();
      const serial = readFileSync(join(dir, "serial-a.log"), "latin1");
      expect(serial).toContain("kiln installer ready");
      // The typed command's output (the echo of the typing itself has cursor codes between the letters).
      expect(serial, serial).toMatch(new RegExp(`\\n\\r?typed-${marker}-a-ok\\r?\\n`));
      // GRUB sees the new disk and the CD.
      expect(serial).toMatch(/\(hd0\)/);
      expect(serial).toMatch(/\(cd\d?\)/);

      expect(gets.get("/kiln-installer.iso")).toBe(1);
      expect(gets.get("/SHA256SUMS")).toBe(1);
      const cached = readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".iso"));
      expect(cached).toHaveLength(1);
      const says = o.ui.texts("say");
      expect(says).toContain(
        `${base}/kiln-installer.iso?checksum=sha256%3A${isoSha256} => ${join(dir, "cache", cached[0]!)}`,
      );
      expect(says).toContain("Starting VM, booting from CD-ROM");
      expect(says).toContain("Typing the boot command over VNC...");
      expect(says).toContain("Waiting for shutdown...");

      const disk = join(dir, "out-a", `${marker}-a`);
      expect(o.artifact?.files()).toEqual([disk]);
      const info = imgInfo(disk);
      expect(info.format).toBe("qcow2");
      expect(info["virtual-size"]).toBe(64 * 1024 ** 2);
      expect(processesWith(marker)).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "the second build finds the ISO in PACKER_CACHE_DIR and writes a raw disk",
    async () => {
      const o = await runBuild({
        config: config("b", { disk_size: "32M", format: "raw" }),
        hook: { run: async () => {} },
        info: { env: env() },
      });
      expect(o.error, transcript(o)).toBeUndefined();
      // The checksum file is read again; the ISO is not.
      expect(gets.get("/SHA256SUMS")).toBe(2);
      expect(gets.get("/kiln-installer.iso")).toBe(1);
      expect(readFileSync(join(dir, "serial-b.log"), "latin1")).toMatch(
        new RegExp(`\\n\\r?typed-${marker}-b-ok\\r?\\n`),
      );
      const disk = join(dir, "out-b", `${marker}-b`);
      expect(o.artifact?.files()).toEqual([disk]);
      const info = imgInfo(disk);
      expect(info.format).toBe("raw");
      expect(info["virtual-size"]).toBe(32 * 1024 ** 2);
      expect(processesWith(marker)).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );
});
