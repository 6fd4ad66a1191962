// The integration environment that scripts/test-env.sh sets up, proven by using it: the Docker engine runs
// containers from the local base images without a network, and the loopback sshd takes the authorized key
// and the password and refuses the other key. These fail (never skip) when the environment is down.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { Client, type ConnectConfig } from "ssh2";
import { beforeAll, describe, expect, it } from "vitest";
import { requireTestEnv, type SshTarget, sshTarget, systemSshArgs, type TestEnv } from "../support/env.js";

const exec = promisify(execFile);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion; a non-zero exit is a result, not a throw. */
async function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(file, [...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string; message: string };
    if (typeof err.code !== "number") throw e;
    return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

let env: TestEnv;
let docker: (args: readonly string[]) => Promise<Run>;

describe("docker engine", () => {
  beforeAll(async () => {
    env = await requireTestEnv(["docker"]);
    docker = (args) => run("docker", args, { DOCKER_HOST: env.docker.host, DOCKER_CONTEXT: "" });
  });

  it("answers with the version and storage driver env.json records", async () => {
    const version = await docker(["version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(`${env.docker.serverVersion} ${env.docker.apiVersion}`);
    const driver = await docker(["info", "--format", "{{.Driver}}"]);
    expect(driver.stdout.trim()).toBe(env.docker.storageDriver);
  });

  it("has no bridge network", async () => {
    const nets = await docker(["network", "ls", "--format", "{{.Name}} {{.Driver}}"]);
    expect(nets.code).toBe(0);
    const lines = nets.stdout.trim().split("\n");
    expect(lines).toContain("none null");
    expect(lines.filter((l) => l.endsWith(" bridge"))).toEqual([]);
  });

  it("runs a busybox container with --network none that echoes and sees loopback only", async () => {
    const r = await docker([
      "run",
      "--rm",
      "--network",
      "none",
      env.docker.images.busybox,
      "sh",
      "-c",
      'echo "hello from $(basename "$0")"; ls /sys/class/net',
    ]);
    expect(r.stderr).toBe("");
    expect(r).toMatchObject({ code: 0, stdout: "hello from sh\nlo\n" });
  });

  it("passes the container's exit status through", async () => {
    const r = await docker([
      "run",
      "--rm",
      "--network",
      "none",
      env.docker.images.busybox,
      "sh",
      "-c",
      "exit 7",
    ]);
    expect(r.code).toBe(7);
  });

  it("has a Debian bookworm image with bash and apt", async () => {
    const r = await docker([
      "run",
      "--rm",
      "--network",
      "none",
      env.docker.images.debian,
      "bash",
      "-c",
      'echo "$BASH_VERSION"; command -v apt-get; cat /etc/debian_version; dpkg -s apt | sed -n "s/^Status: //p"',
    ]);
    expect(r.code).toBe(0);
    const [bash, aptGet, debianVersion, aptStatus] = r.stdout.trim().split("\n");
    expect(bash).toMatch(/^5\.\d+/);
    expect(aptGet).toBe("/usr/bin/apt-get");
    expect(debianVersion).toMatch(/^12\./);
    expect(aptStatus).toBe("install ok installed");
  });
});

// --- ssh -----------------------------------------------------------------------------------------------

let target: SshTarget;

function ssh(args: readonly string[], command: string): Promise<Run> {
  return run("ssh", [...args, command]);
}

/** Opens an ssh2 session with the given credentials, runs command, and resolves with its output. */
function ssh2Exec(config: ConnectConfig, command: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const timer = setTimeout(() => {
      client.end();
      reject(new Error("ssh2 session timed out"));
    }, 30_000);
    const finish = (err: Error | null, value?: { stdout: string; code: number | null }) => {
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
        stream.on("data", (d: Buffer) => {
          stdout += d.toString("utf8");
        });
        stream.stderr.resume();
        stream.on("exit", (code: number | null) => {
          stream.on("close", () => finish(null, { stdout, code }));
        });
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      readyTimeout: 20_000,
      tryKeyboard: false,
      ...config,
    });
  });
}

describe("sshd on loopback", () => {
  beforeAll(async () => {
    target = await sshTarget();
  });

  it("listens on 127.0.0.1:2222", () => {
    expect(target.host).toBe("127.0.0.1");
    expect(target.port).toBe(2222);
  });

  it("accepts the authorized key (system ssh client)", async () => {
    const r = await ssh(systemSshArgs(target), "echo ok; id -un");
    expect(r).toMatchObject({ code: 0, stdout: `ok\n${target.username}\n` });
  });

  it("presents the host key recorded in known_hosts", async () => {
    const r = await ssh(systemSshArgs(target, { strictHostKeys: true }), "echo strict");
    expect(r).toMatchObject({ code: 0, stdout: "strict\n" });
  });

  it("accepts the RSA key", async () => {
    const r = await ssh(systemSshArgs(target, { identity: target.rsaPrivateKeyPath }), "echo rsa");
    expect(r).toMatchObject({ code: 0, stdout: "rsa\n" });
  });

  it("rejects the unauthorized key", async () => {
    const r = await ssh(systemSshArgs(target, { identity: target.unauthorizedPrivateKeyPath }), "echo ok");
    expect(r.code).toBe(255);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Permission denied \(publickey,password\)/);
  });

  it("lets the test user sudo without a password", async () => {
    const r = await ssh(systemSshArgs(target), "sudo -n id -u");
    expect(r).toMatchObject({ code: 0, stdout: "0\n" });
  });

  it("lets root in by key when env.json says so", async () => {
    const r = await ssh(systemSshArgs(target, { user: "root" }), "id -u");
    if (target.rootLogin) expect(r).toMatchObject({ code: 0, stdout: "0\n" });
    else expect(r.code).toBe(255);
  });

  it("accepts the password (ssh2)", async () => {
    const r = await ssh2Exec({ username: target.username, password: target.password }, "echo ok");
    expect(r).toEqual({ stdout: "ok\n", code: 0 });
  });

  it("rejects a wrong password (ssh2)", async () => {
    await expect(
      ssh2Exec({ username: target.username, password: `${target.password}-wrong` }, "echo ok"),
    ).rejects.toMatchObject({ level: "client-authentication" });
  });

  it("accepts the authorized key and rejects the other through ssh2", async () => {
    const ok = await ssh2Exec({ username: target.username, privateKey: target.privateKey }, "echo key");
    expect(ok).toEqual({ stdout: "key\n", code: 0 });
    const other = readFileSync(target.unauthorizedPrivateKeyPath, "utf8");
    await expect(
      ssh2Exec({ username: target.username, privateKey: other }, "echo key"),
    ).rejects.toMatchObject({
      level: "client-authentication",
    });
  });

  it("serves sftp", async () => {
    const names = await new Promise<string[]>((resolve, reject) => {
      const client = new Client();
      client.on("error", reject);
      client.on("ready", () => {
        client.sftp((err, sftp) => {
          if (err) {
            client.end();
            return reject(err);
          }
          sftp.readdir("/etc", (e, list) => {
            client.end();
            if (e) reject(e);
            else resolve(list.map((f) => f.filename));
          });
        });
      });
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
      });
    });
    expect(names).toContain("passwd");
  });
});

describe("packer reference", () => {
  beforeAll(async () => {
    env = await requireTestEnv(["packer"]);
  });

  it("is Packer 1.6.6", async () => {
    const r = await run(env.packer.path, ["version"], { CHECKPOINT_DISABLE: "1" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Packer v${env.packer.version.replace(/\./g, "\\.")}\\b`));
  });
});
