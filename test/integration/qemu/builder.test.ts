// The qemu builder end to end, against real QEMU (TCG) and the cached Debian test image. Four builds, run one
// after the other (each boots a VM, ~20-60 s under TCG on a shared machine):
//  1. disk_image copy (qcow2, no backing file): provisioning over SSH writes a file, reads cd_files and
//     cd_content from the one CD by its label and fetches http_content from the build's HTTP server at {{.HTTPIP}}:{{.HTTPPort}};
//  2. boots build 1's output, finds the file, proves a boot_command typed over VNC arrived in order (it edits
//     the GRUB entry, the kernel command line shows the result) and converts to a raw disk;
//  3. the source image downloaded over HTTP into PACKER_CACHE_DIR (checksum verified), used as a backing file;
//     a failing provisioning command leaves no QEMU process and no output directory;
//  4. the same download is a cache hit; the build is cancelled while it waits for SSH, leaving no QEMU
//     process and no output directory.
// Fails (never skips) when the test image is missing: run scripts/test-env.sh as root.

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BuildOutcome,
  bootToSshSeconds,
  FunctionHook,
  killVms,
  processesWith,
  type QemuImage,
  readQemuImage,
  runBuild,
  transcript,
} from "./support.js";

const BUILD_TIMEOUT_MS = 10 * 60_000;

interface ImgInfo {
  readonly format: string;
  readonly "virtual-size": number;
  readonly "backing-filename"?: string;
}

function imgInfo(path: string): ImgInfo {
  return JSON.parse(
    execFileSync("qemu-img", ["info", "-U", "--output=json", path], { encoding: "utf8" }),
  ) as ImgInfo;
}

function sayLines(o: BuildOutcome): string[] {
  return o.ui.texts("say");
}

describe("qemu builder (TCG, cached Debian image)", () => {
  let image: QemuImage;
  let dir: string;
  let marker: string;
  let server: Server;
  let imageUrl: string;
  let gets = 0;
  const fileMarker = `kiln-file-${randomUUID()}`;
  const timings: string[] = [];

  beforeAll(async () => {
    image = readQemuImage();
    dir = mkdtempSync(join(tmpdir(), "kiln-qemu-builder-test-"));
    marker = `kilnqemutest${randomUUID().slice(0, 8)}`;
    // cd_files for build 1: a directory's contents (trailing slash) and a directory kept as one.
    mkdirSync(join(dir, "cdfiles"));
    writeFileSync(join(dir, "cdfiles", "from-files.txt"), "from cd_files|");
    mkdirSync(join(dir, "docs"));
    writeFileSync(join(dir, "docs", "readme.txt"), "a directory from cd_files");
    // The test image over HTTP, for the download and cache tests.
    server = createServer((req, res) => {
      if (req.url !== "/debian.qcow2") {
        res.writeHead(404).end();
        return;
      }
      const size = statSync(image.image).size;
      res.writeHead(200, { "Content-Length": String(size), "Accept-Ranges": "bytes" });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      gets++;
      createReadStream(image.image).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    imageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debian.qcow2`;
  });

  afterAll(async () => {
    // Whatever happened, no VM outlives the tests.
    if (marker !== undefined) killVms(marker);
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    if (timings.length > 0) console.log(`qemu builder timings:\n  ${timings.join("\n  ")}`);
  }, 60_000);

  const base = (name: string): Record<string, unknown> => ({
    disk_image: true,
    accelerator: "tcg",
    headless: true,
    memory: 1024,
    ssh_username: "root",
    ssh_private_key_file: image.privateKeyPath,
    ssh_timeout: "8m",
    shutdown_command: "poweroff",
    vm_name: `${marker}-${name}`,
    output_directory: join(dir, `out-${name}`),
    boot_wait: "1s",
    qemuargs: [["-serial", `file:${join(dir, `serial-${name}.log`)}`]],
  });

  it(
    "builds a qcow2 copy of a disk image, provisioning over SSH with cd_files, cd_content and http_content",
    async () => {
      const seen: Record<string, string> = {};
      const hook = new FunctionHook(async (guest) => {
        const ip = String(guest.data.PackerHTTPIP);
        const port = String(guest.data.PackerHTTPPort);
        const write = await guest.run(`echo ${fileMarker} > /root/kiln-marker && sync`);
        expect(write.exitStatus).toBe(0);
        const cd = await guest.run(
          "mount -o ro /dev/disk/by-label/KILNCD /mnt && cat /mnt/kiln/cd.txt /mnt/from-files.txt /mnt/docs/readme.txt; umount /mnt",
        );
        seen.cd = cd.stdout;
        // No curl or wget in the image: bash's /dev/tcp speaks HTTP/1.0 well enough.
        const get = (path: string) =>
          guest.run(
            `exec 3<>/dev/tcp/${ip}/${port} && printf 'GET ${path} HTTP/1.0\\r\\nHost: kiln\\r\\n\\r\\n' >&3 && cat <&3`,
          );
        seen.http = (await get("/seed.txt")).stdout;
        seen.http404 = (await get("/seed.tx")).stdout;
        // Give build 2 a GRUB menu to type into.
        const grub = await guest.run(
          "sed -i 's/^set timeout=0$/set timeout=60/' /boot/grub/grub.cfg && grep -c 'timeout=60' /boot/grub/grub.cfg",
        );
        expect(grub.stdout.trim()).toBe("1");
      });
      const o = await runBuild({
        config: {
          ...base("a"),
          iso_url: image.image,
          iso_checksum: `sha256:${image.sha256}`,
          use_backing_file: false,
          format: "qcow2",
          disk_size: "3G",
          cd_files: [`${join(dir, "cdfiles")}/`, join(dir, "docs")],
          cd_content: { "kiln/cd.txt": "from the cd|" },
          cd_label: "KILNCD",
          http_content: { "/seed.txt": "from http" },
        },
        hook,
      });
      timings.push(
        `build 1 (copy, cd, http): ${o.seconds.toFixed(1)} s, boot to SSH ${bootToSshSeconds(o)?.toFixed(1)} s`,
      );
      expect(o.error, transcript(o)).toBeUndefined();
      expect(seen.cd).toBe("from the cd|from cd_files|a directory from cd_files");
      expect(seen.http).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
      expect(seen.http).toMatch(/\r\n\r\nfrom http$/);
      expect(seen.http404).toMatch(/^HTTP\/1\.[01] 404 /);
      expect(seen.http404).toContain('/seed.tx not found. Did you mean "/seed.txt"?');
      expect(hook.seen[0]).toMatchObject({
        PackerHTTPIP: "10.0.2.2",
        ConnType: "ssh",
        Host: "127.0.0.1",
        User: "root",
      });

      const disk = join(dir, "out-a", `${marker}-a`);
      expect(o.artifact?.id()).toBe("VM");
      expect(o.artifact?.builderId()).toBe("transcend.qemu");
      expect(o.artifact?.files()).toEqual([disk]);
      expect(o.artifact?.string()).toBe(`VM files in directory: ${join(dir, "out-a")}`);
      const info = imgInfo(disk);
      expect(info.format).toBe("qcow2");
      expect(info["backing-filename"]).toBeUndefined();
      expect(info["virtual-size"]).toBe(3 * 1024 ** 3);
      const says = sayLines(o);
      for (const line of [
        "Creating CD disk...",
        "Resizing hard drive...",
        "Starting VM, booting disk image",
        "Connected to SSH!",
        "Gracefully halting virtual machine...",
        "Converting hard drive...",
      ]) {
        expect(says, transcript(o)).toContain(line);
      }
      expect(says.some((l) => /^Starting HTTP server on port \d+$/.test(l))).toBe(true);
      expect(o.ui.texts("message")).toContain(
        "File extension already matches desired output format. Skipping qemu-img convert step",
      );
      expect(processesWith(marker)).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "boots that output, finds the file, types a boot command over VNC in order and writes a raw disk",
    async () => {
      const source = join(dir, "out-a", `${marker}-a`);
      expect(existsSync(source), "build 1 must have succeeded").toBe(true);
      let cmdline = "";
      let found = "";
      const hook = new FunctionHook(async (guest) => {
        found = (await guest.run("cat /root/kiln-marker")).stdout.trim();
        cmdline = (await guest.run("cat /proc/cmdline")).stdout;
      });
      const o = await runBuild({
        config: {
          ...base("b"),
          iso_url: source,
          iso_checksum: "none",
          format: "raw",
          disk_size: "3G",
          // GRUB shows its menu for 60 s (build 1 set that up). Edit the entry: two lines down is the kernel
          // line; append a parameter with a typo fixed by <left><bs>, an insertion and <end>, then boot with
          // Ctrl-X held as a modifier. Only keys that arrive in order give "Ab3_9Y-z".
          boot_wait: "5s",
          boot_key_interval: "50ms",
          boot_command: [
            "e<down><down><end> kiln.keys=Ab3_XY<left><bs>9<end>-z<wait1s>",
            "<leftCtrlOn>x<leftCtrlOff>",
          ],
        },
        hook,
      });
      timings.push(
        `build 2 (boot command, raw): ${o.seconds.toFixed(1)} s, boot to SSH ${bootToSshSeconds(o)?.toFixed(1)} s`,
      );
      expect(o.error, transcript(o)).toBeUndefined();
      expect(found).toBe(fileMarker);
      expect(cmdline.trim().split(" ")).toContain("kiln.keys=Ab3_9Y-z");
      const says = sayLines(o);
      expect(says).toContain("Waiting 5s for boot...");
      expect(says).toContain("Typing the boot command over VNC...");
      expect(says.some((l) => /^Connecting to VM via VNC \(127\.0\.0\.1:\d+\)$/.test(l))).toBe(true);
      expect(says).toContain("Copying hard drive...");
      const disk = join(dir, "out-b", `${marker}-b`);
      expect(o.artifact?.files()).toEqual([disk]);
      const info = imgInfo(disk);
      expect(info.format).toBe("raw");
      expect(info["virtual-size"]).toBe(3 * 1024 ** 3);
      expect(processesWith(marker)).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "downloads the image into PACKER_CACHE_DIR; a failing provisioning command leaves no VM and no output",
    async () => {
      const cache = join(dir, "cache");
      let backing: string | undefined;
      const hook = new FunctionHook(async (guest) => {
        backing = imgInfo(join(dir, "out-c", `${marker}-c`))["backing-filename"];
        const r = await guest.run("echo about to fail; exit 3");
        if (r.exitStatus !== 0) throw new Error(`Script exited with non-zero exit status: ${r.exitStatus}`);
      });
      const o = await runBuild({
        config: {
          ...base("c"),
          iso_url: imageUrl,
          iso_checksum: `sha256:${image.sha256}`,
          use_backing_file: true,
        },
        hook,
        info: {
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: "/root",
            TMPDIR: "/tmp",
            PACKER_CACHE_DIR: cache,
          },
        },
      });
      timings.push(`build 3 (download, failing provisioner): ${o.seconds.toFixed(1)} s`);
      expect(o.error?.message, transcript(o)).toBe("Script exited with non-zero exit status: 3");
      expect(gets).toBe(1);
      const cached = readdirSync(cache).filter((f) => f.endsWith(".iso"));
      expect(cached).toHaveLength(1);
      expect(backing).toBe(join(cache, cached[0]!));
      const says = sayLines(o);
      expect(says).toContain(`Trying ${imageUrl}`);
      expect(says).toContain(`${imageUrl}?checksum=sha256%3A${image.sha256} => ${join(cache, cached[0]!)}`);
      expect(says).toContain("Deleting output directory...");
      expect(processesWith(marker)).toEqual([]);
      expect(existsSync(join(dir, "out-c"))).toBe(false);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "finds the download in the cache; cancelled while waiting for SSH, it leaves no VM and no output",
    async () => {
      const cache = join(dir, "cache");
      const controller = new AbortController();
      let vmSeen: number[] = [];
      const o = await runBuild({
        config: {
          ...base("d"),
          iso_url: imageUrl,
          iso_checksum: `sha256:${image.sha256}`,
          use_backing_file: true,
        },
        hook: new FunctionHook(async () => {
          throw new Error("provisioning must not be reached");
        }),
        info: {
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: "/root",
            TMPDIR: "/tmp",
            PACKER_CACHE_DIR: cache,
          },
        },
        signal: controller.signal,
        onUi: (ui) => {
          const say = ui.say.bind(ui);
          ui.say = (m: string) => {
            say(m);
            if (m === "Waiting for SSH to become available...") {
              vmSeen = processesWith(marker);
              setTimeout(() => controller.abort(), 2000);
            }
          };
        },
      });
      timings.push(`build 4 (cache hit, cancelled): ${o.seconds.toFixed(1)} s`);
      expect(o.error?.message, transcript(o)).toBe("Build was cancelled.");
      expect(gets).toBe(1);
      expect(vmSeen.length).toBeGreaterThan(0);
      expect(sayLines(o)).toContain("Deleting output directory...");
      expect(processesWith(marker)).toEqual([]);
      expect(existsSync(join(dir, "out-d"))).toBe(false);
      expect(o.seconds).toBeLessThan(60);
    },
    BUILD_TIMEOUT_MS,
  );
});
