// `kiln build` of an HCL2 qemu template on the cached Debian test image, as a user runs it (node bin/kiln.js;
// build dist first). Two VM boots under TCG, one after the other:
//  (a) the shell provisioner reads the cd_files CD inside the VM, then fails: exit 1 with Packer's error, the
//      VM's QEMU process gone, no output directory and no temporary file left;
//  (b) a real SIGINT to kiln while the provisioner runs: Packer's cancellation output, exit 1, the QEMU process
//      gone, no output directory, the generated ISO and every other temporary file removed.
// Fails (never skips) when the test image is missing: run scripts/test-env.sh as root.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isRunning,
  killVms,
  type QemuImage,
  qemuProcessesWith,
  readQemuImage,
} from "../integration/qemu/image.js";
import { kilnBin, projectRoot } from "./run-kiln.js";

const BUILD_TIMEOUT_MS = 8 * 60_000;
// Another build of kiln (its bin/kiln.js) may be tested with KILN_E2E_BIN.
const bin = process.env.KILN_E2E_BIN ?? kilnBin;

/** A running `kiln build`: its output so far, the QEMU processes seen while it ran, and its exit. */
interface KilnBuild {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly qemuPids: Set<number>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Standard output and error, for failure messages. */
  readonly transcript: () => string;
  /** Resolves once `text` is in the standard output; rejects when kiln exits first or after `timeoutMs`. */
  readonly waitForOutput: (text: string, timeoutMs: number) => Promise<void>;
}

describe("kiln build with the qemu builder (e2e, TCG)", () => {
  let image: QemuImage;
  let dir: string;
  let scratch: string;
  const marker = `kilne2eqemu${randomUUID().slice(0, 8)}`;

  beforeAll(() => {
    if (bin === kilnBin)
      expect(existsSync(join(projectRoot, "dist", "cli", "main.js")), "run `npm run build` first").toBe(true);
    image = readQemuImage();
    dir = mkdtempSync(join(tmpdir(), "kiln-e2e-qemu-"));
    scratch = join(dir, "tmp");
    mkdirSync(scratch);
    // cd_files: a directory's contents (trailing slash), a directory kept as one, a single file and a glob.
    mkdirSync(join(dir, "cd", "sub"), { recursive: true });
    writeFileSync(join(dir, "cd", "hello.txt"), "hello from cd_files\n");
    writeFileSync(join(dir, "cd", "sub", "nested.txt"), "nested from cd_files\n");
    mkdirSync(join(dir, "tree"));
    writeFileSync(join(dir, "tree", "leaf.txt"), "leaf from cd_files\n");
    writeFileSync(join(dir, "single.txt"), "single from cd_files\n");
    mkdirSync(join(dir, "seed"));
    writeFileSync(join(dir, "seed", "a.cfg"), "glob a\n");
    writeFileSync(join(dir, "seed", "b.cfg"), "glob b\n");
    writeFileSync(join(dir, "seed", "c.txt"), "not matched\n");
    writeFileSync(
      join(dir, "vm.pkr.hcl"),
      `variable "image" {
  type = string
}
variable "image_sha256" {
  type = string
}
variable "ssh_key" {
  type = string
}
variable "last_command" {
  type = string
}

source "qemu" "vm" {
  iso_url              = var.image
  iso_checksum         = "sha256:\${var.image_sha256}"
  disk_image           = true
  use_backing_file     = true
  accelerator          = "tcg"
  headless             = true
  memory               = 1024
  ssh_username         = "root"
  ssh_private_key_file = var.ssh_key
  ssh_timeout          = "8m"
  shutdown_command     = "poweroff"
  boot_wait            = "1s"
  vm_name              = "${marker}.qcow2"
  output_directory     = "output-vm"
  cd_files             = ["cd/", "tree", "single.txt", "seed/*.cfg"]
  cd_label             = "KILNE2E"
}

build {
  sources = ["source.qemu.vm"]

  provisioner "shell" {
    inline = [
      "mount -o ro /dev/disk/by-label/KILNE2E /mnt",
      "cat /mnt/hello.txt /mnt/sub/nested.txt /mnt/tree/leaf.txt /mnt/single.txt /mnt/a.cfg /mnt/b.cfg",
      "test ! -e /mnt/c.txt && test ! -e /mnt/cd && echo layout as expected",
      "umount /mnt",
      var.last_command,
    ]
  }
}
`,
    );
  });

  afterAll(() => {
    // Whatever happened, no VM outlives the tests.
    killVms(marker);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function startBuild(lastCommand: string): KilnBuild {
    const child = spawn(
      process.execPath,
      [
        bin,
        "build",
        "-color=false",
        `-var=image=${image.image}`,
        `-var=image_sha256=${image.sha256}`,
        `-var=ssh_key=${image.privateKeyPath}`,
        `-var=last_command=${lastCommand}`,
        "vm.pkr.hcl",
      ],
      {
        cwd: dir,
        env: {
          ...process.env,
          CHECKPOINT_DISABLE: "1",
          TMPDIR: scratch,
          PACKER_CACHE_DIR: join(dir, "cache"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const qemuPids = new Set<number>();
    const watch = setInterval(() => {
      for (const pid of qemuProcessesWith(marker)) qemuPids.add(pid);
    }, 250);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => {
        clearInterval(watch);
        resolve({ code, signal });
      }),
    );
    let done = false;
    void exited.then(() => {
      done = true;
    });
    const transcript = () => `${stdout}\n--- stderr ---\n${stderr}`;
    const waitForOutput = async (text: string, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (done) throw new Error(`kiln exited before printing ${JSON.stringify(text)}:\n${transcript()}`);
        if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(text)} in time:\n${transcript()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    return { child, stdout: () => stdout, stderr: () => stderr, qemuPids, exited, transcript, waitForOutput };
  }

  it(
    "a failing shell provisioner fails the build: exit 1, no QEMU left, no output directory",
    async () => {
      const build = startBuild("exit 7");
      const { code } = await build.exited;
      const out = build.stdout();
      const transcript = build.transcript();
      expect(code, transcript).toBe(1);
      // The CD built from cd_files was read inside the VM.
      for (const line of [
        "hello from cd_files",
        "nested from cd_files",
        "leaf from cd_files",
        "single from cd_files",
        "glob a",
        "glob b",
        "layout as expected",
      ]) {
        expect(out, transcript).toContain(`    qemu.vm: ${line}\n`);
      }
      expect(out).toContain("==> qemu.vm: Creating CD disk...\n");
      expect(out).toContain("==> qemu.vm: Connected to SSH!\n");
      expect(out).toContain(
        "==> qemu.vm: Provisioning step had errors: Running the cleanup provisioner, if present...\n",
      );
      expect(out).toContain("==> qemu.vm: Deleting output directory...\n");
      // (Packer 1.6.6 puts a space after "7."; newer Packer and kiln do not.)
      expect(out).toMatch(
        /\nBuild 'qemu\.vm' errored after [^:]+: Script exited with non-zero exit status: 7\. ?Allowed exit codes are: \[0\]\n/,
      );
      expect(out).toMatch(
        /\n==> Some builds didn't complete successfully and had errors:\n--> qemu\.vm: Script exited with non-zero exit status: 7\. ?Allowed exit codes are: \[0\]\n/,
      );
      expect(out).toContain("==> Builds finished but no artifacts were created.\n");
      // xorriso's blank lines are not shown.
      expect(out).not.toMatch(/^ {4}qemu\.vm: *$/m);

      // The VM ran, and its QEMU is gone by the time kiln exits.
      expect(build.qemuPids.size, transcript).toBeGreaterThan(0);
      for (const pid of build.qemuPids) expect(isRunning(pid), `qemu pid ${pid}`).toBe(false);
      expect(qemuProcessesWith(marker)).toEqual([]);
      expect(existsSync(join(dir, "output-vm"))).toBe(false);
      expect(readdirSync(scratch)).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "SIGINT while provisioning cancels the build: exit 1, no QEMU left, no output, temporary files removed",
    async () => {
      const build = startBuild("echo sleeping now; sleep 600; echo never");
      await build.waitForOutput("qemu.vm: sleeping now\n", BUILD_TIMEOUT_MS - 60_000);
      // Mid-build: the VM runs, its output directory and the generated ISO exist.
      const running = qemuProcessesWith(marker);
      expect(running.length).toBeGreaterThan(0);
      expect(existsSync(join(dir, "output-vm", `${marker}.qcow2`))).toBe(true);
      const work = readdirSync(scratch).filter((n) => n.startsWith("kiln-qemu-"));
      expect(work).toHaveLength(1);
      expect(readdirSync(join(scratch, work[0]!))).toContain("cd.iso");

      const sent = Date.now();
      build.child.kill("SIGINT");
      const { code } = await build.exited;
      const seconds = (Date.now() - sent) / 1000;
      const out = build.stdout();
      const transcript = build.transcript();

      expect(code, transcript).toBe(1);
      expect(out).toContain("Cancelling build after receiving interrupt\n");
      expect(out).toContain("==> qemu.vm: Deleting output directory...\n");
      expect(out).toMatch(/\nBuild 'qemu\.vm' errored after [^:]+: Build was cancelled\.\n/);
      expect(out).toContain("Cleanly cancelled builds after being interrupted.\n");
      expect(out).not.toContain("never");
      expect(out).not.toContain("Gracefully halting virtual machine");
      // The VM is stopped at once, not shut down through the guest.
      expect(seconds, transcript).toBeLessThan(30);

      for (const pid of [...build.qemuPids, ...running])
        expect(isRunning(pid), `qemu pid ${pid}`).toBe(false);
      expect(qemuProcessesWith(marker)).toEqual([]);
      expect(existsSync(join(dir, "output-vm"))).toBe(false);
      expect(readdirSync(scratch)).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );
});
