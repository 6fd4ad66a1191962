// docker-tag, docker-import, docker-save and docker-push on the real engine (push to the local registry),
// fed with artifacts of a real docker build, checked for Packer's messages, artifacts and keep defaults.

import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar-stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DockerBuilder, Engine } from "../../../src/plugins/builder/docker/index.js";
import { DockerImportPostProcessor } from "../../../src/plugins/post-processor/docker-import/post-processor.js";
import { DockerPushPostProcessor } from "../../../src/plugins/post-processor/docker-push/post-processor.js";
import { DockerSavePostProcessor } from "../../../src/plugins/post-processor/docker-save/post-processor.js";
import { DockerTagPostProcessor } from "../../../src/plugins/post-processor/docker-tag/post-processor.js";
import { type Artifact, basicArtifact, type PostProcessor } from "../../../src/sdk/index.js";
import {
  builderContext,
  buildInfo,
  type DockerTestEnv,
  dockerTestEnv,
  Leftovers,
  provisionHook,
  recordingUi,
  registryAddress,
  runContext,
  shell,
  toValue,
} from "./support.js";

let t: DockerTestEnv;
/** What one test made (removed after it) and what the tests share (removed at the end). */
let leftovers: Leftovers;
let shared: Leftovers;
let work: string;
let committed: Artifact;
let exported: Artifact;
const signal = () => new AbortController().signal;

async function dockerBuild(config: Record<string, unknown>): Promise<Artifact> {
  const builder = new DockerBuilder();
  const prepared = builder.prepare(toValue(config), buildInfo(t, work));
  expect(prepared.diagnostics).toEqual([]);
  const artifact = await builder.run(
    recordingUi(),
    provisionHook([shell("echo pp > /pp.txt")]),
    signal(),
    builderContext(),
  );
  return artifact!;
}

function configured<P extends PostProcessor>(pp: P, config: Record<string, unknown>): P {
  const result = pp.configure(toValue(config), buildInfo(t, work));
  expect(result.diagnostics).toEqual([]);
  return pp;
}

beforeAll(async () => {
  t = await dockerTestEnv();
  leftovers = new Leftovers(t.docker);
  shared = new Leftovers(t.docker);
  work = await mkdtemp(join(tmpdir(), "kiln-docker-pp-"));
  committed = await dockerBuild({ image: t.busybox, pull: false, commit: true });
  shared.image(committed.id());
  // A tag of its own keeps the image when a test removes the last of the tags it added.
  await new Engine(t.client).tag(committed.id(), "kiln-test/pp-base:keep", signal());
  shared.image("kiln-test/pp-base:keep");
  exported = await dockerBuild({ image: t.busybox, pull: false, export_path: "export.tar" });
});

afterEach(async () => {
  await leftovers.clean();
});

afterAll(async () => {
  await leftovers?.clean();
  await shared?.clean();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("docker-tag", () => {
  it("tags the image once per tag, with Packer's messages and artifact", async () => {
    const pp = configured(new DockerTagPostProcessor(), { repository: "kiln-test/pp-tag", tags: ["a", "b"] });
    leftovers.image("kiln-test/pp-tag:a");
    leftovers.image("kiln-test/pp-tag:b");
    const ui = recordingUi();
    const result = await pp.postProcess(ui, committed, signal(), runContext());
    expect(ui.messages()).toEqual([
      `Tagging image: ${committed.id()}`,
      "Repository: kiln-test/pp-tag:a",
      `Tagging image: ${committed.id()}`,
      "Repository: kiln-test/pp-tag:b",
    ]);
    expect([result.keep, result.forceOverride]).toEqual([true, true]);
    const a = result.artifact!;
    expect([a.builderId(), a.id(), a.string()]).toEqual([
      "packer.post-processor.docker-tag",
      "kiln-test/pp-tag:b",
      "Imported Docker image: kiln-test/pp-tag:b with tags kiln-test/pp-tag:a kiln-test/pp-tag:b",
    ]);
    expect(a.state("docker_tags")).toEqual(["kiln-test/pp-tag:a", "kiln-test/pp-tag:b"]);
    expect(a.state("generated_data")).toMatchObject({ ImageSha256: committed.id() });
    const engine = new Engine(t.client);
    expect((await engine.inspectImage("kiln-test/pp-tag:a")).Id).toBe(committed.id());
    expect((await engine.inspectImage("kiln-test/pp-tag:b")).Id).toBe(committed.id());
  });

  it("merges the deprecated `tag` with a warning, and tags the repository alone without tags", async () => {
    const pp = configured(new DockerTagPostProcessor(), { repository: "kiln-test/pp-tag2", tag: ["old"] });
    leftovers.image("kiln-test/pp-tag2:old");
    const ui = recordingUi();
    const result = await pp.postProcess(ui, committed, signal(), runContext());
    expect(ui.says()[0]).toMatch(/^Deprecation warning: "tag" option has been replaced with "tags"\./);
    expect(result.artifact!.id()).toBe("kiln-test/pp-tag2:old");

    const bare = configured(new DockerTagPostProcessor(), { repository: "kiln-test/pp-bare" });
    leftovers.image("kiln-test/pp-bare:latest");
    const r2 = await bare.postProcess(recordingUi(), committed, signal(), runContext());
    expect([r2.artifact!.id(), r2.artifact!.string()]).toEqual([
      "kiln-test/pp-bare",
      "Imported Docker image: kiln-test/pp-bare",
    ]);
    expect((await new Engine(t.client).inspectImage("kiln-test/pp-bare:latest")).Id).toBe(committed.id());
  });

  it("refuses other artifacts", async () => {
    const pp = configured(new DockerTagPostProcessor(), { repository: "x" });
    await expect(pp.postProcess(recordingUi(), exported, signal(), runContext())).rejects.toThrow(
      "Unknown artifact type: packer.docker\nCan only tag from Docker builder artifacts.",
    );
  });
});

describe("docker-import", () => {
  it("imports the exported tarball with changes", async () => {
    const pp = configured(new DockerImportPostProcessor(), {
      repository: "kiln-test/pp-import",
      tag: "v1",
      changes: ["ENV IMPORTED=yes", 'CMD ["/bin/sh"]'],
    });
    leftovers.image("kiln-test/pp-import:v1");
    const ui = recordingUi();
    const result = await pp.postProcess(ui, exported, signal(), runContext());
    const messages = ui.messages();
    expect(messages.slice(0, 2)).toEqual([
      "Importing image: Container",
      "Repository: kiln-test/pp-import:v1",
    ]);
    expect(messages[2]).toMatch(/^Imported ID: sha256:[0-9a-f]{64}$/);
    expect([result.keep, result.forceOverride]).toEqual([false, false]);
    const a = result.artifact!;
    expect([a.builderId(), a.id(), a.string()]).toEqual([
      "packer.post-processor.docker-import",
      "kiln-test/pp-import:v1",
      "Imported Docker image: kiln-test/pp-import:v1",
    ]);
    const image = await t.docker.getImage("kiln-test/pp-import:v1").inspect();
    expect(`sha256:${image.Id.replace(/^sha256:/, "")}`).toBe(messages[2]!.slice("Imported ID: ".length));
    expect(image.Config.Env).toContain("IMPORTED=yes");
    await a.destroy();
    await expect(t.docker.getImage("kiln-test/pp-import:v1").inspect()).rejects.toThrow(/no such image/i);
  });

  it("refuses a committed image", async () => {
    const pp = configured(new DockerImportPostProcessor(), { repository: "x" });
    await expect(pp.postProcess(recordingUi(), committed, signal(), runContext())).rejects.toThrow(
      /^Unknown artifact type: packer.post-processor.docker-import\nCan only import from Docker builder and Artifice post-processor artifacts\./,
    );
  });

  it("imports an artifice artifact's file", async () => {
    const artifice = basicArtifact({
      builderId: "packer.post-processor.artifice",
      id: "export.tar",
      string: "",
      files: ["export.tar"],
    });
    const pp = configured(new DockerImportPostProcessor(), { repository: "kiln-test/pp-artifice" });
    leftovers.image("kiln-test/pp-artifice:latest");
    const result = await pp.postProcess(recordingUi(), artifice, signal(), runContext());
    expect(result.artifact!.id()).toBe("kiln-test/pp-artifice");
  });
});

describe("docker-save", () => {
  it("saves the image as a docker save tarball and passes the artifact on", async () => {
    const tagged = await configured(new DockerTagPostProcessor(), {
      repository: "kiln-test/pp-save",
      tags: ["s"],
    }).postProcess(recordingUi(), committed, signal(), runContext());
    leftovers.image("kiln-test/pp-save:s");
    const pp = configured(new DockerSavePostProcessor(), { path: "saved.tar" });
    const ui = recordingUi();
    const result = await pp.postProcess(ui, tagged.artifact!, signal(), runContext());
    expect(ui.messages()).toEqual(["Saving image: kiln-test/pp-save:s", "Saved to: saved.tar"]);
    expect(result.artifact).toBe(tagged.artifact);
    expect([result.keep, result.forceOverride]).toEqual([true, false]);
    const names: string[] = [];
    const extract = tar.extract();
    const done = (async () => {
      for await (const entry of extract) {
        names.push(entry.header.name);
        entry.resume();
      }
    })();
    createReadStream(join(work, "saved.tar")).pipe(extract as unknown as NodeJS.WritableStream);
    await done;
    expect(names).toEqual(expect.arrayContaining(["manifest.json", "repositories"]));
    expect((await stat(join(work, "saved.tar"))).size).toBeGreaterThan(1_000_000);
  });

  it("reports an output file it cannot create", async () => {
    const pp = configured(new DockerSavePostProcessor(), { path: "no/such/dir/saved.tar" });
    await expect(pp.postProcess(recordingUi(), committed, signal(), runContext())).rejects.toThrow(
      /^Error creating output file: ENOENT/,
    );
  });
});

describe("docker-push", () => {
  it("pushes the image and its tags to the registry, logged in, and records the digest", async () => {
    const registry = await registryAddress();
    const repo = `${registry}/kiln-test/pp-push`;
    const tagged = await configured(new DockerTagPostProcessor(), {
      repository: repo,
      tags: ["t1", "t2"],
    }).postProcess(recordingUi(), committed, signal(), runContext());
    leftovers.image(`${repo}:t1`);
    leftovers.image(`${repo}:t2`);
    leftovers.registryTag(registry, "kiln-test/pp-push", "t1");
    leftovers.registryTag(registry, "kiln-test/pp-push", "t2");

    const pp = configured(new DockerPushPostProcessor(), {
      login: true,
      login_server: registry,
      login_username: "kiln",
      login_password: "push-secret",
    });
    const ui = recordingUi();
    const context = runContext();
    const result = await pp.postProcess(ui, tagged.artifact!, signal(), context);
    const messages = ui.messages();
    expect(messages[0]).toBe("Logging in...");
    expect(messages[1]).toBe("Login Succeeded");
    expect(messages.at(-1)).toBe("Logging out...");
    expect(messages.filter((m) => m.startsWith("Pushing: "))).toEqual([
      `Pushing: ${repo}:t2`,
      `Pushing: ${repo}:t1`,
      `Pushing: ${repo}:t2`,
    ]);
    expect(messages).toContain(`The push refers to repository [${repo}]`);
    expect(messages.some((m) => /^[0-9a-f]{12}: (Pushed|Layer already exists)$/.test(m))).toBe(true);
    expect(messages.some((m) => /^t1: digest: sha256:[0-9a-f]{64} size: \d+$/.test(m))).toBe(true);
    expect(context.secrets.secrets).toEqual(["push-secret"]);
    expect([result.keep, result.forceOverride]).toEqual([true, false]);
    const a = result.artifact!;
    expect([a.builderId(), a.id(), a.string()]).toEqual([
      "packer.post-processor.docker-import",
      `${repo}:t2`,
      `Imported Docker image: ${repo}:t2 with tags ${repo}:t1 ${repo}:t2`,
    ]);
    expect((a.state("generated_data") as Record<string, unknown>).Digest).toMatch(
      new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`),
    );
    const tags = (await (await fetch(`http://${registry}/v2/kiln-test/pp-push/tags/list`)).json()) as {
      tags: string[];
    };
    expect(tags.tags.sort()).toEqual(["t1", "t2"]);
  });

  it("refuses an export artifact", async () => {
    const pp = configured(new DockerPushPostProcessor(), {});
    await expect(pp.postProcess(recordingUi(), exported, signal(), runContext())).rejects.toThrow(
      "Unknown artifact type: packer.docker\nCan only import from docker-import and docker-tag artifacts.",
    );
  });

  it("checks ecr_login needs a login server", () => {
    const result = new DockerPushPostProcessor().configure(toValue({ ecr_login: true }), buildInfo(t, work));
    expect(result.diagnostics.map((d) => d.summary)).toEqual([
      "ECR login requires login server to be provided.",
    ]);
  });
});
