// The README's docker quick start, run as documented: the third ```sh block of its "Quick start" section
// (examples/docker/base-image.sh, `node bin/kiln.js build examples/docker`, `docker run` of the result), from
// the project root against the test engine. No registry is reachable here, so when busybox:latest is missing
// the script must build it locally and say so. Everything the commands made is removed afterwards.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  containersOf,
  docker,
  imageExists,
  inspectImage,
  printedImageId,
} from "../integration/docker/cli-support.js";
import { useDockerE2e } from "./docker-support.js";
import { projectRoot } from "./run-kiln.js";

const BASE = "busybox:latest";
const RESULT = "kiln-example/hello:latest";

const ctx = useDockerE2e();

/** The ```sh blocks of the README's Quick start section, in order. */
function quickStartBlocks(): string[] {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const section = readme.split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? "";
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
}

describe("README docker quick start (e2e)", () => {
  it("keeps the blocks CI and users rely on: hello first, the test command second", () => {
    const blocks = quickStartBlocks();
    expect(blocks[0]).toContain("node bin/kiln.js build examples/hello\n");
    expect(blocks[1]).toBe("bash scripts/test-env.sh\nnpm install\nnpm test\n");
  });

  it("builds examples/docker into a real image, offline, and runs it", () => {
    const script = quickStartBlocks()[2];
    expect(script).toBeDefined();
    expect(script).toContain("bash examples/docker/base-image.sh\n");
    expect(script).toContain("node bin/kiln.js build examples/docker\n");

    const baseWasThere = imageExists(ctx.env.host, BASE);
    const resultWasThere = imageExists(ctx.env.host, RESULT);
    if (!baseWasThere) ctx.made.image(BASE);
    if (!resultWasThere) ctx.made.image(RESULT);
    const containersBefore = containersOf(ctx.env.host, BASE);

    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script!], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, DOCKER_HOST: ctx.env.host, CHECKPOINT_DISABLE: "1" },
      timeout: 180_000,
    });
    // As documented, without -color=false: the build's lines come coloured.
    const stdout = r.stdout.replace(/\x1b\[[0-9;]*m/g, "");
    ctx.made.image(printedImageId(stdout));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);

    // base-image.sh says what it did; with no registry reachable a missing image is built locally.
    if (baseWasThere) {
      expect(stdout).toContain(`base image ${BASE}: present\n`);
    } else {
      expect(stdout).toMatch(
        /^base image busybox:latest: (pulled|cannot be pulled \(.*\); built it locally from \S*busybox)\n/,
      );
    }
    expect(stdout).toContain("==> docker.hello: Provisioning with shell script: ");
    expect(stdout).toContain(
      "    docker.hello: Hello, provisioner! (hello, built by kiln from busybox:latest)\n",
    );
    expect(stdout).toContain("    docker.hello (docker-tag): Repository: kiln-example/hello:latest\n");
    expect(stdout).toContain(
      "--> docker.hello: Imported Docker image: kiln-example/hello:latest with tags kiln-example/hello:latest\n",
    );
    // The last command ran the image: its entry point greets the default CMD.
    expect(stdout.endsWith("Hello, world! (hello, built by kiln from busybox:latest)\n")).toBe(true);

    const image = inspectImage(ctx.env.host, RESULT);
    expect(image.Id).toBe(printedImageId(stdout));
    expect(image.Config.WorkingDir).toBe("/srv/hello");
    expect(image.Config.Entrypoint).toEqual(["/bin/sh", "/srv/hello/hello.sh"]);
    expect(image.Config.Cmd).toEqual(["world"]);
    expect(image.Config.Labels).toMatchObject({ "org.opencontainers.image.title": "kiln-hello" });
    expect(docker(ctx.env.host, ["run", "--rm", "--network", "none", RESULT, "kiln"]).stdout).toBe(
      "Hello, kiln! (hello, built by kiln from busybox:latest)\n",
    );
    // Neither the build nor `docker run --rm` left a container.
    expect(containersOf(ctx.env.host, BASE)).toEqual(containersBefore);
    expect(containersOf(ctx.env.host, RESULT)).toEqual([]);
  }, 240_000);
});
