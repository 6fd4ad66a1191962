import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatValueHCL, stringType, stringVal, unknownVal, type Value } from "../../value/index.js";
import { callFunction } from "../call.js";
import type { FunctionSpec } from "../function.js";
import { makeFilesystemFunctions } from "./filesystem.js";

let root: string;
let home: string;
let fns: Record<string, FunctionSpec>;

// The fixture mirrors the tree Packer 1.6.6 was run against: `packer console tmpl/x.pkr.hcl` from `root`,
// so path.root is the relative "tmpl"; expected strings are what it printed.
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kiln-fs-"));
  home = join(root, "home");
  const t = join(root, "tmpl");
  for (const d of ["home", "tmpl/sub/deep", "tmpl/sub/x.y", "tmpl/empty"])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(home, "h.txt"), "homefile");
  writeFileSync(join(root, "cwd.txt"), "cwd");
  writeFileSync(join(t, "hello.txt"), "Hello World");
  writeFileSync(join(t, "bin.dat"), Buffer.from([0xff, 0xfe]));
  writeFileSync(join(t, "sub/a.txt"), "a");
  writeFileSync(join(t, "sub/b.md"), "b");
  writeFileSync(join(t, "sub/.hidden"), "h");
  writeFileSync(join(t, "sub/[k].txt"), "k");
  writeFileSync(join(t, "sub/deep/c.txt"), "c");
  writeFileSync(join(t, "sub/x.y/e.txt"), "e");
  symlinkSync("a.txt", join(t, "sub/link"));
  symlinkSync("nonexist", join(t, "sub/broken"));
  symlinkSync("deep", join(t, "sub/dirlink"));
  fns = makeFilesystemFunctions({ baseDir: "tmpl", cwd: root, homeDir: home });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function run(name: string, ...args: Value[]): string {
  const r = callFunction(fns[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);
const set = (...items: string[]) =>
  items.length === 0 ? "[]" : `[\n${items.map((i) => `  "${i}",\n`).join("")}]`;

describe("file", () => {
  it("reads relative to path.root, with ~ and absolute paths", () => {
    expect(run("file", s("hello.txt"))).toBe("Hello World");
    expect(run("file", s("./sub/../hello.txt"))).toBe("Hello World");
    expect(run("file", s(join(root, "tmpl/hello.txt")))).toBe("Hello World");
    expect(run("file", s("~/h.txt"))).toBe("homefile");
  });
  it("reports missing, unreadable and non-UTF-8 files", () => {
    expect(run("file", s("nope.txt"))).toBe(
      `Call to function "file" failed: no file exists at tmpl/nope.txt.`,
    );
    expect(run("file", s("sub"))).toBe(`Call to function "file" failed: failed to read tmpl/sub.`);
    expect(run("file", s("bin.dat"))).toBe(
      `Call to function "file" failed: contents of bin.dat are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead.`,
    );
    expect(run("file", s("~foo/h.txt"))).toBe(
      `Call to function "file" failed: failed to expand ~: cannot expand user-specific home dir.`,
    );
  });
  it("is unknown for an unknown path", () => {
    expect(run("file", unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("filebase64", () => {
  it("reads relative to the working directory", () => {
    expect(run("filebase64", s("cwd.txt"))).toBe("Y3dk");
    expect(run("filebase64", s("tmpl/bin.dat"))).toBe("//4=");
  });
  it("reports Go's path errors", () => {
    expect(run("filebase64", s("hello.txt"))).toBe(
      `Call to function "filebase64" failed: failed to read file "hello.txt": open hello.txt: no such file or directory.`,
    );
    expect(run("filebase64", s("tmpl"))).toBe(
      `Call to function "filebase64" failed: failed to read file "tmpl": read tmpl: is a directory.`,
    );
  });
});

describe("fileexists", () => {
  it("answers for regular files, following links", () => {
    expect(run("fileexists", s("hello.txt"))).toBe("true");
    expect(run("fileexists", s("nope.txt"))).toBe("false");
    expect(run("fileexists", s("sub/link"))).toBe("true");
    expect(run("fileexists", s("sub/broken"))).toBe("false");
    expect(run("fileexists", s("~/h.txt"))).toBe("true");
  });
  it("rejects what is not a regular file", () => {
    expect(run("fileexists", s("sub"))).toBe(
      `Call to function "fileexists" failed: tmpl/sub is not a regular file, but "drwxr-xr-x".`,
    );
    expect(run("fileexists", s("/dev/null"))).toBe(
      `Call to function "fileexists" failed: /dev/null is not a regular file, but "Dcrw-rw-rw-".`,
    );
    expect(run("fileexists", s("hello.txt/x"))).toBe(
      `Call to function "fileexists" failed: failed to stat tmpl/hello.txt/x.`,
    );
  });
});

describe("fileset", () => {
  it("globs with doublestar semantics", () => {
    expect(run("fileset", s("sub"), s("**"))).toBe(
      set(".hidden", "[k].txt", "a.txt", "b.md", "deep/c.txt", "dirlink/c.txt", "link", "x.y/e.txt"),
    );
    expect(run("fileset", s("sub"), s("**/"))).toBe(
      set(".hidden", "[k].txt", "a.txt", "b.md", "deep/c.txt", "dirlink/c.txt", "link", "x.y/e.txt"),
    );
    expect(run("fileset", s("sub"), s("**/*.txt"))).toBe(
      set("[k].txt", "a.txt", "deep/c.txt", "dirlink/c.txt", "x.y/e.txt"),
    );
    expect(run("fileset", s("sub"), s("*.{txt,md}"))).toBe(set("[k].txt", "a.txt", "b.md"));
    expect(run("fileset", s("sub"), s("{a,b}.*"))).toBe(set("a.txt", "b.md"));
    expect(run("fileset", s("sub"), s("[ab].*"))).toBe(set("a.txt", "b.md"));
    expect(run("fileset", s("sub"), s("[^a].*"))).toBe(set("b.md"));
    expect(run("fileset", s("sub"), s("?.txt"))).toBe(set("a.txt"));
    expect(run("fileset", s("sub"), s("\\[k\\].txt"))).toBe(set("[k].txt"));
    expect(run("fileset", s("sub"), s("x.y/*"))).toBe(set("x.y/e.txt"));
    expect(run("fileset", s("sub"), s("*/*"))).toBe(set("deep/c.txt", "dirlink/c.txt", "x.y/e.txt"));
    expect(run("fileset", s(join(root, "tmpl/sub/")), s("*.txt"))).toBe(set("[k].txt", "a.txt"));
    expect(run("fileset", s("."), s("../cwd.txt"))).toBe(set("../cwd.txt"));
  });
  it("joins a relative path to path.root even when it is path.root itself", () => {
    expect(run("fileset", s("tmpl"), s("*"))).toBe("[]");
  });
  it("returns an empty set when nothing matches", () => {
    expect(run("fileset", s("sub"), s("nope/*"))).toBe("[]");
    expect(run("fileset", s("nope"), s("*"))).toBe("[]");
    expect(run("fileset", s("empty"), s("*"))).toBe("[]");
  });
  it("reports malformed patterns", () => {
    for (const p of ["[", "[]", "{a", "[a-", "[-a]"]) {
      expect(run("fileset", s("sub"), s(p))).toBe(
        `Call to function "fileset" failed: failed to glob pattern (tmpl/sub/${p}): syntax error in pattern.`,
      );
    }
  });
});

describe("path functions", () => {
  it("abspath resolves against the working directory and cleans", () => {
    expect(run("abspath", s("a/../b"))).toBe(join(root, "b"));
    expect(run("abspath", s("/x/./y/"))).toBe("/x/y");
    expect(run("abspath", s(""))).toBe(root);
  });
  it("basename and dirname follow filepath.Base and filepath.Dir", () => {
    expect(run("basename", s("/a/b/"))).toBe("b");
    expect(run("basename", s(""))).toBe(".");
    expect(run("basename", s("/"))).toBe("/");
    expect(run("basename", s("a"))).toBe("a");
    expect(run("dirname", s("/a/b/"))).toBe("/a/b");
    expect(run("dirname", s(""))).toBe(".");
    expect(run("dirname", s("a"))).toBe(".");
    expect(run("dirname", s("/a"))).toBe("/");
    expect(run("dirname", s("a//b"))).toBe("a");
  });
  it("pathexpand expands a leading ~ only", () => {
    expect(run("pathexpand", s("~"))).toBe(home);
    expect(run("pathexpand", s("~/x/../y"))).toBe(join(home, "y"));
    expect(run("pathexpand", s(""))).toBe("");
    expect(run("pathexpand", s("a/~"))).toBe("a/~");
    expect(run("pathexpand", s("~x"))).toBe(
      `Call to function "pathexpand" failed: cannot expand user-specific home dir.`,
    );
  });
});
