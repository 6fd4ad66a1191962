// `kiln build` with the file provisioner over SSH, with both transfer methods (ssh_file_transfer_method scp
// and sftp): directories up and back down with Packer's trailing-slash rule and their modes, single files to
// a `dir/` and to a named destination, and the same layout as Packer 1.6.6 makes of the same template.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requireTestEnv, type SshTarget, sshTarget } from "../support/env.js";
import {
  hclString,
  kilnBuild,
  linesInOrder,
  nullSshSource,
  packerBuild,
  remoteTempDir,
  removeRemote,
  Workdir,
} from "./ssh-support.js";

let t: SshTarget;
const works: Workdir[] = [];
const remotes: string[] = [];

beforeAll(async () => {
  t = await sshTarget();
});
afterEach(() => {
  for (const w of works.splice(0)) w.remove();
  for (const r of remotes.splice(0)) removeRemote(t, r);
});

function workdir(): Workdir {
  const w = new Workdir();
  works.push(w);
  return w;
}

function remoteDir(): string {
  const r = remoteTempDir(t);
  remotes.push(r);
  return r;
}

/**
 * Files with distinct modes, a subdirectory that only its owner may enter and, unless `packerSafe`, a name
 * with a space (Packer 1.6.6's scp download cuts such a name at the space: `note`).
 */
function writeTree(w: Workdir, packerSafe = false): void {
  w.mkdir("tree/sub", 0o700);
  w.write("tree/a.txt", "alpha\n", 0o600);
  if (!packerSafe) w.write("tree/note with space.txt", "spaced\n", 0o644);
  w.write("tree/sub/run.sh", "#!/bin/sh\necho run\n", 0o755);
  w.write("single.conf", "key = value\n", 0o640);
}

/**
 * The template: upload `tree` (the directory itself) and `tree/` (its contents), and a single file to a `dir/`
 * destination; list the remote side; download the contents back (`dir/` source), one file into a `dir/`
 * destination and one to a file name.
 */
function fileTemplate(method: string): string {
  return `variable "remote" {
  type = string
}
${nullSshSource(t, "files", "key", [`ssh_file_transfer_method = ${hclString(method)}`])}
build {
  sources = ["source.null.files"]
  provisioner "shell" {
    inline = ["mkdir -p \${var.remote}/with \${var.remote}/contents \${var.remote}/etc"]
  }
  provisioner "file" {
    source      = "tree"
    destination = "\${var.remote}/with"
  }
  provisioner "file" {
    source      = "tree/"
    destination = "\${var.remote}/contents"
  }
  provisioner "file" {
    source      = "single.conf"
    destination = "\${var.remote}/etc/"
  }
  provisioner "shell" {
    inline = ["cd \${var.remote} && find . -mindepth 1 | LC_ALL=C sort | while read -r f; do echo \\"listing: $(stat -c %a \\"$f\\") $f\\"; done"]
  }
  provisioner "file" {
    direction   = "download"
    source      = "\${var.remote}/contents/"
    destination = "back/"
  }
  provisioner "file" {
    direction   = "download"
    source      = "\${var.remote}/with/tree/a.txt"
    destination = "files/"
  }
  provisioner "file" {
    direction   = "download"
    source      = "\${var.remote}/with/tree/sub/run.sh"
    destination = "named/renamed.sh"
  }
}
`;
}

/** Every path under `dir` with its permission bits, sorted: `755 sub`, `600 sub/a.txt`, ... */
function localListing(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const st = statSync(join(dir, r));
      out.push(`${(st.mode & 0o777).toString(8)} ${r}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk("");
  return out;
}

/** The remote listing the template's shell provisioner printed. */
function remoteListing(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l.includes(": listing: "))
    .map((l) => l.slice(l.indexOf(": listing: ") + ": listing: ".length));
}

const REMOTE_LAYOUT = [
  "755 ./contents",
  "600 ./contents/a.txt",
  "644 ./contents/note with space.txt",
  "700 ./contents/sub",
  "755 ./contents/sub/run.sh",
  "755 ./etc",
  "640 ./etc/single.conf",
  "755 ./with",
  "755 ./with/tree",
  "600 ./with/tree/a.txt",
  "644 ./with/tree/note with space.txt",
  "700 ./with/tree/sub",
  "755 ./with/tree/sub/run.sh",
];

describe.each(["scp", "sftp"])("kiln build: the file provisioner over SSH with %s", (method) => {
  let w: Workdir;
  let remote: string;

  beforeEach(() => {
    w = workdir();
    remote = remoteDir();
    writeTree(w);
    w.write("a.pkr.hcl", fileTemplate(method));
  });

  it("uploads a directory itself or its contents (trailing slash) and files, keeping modes", () => {
    const r = kilnBuild(w.dir, ["-var", `remote=${remote}`, "."], { PACKER_LOG: "1" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, [
      `==> null.files: Uploading tree => ${remote}/with`,
      `==> null.files: Uploading tree/ => ${remote}/contents`,
      `==> null.files: Uploading single.conf => ${remote}/etc/`,
    ]);
    expect(remoteListing(r.stdout)).toEqual(REMOTE_LAYOUT);
    // The transfers used the configured method (the debug log names each transfer).
    if (method === "sftp") {
      expect(r.stderr).toContain(`[DEBUG] sftp: uploading directory ${w.path("tree")} to ${remote}/with`);
      expect(r.stderr).not.toContain("Starting remote scp process");
    } else {
      expect(r.stderr).toContain(`[DEBUG] Starting remote scp process: scp -rvt ${remote}/with`);
      expect(r.stderr).not.toContain("sftp:");
    }
  });

  it("downloads a directory (trailing slash) and files back, keeping modes", () => {
    const r = kilnBuild(w.dir, ["-var", `remote=${remote}`, "."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, [
      `==> null.files: Downloading ${remote}/contents/ => back/`,
      // The destination as written: the file name is appended afterwards.
      `==> null.files: Downloading ${remote}/with/tree/a.txt => files/`,
      `==> null.files: Downloading ${remote}/with/tree/sub/run.sh => named/renamed.sh`,
    ]);
    // `contents/` arrives as back/contents, as with Packer; a single download is written 0644.
    expect(localListing(w.path("back"))).toEqual([
      "755 contents",
      "600 contents/a.txt",
      "644 contents/note with space.txt",
      "700 contents/sub",
      "755 contents/sub/run.sh",
    ]);
    expect(localListing(w.path("files"))).toEqual(["644 a.txt"]);
    expect(localListing(w.path("named"))).toEqual(["644 renamed.sh"]);
    expect(readFileSync(w.path("back/contents/sub/run.sh"), "utf8")).toBe("#!/bin/sh\necho run\n");
    expect(readFileSync(w.path("back/contents/note with space.txt"), "utf8")).toBe("spaced\n");
    expect(readFileSync(w.path("files/a.txt"), "utf8")).toBe("alpha\n");
    expect(readFileSync(w.path("named/renamed.sh"), "utf8")).toBe("#!/bin/sh\necho run\n");
  });

  it("lays files out as Packer 1.6.6 does with the same template", async () => {
    const { packer } = await requireTestEnv(["ssh", "packer"]);
    w.remove();
    w = workdir();
    writeTree(w, true);
    w.write("a.pkr.hcl", fileTemplate(method));
    const kilnRun = kilnBuild(w.dir, ["-var", `remote=${remote}`, "."]);
    expect(kilnRun.code, kilnRun.stdout + kilnRun.stderr).toBe(0);

    const p = workdir();
    const packerRemote = remoteDir();
    writeTree(p, true);
    p.write("a.pkr.hcl", fileTemplate(method));
    const packerRun = packerBuild(packer.path, p.dir, ["-var", `remote=${packerRemote}`, "."]);
    expect(packerRun.code, packerRun.stdout + packerRun.stderr).toBe(0);

    expect(remoteListing(kilnRun.stdout)).toEqual(remoteListing(packerRun.stdout));
    for (const d of ["back", "files", "named"]) {
      expect(localListing(w.path(d)), d).toEqual(localListing(p.path(d)));
    }
    const said = (out: string): string[] =>
      out
        .split("\n")
        .filter((l) => /^==> null\.files: (Uploading|Downloading) /.test(l))
        .map((l) => l.replaceAll(remote, "REMOTE").replaceAll(packerRemote, "REMOTE"));
    expect(said(kilnRun.stdout)).toEqual(said(packerRun.stdout));
  });
});
