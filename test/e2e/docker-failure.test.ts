// `kiln build` of a docker template that fails or is interrupted (node bin/kiln.js; build dist first): a
// provisioner that exits 1 fails the build with exit 1, and SIGINT while a provisioner runs cancels it; either
// way the container is removed, nothing is committed and the temp dir is gone.
//
// Each test runs its build from its own tag of the busybox image, so it can count the containers of that build
// alone while other tests use the engine too.

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  buildEnv,
  containerExists,
  containersOf,
  docker,
  imageExists,
  leftoverTempDirs,
  printedContainerId,
  templateDir,
  uniqueName,
} from "../integration/docker/cli-support.js";
import { useDockerE2e } from "./docker-support.js";
import { kiln, kilnBin } from "./run-kiln.js";

const ctx = useDockerE2e();

/** A tag of the busybox image only this test uses. */
function privateBaseImage(): string {
  const ref = `${uniqueName("kiln-e2e/base")}:latest`;
  docker(ctx.env.host, ["tag", ctx.env.busybox, ref]);
  ctx.made.image(ref);
  return ref;
}

function template(image: string, repo: string, inline: readonly string[]): string {
  return `source "docker" "app" {
  image  = "${image}"
  pull   = false
  commit = true
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ${JSON.stringify(inline)}
  }

  post-processor "docker-tag" {
    repository = "${repo}"
    tags       = ["never"]
  }
}
`;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("docker build failures (e2e)", () => {
  it("a provisioner exiting 1 fails the build with exit 1 and leaves no container", () => {
    const image = privateBaseImage();
    const repo = uniqueName("kiln-e2e/failed");
    ctx.made.image(`${repo}:never`);
    const dir = ctx.made.dir(
      templateDir("fail", {
        "app.pkr.hcl": template(image, repo, [
          "echo about to fail",
          "touch /half-done",
          "exit 1",
          "echo never",
        ]),
      }),
    );
    const before = containersOf(ctx.env.host, image);
    expect(before).toEqual([]);

    const r = kiln(["build", "-color=false", "."], {
      cwd: dir,
      env: buildEnv(ctx.env, dir),
      timeoutMs: 120_000,
    });

    expect(r.code).toBe(1);
    expect(r.stdout).toContain("    docker.app: about to fail\n");
    expect(r.stdout).not.toContain("never\n");
    expect(r.stdout).toContain(
      "==> docker.app: Provisioning step had errors: Running the cleanup provisioner, if present...\n",
    );
    expect(r.stdout).toContain("Build 'docker.app' errored after ");
    expect(r.stdout).toMatch(
      /^--> docker\.app: Script exited with non-zero exit status: 1\. ?Allowed exit codes are: \[0\]$/m,
    );
    expect(r.stdout).toContain("==> Builds finished but no artifacts were created.\n");
    expect(r.stdout).not.toContain("Committing the container");
    expect(r.stdout).not.toContain("Running post-processor");
    const id = printedContainerId(r.stdout);
    expect(r.stdout).toContain(`==> docker.app: Killing the container: ${id}\n`);
    expect(containerExists(ctx.env.host, id)).toBe(false);
    expect(containersOf(ctx.env.host, image)).toEqual(before);
    expect(imageExists(ctx.env.host, `${repo}:never`)).toBe(false);
    expect(leftoverTempDirs(dir)).toEqual([]);
  });

  it("SIGINT while a provisioner runs cancels the build: cleanup, exit 1, container gone", async () => {
    const image = privateBaseImage();
    const repo = uniqueName("kiln-e2e/interrupted");
    ctx.made.image(`${repo}:never`);
    const dir = ctx.made.dir(
      templateDir("sigint", {
        "app.pkr.hcl": template(image, repo, ["echo provisioning started", "sleep 60", "echo never"]),
      }),
    );
    expect(containersOf(ctx.env.host, image)).toEqual([]);

    const child = spawn(process.execPath, [kilnBin, "build", "-color=false", "."], {
      cwd: dir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", ...buildEnv(ctx.env, dir) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await waitFor(() => stdout.includes("docker.app: provisioning started\n"), 60_000, "the provisioner");
      // The build's container is running now.
      const id = printedContainerId(stdout);
      expect(containersOf(ctx.env.host, image)).toEqual([id]);

      const interruptedAt = Date.now();
      child.kill("SIGINT");
      const code = await exited;

      expect(code).toBe(1);
      // Well before the `sleep 60` would have ended.
      expect(Date.now() - interruptedAt).toBeLessThan(20_000);
      expect(stdout).toContain("Cancelling build after receiving interrupt");
      expect(stdout).toContain(`==> docker.app: Killing the container: ${id}\n`);
      expect(stdout).toContain("Cleanly cancelled builds after being interrupted.");
      expect(stdout).not.toContain("never\n");
      expect(stdout).not.toContain("Committing the container");
      expect(containerExists(ctx.env.host, id)).toBe(false);
      expect(containersOf(ctx.env.host, image)).toEqual([]);
      expect(imageExists(ctx.env.host, `${repo}:never`)).toBe(false);
      expect(leftoverTempDirs(dir)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 90_000);
});
