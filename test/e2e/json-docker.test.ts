// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL and Go template source text
// A legacy JSON docker template as a user runs it (node bin/kiln.js): user variables set by default, -var,
// a JSON -var-file and the environment, `{{build_name}}` / `{{build_type}}`, a shell provisioner, `changes`
// and a docker-tag post-processor. The JSON build is checked on the engine (tags, files, image config); then
// `kiln hcl2_upgrade` turns the template into HCL2, which must validate, be fmt-clean and build the same image.
// Packer's upgrade turns `{{build_name}}` / `{{build_type}}` into `${build.name}` / `${build.type}`, which do
// not mean the same in HCL2 (and are rejected where they stand); kiln's gives `${source.name}` /
// `${source.type}`, or the JSON name where the upgrade renames the source, and turns `only` / `except` lists
// of JSON builder names into the upgraded sources' `<type>.<name>`. Packer 1.6.6's own hcl2_upgrade output
// is built with kiln too, where it can be.
//
// Needs the docker engine and Packer 1.6.6 of scripts/test-env.sh; the base image is the local busybox one
// (nothing can be pulled). Every image and container the builds make is removed afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import * as tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTestEnv, type TestEnv } from "../support/env.js";
import { type KilnRun, kiln } from "./run-kiln.js";

let env: TestEnv;
let docker: Docker;
let dir = "";
/** Unique per run, so that concurrent runs and other tests never share an image name. */
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const REPO_PREFIX = `kiln-e2e-json-docker/${RUN_ID}`;
const HOME_VALUE = "/home/kiln-e2e";
const OWNER = "Jane Doe <jane@example.org>";

/** Image references and container ids seen in build output, removed in afterAll. */
const madeImages = new Set<string>();
const madeContainers = new Set<string>();

beforeAll(async () => {
  env = await requireTestEnv(["docker", "packer"]);
  docker = new Docker({ socketPath: env.docker.socketPath });
  dir = mkdtempSync(join(tmpdir(), "kiln-json-docker-"));
  writeFileSync(join(dir, "vars.json"), JSON.stringify({ owner: OWNER, tag: "v3" }));
  writeFileSync(join(dir, "vars.pkrvars.hcl"), `owner = "${OWNER}"\ntag   = "v3"\n`);
});

afterAll(async () => {
  if (docker !== undefined) {
    for (const id of madeContainers) {
      await docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch(() => {});
    }
    const refs = [...madeImages];
    for (const ref of [
      ...refs.filter((r) => !r.startsWith("sha256:")),
      ...refs.filter((r) => r.startsWith("sha256:")),
    ]) {
      await docker
        .getImage(ref)
        .remove({ force: ref.startsWith("sha256:") })
        .catch(() => {});
    }
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

interface TemplateOptions {
  /** Use `{{build_name}}` / `{{build_type}}` (in `changes` and in the provisioner). */
  readonly buildFunctions: boolean;
  /** Declare `stamp`, a variable whose default uses other variables. */
  readonly derivedVariable: boolean;
  /** The repository the docker-tag post-processor tags by default. */
  readonly repo: string;
}

/** The JSON template under test. */
function template(o: TemplateOptions): string {
  const variables: Record<string, string | null> = {
    base: env.docker.images.busybox,
    greeting: "hello",
    who: "world",
    owner: null,
    repo: o.repo,
    tag: "v1",
    home: "{{env `KILN_E2E_HOME`}}",
  };
  if (o.derivedVariable) variables.stamp = "{{user `greeting`}}-{{user `who`}}";
  const label = `LABEL owner="{{user \`owner\`}}" home={{user \`home\`}}${o.buildFunctions ? " built-by={{build_name}}" : ""}`;
  const inline = [
    "mkdir -p /out",
    "echo '{{user `greeting`}}, {{user `who`}}' > /out/greeting.txt",
    'echo "$PACKER_BUILD_NAME/$PACKER_BUILDER_TYPE" > /out/packer-env.txt',
    'echo "$WHO|$QUOTED" > /out/env.txt',
    ...(o.buildFunctions ? ["echo '{{build_name}}/{{build_type}}' > /out/build.txt"] : []),
    ...(o.derivedVariable ? ["echo '{{user `stamp`}}' > /out/stamp.txt"] : []),
    "chmod 0640 /out/env.txt",
    "chown -R 1000 /out",
  ];
  return JSON.stringify(
    {
      description: "kiln e2e: JSON docker template",
      variables,
      builders: [
        {
          type: "docker",
          name: "box",
          image: "{{user `base`}}",
          pull: false,
          commit: true,
          author: "{{user `owner`}}",
          message: "built {{user `tag`}}",
          changes: [
            "ENV GREETING={{user `greeting`}}",
            label,
            "WORKDIR /out",
            "USER 1000",
            "EXPOSE 8080",
            'CMD ["cat", "/out/greeting.txt"]',
          ],
        },
      ],
      provisioners: [
        {
          type: "shell",
          environment_vars: ["WHO={{user `who`}}", 'QUOTED=it\'s "{{user `greeting`}}"'],
          inline,
        },
      ],
      "post-processors": [
        { type: "docker-tag", repository: "{{user `repo`}}", tags: ["{{user `tag`}}", "latest"] },
      ],
    },
    null,
    2,
  );
}

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

function run(args: readonly string[]): KilnRun {
  return kiln(args, {
    cwd: dir,
    env: { KILN_E2E_HOME: HOME_VALUE },
    timeoutMs: 120_000,
  });
}

/** Runs a build, records what it made for removal, and returns the run. */
function build(args: readonly string[]): KilnRun {
  const r = run(["build", "-color=false", ...args]);
  for (const m of r.stdout.matchAll(/Container ID: ([0-9a-f]{64})/g)) madeContainers.add(m[1]!);
  for (const m of r.stdout.matchAll(/Imported Docker image: (sha256:[0-9a-f]{64})/g)) madeImages.add(m[1]!);
  return r;
}

function expectSuccess(r: KilnRun): void {
  if (r.code !== 0)
    throw new Error(`kiln exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** The image id a successful build reported, with its tags registered for removal. */
function builtImage(r: KilnRun, repo: string): string {
  expectSuccess(r);
  const id = /--> docker\.box: Imported Docker image: (sha256:[0-9a-f]{64})\n/.exec(r.stdout)?.[1];
  expect(id, r.stdout).toBeDefined();
  madeImages.add(`${repo}:v3`);
  madeImages.add(`${repo}:latest`);
  return id!;
}

interface FileEntry {
  readonly mode: number;
  readonly uid: number;
  readonly content: string;
}

/** The files under /out of an image, read through a created (never started) container and `docker cp`. */
async function outFiles(image: string): Promise<Record<string, FileEntry>> {
  const container = await docker.createContainer({ Image: image, HostConfig: { NetworkMode: "none" } });
  madeContainers.add(container.id);
  try {
    const archive = await container.getArchive({ path: "/out" });
    const extract = tar.extract();
    const files: Record<string, FileEntry> = {};
    const done = (async () => {
      for await (const entry of extract) {
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        if (entry.header.type === "file") {
          files[entry.header.name] = {
            mode: (entry.header.mode ?? 0) & 0o7777,
            uid: entry.header.uid ?? -1,
            content: Buffer.concat(chunks).toString("utf8"),
          };
        }
      }
    })();
    archive.pipe(extract as unknown as NodeJS.WritableStream);
    await done;
    return files;
  } finally {
    await container.remove({ force: true });
    madeContainers.delete(container.id);
  }
}

/** Runs the image with its own entrypoint and command and returns the exit code and standard output. */
async function runImage(image: string): Promise<{ code: number; stdout: string }> {
  const container = await docker.createContainer({ Image: image, HostConfig: { NetworkMode: "none" } });
  madeContainers.add(container.id);
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: false })) as unknown as Buffer;
    // Non-TTY logs are multiplexed: strip the 8-byte frame headers.
    let out = "";
    let buf = logs;
    while (buf.length >= 8) {
      const len = buf.readUInt32BE(4);
      out += buf.subarray(8, 8 + len).toString("utf8");
      buf = buf.subarray(8 + len);
    }
    return { code: StatusCode, stdout: out };
  } finally {
    await container.remove({ force: true });
    madeContainers.delete(container.id);
  }
}

/** What of an image's configuration the template decides. */
async function imageConfig(image: string) {
  const i = await docker.getImage(image).inspect();
  return {
    Author: i.Author,
    Comment: i.Comment,
    Env: i.Config.Env,
    Cmd: i.Config.Cmd,
    Entrypoint: i.Config.Entrypoint,
    WorkingDir: i.Config.WorkingDir,
    User: i.Config.User,
    ExposedPorts: i.Config.ExposedPorts,
    Labels: i.Config.Labels,
  };
}

async function expectContainersGone(r: KilnRun): Promise<void> {
  const ids = [...r.stdout.matchAll(/Container ID: ([0-9a-f]{64})/g)].map((m) => m[1]!);
  expect(ids.length).toBe(1);
  for (const id of ids) {
    const gone = await docker
      .getContainer(id)
      .inspect()
      .then(
        () => false,
        (e: { statusCode?: number }) => e.statusCode === 404,
      );
    expect(gone, `build container ${id} was left behind`).toBe(true);
  }
}

const BASE_LABELS = async () =>
  (await docker.getImage(env.docker.images.busybox).inspect()).Config.Labels ?? {};

describe("a legacy JSON docker template (e2e)", () => {
  const fullRepo = `${REPO_PREFIX}/full`;
  let fullImage = "";

  it("builds the image: variables from defaults, -var, a JSON -var-file and the environment", async () => {
    write("full.json", template({ buildFunctions: true, derivedVariable: true, repo: "unused/by-default" }));
    const r = build(["-var", "who=kiln", "-var", `repo=${fullRepo}`, "-var-file=vars.json", "full.json"]);
    fullImage = builtImage(r, fullRepo);
    expect(r.stdout).toContain("==> docker.box: Committing the container\n");
    expect(r.stdout).toContain(
      `--> docker.box: Imported Docker image: ${fullRepo}:latest with tags ${fullRepo}:v3 ${fullRepo}:latest\n`,
    );
    await expectContainersGone(r);

    // Both tags name the committed image.
    for (const tag of ["v3", "latest"]) {
      expect((await docker.getImage(`${fullRepo}:${tag}`).inspect()).Id).toBe(fullImage);
    }
    expect(await outFiles(`${fullRepo}:v3`)).toEqual({
      "out/greeting.txt": { mode: 0o644, uid: 1000, content: "hello, kiln\n" },
      "out/packer-env.txt": { mode: 0o644, uid: 1000, content: "box/docker\n" },
      "out/env.txt": { mode: 0o640, uid: 1000, content: 'kiln|it\'s "hello"\n' },
      "out/build.txt": { mode: 0o644, uid: 1000, content: "box/docker\n" },
      "out/stamp.txt": { mode: 0o644, uid: 1000, content: "hello-kiln\n" },
    });
    const config = await imageConfig(fullImage);
    expect(config).toMatchObject({
      Author: OWNER,
      Comment: "built v3",
      Cmd: ["cat", "/out/greeting.txt"],
      WorkingDir: "/out",
      User: "1000",
      ExposedPorts: { "8080/tcp": {} },
      Labels: { ...(await BASE_LABELS()), owner: OWNER, home: HOME_VALUE, "built-by": "box" },
    });
    expect(config.Env).toContain("GREETING=hello");
    // The image runs its own command (the build's `--entrypoint=/bin/sh` is not kept).
    expect(await runImage(fullImage)).toEqual({ code: 0, stdout: "hello, kiln\n" });
  });

  it("upgrades {{build_name}} and {{build_type}} to the source's name and type", () => {
    const r = run(["hcl2_upgrade", "-output-file=full.pkr.hcl", "full.json"]);
    expect(r.code).toBe(0);
    const hcl = readFileSync(join(dir, "full.pkr.hcl"), "utf8");
    expect(hcl).toContain('"LABEL owner=\\"${var.owner}\\" home=${var.home} built-by=${source.name}"');
    expect(hcl).toContain(`"echo '\${source.name}/\${source.type}' > /out/build.txt"`);
    expect(hcl).not.toContain("${build.");
    expect(run(["fmt", "-check", "full.pkr.hcl"]).code).toBe(0);
    expect(run(["validate", "-var-file=vars.pkrvars.hcl", "full.pkr.hcl"])).toMatchObject({
      code: 0,
      stdout: "The configuration is valid.\n",
    });
  });

  describe("hcl2_upgrade round trip", () => {
    const jsonRepo = `${REPO_PREFIX}/rt-json`;
    const hclRepo = `${REPO_PREFIX}/rt-hcl`;
    let jsonImage = "";

    it("builds the JSON template", () => {
      write("rt.json", template({ buildFunctions: true, derivedVariable: true, repo: "unused/by-default" }));
      jsonImage = builtImage(
        build(["-var", "who=kiln", "-var", `repo=${jsonRepo}`, "-var-file=vars.json", "rt.json"]),
        jsonRepo,
      );
    });

    it("upgrades to HCL2 that validates, is fmt-clean and builds the same image", async () => {
      expect(jsonImage).not.toBe("");
      // Without a value for the required variable the upgrade still works, saying so as Packer does.
      const unset = run(["hcl2_upgrade", "-output-file=rt.pkr.hcl", "rt.json"]);
      expect(unset.stdout).toBe(
        "Ignoring following initialization error: <nil>: ; 1 error occurred:\n\t* required variable not set: owner\n\n\nSuccessfully created rt.pkr.hcl. Exit 0\n",
      );
      expect(unset.code).toBe(0);
      const up = run(["hcl2_upgrade", "-var-file=vars.json", "-output-file=rt.pkr.hcl", "rt.json"]);
      expect(up.stdout).toBe("Successfully created rt.pkr.hcl. Exit 0\n");
      expect(up.code).toBe(0);
      const hcl = readFileSync(join(dir, "rt.pkr.hcl"), "utf8");
      // A variable whose default uses other variables becomes a local; the environment stays a default.
      expect(hcl).toContain('locals {\n  stamp = "${var.greeting}-${var.who}"\n}');
      expect(hcl).toContain(
        'variable "home" {\n  type    = string\n  default = "${env("KILN_E2E_HOME")}"\n}',
      );
      expect(hcl).toContain('variable "owner" {\n  type = string\n}');
      expect(hcl).toContain('    repository = "${var.repo}"\n    tags       = ["${var.tag}", "latest"]');

      expect(run(["fmt", "-check", "rt.pkr.hcl"])).toMatchObject({ code: 0, stdout: "" });
      expect(run(["validate", "-var-file=vars.pkrvars.hcl", "rt.pkr.hcl"])).toMatchObject({
        code: 0,
        stdout: "The configuration is valid.\n",
      });

      const r = build([
        "-var",
        "who=kiln",
        "-var",
        `repo=${hclRepo}`,
        "-var-file=vars.pkrvars.hcl",
        "rt.pkr.hcl",
      ]);
      const hclImage = builtImage(r, hclRepo);
      expect(r.stdout).toContain(
        `--> docker.box: Imported Docker image: ${hclRepo}:latest with tags ${hclRepo}:v3 ${hclRepo}:latest\n`,
      );
      await expectContainersGone(r);
      expect(hclImage).not.toBe(jsonImage);

      const jsonFiles = await outFiles(jsonImage);
      expect(Object.keys(jsonFiles).sort()).toEqual([
        "out/build.txt",
        "out/env.txt",
        "out/greeting.txt",
        "out/packer-env.txt",
        "out/stamp.txt",
      ]);
      expect(jsonFiles["out/stamp.txt"]?.content).toBe("hello-kiln\n");
      expect(jsonFiles["out/build.txt"]?.content).toBe("box/docker\n");
      expect(await outFiles(hclImage)).toEqual(jsonFiles);
      const jsonConfig = await imageConfig(jsonImage);
      expect(jsonConfig.Labels).toMatchObject({ owner: OWNER, home: HOME_VALUE, "built-by": "box" });
      expect(await imageConfig(hclImage)).toEqual(jsonConfig);
      expect(await runImage(hclImage)).toEqual({ code: 0, stdout: "hello, kiln\n" });
    });

    it("builds Packer 1.6.6's hcl2_upgrade output of the template with kiln", async () => {
      expect(jsonImage).not.toBe("");
      const packer = (args: readonly string[]) =>
        spawnSync(env.packer.path, args, {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, CHECKPOINT_DISABLE: "1" },
          timeout: 60_000,
        });

      // Packer 1.6.6 writes a variable whose default uses other variables as a variable, which HCL2 forbids.
      expect(packer(["hcl2_upgrade", "-output-file=rt-166.pkr.hcl", "rt.json"]).status).toBe(0);
      const old = readFileSync(join(dir, "rt-166.pkr.hcl"), "utf8");
      expect(old).toContain(
        'variable "stamp" {\n  type    = string\n  default = "${var.greeting}-${var.who}"\n}',
      );
      const v = run(["validate", "-var-file=vars.pkrvars.hcl", "rt-166.pkr.hcl"]);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain('in variable "stamp":');
      expect(v.stdout).toContain("Variables may not be used here.");

      // It writes `{{build_name}}` / `{{build_type}}` as `${build.name}` / `${build.type}`: `build` has no
      // attributes in source blocks and no `type` anywhere, so its output is rejected, as Packer rejects it.
      // (In a provisioner `build.name` is the build block's name, "" here, not the builder's.)
      write("bf.json", template({ buildFunctions: true, derivedVariable: false, repo: "unused/by-default" }));
      expect(packer(["hcl2_upgrade", "-output-file=bf-166.pkr.hcl", "bf.json"]).status).toBe(0);
      const bf = readFileSync(join(dir, "bf-166.pkr.hcl"), "utf8");
      expect(bf).toContain('"LABEL owner=\\"${var.owner}\\" home=${var.home} built-by=${build.name}"');
      expect(bf).toContain(`"echo '\${build.name}/\${build.type}' > /out/build.txt"`);
      const bv = run(["validate", "-var-file=vars.pkrvars.hcl", "bf-166.pkr.hcl"]);
      expect(bv.code).toBe(1);
      expect(bv.stdout).toContain("Error: Unsupported attribute\n\n  on bf-166.pkr.hcl line ");
      expect(bv.stdout).toContain('in source "docker" "box":');
      expect(bv.stdout).toContain('This object does not have an attribute named "name".');
      write("bf-provisioner-166.pkr.hcl", bf.replace(" built-by=${build.name}", ""));
      const pv = run(["validate", "-var-file=vars.pkrvars.hcl", "bf-provisioner-166.pkr.hcl"]);
      expect(pv.code).toBe(1);
      expect(pv.stdout).toContain("in build:");
      expect(pv.stdout).toContain('This object does not have an attribute named "type".');
      expect(pv.stdout).not.toContain('attribute named "name"');

      // Without either, its output builds with kiln, to the image the JSON template makes (less what they
      // add: the stamp and build files and the built-by label).
      write(
        "rt-plain.json",
        template({ buildFunctions: false, derivedVariable: false, repo: "unused/by-default" }),
      );
      expect(packer(["hcl2_upgrade", "-output-file=rt-plain-166.pkr.hcl", "rt-plain.json"]).status).toBe(0);
      const plain = readFileSync(join(dir, "rt-plain-166.pkr.hcl"), "utf8");
      // What 1.6.6 writes differently: annotations always, no `packer` block, an unused timestamp local.
      expect(plain).toContain("# This file was autogenerated by the BETA 'packer hcl2_upgrade' command.");
      expect(plain).not.toContain("required_plugins");
      expect(plain).toContain('locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }');
      expect(run(["validate", "-var-file=vars.pkrvars.hcl", "rt-plain-166.pkr.hcl"]).code).toBe(0);

      const repo = `${REPO_PREFIX}/rt-166`;
      const r = build([
        "-var",
        "who=kiln",
        "-var",
        `repo=${repo}`,
        "-var-file=vars.pkrvars.hcl",
        "rt-plain-166.pkr.hcl",
      ]);
      const image = builtImage(r, repo);
      await expectContainersGone(r);
      const {
        "out/stamp.txt": _stamp,
        "out/build.txt": _build,
        ...withoutStampAndBuild
      } = await outFiles(jsonImage);
      expect(await outFiles(image)).toEqual(withoutStampAndBuild);
      const { "built-by": builtBy, ...labels } = (await imageConfig(jsonImage)).Labels ?? {};
      expect(builtBy).toBe("box");
      expect(await imageConfig(image)).toEqual({ ...(await imageConfig(jsonImage)), Labels: labels });
    });
  });
});

describe("builder names across hcl2_upgrade (null builders, shell-local)", () => {
  /** Lines each component appended to its file, sorted: what ran, for which build. */
  function outputs(sub: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const f of ["all", "only-unnamed", "except-two", "pp"]) {
      const path = join(dir, sub, `${f}.txt`);
      out[f] = existsSync(path) ? readFileSync(path, "utf8").trim().split("\n").sort() : [];
    }
    return out;
  }

  function namesTemplate(sub: string): string {
    const append = (expr: string, file: string) => `echo '${expr}' >> '${join(dir, sub, file)}.txt'`;
    return JSON.stringify({
      builders: [
        { type: "null", communicator: "none" },
        { type: "null", name: "two", communicator: "none" },
        { type: "null", name: "my box", communicator: "none" },
      ],
      provisioners: [
        { type: "shell-local", inline: [append("{{build_name}}/{{build_type}}", "all")] },
        { type: "shell-local", only: ["null"], inline: [append("{{build_name}}", "only-unnamed")] },
        { type: "shell-local", except: ["two"], inline: [append("{{build_name}}", "except-two")] },
      ],
      "post-processors": [
        { type: "shell-local", only: ["my box", "two"], inline: [append("{{build_name}}", "pp")] },
      ],
    });
  }

  it("gives unnamed and renamed builders their JSON names, and keeps only/except matching", () => {
    mkdirSync(join(dir, "names-json"));
    mkdirSync(join(dir, "names-hcl"));
    write("names.json", namesTemplate("names-json"));
    expectSuccess(run(["build", "-color=false", "names.json"]));
    const expected = {
      all: ["my box/null", "null/null", "two/null"],
      "only-unnamed": ["null"],
      "except-two": ["my box", "null"],
      pp: ["my box", "two"],
    };
    expect(outputs("names-json")).toEqual(expected);

    write("names-hcl.json", namesTemplate("names-hcl"));
    expect(run(["hcl2_upgrade", "-output-file=names.pkr.hcl", "names-hcl.json"]).code).toBe(0);
    const hcl = readFileSync(join(dir, "names.pkr.hcl"), "utf8");
    // The unnamed builder is `autogenerated_2`, "my box" is `my_box`: the JSON names are looked up.
    expect(hcl).toContain(
      'sources = ["source.null.my_box", "source.null.autogenerated_2", "source.null.two"]',
    );
    expect(hcl).toContain(
      `\${lookup({ "my_box" = "my box", "autogenerated_2" = "null" }, source.name, source.name)}/\${source.type}`,
    );
    expect(hcl).toContain('only   = ["null.autogenerated_2"]');
    expect(hcl).toContain('except = ["null.two"]');
    expect(hcl).toContain('only   = ["null.my_box", "null.two"]');
    expectSuccess(run(["build", "-color=false", "names.pkr.hcl"]));
    expect(outputs("names-hcl")).toEqual(expected);
  });
});
