// The docker communicator against the real engine: commands (streams, exit codes, stdin, users, TTY,
// cancellation), uploads (modes, owners, docker cp's directory rules, exclusions) and downloads.

import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerCommunicator } from "../../../src/communicator/docker/index.js";
import { type DockerTestEnv, dockerTestEnv, Leftovers, shellOutput, startShellContainer } from "./support.js";

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

const signal = () => new AbortController().signal;

let t: DockerTestEnv;
let leftovers: Leftovers;
let container: Docker.Container;
let comm: DockerCommunicator;
let local: string;

beforeAll(async () => {
  t = await dockerTestEnv();
  leftovers = new Leftovers(t.docker);
  container = await startShellContainer(t.docker, t.busybox);
  leftovers.container(container.id);
  comm = new DockerCommunicator({ docker: t.client, containerId: container.id, fixUploadOwner: true });
  local = await mkdtemp(join(tmpdir(), "kiln-docker-comm-"));
});

afterAll(async () => {
  await leftovers?.clean();
  if (local) await rm(local, { recursive: true, force: true });
});

describe("start", () => {
  it("streams stdout and stderr apart and reports the exit status", async () => {
    const out = collector();
    const err = collector();
    const result = await comm.start(
      { command: "echo one; echo two >&2; echo three; exit 7", stdout: out.stream, stderr: err.stream },
      signal(),
    );
    expect(result.exitStatus).toBe(7);
    expect(out.text()).toBe("one\nthree\n");
    expect(err.text()).toBe("two\n");
  });

  it("runs the command line in a subshell, as Packer's `(cmd)` does", async () => {
    const out = collector();
    const result = await comm.start({ command: "cd /tmp && pwd; exit 0", stdout: out.stream }, signal());
    expect(result.exitStatus).toBe(0);
    expect(out.text()).toBe("/tmp\n");
  });

  it("feeds stdin and closes it", async () => {
    const out = collector();
    const result = await comm.start(
      {
        command: "wc -c; cat",
        stdin: Readable.from([Buffer.from("hello "), Buffer.from("world")]),
        stdout: out.stream,
      },
      signal(),
    );
    expect(result.exitStatus).toBe(0);
    expect(out.text().trim()).toBe("11");
    const out2 = collector();
    await comm.start({ command: "cat", stdin: "from a string", stdout: out2.stream }, signal());
    expect(out2.text()).toBe("from a string");
  });

  it("gives commands without input an empty stdin (they do not hang)", async () => {
    const out = collector();
    const result = await comm.start({ command: "cat; echo done", stdout: out.stream }, signal());
    expect(result.exitStatus).toBe(0);
    expect(out.text()).toBe("done\n");
  });

  it("keeps large output intact", async () => {
    const out = collector();
    const result = await comm.start(
      { command: "i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done", stdout: out.stream },
      signal(),
    );
    expect(result.exitStatus).toBe(0);
    const lines = out.text().trimEnd().split("\n");
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toBe("line-19999");
  });

  it("runs as exec_user", async () => {
    const asNobody = new DockerCommunicator({
      docker: t.client,
      containerId: container.id,
      execUser: "nobody",
    });
    const out = collector();
    await asNobody.start({ command: "id -u", stdout: out.stream }, signal());
    expect(out.text().trim()).toBe("65534");
  });

  it("merges output on a TTY with pty", async () => {
    const pty = new DockerCommunicator({ docker: t.client, containerId: container.id, pty: true });
    const out = collector();
    const err = collector();
    const result = await pty.start(
      { command: "echo a; echo b >&2; exit 3", stdout: out.stream, stderr: err.stream },
      signal(),
    );
    expect(result.exitStatus).toBe(3);
    expect(out.text().replace(/\r/g, "")).toBe("a\nb\n");
    expect(err.text()).toBe("");
  });

  it("stops waiting when cancelled", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(comm.start({ command: "sleep 30" }, controller.signal)).rejects.toThrow("context canceled");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("rejects when the container is gone", async () => {
    const gone = new DockerCommunicator({ docker: t.client, containerId: "kiln-no-such-container" });
    await expect(gone.start({ command: "true" }, signal())).rejects.toThrow(/No such container/);
  });
});

describe("upload", () => {
  it("writes a file with the given mode and content, owned by root", async () => {
    const body = "#!/bin/sh\necho uploaded\n";
    await comm.upload("/tmp/script.sh", Readable.from([body]), { size: body.length, mode: 0o755 }, signal());
    expect(await shellOutput(container, "stat -c '%a %U' /tmp/script.sh; /tmp/script.sh")).toBe(
      "755 root\nuploaded\n",
    );
  });

  it("stages a stream of unknown size and uploads it with a temp file's mode (0600)", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, "x");
    await comm.upload(
      "/tmp/big.bin",
      Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
      undefined,
      signal(),
    );
    expect(await shellOutput(container, "stat -c '%a %s' /tmp/big.bin")).toBe(`600 ${big.length}\n`);
  });

  it("replaces an existing file", async () => {
    await comm.upload("/tmp/replace.txt", Readable.from(["first"]), { size: 5 }, signal());
    await comm.upload("/tmp/replace.txt", Readable.from(["2nd"]), { size: 3 }, signal());
    expect(await shellOutput(container, "cat /tmp/replace.txt")).toBe("2nd");
  });

  it("fails with Packer's message when the directory does not exist", async () => {
    await expect(
      comm.upload("/nonexistent/dir/f", Readable.from(["x"]), { size: 1 }, signal()),
    ).rejects.toThrow(/^Failed to upload to '\/nonexistent\/dir\/f' in container: .*\.$/);
  });

  it("gives uploads to the container's user with fix_upload_owner", async () => {
    const owned = new DockerCommunicator({
      docker: t.client,
      containerId: container.id,
      containerUser: "nobody",
      fixUploadOwner: true,
    });
    await owned.upload("/tmp/owned.txt", Readable.from(["x"]), { size: 1 }, signal());
    expect(await shellOutput(container, "stat -c '%U' /tmp/owned.txt")).toBe("nobody\n");
    const notFixed = new DockerCommunicator({
      docker: t.client,
      containerId: container.id,
      containerUser: "nobody",
      fixUploadOwner: false,
    });
    await notFixed.upload("/tmp/unfixed.txt", Readable.from(["x"]), { size: 1 }, signal());
    expect(await shellOutput(container, "stat -c '%U' /tmp/unfixed.txt")).toBe("root\n");
  });

  it("leaves owners alone when the container's user is root (no chown -R root over existing files)", async () => {
    await shellOutput(
      container,
      "mkdir -p /srv/keep && echo x > /srv/keep/theirs && chown -R nobody /srv/keep",
    );
    await comm.upload("/srv/keep/mine", Readable.from(["y"]), { size: 1 }, signal());
    expect(await shellOutput(container, "stat -c '%n %U' /srv/keep /srv/keep/theirs /srv/keep/mine")).toBe(
      "/srv/keep nobody\n/srv/keep/theirs nobody\n/srv/keep/mine root\n",
    );
  });
});

describe("uploadDir", () => {
  let tree: string;
  beforeAll(async () => {
    tree = join(local, "tree");
    await mkdir(join(tree, "sub", "deeper"), { recursive: true });
    await writeFile(join(tree, "a.txt"), "A");
    await writeFile(join(tree, "run.sh"), "#!/bin/sh\n", { mode: 0o750 });
    await writeFile(join(tree, "sub", "b.txt"), "B");
    await writeFile(join(tree, "sub", "deeper", "c.log"), "C");
    await symlink("a.txt", join(tree, "link"));
  });

  const listing = (dir: string) =>
    shellOutput(
      container,
      `cd ${dir} && find . | sort && readlink link 2>/dev/null; stat -c '%a' run.sh 2>/dev/null`,
    );

  it("copies the contents with a trailing slash", async () => {
    await shellOutput(container, "mkdir -p /srv/contents");
    await comm.uploadDir("/srv/contents", `${tree}/`, [], signal());
    expect(await listing("/srv/contents")).toBe(
      ".\n./a.txt\n./link\n./run.sh\n./sub\n./sub/b.txt\n./sub/deeper\n./sub/deeper/c.log\na.txt\n750\n",
    );
  });

  it("copies the directory itself into an existing destination without one", async () => {
    await shellOutput(container, "mkdir -p /srv/into");
    await comm.uploadDir("/srv/into", tree, [], signal());
    expect(await shellOutput(container, "cd /srv/into && find . | sort")).toBe(
      ".\n./tree\n./tree/a.txt\n./tree/link\n./tree/run.sh\n./tree/sub\n./tree/sub/b.txt\n./tree/sub/deeper\n./tree/sub/deeper/c.log\n",
    );
  });

  it("makes a missing destination a copy of the directory (docker cp)", async () => {
    await comm.uploadDir("/srv/fresh", tree, [], signal());
    expect(await shellOutput(container, "cat /srv/fresh/sub/b.txt")).toBe("B");
    await comm.uploadDir("/srv/fresh2", `${tree}/`, [], signal());
    expect(await shellOutput(container, "cat /srv/fresh2/a.txt")).toBe("A");
  });

  it("skips excluded paths", async () => {
    await comm.uploadDir("/srv/excl", `${tree}/`, ["**/*.log", "sub/b.txt", "link"], signal());
    expect(await shellOutput(container, "cd /srv/excl && find . | sort")).toBe(
      ".\n./a.txt\n./run.sh\n./sub\n./sub/deeper\n",
    );
  });

  it("refuses to copy a directory onto a file", async () => {
    await shellOutput(container, "echo x > /srv/file");
    await expect(comm.uploadDir("/srv/file", tree, [], signal())).rejects.toThrow(
      "Failed to upload to '/srv/file' in container: cannot copy a directory to a file.",
    );
  });

  it("chowns the destination to the container's user", async () => {
    const owned = new DockerCommunicator({
      docker: t.client,
      containerId: container.id,
      containerUser: "nobody",
    });
    await owned.uploadDir("/srv/owned", `${tree}/`, [], signal());
    expect(await shellOutput(container, "stat -c '%U' /srv/owned /srv/owned/sub/deeper/c.log")).toBe(
      "nobody\nnobody\n",
    );
  });
});

describe("connections", () => {
  it("releases every connection to the engine once an operation is done", async () => {
    const pipes = () => process.getActiveResourcesInfo().filter((r) => r === "PipeWrap").length;
    const tree = await mkdtemp(join(local, "conn-"));
    await writeFile(join(tree, "f"), "f");
    const before = pipes();
    await comm.start({ command: "mkdir -p /tmp/conn-dir" }, signal());
    await comm.start({ command: "cat >/dev/null", stdin: "input" }, signal());
    await comm.upload("/tmp/conn-file", Readable.from(["x"]), { size: 1 }, signal());
    // An existing destination: its stat (HEAD) succeeds.
    await comm.uploadDir("/tmp/conn-dir", `${tree}/`, [], signal());
    await comm.download("/tmp/conn-file", collector().stream, signal());
    await comm.downloadDir("/tmp/conn-dir", join(local, "conn-back"), [], signal());
    await new Promise((r) => setTimeout(r, 100));
    expect(pipes()).toBeLessThanOrEqual(before);
  });
});

describe("download", () => {
  it("streams a file out", async () => {
    await shellOutput(container, "printf 'line1\\nline2' > /tmp/dl.txt");
    const out = collector();
    await comm.download("/tmp/dl.txt", out.stream, signal());
    expect(out.text()).toBe("line1\nline2");
  });

  it("streams a large file intact", async () => {
    await shellOutput(
      container,
      "dd if=/dev/zero bs=1024 count=5000 2>/dev/null | tr '\\0' 'z' > /tmp/large",
    );
    const out = new PassThrough();
    let size = 0;
    out.on("data", (c: Buffer) => {
      size += c.length;
    });
    await comm.download("/tmp/large", out, signal());
    expect(size).toBe(5000 * 1024);
  });

  it("reports a missing file", async () => {
    await expect(comm.download("/no/such/file", collector().stream, signal())).rejects.toThrow(
      /^Error downloading file: .*\/no\/such\/file/,
    );
  });

  it("downloads a directory itself, or its contents with a trailing slash", async () => {
    await shellOutput(
      container,
      "mkdir -p /tmp/dd/sub && echo 1 > /tmp/dd/one && echo 2 > /tmp/dd/sub/two && echo 3 > /tmp/dd/sub/skip.log && chmod 741 /tmp/dd/one",
    );
    const dest = join(local, "dl-self");
    await comm.downloadDir("/tmp/dd", dest, ["*.log", "sub/*.log"], signal());
    expect((await readdir(dest)).sort()).toEqual(["dd"]);
    expect(await readFile(join(dest, "dd", "sub", "two"), "utf8")).toBe("2\n");
    expect(((await stat(join(dest, "dd", "one"))).mode & 0o777).toString(8)).toBe("741");
    expect((await readdir(join(dest, "dd", "sub"))).sort()).toEqual(["two"]);

    const dest2 = join(local, "dl-contents");
    await comm.downloadDir("/tmp/dd/", dest2, [], signal());
    expect((await readdir(dest2)).sort()).toEqual(["one", "sub"]);
    expect((await readdir(join(dest2, "sub"))).sort()).toEqual(["skip.log", "two"]);
  });
});
