// The QEMU test image that scripts/qemu-image.sh builds, proven by booting it the way the QEMU builder will:
// qemu-system-x86_64 with TCG on a copy-on-write overlay, user-mode networking restricted to the guest with
// one host forward on 127.0.0.1, SSH by key and password, then a clean power-off. Fails (never skips) when
// the image is missing: run scripts/test-env.sh (or scripts/qemu-image.sh) as root.

import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type ConnectConfig } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSshBanner } from "../support/env.js";

const BOOT_TIMEOUT_MS = 150_000;
const POWEROFF_TIMEOUT_MS = 60_000;

/** The `qemu` section of $KILN_TEST_STATE/qemu-image.json (the fields this test relies on). */
interface QemuImage {
  readonly image: string;
  readonly format: "qcow2";
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly virtualSizeBytes: number;
  readonly debianVersion: string;
  readonly kernel: string;
  readonly user: string;
  readonly password: string;
  readonly privateKeyPath: string;
  readonly hostKeyFingerprints: Readonly<Record<"ed25519" | "ecdsa" | "rsa", string>>;
  readonly sshPort: number;
  readonly qemuSystem: string;
  readonly qemuImg: string;
  readonly accelerator: "tcg";
}

function readQemuImage(): QemuImage {
  const stateDir = process.env.KILN_TEST_STATE ?? "/var/lib/kiln-test";
  const file = join(stateDir, "qemu-image.json");
  const hint = "run scripts/test-env.sh (or scripts/qemu-image.sh) as root";
  if (!existsSync(file)) throw new Error(`kiln test environment: no ${file}: ${hint}`);
  const doc = JSON.parse(readFileSync(file, "utf8")) as { schemaVersion?: unknown; qemu?: unknown };
  if (doc.schemaVersion !== 1 || typeof doc.qemu !== "object" || doc.qemu === null) {
    throw new Error(`kiln test environment: ${file} is not schema version 1 with a qemu section: ${hint}`);
  }
  const q = doc.qemu as Record<string, unknown>;
  for (const key of ["image", "sha256", "kernel", "debianVersion", "user", "password", "privateKeyPath"]) {
    if (typeof q[key] !== "string" || q[key] === "") {
      throw new Error(`kiln test environment: ${file}: qemu.${key} should be a non-empty string: ${hint}`);
    }
  }
  const image = q as unknown as QemuImage;
  if (!existsSync(image.image)) throw new Error(`kiln test environment: ${image.image} is missing: ${hint}`);
  return image;
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

function run(file: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `SHA256:<base64, no padding>` of a raw public key blob, as ssh-keygen -l prints it. */
function fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** Pids of live processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, "utf8"))?.[1];
      if (cmdline.includes(marker) && state !== "Z" && state !== "X") pids.push(Number(entry));
    } catch {
      // The process went away while we looked.
    }
  }
  return pids;
}

interface SshResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly hostKey: string;
}

/** One SSH session: connect, run `command`, collect its output and exit code, disconnect. */
function sshExec(config: ConnectConfig, command: string, timeoutMs = 60_000): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKey = "";
    const timer = setTimeout(() => {
      client.end();
      reject(new Error(`ssh ${config.username}@${config.host}:${config.port} "${command}" timed out`));
    }, timeoutMs);
    const finish = (err: Error | null, value?: SshResult) => {
      clearTimeout(timer);
      client.end();
      if (err) reject(err);
      else if (value) resolve(value);
    };
    client.on("error", (e) => finish(e));
    client.on("ready", () => {
      client.exec(command, (err, stream) => {
        if (err) return finish(err);
        let stdout = "";
        let stderr = "";
        let code: number | null = null;
        stream.on("data", (d: Buffer) => {
          stdout += d.toString("utf8");
        });
        stream.stderr.on("data", (d: Buffer) => {
          stderr += d.toString("utf8");
        });
        stream.on("exit", (c: number | null) => {
          code = c;
        });
        stream.on("close", () => finish(null, { stdout, stderr, code, hostKey }));
      });
    });
    client.connect({
      readyTimeout: 30_000,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        hostKey = fingerprint(key);
        return true;
      },
      ...config,
    });
  });
}

describe("QEMU test image", () => {
  let image: QemuImage;
  let privateKey: string;
  let dir: string;
  let qemu: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let qemuOutput = "";
  let port: number;
  let marker: string;
  let bootStart: number;
  let secondsToBanner: number;
  let secondsToLogin: number;

  const serialTail = () => {
    try {
      return readFileSync(join(dir, "serial.log"), "utf8").slice(-3000);
    } catch {
      return "(no serial log)";
    }
  };

  const key = (user: string): ConnectConfig => ({
    host: "127.0.0.1",
    port,
    username: user,
    privateKey,
  });

  beforeAll(async () => {
    image = readQemuImage();
    privateKey = readFileSync(image.privateKeyPath, "utf8");
    dir = mkdtempSync(join(tmpdir(), "kiln-qemu-image-test-"));
    const overlay = join(dir, "overlay.qcow2");
    const created = await run(image.qemuImg, [
      "create",
      "-q",
      "-f",
      "qcow2",
      "-b",
      image.image,
      "-F",
      "qcow2",
      overlay,
    ]);
    expect(created, created.output).toMatchObject({ code: 0 });

    port = await freePort();
    marker = `kiln-qemu-image-test-${randomUUID()}`;
    bootStart = Date.now();
    qemu = spawn(
      image.qemuSystem,
      [
        "-name",
        marker,
        "-machine",
        "pc",
        "-accel",
        "tcg",
        "-m",
        "1024",
        "-smp",
        "1",
        "-display",
        "none",
        "-monitor",
        "none",
        "-serial",
        `file:${join(dir, "serial.log")}`,
        "-no-reboot",
        "-drive",
        `file=${overlay},if=virtio,format=qcow2,cache=writeback`,
        "-netdev",
        `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:${image.sshPort}`,
        "-device",
        "virtio-net-pci,netdev=n0",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const child = qemu;
    child.stdout?.on("data", (d: Buffer) => {
      qemuOutput += d.toString("utf8");
    });
    child.stderr?.on("data", (d: Buffer) => {
      qemuOutput += d.toString("utf8");
    });
    exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal }));
    });
    let gone = false;
    void exited.then(() => {
      gone = true;
    });

    // The forward accepts connections before the guest listens; only the server's banner counts.
    const deadline = bootStart + BOOT_TIMEOUT_MS;
    for (;;) {
      if (gone) throw new Error(`qemu exited during boot: ${qemuOutput}\nserial console:\n${serialTail()}`);
      if (Date.now() > deadline) {
        throw new Error(`no SSH banner within ${BOOT_TIMEOUT_MS / 1000} s\nserial console:\n${serialTail()}`);
      }
      try {
        await readSshBanner("127.0.0.1", port, 3_000);
        break;
      } catch {
        await sleep(500);
      }
    }
    secondsToBanner = (Date.now() - bootStart) / 1000;
    // The banner can come before sshd is ready for everyone; the first login gets a few tries.
    for (let attempt = 1; ; attempt++) {
      try {
        await sshExec(key(image.user), "true", 30_000);
        break;
      } catch (e) {
        if (attempt >= 5 || Date.now() > deadline) throw e;
        await sleep(1_000);
      }
    }
    secondsToLogin = (Date.now() - bootStart) / 1000;
    console.log(
      `QEMU test image (TCG): SSH banner ${secondsToBanner.toFixed(1)} s, first key login ${secondsToLogin.toFixed(1)} s after qemu started`,
    );
  }, 180_000);

  afterAll(async () => {
    // Whatever happened, no VM outlives the test.
    if (qemu !== undefined && qemu.exitCode === null && qemu.signalCode === null) {
      qemu.kill("SIGKILL");
      await Promise.race([exited, sleep(10_000)]);
    }
    for (const pid of marker === undefined ? [] : processesWith(marker)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("boots to SSH within the boot budget", () => {
    expect(secondsToBanner).toBeGreaterThan(0);
    expect(secondsToLogin).toBeLessThan(BOOT_TIMEOUT_MS / 1000);
  });

  it("runs uname -r and cat /etc/debian_version as the test user by key, with the recorded host key", async () => {
    const r = await sshExec(key(image.user), "uname -r; cat /etc/debian_version; id -un");
    expect(r.code).toBe(0);
    const [kernel, debian, user] = r.stdout.trim().split("\n");
    expect(kernel).toBe(image.kernel);
    expect(debian).toBe(image.debianVersion);
    expect(debian).toMatch(/^12\.\d+$/);
    expect(user).toBe(image.user);
    expect(Object.values(image.hostKeyFingerprints)).toContain(r.hostKey);
  });

  it("lets root in by key", async () => {
    const r = await sshExec(key("root"), "id -u");
    expect(r).toMatchObject({ code: 0, stdout: "0\n" });
  });

  it("lets the test user in by password, with sudo that asks for none", async () => {
    const r = await sshExec(
      { host: "127.0.0.1", port, username: image.user, password: image.password },
      "sudo -n id -u",
    );
    expect(r).toMatchObject({ code: 0, stdout: "0\n" });
  });

  it("got its address by DHCP on eth0 and has no failed units", async () => {
    // systemd-networkd keeps the DHCP lease of each link under /run/systemd/netif/leases/<ifindex>.
    const r = await sshExec(
      key("root"),
      "cat /sys/class/net/eth0/ifindex; sed -n 's/^ADDRESS=//p' /run/systemd/netif/leases/$(cat /sys/class/net/eth0/ifindex); hostname -I; systemctl --failed --no-legend --plain",
    );
    expect(r.code).toBe(0);
    const [, lease, addresses, ...failed] = r.stdout.split("\n");
    // QEMU's user-mode network gives the first guest 10.0.2.15.
    expect(lease).toBe("10.0.2.15");
    expect(addresses?.trim()).toBe("10.0.2.15");
    expect(failed.filter((l) => l !== "")).toEqual([]);
  });

  it("powers off cleanly and leaves no qemu process", async () => {
    // The session may end before poweroff answers: the guest going down closes the connection.
    await sshExec(key(image.user), "sudo systemctl poweroff", 30_000).catch(() => undefined);
    const result = await Promise.race([exited, sleep(POWEROFF_TIMEOUT_MS).then(() => "timeout" as const)]);
    expect(result, `qemu still running ${POWEROFF_TIMEOUT_MS / 1000} s after poweroff`).not.toBe("timeout");
    expect(result).toEqual({ code: 0, signal: null });
    expect(qemuOutput).toBe("");
    expect(processesWith(marker)).toEqual([]);
    expect(serialTail()).toMatch(/reboot: Power down/);
  });

  it("left the cached image untouched (all writes went to the overlay)", async () => {
    expect(await sha256File(image.image)).toBe(image.sha256);
  });
});
