// `kiln build` of docker templates with each docker post-processor on the real engine (node bin/kiln.js;
// build dist first): docker-tag, docker-save (after docker-tag), docker-import (of an export_path tarball) and
// docker-push to the local registry on 127.0.0.1:5000. Checked with the docker CLI and the registry's API.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  containerExists,
  imageExists,
  inspectImage,
  leftoverTempDirs,
  printedContainerId,
  printedImageId,
  readTar,
  registryAddress,
  runInImage,
  templateDir,
  uniqueName,
} from "../integration/docker/cli-support.js";
import { kilnDockerBuild, useDockerE2e } from "./docker-support.js";

const ctx = useDockerE2e();

function build(dir: string, args: readonly string[] = ["."]) {
  const r = kilnDockerBuild(ctx, dir, args);
  expect(containerExists(ctx.env.host, printedContainerId(r.stdout))).toBe(false);
  expect(leftoverTempDirs(dir)).toEqual([]);
  return r;
}

/** A committing busybox source and a build block around `postProcessors`. */
function commitTemplate(postProcessors: string): string {
  return `source "docker" "app" {
  image   = "${ctx.env.busybox}"
  pull    = false
  commit  = true
  changes = ["LABEL org.example.pp=yes"]
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["echo post-processed > /pp.txt"]
  }

${postProcessors}
}
`;
}

describe("docker post-processors through kiln build", () => {
  it("docker-tag tags the committed image with every tag", () => {
    const repo = uniqueName("kiln-e2e/tag");
    ctx.made.image(`${repo}:one`);
    ctx.made.image(`${repo}:two`);
    const dir = ctx.made.dir(
      templateDir("tag", {
        "app.pkr.hcl": commitTemplate(`  post-processor "docker-tag" {
    repository = "${repo}"
    tags       = ["one", "two"]
  }`),
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    const id = printedImageId(r.stdout)!;
    expect(r.stdout).toContain("==> docker.app: Running post-processor:  (type docker-tag)\n");
    expect(r.stdout).toContain(`    docker.app (docker-tag): Tagging image: ${id}\n`);
    expect(r.stdout).toContain(`    docker.app (docker-tag): Repository: ${repo}:one\n`);
    expect(r.stdout).toContain(`    docker.app (docker-tag): Repository: ${repo}:two\n`);
    expect(r.stdout).toContain(`--> docker.app: Imported Docker image: ${id}\n`);
    expect(r.stdout).toContain(
      // Packer's docker-tag artifact is named after the last tag it made.
      `--> docker.app: Imported Docker image: ${repo}:two with tags ${repo}:one ${repo}:two\n`,
    );
    for (const tag of ["one", "two"]) {
      const image = inspectImage(ctx.env.host, `${repo}:${tag}`);
      expect(image.Id).toBe(id);
      expect(image.Config.Labels).toMatchObject({ "org.example.pp": "yes" });
    }
    expect(runInImage(ctx.env.host, `${repo}:one`, "cat /pp.txt")).toBe("post-processed\n");
  });

  it("docker-save writes the tagged image as a tarball docker can load", async () => {
    const repo = uniqueName("kiln-e2e/save");
    ctx.made.image(`${repo}:saved`);
    const dir = ctx.made.dir(
      templateDir("save", {
        "app.pkr.hcl": commitTemplate(`  post-processors {
    post-processor "docker-tag" {
      repository = "${repo}"
      tags       = ["saved"]
    }
    post-processor "docker-save" {
      path = "image.tar"
    }
  }`),
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("==> docker.app: Running post-processor:  (type docker-save)\n");
    expect(r.stdout).toContain(`    docker.app (docker-save): Saving image: ${repo}:saved\n`);
    expect(r.stdout).toContain("    docker.app (docker-save): Saved to: image.tar\n");
    // docker-save hands its input artifact on, as Packer's does.
    expect(r.stdout.split("\n").filter((l) => l.startsWith("--> "))).toEqual([
      `--> docker.app: Imported Docker image: ${printedImageId(r.stdout)}`,
      `--> docker.app: Imported Docker image: ${repo}:saved with tags ${repo}:saved`,
      `--> docker.app: Imported Docker image: ${repo}:saved with tags ${repo}:saved`,
    ]);
    const path = join(dir, "image.tar");
    expect(existsSync(path)).toBe(true);
    const manifest = JSON.parse(
      (await readTar(readFileSync(path))).get("manifest.json")?.toString() ?? "null",
    ) as {
      RepoTags: string[];
      Config: string;
    }[];
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.RepoTags).toEqual([`${repo}:saved`]);
    expect(`sha256:${manifest[0]!.Config.replace(/\.json$/, "").replace(/^blobs\/sha256\//, "")}`).toBe(
      printedImageId(r.stdout),
    );
  });

  it("docker-import imports the export_path tarball with changes, and removes the tarball", () => {
    const repo = uniqueName("kiln-e2e/import");
    ctx.made.image(`${repo}:imported`);
    const dir = ctx.made.dir(
      templateDir("import", {
        "app.pkr.hcl": `source "docker" "app" {
  image       = "${ctx.env.busybox}"
  pull        = false
  export_path = "rootfs.tar"
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["echo imported by kiln > /imported.txt"]
  }

  post-processor "docker-import" {
    repository = "${repo}"
    tag        = "imported"
    changes    = ["CMD [\\"cat\\", \\"/imported.txt\\"]", "ENV IMPORTED=yes"]
  }
}
`,
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("==> docker.app: Exporting the container\n");
    expect(r.stdout).toContain("    docker.app (docker-import): Importing image: Container\n");
    expect(r.stdout).toContain(`    docker.app (docker-import): Repository: ${repo}:imported\n`);
    const importedId = /Imported ID: (sha256:[0-9a-f]{64})/.exec(r.stdout)?.[1];
    expect(importedId).toBeDefined();
    expect(r.stdout).toContain(`--> docker.app: Imported Docker image: ${repo}:imported\n`);
    const image = inspectImage(ctx.env.host, `${repo}:imported`);
    expect(image.Id).toBe(importedId);
    expect(image.Config.Cmd).toEqual(["cat", "/imported.txt"]);
    expect(image.Config.Env).toContain("IMPORTED=yes");
    expect(runInImage(ctx.env.host, `${repo}:imported`, "cat /imported.txt")).toBe("imported by kiln\n");
    // keep_input_artifact defaults to false: the exported tarball is deleted.
    expect(existsSync(join(dir, "rootfs.tar"))).toBe(false);
  });

  it("docker-push pushes the tagged image to the local registry", async () => {
    const registry = await registryAddress();
    // One repository for every run (the registry keeps a repository once made); a tag of this run's own.
    const name = "kiln-e2e/push";
    const tag = uniqueName("v1");
    const repo = `${registry}/${name}`;
    ctx.made.image(`${repo}:${tag}`);
    ctx.made.registryTag(registry, `${name}:${tag}`);
    const dir = ctx.made.dir(
      templateDir("push", {
        "app.pkr.hcl": commitTemplate(`  post-processors {
    post-processor "docker-tag" {
      repository = "${repo}"
      tags       = ["${tag}"]
    }
    post-processor "docker-push" {}
  }`),
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("==> docker.app: Running post-processor:  (type docker-push)\n");
    expect(r.stdout).toContain(`    docker.app (docker-push): Pushing: ${repo}:${tag}\n`);
    expect(r.stdout).toContain(
      `--> docker.app: Imported Docker image: ${repo}:${tag} with tags ${repo}:${tag}\n`,
    );

    const tags = (await (await fetch(`http://${registry}/v2/${name}/tags/list`)).json()) as {
      tags: string[];
    };
    expect(tags.tags).toContain(tag);
    const head = await fetch(`http://${registry}/v2/${name}/manifests/${tag}`, {
      method: "HEAD",
      headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(head.status).toBe(200);
    // The local image now carries the registry digest the push produced.
    const pushed = inspectImage(ctx.env.host, `${repo}:${tag}`) as { RepoDigests?: string[] };
    expect(pushed.RepoDigests).toContain(`${repo}@${head.headers.get("docker-content-digest")}`);
    expect(imageExists(ctx.env.host, printedImageId(r.stdout)!)).toBe(true);
  });
});
