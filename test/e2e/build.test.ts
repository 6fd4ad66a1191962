// `kiln build` on HCL2 templates, as a user runs it (node bin/kiln.js; build dist first with
// `npx tsc -p tsconfig.json`). The builds use the built-in null and file builders, the shell-local
// provisioner and the manifest / checksum / compress / shell-local post-processors, so they run anywhere.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kiln } from "./run-kiln.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-build-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

function read(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** `kiln build -color=false ...` in the test directory. */
function build(args: readonly string[], env: Record<string, string> = {}, input = "") {
  return kiln(["build", "-color=false", ...args], { cwd: dir, env, input });
}

const NULL_SOURCES =
  'source "null" "one" {\n  communicator = "none"\n}\nsource "null" "two" {\n  communicator = "none"\n}\n';

describe("kiln build: variables", () => {
  it("takes values in Packer's precedence: default < PKR_VAR_ < auto var files < -var-file < -var", () => {
    write(
      "a.pkr.hcl",
      `${["v1", "v2", "v3", "v4", "v5"].map((v) => `variable "${v}" {\n  default = "default"\n}\n`).join("")}variable "list" {
  type = list(string)
  default = []
}
source "file" "f" {
  target = "out.txt"
  content = join(",", [var.v1, var.v2, var.v3, var.v4, var.v5, join("+", var.list)])
}
build {
  sources = ["source.file.f"]
}
`,
    );
    write("x.auto.pkrvars.hcl", 'v3 = "auto"\nv4 = "auto"\nv5 = "auto"\n');
    write("y.auto.pkrvars.json", '{"v4": "autojson", "v5": "autojson"}');
    write("one.pkrvars.hcl", 'v5 = "file1"\n');
    write("two.json", '{"v5": "file2"}');
    const env = { PKR_VAR_v2: "env", PKR_VAR_v3: "env", PKR_VAR_list: '["l1", "l2"]' };
    const r = build(["-var-file=one.pkrvars.hcl", "-var-file=two.json", "-var", "v1=cmd", "."], env);
    expect(r.code, r.stdout).toBe(0);
    expect(read("out.txt")).toBe("cmd,env,auto,autojson,file2,l1+l2");
    // Auto var files are read only when the template is a directory.
    expect(build(["a.pkr.hcl"], { PKR_VAR_v2: "env" }).code).toBe(0);
    expect(read("out.txt")).toBe("default,env,default,default,default,");
  });

  it("evaluates locals and data sources in dependency order, across files", () => {
    write("a.pkr.hcl", `locals {\n  greeting = "hello \${data.null.who.output}"\n}\n`);
    write(
      "b.pkr.hcl",
      'locals {\n  name = upper("world")\n}\ndata "null" "who" {\n  input = local.name\n}\nsource "file" "f" {\n  target = "out.txt"\n  content = local.greeting\n}\nbuild {\n  sources = ["source.file.f"]\n}\n',
    );
    expect(build(["."]).code).toBe(0);
    expect(read("out.txt")).toBe("hello WORLD");
  });

  it("stops with Packer's graph error on a cycle, before any build runs", () => {
    write(
      "a.pkr.hcl",
      `locals {\n  a = local.b\n  b = data.null.d.output\n}\ndata "null" "d" {\n  input = local.a\n}\n${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    const r = build(["."]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: failed to prepare execution graph");
    expect(r.stdout).toContain("An error occurred while building the graph for datasources/locals: 1 error");
    expect(r.stdout).toMatch(
      /\* Cycle: (local\.a|local\.b|null\.d), (local\.a|local\.b|null\.d), (local\.a|local\.b|null\.d)/,
    );
    expect(r.stdout).not.toContain("Build '");
  });
});

describe("kiln build: build blocks", () => {
  it("expands dynamic source and provisioner blocks", () => {
    write(
      "build.pkr.hcl",
      `source "file" "base" {
}
variables {
  images = {
    dummy = { image = "dummy", layers = ["base/main"] }
    postgres = { image = "pg", layers = ["base/main", "base/init", "postgres"] }
  }
}
locals {
  files = { foo = { destination = "fooo" }, bar = { destination = "baar" } }
}
build {
  dynamic "source" {
    for_each = var.images
    labels   = ["file.base"]
    content {
      name    = source.key
      target  = "\${source.value.image}.txt"
      content = join("\\n", formatlist("layers/%s/files", var.images[source.key].layers))
    }
  }
  dynamic "provisioner" {
    for_each = local.files
    labels   = ["shell-local"]
    iterator = f
    content {
      inline = ["echo x > \${var.images[source.name].image}-\${f.value.destination}.txt"]
    }
  }
}
`,
    );
    const r = build(["."]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("--> file.dummy: Stored file: dummy.txt");
    expect(r.stdout).toContain("--> file.postgres: Stored file: pg.txt");
    expect(read("pg.txt")).toBe("layers/base/main/files\nlayers/base/init/files\nlayers/postgres/files");
    for (const f of ["dummy-fooo.txt", "dummy-baar.txt", "pg-fooo.txt", "pg-baar.txt"]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
  });

  it("names builds <build>.<type>.<name> with renames, and filters them with -only / -except globs", () => {
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {
  name = "b"
  sources = ["source.null.one"]
  source "null.two" {
    name = "renamed"
  }
  provisioner "shell-local" {
    inline = ["echo ran \${source.name} \${build.name} $PACKER_BUILD_NAME"]
  }
}
build {
  sources = ["null.two"]
}
`,
    );
    const all = build(["-parallel-builds=1", "."]);
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).toContain("    b.null.one: ran one b one\n");
    // The build name passed to components is the source's label, not the rename.
    expect(all.stdout).toContain("    b.null.renamed: ran renamed b two\n");
    expect(all.stdout).toContain("--> null.two: Did not export anything. This is the null builder");

    const only = build(["-only=b.*", "."]);
    expect(only.stdout).toContain("b.null.one: ran");
    expect(only.stdout).toContain("b.null.renamed: ran");
    expect(only.stdout).not.toContain("--> null.two");
    const suffix = build(["-only=*.renamed", "."]);
    expect(suffix.stdout).toContain("b.null.renamed: ran");
    expect(suffix.stdout).not.toContain("b.null.one");
    const except = build(["-except=b.null.one,null.two", "."]);
    expect(except.stdout).not.toContain("b.null.one");
    expect(except.stdout).toContain("b.null.renamed: ran");

    const none = build(["-only=nothing.*", "."]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(
      "Warning: an 'only' option was passed, but not all matches were found for the given build.\n\nPossible build names: [b.null.one b.null.renamed null.two].",
    );
    expect(none.stdout).toContain("Error: No builds to run");
  });

  it("applies provisioner meta-arguments: only, except, override, pause_before, max_retries, continue_on_error, timeout", () => {
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {
  sources = ["source.null.one", "source.null.two"]
  provisioner "shell-local" {
    only = ["null.two"]
    inline = ["echo only-two"]
  }
  provisioner "shell-local" {
    except = ["null.two"]
    inline = ["echo except-two"]
  }
  provisioner "shell-local" {
    inline = ["echo default-\${source.name}"]
    override = {
      two = { inline = ["echo overridden"] }
    }
  }
  provisioner "shell-local" {
    pause_before = "1s"
    max_retries = 1
    continue_on_error = true
    inline = ["echo try; exit 3"]
  }
  provisioner "shell-local" {
    timeout = "1s"
    inline = ["sleep 10"]
  }
  provisioner "shell-local" {
    inline = ["echo never"]
  }
}
`,
    );
    const r = build(["-parallel-builds=1", "."]);
    expect(r.code).toBe(1);
    const one = r.stdout
      .split("\n")
      .filter((l) => l.includes("null.one:"))
      .join("\n");
    const two = r.stdout
      .split("\n")
      .filter((l) => l.includes("null.two:"))
      .join("\n");
    expect(one, r.stdout).toContain("null.one: except-two");
    expect(one).not.toContain("only-two");
    expect(one).toContain("null.one: default-one");
    expect(two).toContain("null.two: only-two");
    expect(two).not.toContain("except-two");
    expect(two).toContain("null.two: overridden");
    expect(one).toContain("==> null.one: Pausing 1s before the next provisioner...");
    expect(one).toContain(
      '==> null.one: Provisioner failed with "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]", retrying with 1 trie(s) left',
    );
    expect(one).toContain("==> null.one: retry limit reached.");
    expect(one).toContain("but continue_on_error is set; continuing the build.");
    expect(one).toContain("==> null.one: Setting a 1s timeout for the next provisioner...");
    expect(one).toContain("==> null.one: Cancelling provisioner after a timeout...");
    expect(r.stdout).not.toContain("never");
    expect(r.stdout).toContain("==> Some builds didn't complete successfully and had errors:");
  });

  it("rejects bad meta-arguments with Packer's diagnostics", () => {
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {
  sources = ["source.null.one"]
  provisioner "shell-local" {
    only = ["a"]
    except = ["b"]
    inline = ["true"]
  }
  provisioner "shell-local" {
    pause_before = "soon"
    inline = ["true"]
  }
  post-processor "manifest" {
    keep_input_artifact = "maybe"
  }
}
`,
    );
    const r = build(["."]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: only one of 'only' or 'except' may be specified");
    expect(r.stdout).toContain(
      "Error: Failed to parse pause_before duration\n\n  on a.pkr.hcl line 14, in build:",
    );
    expect(r.stdout).toContain('time: invalid duration "soon"');
    expect(r.stdout).toContain("Error: Unsuitable value type");
    expect(r.stdout).toContain("a bool is required");
  });
});

describe("kiln build: artifacts and post-processors", () => {
  it("runs post-processor chains, passes generated data to them, and -except drops the rest of a chain", () => {
    write(
      "a.pkr.hcl",
      `source "file" "f" {
  target = "out.txt"
  content = "hello"
}
source "null" "n" {
  communicator = "none"
}
build {
  sources = ["source.file.f", "source.null.n"]
  provisioner "shell-local" {
    inline = ["echo 'provision-id=\${build.ID}'"]
  }
  post-processors {
    post-processor "checksum" {
      checksum_types = ["sha256"]
      output = "\${source.name}.{{.ChecksumType}}"
    }
    post-processor "compress" {
      name = "zip"
      output = "\${source.name}.tar.gz"
    }
  }
  post-processor "manifest" {
    output = "manifest.json"
  }
  post-processor "shell-local" {
    name = "echo"
    inline = ["echo 'pp-id=\${build.ID}'"]
  }
}
`,
    );
    const r = build(["-parallel-builds=1", "."]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("    null.n: provision-id=Null\n");
    // The file builder runs its provisioners without generated data: build.* keep their placeholders.
    expect(r.stdout).toContain("    file.f: provision-id=<unknown>\n");
    expect(r.stdout).toContain("==> file.f: Running post-processor:  (type checksum)");
    expect(r.stdout).toContain("==> file.f: Running post-processor: zip (type compress)");
    expect(r.stdout).toContain("==> null.n: Running post-processor: echo (type shell-local)");
    expect(r.stdout).toContain("    null.n (shell-local): pp-id=Null\n");
    expect(r.stdout).toContain("    file.f (shell-local): pp-id=<unknown>\n");
    expect(existsSync(join(dir, "f.tar.gz"))).toBe(true);
    const manifest = JSON.parse(read("manifest.json")) as {
      builds: { name: string; builder_type: string }[];
    };
    expect(manifest.builds.map((b) => `${b.builder_type}.${b.name}`).sort()).toEqual(["file.f", "null.n"]);

    rmSync(join(dir, "f.tar.gz"));
    const except = build(["-except=zip,echo", "-parallel-builds=1", "."]);
    expect(except.code, except.stdout).toBe(0);
    expect(except.stdout).toContain("Running post-processor:  (type checksum)");
    expect(except.stdout).not.toContain("type compress");
    expect(except.stdout).not.toContain("type shell-local");
    expect(existsSync(join(dir, "f.tar.gz"))).toBe(false);
    expect(read("f.sha256")).toMatch(/^[0-9a-f]{64}\tout\.txt\n$/);
  });

  it("prints machine-readable records with -machine-readable", () => {
    write(
      "a.pkr.hcl",
      'source "file" "f" {\n  target = "out.txt"\n  content = "x,y"\n}\nbuild {\n  sources = ["source.file.f"]\n}\n',
    );
    const r = kiln(["build", "-machine-readable", "."], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(/^\d+,[^,]*,[a-z-]+,/);
    const records = lines.map((l) => l.replace(/^\d+,/, ""));
    expect(records).toContain("file.f,artifact-count,1");
    expect(records).toContain("file.f,artifact,0,builder-id,packer.file");
    expect(records).toContain("file.f,artifact,0,string,Stored file: out.txt");
    expect(records).toContain("file.f,artifact,0,file,0,out.txt");
    expect(records).toContain("file.f,artifact,0,end");
    expect(records).toContain(",ui,say,--> file.f: Stored file: out.txt");
  });

  it("colors each build's output by default and prefixes timestamps with -timestamp-ui", () => {
    write("a.pkr.hcl", `${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n}\n`);
    const colored = kiln(["build", "."], { cwd: dir });
    expect(colored.stdout).toContain("\u001b[1;32mnull.one: output will be in this color.\u001b[0m");
    const stamped = build(["-timestamp-ui", "."]);
    expect(stamped.stdout).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+Z][0-9:]*: Build 'null\.one' finished/m,
    );
  });

  it("writes a JSON event stream with -json-events", () => {
    write("a.pkr.hcl", `${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n}\n`);
    const r = build(["-json-events=events.jsonl", "."]);
    expect(r.code).toBe(0);
    const events = read("events.jsonl")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; build?: string; status?: string; time: string });
    const types = events.map((e) => e.type);
    expect(types).toContain("build-start");
    expect(types).toContain("ui");
    expect(events.find((e) => e.type === "build-finish")).toMatchObject({
      build: "null.one",
      status: "finished",
    });
    expect(events.find((e) => e.type === "artifact")).toMatchObject({ build: "null.one" });
  });
});

describe("kiln build: run flags", () => {
  it("-force reaches the components (the manifest starts over)", () => {
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n  post-processor "manifest" {\n    output = "m.json"\n  }\n}\n`,
    );
    const count = () => (JSON.parse(read("m.json")) as { builds: unknown[] }).builds.length;
    expect(build(["."]).code).toBe(0);
    expect(build(["."]).code).toBe(0);
    expect(count()).toBe(2);
    expect(build(["-force", "."]).code).toBe(0);
    expect(count()).toBe(1);
  });

  it("-parallel-builds=1 runs one build after the other; the default runs them together", () => {
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {\n  sources = ["source.null.one", "source.null.two"]\n  provisioner "shell-local" {\n    inline = ["echo start-\${source.name}", "sleep 1", "echo end-\${source.name}"]\n  }\n}\n`,
    );
    const order = (out: string) =>
      out
        .split("\n")
        .map((l) => /: ((?:start|end)-\w+)$/.exec(l)?.[1])
        .filter((x) => x !== undefined);
    const sequential = build(["-parallel-builds=1", "."]);
    expect(order(sequential.stdout)).toEqual(["start-one", "end-one", "start-two", "end-two"]);
    const parallel = build(["."]);
    expect(order(parallel.stdout).slice(0, 2).sort()).toEqual(["start-one", "start-two"]);
  });

  it("-debug runs builds one at a time and pauses at each step, reading enter from the terminal", () => {
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n  provisioner "shell-local" {\n    inline = ["echo provisioned"]\n  }\n}\n`,
    );
    const r = build(["-debug", "."], {}, "\n".repeat(10));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^Debug mode enabled\. Builds will not be parallelized\.\n/);
    expect(r.stdout).toContain(
      "==> null.one: Pausing after run of step 'StepConnect'. Press enter to continue.",
    );
    expect(r.stdout).toContain(
      "==> null.one: Pausing before the next provisioner . Press enter to continue.",
    );
    expect(r.stdout).toContain("    null.one: provisioned");
  });

  it("-warn-on-undeclared-var warns about var-file values nothing declares (silent by default)", () => {
    write("a.pkr.hcl", `${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n}\n`);
    write("v.pkrvars.hcl", 'stray = "x"\n');
    const quiet = build(["-var-file=v.pkrvars.hcl", "."]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain("Undefined variable");
    const warned = build(["-warn-on-undeclared-var", "-var-file=v.pkrvars.hcl", "."]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^Warning: Undefined variable\n\n {2}on v\.pkrvars\.hcl line 1:/);
  });
});

describe("kiln build: -on-error", () => {
  const FAILING = `${NULL_SOURCES}build {
  sources = ["source.null.one"]
  provisioner "shell-local" {
    inline = ["echo failing; exit 1"]
  }
  error-cleanup-provisioner "shell-local" {
    inline = ["echo cleanup-\${source.name} > cleanup.txt"]
  }
}
`;

  it("cleanup (the default) runs the error-cleanup-provisioner", () => {
    write("a.pkr.hcl", FAILING);
    const r = build(["."]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "==> null.one: Provisioning step had errors: Running the cleanup provisioner, if present...",
    );
    expect(read("cleanup.txt")).toBe("cleanup-one\n");
    expect(r.stdout).toContain(
      "--> null.one: Script exited with non-zero exit status: 1.Allowed exit codes are: [0]",
    );
  });

  it("abort skips every cleanup, run-cleanup-provisioner runs only the cleanup provisioner", () => {
    write("a.pkr.hcl", FAILING);
    const aborted = build(["-on-error=abort", "."]);
    expect(aborted.code).toBe(1);
    expect(existsSync(join(dir, "cleanup.txt"))).toBe(false);
    expect(aborted.stdout).toContain('==> null.one: Step "StepProvision" failed, aborting...');
    expect(aborted.stdout).toContain('==> null.one: aborted: skipping cleanup of step "StepConnect"');
    const cleaned = build(["-on-error=run-cleanup-provisioner", "."]);
    expect(cleaned.code).toBe(1);
    expect(read("cleanup.txt")).toBe("cleanup-one\n");
  });

  it("ask takes the answer from the terminal", () => {
    write("a.pkr.hcl", FAILING);
    const asked = build(["-on-error=ask", "."], {}, "c\n");
    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain(
      "[c] Clean up and exit, [a] abort without cleanup, or [r] retry step (build may fail even if retry succeeds)?",
    );
    expect(read("cleanup.txt")).toBe("cleanup-one\n");
  });
});

describe("kiln build: secrets", () => {
  it("never prints a sensitive value, used raw, through upper() or in a string, nor logs it", () => {
    write(
      "a.pkr.hcl",
      `variable "token" {
  default = "hunter2-secret"
  sensitive = true
}
locals {
  up = upper(var.token)
}
${NULL_SOURCES}build {
  sources = ["source.null.one"]
  provisioner "shell-local" {
    inline = [
      "echo raw=\${var.token}",
      "echo local=\${local.up}",
      "echo direct=\${upper(var.token)}",
      "echo bearer=\\"Bearer \${var.token}\\"",
      "echo reversed=\${strrev(var.token)}",
    ]
  }
}
`,
    );
    const log = join(dir, "packer.log");
    const r = build(["-var", "token=hunter2-secret", "."], { PACKER_LOG: "1", PACKER_LOG_PATH: log });
    expect(r.code, r.stdout).toBe(0);
    const text = `${r.stdout}\n${r.stderr}\n${readFileSync(log, "utf8")}`;
    for (const leak of ["hunter2", "HUNTER2", "terces-2"]) expect(text).not.toContain(leak);
    expect(r.stdout).toContain("    null.one: raw=<sensitive>\n");
    expect(r.stdout).toContain("    null.one: local=<sensitive>\n");
    expect(r.stdout).toContain("    null.one: direct=<sensitive>\n");
    expect(r.stdout).toContain("    null.one: bearer=Bearer <sensitive>\n");
    expect(r.stdout).toContain("    null.one: reversed=<sensitive>\n");
    expect(readFileSync(log, "utf8")).toContain("<sensitive>");
  });
});

describe("kiln build: HCP Packer registry", () => {
  it("checks hcp_packer_registry blocks as Packer does, and says it does not publish", () => {
    const registry = (bucket: string) => `  hcp_packer_registry {\n    bucket_name = "${bucket}"\n  }\n`;
    write(
      "a.pkr.hcl",
      `${NULL_SOURCES}build {\n${registry("one")}  sources = ["source.null.one"]\n}\nbuild {\n${registry("two")}  sources = ["source.null.two"]\n}\n`,
    );
    const dup = build(["."]);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toContain("Warning: Build block level hcp_packer_registry are deprecated");
    expect(dup.stdout).toContain(
      "Error: Multiple HCP Packer registry block declaration\n\n  on a.pkr.hcl line 14, in build:",
    );
    expect(dup.stdout).not.toContain("Build '");
    // HCP_PACKER_REGISTRY=off turns the registry off altogether.
    expect(build(["."], { HCP_PACKER_REGISTRY: "off" }).code).toBe(0);

    write(
      "a.pkr.hcl",
      `hcp_packer_registry {\n  bucket_name = "ok-bucket"\n}\n${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    const one = build(["."]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(
      "Warning: HCP Packer registry publishing is not supported\n\n  on a.pkr.hcl line 1, in hcp_packer_registry:",
    );
  });
});

describe("kiln build: templates kiln does not run", () => {
  it("runs legacy JSON templates", () => {
    write("t.json", '{"builders":[{"type":"null","communicator":"none"}]}');
    const r = build(["t.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--> null: Did not export anything. This is the null builder\n");
  });

  it("fails PACKER_LOG_PATH it cannot create before doing anything", () => {
    write("a.pkr.hcl", `${NULL_SOURCES}build {\n  sources = ["source.null.one"]\n}\n`);
    const r = build(["."], { PACKER_LOG_PATH: join(dir, "missing", "log.txt") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Couldn't setup log output: open ");
    expect(r.stdout).toBe("");
  });
});
