// The SSH communicator against the test sshd: authentication, commands, and file transfers with scp and sftp.
import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshCommunicator, SshErrorCode } from "../../../src/communicator/index.js";
import { CMD_DISCONNECT_STATUS, isKilnError, KilnError } from "../../../src/sdk/index.js";
import type { SshTarget } from "../../support/env.js";
import { Capture, connect, keyOptions, never, remoteTempDir, run, sh, target } from "./helpers.js";

let t: SshTarget;
let comm: SshCommunicator;
let remote: string;
let local: string;

beforeAll(async () => {
  t = await target();
  comm = await connect(t);
  remote = await remoteTempDir(comm);
  local = mkdtempSync(join(tmpdir(), "kiln-ssh-local-"));
});

afterAll(async () => {
  if (comm !== undefined) {
    if (remote !== undefined) await sh(comm, `rm -rf ${remote}`);
    comm.close();
  }
  if (local !== undefined) rmSync(local, { recursive: true, force: true });
});

describe("authentication", () => {
  it("logs in with the ed25519 key, the RSA key and the password", async () => {
    for (const options of [
      keyOptions(t),
      keyOptions(t, { privateKeys: [readFileSync(t.rsaPrivateKeyPath)] }),
      { host: t.host, port: t.port, username: t.username, password: t.password },
    ]) {
      const c = await SshCommunicator.connect(options, never());
      try {
        expect((await sh(c, "id -un")).trim()).toBe("kiln");
      } finally {
        c.close();
      }
    }
  });

  it("explains a rejected key: who, where, what was tried", async () => {
    const err = await SshCommunicator.connect(
      keyOptions(t, { privateKeys: [readFileSync(t.unauthorizedPrivateKeyPath)] }),
      never(),
    ).catch((e: unknown) => e);
    expect(isKilnError(err, SshErrorCode.Auth)).toBe(true);
    expect((err as KilnError).message).toBe(
      "authentication failed for kiln@127.0.0.1:2222: attempted methods [publickey], no supported methods remain; the server allows [publickey password]",
    );
    expect((err as KilnError).hint).toMatch(/ssh_username/);
  });

  it("rejects a wrong password and a closed port with clear errors", async () => {
    const bad = await SshCommunicator.connect(
      { host: t.host, port: t.port, username: t.username, password: "wrong" },
      never(),
    ).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(
      /^authentication failed for kiln@127\.0\.0\.1:2222: attempted methods \[password keyboard-interactive\]|^authentication failed for kiln@127\.0\.0\.1:2222: attempted methods \[password\]/,
    );
    const closed = await SshCommunicator.connect(keyOptions(t, { port: 1 }), never()).catch(
      (e: unknown) => e,
    );
    expect(isKilnError(closed, SshErrorCode.Dial)).toBe(true);
    expect((closed as Error).message).toBe("dial tcp 127.0.0.1:1: connection refused");
  });
});

describe("commands", () => {
  it("streams standard output and error and returns the exit status", async () => {
    const r = await run(comm, "echo out; echo err >&2; exit 7");
    expect(r).toEqual({ exitStatus: 7, stdout: "out\n", stderr: "err\n" });
  });

  it("feeds standard input and reports a signal as 128+n", async () => {
    expect((await run(comm, "tr a-z A-Z", "hello")).stdout).toBe("HELLO");
    const stdin = Readable.from(["one\n", "two\n"]);
    const out = new Capture();
    await comm.start({ command: "wc -l", stdin, stdout: out }, never());
    expect(out.text.trim()).toBe("2");
    expect((await run(comm, "kill -TERM $$")).exitStatus).toBe(143);
  });

  it("runs with a pseudo-terminal when asked", async () => {
    const c = await connect(t, { pty: true });
    try {
      expect((await run(c, "tty >/dev/null && echo yes || echo no")).stdout.trim()).toBe("yes");
    } finally {
      c.close();
    }
    expect((await run(comm, "tty >/dev/null && echo yes || echo no")).stdout.trim()).toBe("no");
  });

  it("stops the remote command when cancelled", async () => {
    const controller = new AbortController();
    const marker = `${remote}/cancelled`;
    const p = comm.start({ command: `sleep 30; touch ${marker}` }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(p).rejects.toThrow("context canceled");
    expect(
      (
        await run(
          comm,
          "sleep 1; pgrep -u kiln -f 'sleep [3]0; touch' >/dev/null && echo running || echo gone",
        )
      ).stdout.trim(),
    ).toBe("gone");
  });

  it("reports a dropped connection as the disconnect status and reconnects for the next command", async () => {
    const c = await connect(t);
    try {
      // Kill this session's own sshd process: the connection drops without an exit status.
      const killer =
        'p=$$; while [ "$p" -gt 1 ]; do c=$(cat /proc/$p/comm); case "$c" in sshd*) kill -9 $p; exit 0;; esac; p=$(awk \'{print $4}\' /proc/$p/stat); done';
      const r = await run(c, killer);
      expect(r.exitStatus).toBe(CMD_DISCONNECT_STATUS);
      expect((await sh(c, "echo again")).trim()).toBe("again");
    } finally {
      c.close();
    }
  });
});

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Samples the resident set size; stop() returns the largest growth over the starting value. */
function watchMemory(): { stop(): number } {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak - start;
    },
  };
}

function makeTree(root: string): void {
  mkdirSync(join(root, "sub", "deep"), { recursive: true });
  writeFileSync(join(root, "a.txt"), "alpha\n");
  writeFileSync(join(root, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o750 });
  writeFileSync(join(root, "sub", "b.txt"), "beta\n");
  writeFileSync(join(root, "sub", "deep", "c.log"), "gamma\n");
}

async function remoteTree(c: SshCommunicator, dir: string): Promise<string[]> {
  const out = await sh(c, `cd ${dir} && find . -mindepth 1 -printf '%p %y %m\\n' | LC_ALL=C sort`);
  return out
    .trim()
    .split("\n")
    .filter((l) => l !== "");
}

for (const method of ["scp", "sftp"] as const) {
  describe(`file transfer with ${method}`, () => {
    let c: SshCommunicator;
    let base: string;
    beforeAll(async () => {
      c = await connect(t, { fileTransferMethod: method });
      base = `${remote}/${method}`;
      await sh(c, `mkdir -p ${base}`);
    });
    afterAll(() => c?.close());

    it("uploads a stream with its mode, and one of unknown size", async () => {
      await c.upload(
        `${base}/f.txt`,
        Readable.from([Buffer.from("hello\n")]),
        { size: 6, mode: 0o640 },
        never(),
      );
      expect(await sh(c, `stat -c '%a %s' ${base}/f.txt; cat ${base}/f.txt`)).toBe("640 6\nhello\n");
      await c.upload(`${base}/g.txt`, Readable.from(["x", "y", "z"]), undefined, never());
      expect(await sh(c, `cat ${base}/g.txt`)).toBe("xyz");
    });

    it("handles remote paths with spaces and quotes", async () => {
      const dir = `${base}/with space "q"`;
      await sh(c, `mkdir -p '${dir}'`);
      await c.upload(`${dir}/it's.txt`, Readable.from([Buffer.from("odd")]), { size: 3 }, never());
      const out = new Capture();
      await c.download(`${dir}/it's.txt`, out, never());
      expect(out.text).toBe("odd");
      const back = join(local, `odd-${method}`);
      await c.downloadDir(dir, back, [], never());
      expect(readFileSync(join(back, 'with space "q"', "it's.txt"), "utf8")).toBe("odd");
    });

    it("fails clearly when the remote directory is missing or not writable", async () => {
      const missing = await c
        .upload(`${base}/no/such/dir/f`, Readable.from([Buffer.from("x")]), { size: 1 }, never())
        .catch((e: unknown) => e);
      expect((missing as Error).message).toMatch(/no such file/i);
      const denied = await c
        .upload("/root/kiln-denied", Readable.from([Buffer.from("x")]), { size: 1 }, never())
        .catch((e: unknown) => e);
      expect((denied as Error).message).toMatch(/permission denied/i);
    });

    it("downloads a file and fails clearly for a missing one", async () => {
      const out = new Capture();
      await c.download(`${base}/f.txt`, out, never());
      expect(out.text).toBe("hello\n");
      const err = await c.download(`${base}/missing`, new Capture(), never()).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/No such file|no such file/);
    });

    it("uploads directories with the trailing-slash rule", async () => {
      const src = join(local, `tree-${method}`);
      makeTree(src);
      await sh(c, `mkdir -p ${base}/with-name`);
      await c.uploadDir(`${base}/with-name`, src, [], never());
      await c.uploadDir(`${base}/contents`, `${src}/`, ["*.log"], never());
      expect((await remoteTree(c, `${base}/with-name`)).join("\n")).toEqual(
        [
          `./tree-${method} d 755`,
          `./tree-${method}/a.txt f 644`,
          `./tree-${method}/run.sh f 750`,
          `./tree-${method}/sub d 755`,
          `./tree-${method}/sub/b.txt f 644`,
          `./tree-${method}/sub/deep d 755`,
          `./tree-${method}/sub/deep/c.log f 644`,
        ].join("\n"),
      );
      // The excluded file is not there; its directory is.
      expect((await remoteTree(c, `${base}/contents`)).join("\n")).toEqual(
        ["./a.txt f 644", "./run.sh f 750", "./sub d 755", "./sub/b.txt f 644", "./sub/deep d 755"].join(
          "\n",
        ),
      );
    });

    it("downloads directories with the trailing-slash rule, modes kept", async () => {
      const withName = join(local, `dl-${method}-name`);
      const contents = join(local, `dl-${method}-contents`);
      await c.downloadDir(`${base}/contents`, withName, [], never());
      await c.downloadDir(`${base}/contents/`, contents, ["sub/b.txt"], never());
      expect(readFileSync(join(withName, "contents", "sub", "b.txt"), "utf8")).toBe("beta\n");
      expect(statSync(join(withName, "contents", "run.sh")).mode & 0o777).toBe(0o750);
      expect(readFileSync(join(contents, "a.txt"), "utf8")).toBe("alpha\n");
      expect(statSync(join(contents, "run.sh")).mode & 0o777).toBe(0o750);
      expect(statSync(join(contents, "sub", "deep")).isDirectory()).toBe(true);
      expect(() => statSync(join(contents, "sub", "b.txt"))).toThrow();
      expect(() => statSync(join(contents, "contents"))).toThrow();
    });

    it("moves a 200 MiB file both ways intact, with flat memory", { timeout: 240_000 }, async () => {
      const src = join(local, `big-${method}.bin`);
      const back = join(local, `big-${method}.back`);
      const out = createWriteStream(src);
      const block = randomBytes(1 << 20);
      for (let i = 0; i < 200; i++) {
        block[0] = i;
        if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once("drain", () => r()));
      }
      out.end();
      await finished(out);
      const want = await sha256File(src);
      const size = statSync(src).size;
      const memory = watchMemory();
      await c.upload(
        `${base}/big.bin`,
        createReadStream(src, { highWaterMark: 1 << 20 }),
        { size, mode: 0o600 },
        never(),
      );
      expect((await sh(c, `sha256sum ${base}/big.bin`)).split(" ")[0]).toBe(want);
      const dl = createWriteStream(back);
      await c.download(`${base}/big.bin`, dl, never());
      dl.end();
      await finished(dl);
      // Growth of the resident set while 400 MiB went through: a small fraction of the file.
      expect(memory.stop()).toBeLessThan(120 << 20);
      expect(await sha256File(back)).toBe(want);
      await sh(c, `rm -f ${base}/big.bin`);
      rmSync(src);
      rmSync(back);
    });
  });
}

it("cancels a transfer in progress", async () => {
  const controller = new AbortController();
  const endless = new Readable({
    read() {
      this.push(Buffer.alloc(1 << 16));
    },
  });
  const p = comm.upload(`${remote}/endless`, endless, { size: 2 ** 40 }, controller.signal);
  setTimeout(() => controller.abort(), 200);
  const err = await p.catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "CANCELLED" });
  endless.destroy();
});

it("uses the ciphers it is told to", async () => {
  const c = await connect(t, { ciphers: ["aes256-ctr"] });
  try {
    expect((await sh(c, "echo ok")).trim()).toBe("ok");
  } finally {
    c.close();
  }
  const err = await connect(t, { ciphers: ["no-such-cipher"] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KilnError);
});

it("gives up on a handshake that never completes", async () => {
  // A server that accepts connections but never speaks SSH.
  const sockets: Socket[] = [];
  const mute = createServer((s) => sockets.push(s));
  const port = await new Promise<number>((resolve) =>
    mute.listen(0, "127.0.0.1", () => resolve((mute.address() as { port: number }).port)),
  );
  try {
    const started = Date.now();
    const err = await SshCommunicator.connect(
      keyOptions(t, { port, handshakeTimeoutMs: 500 }),
      never(),
    ).catch((e: unknown) => e);
    expect(isKilnError(err, SshErrorCode.HandshakeTimeout)).toBe(true);
    expect((err as Error).message).toBe(`Timeout during SSH handshake with kiln@127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    for (const s of sockets) s.destroy();
    mute.close();
  }
});
