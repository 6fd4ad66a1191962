#!/usr/bin/env node
// Upload throughput of kiln's SSH communicator (scp and sftp transfer methods) against OpenSSH's scp, to the
// loopback sshd of the test environment, in one run with alternating order.
//
// Usage: npm run build && node bench/ssh-upload.mjs [--size-mb 200] [--runs 5]
//   KILN_DIST=dir   where the compiled sources are (default: dist/)
//
// Each run uploads the same random file with: kiln scp, kiln sftp, OpenSSH `scp -O` (scp protocol) and
// OpenSSH `scp` (SFTP protocol, its default since 9.0). Times include connecting and authenticating, as the
// OpenSSH client's do; kiln's upload-only time (connection already open) is shown too. Prints medians and
// the throughput ratios kiln scp / `scp -O` and kiln sftp / `scp`.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const sizeMb = opt("size-mb", 200);
const runs = opt("runs", 5);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(process.env.KILN_DIST ?? join(root, "dist"));
const { SshCommunicator } = await import(pathToFileURL(join(dist, "communicator", "index.js")).href);

const env = JSON.parse(
  readFileSync(join(process.env.KILN_TEST_STATE ?? "/var/lib/kiln-test", "env.json"), "utf8"),
);
const ssh = env.ssh;
const remote = `/tmp/kiln-bench-${process.pid}.bin`;
const local = join(tmpdir(), `kiln-bench-source-${process.pid}.bin`);

async function makeFile() {
  const out = createWriteStream(local);
  const hash = createHash("sha256");
  for (let i = 0; i < sizeMb; i++) {
    const chunk = randomBytes(1 << 20);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  return hash.digest("hex");
}

const signal = new AbortController().signal;
const options = (method) => ({
  host: ssh.host,
  port: ssh.port,
  username: ssh.user,
  privateKeys: [readFileSync(ssh.privateKeyPath)],
  fileTransferMethod: method,
});

async function kiln(method) {
  const t0 = performance.now();
  const comm = await SshCommunicator.connect(options(method), signal);
  const t1 = performance.now();
  try {
    const size = statSync(local).size;
    await comm.upload(
      remote,
      createReadStream(local, { highWaterMark: 1 << 20 }),
      { size, mode: 0o644 },
      signal,
    );
  } finally {
    comm.close();
  }
  const t2 = performance.now();
  return { total: (t2 - t0) / 1000, transfer: (t2 - t1) / 1000 };
}

function openssh(legacy) {
  const argv = [
    "-q",
    ...(legacy ? ["-O"] : []),
    "-F",
    "/dev/null",
    "-P",
    String(ssh.port),
    "-i",
    ssh.privateKeyPath,
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    local,
    `${ssh.user}@${ssh.host}:${remote}`,
  ];
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const p = spawn("scp", argv, { stdio: ["ignore", "ignore", "inherit"] });
    p.on("error", reject);
    p.on("exit", (code) =>
      code === 0
        ? resolvePromise({ total: (performance.now() - t0) / 1000 })
        : reject(new Error(`scp exited ${code}`)),
    );
  });
}

async function remoteSha(method) {
  const comm = await SshCommunicator.connect(options(method), signal);
  try {
    let out = "";
    const { Writable } = await import("node:stream");
    const stdout = new Writable({
      write(c, _e, cb) {
        out += c;
        cb();
      },
    });
    const r = await comm.start({ command: `sha256sum ${remote}; rm -f ${remote}`, stdout }, signal);
    if (r.exitStatus !== 0) throw new Error(`sha256sum exited ${r.exitStatus}`);
    return out.split(" ")[0];
  } finally {
    comm.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const sha = await makeFile();
const tools = {
  "kiln scp": () => kiln("scp"),
  "kiln sftp": () => kiln("sftp"),
  "openssh scp -O": () => openssh(true),
  "openssh scp": () => openssh(false),
};
const names = Object.keys(tools);
const results = Object.fromEntries(names.map((n) => [n, { total: [], transfer: [] }]));
try {
  for (let run = 0; run < runs; run++) {
    // Alternate the order so no tool always runs on a warm (or cold) machine.
    const order = run % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const r = await tools[name]();
      results[name].total.push(r.total);
      if (r.transfer !== undefined) results[name].transfer.push(r.transfer);
    }
    process.stderr.write(`run ${run + 1}/${runs} done\n`);
  }
  for (const method of ["scp", "sftp"]) {
    await kiln(method);
    const got = await remoteSha(method);
    if (got !== sha) throw new Error(`kiln ${method}: remote sha256 ${got} != ${sha}`);
  }
} finally {
  rmSync(local, { force: true });
}

const mbps = (secs) => sizeMb / secs;
console.log(`upload of ${sizeMb} MiB to ${ssh.user}@${ssh.host}:${ssh.port}, ${runs} runs each, medians`);
console.log("tool              total s   MiB/s   range MiB/s    (upload only: s, MiB/s)");
for (const name of names) {
  const t = median(results[name].total);
  const range = `${mbps(Math.max(...results[name].total)).toFixed(0)}-${mbps(Math.min(...results[name].total)).toFixed(0)}`;
  const u = results[name].transfer.length ? median(results[name].transfer) : undefined;
  const extra = u !== undefined ? `   (${u.toFixed(2)} s, ${mbps(u).toFixed(1)})` : "";
  console.log(
    `${name.padEnd(16)} ${t.toFixed(2).padStart(7)} ${mbps(t).toFixed(1).padStart(7)}   ${range.padEnd(11)}${extra}`,
  );
}
const ratio = (a, b) => (mbps(median(results[a].total)) / mbps(median(results[b].total))).toFixed(2);
console.log(`ratio kiln scp / openssh scp -O:  ${ratio("kiln scp", "openssh scp -O")}`);
console.log(`ratio kiln sftp / openssh scp:    ${ratio("kiln sftp", "openssh scp")}`);
console.log(`ratio kiln scp / openssh scp:     ${ratio("kiln scp", "openssh scp")}`);
console.log("sha256 verified on the remote side for kiln scp and sftp");
