#!/usr/bin/env node
/**
 * A qemu disk-image build with kiln against the same build with Packer 1.6.6, as whole processes: a legacy JSON
 * template (written to a temporary directory) that copies the cached Debian test image (scripts/qemu-image.sh),
 * boots it under TCG, runs a shell provisioner over SSH, powers it off and compacts the qcow2 disk.
 *
 * Two numbers:
 *  - the wall-time ratio kiln/packer (medians, runs alternating kiln, packer, packer, kiln, ...). Goal <= 1.0.
 *  - how long after the guest's sshd is up each tool reports "Connected to SSH!". The template sends the
 *    guest's serial console to a file (qemuargs `-serial`, the same for both tools), which the harness watches
 *    for systemd's "Started ssh.service" line; the delay is from that line to the tool's. (Probing the forwarded
 *    port instead would disturb the build: QEMU keeps every probe made while the guest's network is down and
 *    delivers it to sshd later.) Goal for kiln <= 2 s.
 *
 * While `kiln build` is not implemented (or does not know the qemu builder yet) the harness says so and stops.
 *
 *   npm run build && node bench/qemu-build.mjs [--runs 2] [--kiln path/to/bin/kiln.js]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { intOption, KILN_BIN, option, PACKER_ENV, packerBin } from "./lib/env.mjs";
import { formatMs, formatRatio, formatTimes, median } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const runs = intOption(argv, "runs", 2);
// Another kiln (e.g. a build of a work tree) with `--kiln path/to/bin/kiln.js`.
const kilnBin = option(argv, "kiln") ?? KILN_BIN;
const GOAL_RATIO = 1.0;
const GOAL_CONNECT_MS = 2000;

const packer = packerBin();
if (packer === undefined) {
  console.error("qemu-build: packer not found (/usr/bin/packer or PATH)");
  process.exit(2);
}
const imageJson = join(process.env.KILN_TEST_STATE ?? "/var/lib/kiln-test", "qemu-image.json");
if (!existsSync(imageJson)) {
  console.error(`qemu-build: no ${imageJson}: run scripts/test-env.sh (or scripts/qemu-image.sh) as root`);
  process.exit(2);
}
const image = JSON.parse(readFileSync(imageJson, "utf8")).qemu;

const work = mkdtempSync(join(tmpdir(), "kiln-bench-qemu-"));
const template = {
  builders: [
    {
      type: "qemu",
      name: "bench",
      iso_url: image.image,
      iso_checksum: `sha256:${image.sha256}`,
      disk_image: true,
      use_backing_file: false,
      disk_size: "3G",
      format: "qcow2",
      accelerator: "tcg",
      headless: true,
      memory: 1024,
      ssh_username: "root",
      ssh_private_key_file: image.privateKeyPath,
      ssh_timeout: "10m",
      shutdown_command: "poweroff",
      vm_name: "bench.qcow2",
      output_directory: "output-bench",
      qemuargs: [["-serial", "file:serial.log"]],
    },
  ],
  provisioners: [{ type: "shell", inline: ["echo kiln-bench > /root/bench", "uname -r", "sync"] }],
};
writeFileSync(join(work, "template.json"), `${JSON.stringify(template, null, 2)}\n`);

/**
 * Runs one build, timing it and watching its output for the forwarded port and the SSH connection.
 * @param {"kiln" | "packer"} tool
 */
function runOnce(tool) {
  rmSync(join(work, "output-bench"), { recursive: true, force: true });
  rmSync(join(work, "serial.log"), { force: true });
  const args = ["build", "template.json"];
  const child =
    tool === "kiln"
      ? spawn(process.execPath, [kilnBin, ...args], { cwd: work, env: { ...process.env, PACKER_LOG: "1" } })
      : spawn(packer ?? "packer", args, { cwd: work, env: PACKER_ENV });
  const started = performance.now();
  let output = "";
  let sshdAt;
  let connectedAt;
  const watch = setInterval(() => {
    if (sshdAt !== undefined) return;
    try {
      if (/Started .*ssh\.service/.test(readFileSync(join(work, "serial.log"), "latin1")))
        sshdAt = performance.now();
    } catch {
      // Not there yet.
    }
  }, 100);
  // kiln's debug log (stderr) tells when it saw the guest's network and the SSH banner.
  let networkAt;
  let bannerAt;
  const onLine = (line) => {
    if (line.includes("Connected to SSH!") && connectedAt === undefined) connectedAt = performance.now();
    if (line.includes("The guest's network answers") && networkAt === undefined)
      networkAt = performance.now();
    if (line.includes("SSH banner seen on") && bannerAt === undefined) bannerAt = performance.now();
  };
  let partial = "";
  const feed = (chunk) => {
    output += chunk;
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) onLine(l);
  };
  child.stdout.setEncoding("utf8").on("data", feed);
  let errPartial = "";
  child.stderr.setEncoding("utf8").on("data", (c) => {
    errPartial += c;
    const lines = errPartial.split("\n");
    errPartial = lines.pop() ?? "";
    for (const l of lines) onLine(l);
  });
  return new Promise((resolve) => {
    child.on("close", (status) => {
      clearInterval(watch);
      const ms = performance.now() - started;
      const connectDelay =
        sshdAt !== undefined && connectedAt !== undefined ? connectedAt - sshdAt : undefined;
      const rel = (t) => (t === undefined || sshdAt === undefined ? undefined : t - sshdAt);
      resolve({ ms, status, output, connectDelay, network: rel(networkAt), banner: rel(bannerAt) });
    });
  });
}

function tail(text) {
  return text.trim().split("\n").slice(-15).join("\n");
}

try {
  const warm = await runOnce("kiln");
  if (warm.status !== 0 && /not implemented/i.test(warm.output)) {
    console.log("qemu-build: kiln build not implemented yet");
    process.exit(0);
  }
  if (
    warm.status !== 0 &&
    /qemu/.test(warm.output) &&
    /unknown|not (found|known)|no builder/i.test(warm.output)
  ) {
    console.log(
      "qemu-build: kiln build does not know the qemu builder yet (it must be registered in src/plugins)",
    );
    console.log(tail(warm.output));
    process.exit(0);
  }
  if (warm.status !== 0) {
    console.log(`qemu-build: kiln build failed (exit ${warm.status}):\n${tail(warm.output)}`);
    process.exit(1);
  }
  const warmPacker = await runOnce("packer");
  if (warmPacker.status !== 0) {
    console.log(`qemu-build: packer build failed (exit ${warmPacker.status}):\n${tail(warmPacker.output)}`);
    process.exit(1);
  }
  const times = { kiln: [warm.ms], packer: [warmPacker.ms] };
  const delays = { kiln: [warm.connectDelay], packer: [warmPacker.connectDelay] };
  const steps = [warm];
  // Builds take a minute or more each, so the warm-up runs count too.
  for (let round = 1; round < runs; round++) {
    const order = round % 2 === 0 ? ["kiln", "packer"] : ["packer", "kiln"];
    for (const tool of order) {
      const r = await runOnce(tool);
      if (r.status !== 0) {
        console.log(
          `qemu-build: ${tool} build failed in round ${round + 1} (exit ${r.status}):\n${tail(r.output)}`,
        );
        process.exit(1);
      }
      times[tool].push(r.ms);
      delays[tool].push(r.connectDelay);
      if (tool === "kiln") steps.push(r);
    }
  }
  const k = median(times.kiln);
  const p = median(times.packer);
  const show = (list) => list.map((d) => (d === undefined ? "?" : formatMs(d))).join(", ");
  const known = (list) => list.filter((d) => d !== undefined);
  console.log(`qemu disk-image build (TCG, ${image.image}), ${runs} runs each, alternating`);
  console.log(`  kiln   ${formatTimes(times.kiln)}`);
  console.log(`  packer ${formatTimes(times.packer)}`);
  console.log(
    `  ${formatRatio("kiln/packer", k / p, { atMost: GOAL_RATIO })} (${formatMs(k)} / ${formatMs(p)})`,
  );
  console.log(`  SSH connected after sshd started: kiln ${show(delays.kiln)}; packer ${show(delays.packer)}`);
  for (const r of steps) {
    console.log(
      `  kiln, from sshd's start: guest network seen ${show([r.network])}, banner seen ${show([r.banner])}, connected ${show([r.connectDelay])}`,
    );
  }
  const kd = known(delays.kiln);
  if (kd.length > 0) {
    const worst = Math.max(...kd);
    console.log(
      `  kiln worst connect delay ${formatMs(worst)} (goal <= ${formatMs(GOAL_CONNECT_MS)}): ${worst <= GOAL_CONNECT_MS ? "ok" : "MISSED"}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
