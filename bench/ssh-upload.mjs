#!/usr/bin/env node
/**
 * Upload throughput over SSH to the loopback sshd of the test environment (scripts/test-env.sh): kiln against
 * OpenSSH's scp and against Packer 1.6.6, in one run, alternately.
 *
 *   npm run build && node bench/ssh-upload.mjs [--size-mb 200] [--runs 5] [--no-packer]
 *   node bench/ssh-upload.mjs --print-template     # the template the builds use, to run it by hand
 *
 * Every round uploads the same random file (--size-mb MiB) with each of these, in alternating order:
 *
 * - `kiln build` and `packer build` of one template, as a user runs them: the null builder with the SSH
 *   communicator and a file provisioner uploading the file, once with ssh_file_transfer_method = "scp" (the
 *   default) and once with "sftp". Both tools accept the template unchanged; it is written beside the file in a
 *   temporary directory (--print-template shows it). Times are whole processes:
 *   start-up, template loading, connecting, the upload. The build time each tool reports (`Build 'x' finished
 *   after ...`) is shown too.
 * - OpenSSH: `scp -O` (the scp protocol, like ssh_file_transfer_method = "scp") and `scp` (the SFTP protocol,
 *   its default since OpenSSH 9.0), whole processes as well.
 * - kiln's SSH communicator in this process (connect + upload, and upload alone), the transfer code without
 *   the CLI around it.
 *
 * After one untimed warm-up round, --runs timed rounds; each round runs the tools in the reverse order of the
 * previous one. Every tool writes its own remote file; at the end the sha256 of each is checked on the remote
 * side and the files are removed. Prints medians and the throughput ratios (size / wall time): kiln build
 * against OpenSSH (goal >= 0.8) and against Packer, and Packer against OpenSSH for reference.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importDist, intOption, KILN_BIN, packerBin, testEnvironment } from "./lib/env.mjs";
import { reportedBuildMs, timeCommand } from "./lib/run.mjs";
import { formatRatio, median, range } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const sizeMb = intOption(argv, "size-mb", 200);
const runs = intOption(argv, "runs", 5);
const GOAL = 0.8;
const MIB = 1 << 20;

const env = testEnvironment();
if (env?.ssh === undefined) {
  console.error("ssh-upload: the test environment is not set up here: run scripts/test-env.sh (as root)");
  process.exit(2);
}
const ssh = env.ssh;
const packer = argv.includes("--no-packer") ? undefined : packerBin();
if (packer === undefined && !argv.includes("--no-packer")) {
  console.error("ssh-upload: packer not found (/usr/bin/packer or PATH); --no-packer measures without it");
  process.exit(2);
}
const { SshCommunicator } = await importDist("communicator/index.js");
const q = JSON.stringify;

// One template for both tools: HCL2 that Packer 1.6.6 reads, with the test sshd as defaults.
const TEMPLATE = `variable "method" {
  type    = string
  default = "scp"
}

variable "destination" {
  type    = string
  default = "/tmp/kiln-bench-upload.bin"
}

source "null" "upload" {
  communicator             = "ssh"
  ssh_host                 = ${q(ssh.host)}
  ssh_port                 = ${ssh.port}
  ssh_username             = ${q(ssh.user)}
  ssh_private_key_file     = ${q(ssh.privateKeyPath)}
  ssh_file_transfer_method = var.method
}

build {
  sources = ["source.null.upload"]

  provisioner "file" {
    source      = "payload.bin"
    destination = var.destination
  }
}
`;
if (argv.includes("--print-template")) {
  process.stdout.write(TEMPLATE);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), "kiln-bench-ssh-"));
const payload = join(work, "payload.bin");
writeFileSync(join(work, "upload.pkr.hcl"), TEMPLATE);
const remotePrefix = `/tmp/kiln-bench-ssh-${process.pid}`;

/** Writes sizeMb MiB of random bytes to the payload; returns their sha256. */
async function makePayload() {
  const out = createWriteStream(payload);
  const hash = createHash("sha256");
  for (let i = 0; i < sizeMb; i++) {
    const chunk = randomBytes(MIB);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  return hash.digest("hex");
}

// Neither tool gets an agent: agent forwarding would add a request to every session of one of them.
const childEnv = { ...process.env, CHECKPOINT_DISABLE: "1", SSH_AUTH_SOCK: "" };
delete childEnv.PACKER_LOG;

/** @typedef {{ ms: number, buildMs?: number, transferMs?: number }} Sample */

/**
 * A `build` of the template by `tool` with the given transfer method.
 * @param {"kiln" | "packer"} tool
 * @param {"scp" | "sftp"} method
 * @param {string} remote
 * @returns {Sample}
 */
function build(tool, method, remote) {
  const args = ["build", "-color=false", "-var", `method=${method}`, "-var", `destination=${remote}`, "."];
  const r = timeCommand(
    tool === "kiln"
      ? { name: tool, file: process.execPath, args: [KILN_BIN, ...args], cwd: work, env: childEnv }
      : { name: tool, file: /** @type {string} */ (packer), args, cwd: work, env: childEnv },
  );
  const buildMs = reportedBuildMs(r.stdout);
  if (r.status !== 0 || buildMs === undefined) {
    throw new Error(`${tool} build (${method}) exited ${r.status}:\n${r.stdout}${r.stderr}`);
  }
  return { ms: r.ms, buildMs };
}

/**
 * OpenSSH's scp: `-O` speaks the scp protocol, without it SFTP.
 * @param {boolean} legacy
 * @param {string} remote
 * @returns {Sample}
 */
function openssh(legacy, remote) {
  const args = [
    "-q",
    ...(legacy ? ["-O"] : []),
    ...["-F", "/dev/null", "-P", String(ssh.port), "-i", ssh.privateKeyPath],
    ...["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none"],
    ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
    payload,
    `${ssh.user}@${ssh.host}:${remote}`,
  ];
  const r = timeCommand({ name: "scp", file: "scp", args, env: childEnv });
  if (r.status !== 0) throw new Error(`scp exited ${r.status}: ${r.stderr}`);
  return { ms: r.ms };
}

const signal = new AbortController().signal;
/** @param {"scp" | "sftp"} method */
const commOptions = (method) => ({
  host: ssh.host,
  port: ssh.port,
  username: ssh.user,
  privateKeys: [readFileSync(ssh.privateKeyPath)],
  fileTransferMethod: method,
});

/**
 * kiln's communicator in this process: connect, then upload.
 * @param {"scp" | "sftp"} method
 * @param {string} remote
 * @returns {Promise<Sample>}
 */
async function inProcess(method, remote) {
  const t0 = performance.now();
  const comm = await SshCommunicator.connect(commOptions(method), signal);
  const t1 = performance.now();
  try {
    const size = statSync(payload).size;
    await comm.upload(
      remote,
      createReadStream(payload, { highWaterMark: MIB }),
      { size, mode: 0o644 },
      signal,
    );
  } finally {
    comm.close();
  }
  const t2 = performance.now();
  return { ms: t2 - t0, transferMs: t2 - t1 };
}

/** Runs `command` on the sshd with OpenSSH; resolves with its standard output. */
function remoteSh(command) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      "ssh",
      [
        ...["-F", "/dev/null", "-p", String(ssh.port), "-i", ssh.privateKeyPath],
        ...["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none"],
        ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
        `${ssh.user}@${ssh.host}`,
        command,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    p.stdout.on("data", (c) => {
      out += c;
    });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`ssh ${command}: exit ${code}`))));
  });
}

/** @type {{ name: string, slug: string, run: (remote: string) => Sample | Promise<Sample> }[]} */
const tools = [
  { name: "kiln build scp", slug: "kiln-build-scp", run: (r) => build("kiln", "scp", r) },
  { name: "kiln build sftp", slug: "kiln-build-sftp", run: (r) => build("kiln", "sftp", r) },
  ...(packer !== undefined
    ? [
        { name: "packer build scp", slug: "packer-build-scp", run: (r) => build("packer", "scp", r) },
        { name: "packer build sftp", slug: "packer-build-sftp", run: (r) => build("packer", "sftp", r) },
      ]
    : []),
  { name: "openssh scp -O", slug: "openssh-scp-O", run: (r) => openssh(true, r) },
  { name: "openssh scp", slug: "openssh-scp", run: (r) => openssh(false, r) },
  { name: "kiln comm scp", slug: "kiln-comm-scp", run: (r) => inProcess("scp", r) },
  { name: "kiln comm sftp", slug: "kiln-comm-sftp", run: (r) => inProcess("sftp", r) },
];
const remoteOf = (tool) => `${remotePrefix}-${tool.slug}.bin`;

/** @type {Map<string, Sample[]>} */
const samples = new Map(tools.map((t) => [t.name, []]));
let sha = "";
try {
  sha = await makePayload();
  for (let round = 0; round <= runs; round++) {
    const order = round % 2 === 0 ? tools : [...tools].reverse();
    for (const tool of order) {
      const s = await tool.run(remoteOf(tool));
      if (round > 0) samples.get(tool.name)?.push(s);
    }
    process.stderr.write(round === 0 ? "warm-up round done\n" : `round ${round}/${runs} done\n`);
  }
  const sums = await remoteSh(`sha256sum ${tools.map(remoteOf).join(" ")}`);
  for (const tool of tools) {
    const line = sums.split("\n").find((l) => l.endsWith(` ${remoteOf(tool)}`));
    if (line?.split(" ")[0] !== sha)
      throw new Error(`${tool.name}: the remote file's sha256 is not the payload's`);
  }
} finally {
  await remoteSh(`rm -f ${remotePrefix}-*.bin`).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}

const mibps = (ms) => sizeMb / (ms / 1000);
const med = (name, key = "ms") => {
  const xs = (samples.get(name) ?? []).map((s) => s[key]).filter((x) => x !== undefined);
  return xs.length > 0 ? median(xs) : undefined;
};

console.log(
  `upload of ${sizeMb} MiB to ${ssh.user}@${ssh.host}:${ssh.port}: ${runs} rounds after a warm-up, alternating order; medians`,
);
console.log(
  "builds: `build -color=false -var method=scp|sftp -var destination=PATH .` of the template --print-template shows",
);
console.log("");
console.log("tool                 wall s    MiB/s   MiB/s range   reported build s / upload-only s");
for (const tool of tools) {
  const xs = (samples.get(tool.name) ?? []).map((s) => s.ms);
  const [lo, hi] = range(xs);
  const wall = median(xs);
  const b = med(tool.name, "buildMs");
  const u = med(tool.name, "transferMs");
  const extra =
    b !== undefined
      ? `build ${(b / 1000).toFixed(2)}`
      : u !== undefined
        ? `upload ${(u / 1000).toFixed(2)}`
        : "";
  console.log(
    `${tool.name.padEnd(18)} ${(wall / 1000).toFixed(2).padStart(7)} ${mibps(wall).toFixed(1).padStart(8)}   ${`${mibps(hi).toFixed(0)}-${mibps(lo).toFixed(0)}`.padEnd(13)} ${extra}`,
  );
}

/** Throughput of a over throughput of b (the inverse ratio of their median wall times). */
const ratio = (a, b) => /** @type {number} */ (med(b)) / /** @type {number} */ (med(a));
console.log("");
console.log("kiln as a user runs it (`kiln build`, whole process) against OpenSSH, throughput:");
console.log(
  `  ${formatRatio("kiln build scp / openssh scp -O ", ratio("kiln build scp", "openssh scp -O"), { atLeast: GOAL })}`,
);
console.log(
  `  ${formatRatio("kiln build sftp / openssh scp    ", ratio("kiln build sftp", "openssh scp"), { atLeast: GOAL })}`,
);
console.log(
  `  ${formatRatio("kiln build scp / openssh scp     ", ratio("kiln build scp", "openssh scp"), { atLeast: GOAL })}`,
);
if (packer !== undefined) {
  console.log("kiln against Packer 1.6.6, same template, throughput (> 1: kiln is faster):");
  console.log(
    `  ${formatRatio("kiln build scp / packer build scp  ", ratio("kiln build scp", "packer build scp"))}`,
  );
  console.log(
    `  ${formatRatio("kiln build sftp / packer build sftp", ratio("kiln build sftp", "packer build sftp"))}`,
  );
  console.log("Packer 1.6.6 against OpenSSH, throughput (for reference):");
  console.log(
    `  ${formatRatio("packer build scp / openssh scp -O ", ratio("packer build scp", "openssh scp -O"))}`,
  );
  console.log(
    `  ${formatRatio("packer build sftp / openssh scp   ", ratio("packer build sftp", "openssh scp"))}`,
  );
}
console.log("kiln's communicator in process (connect + upload) against OpenSSH, throughput:");
console.log(
  `  ${formatRatio("kiln comm scp / openssh scp -O ", ratio("kiln comm scp", "openssh scp -O"), { atLeast: GOAL })}`,
);
console.log(
  `  ${formatRatio("kiln comm sftp / openssh scp    ", ratio("kiln comm sftp", "openssh scp"), { atLeast: GOAL })}`,
);
console.log(`sha256 of every tool's remote file matched the payload (${sha.slice(0, 16)}...)`);
