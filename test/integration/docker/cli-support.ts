// Helpers for the docker e2e tests (test/e2e/docker-*.test.ts): they run `kiln build` as a user would and check
// the result with the docker CLI against the engine scripts/test-env.sh describes. Every image, container,
// directory and registry tag a test makes is recorded and removed afterwards.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { requireTestEnv, testEnvPath } from "../../support/env.js";

export interface DockerE2eEnv {
  /** DOCKER_HOST of the test engine. */
  readonly host: string;
  /** The local busybox and debian images (no registry can be pulled from). */
  readonly busybox: string;
  readonly debian: string;
}

/** The engine described by env.json; throws (never skips) when it is down. */
export async function dockerE2eEnv(): Promise<DockerE2eEnv> {
  const env = await requireTestEnv(["docker"]);
  return { host: env.docker.host, busybox: env.docker.images.busybox, debian: env.docker.images.debian };
}

/**
 * The local registry scripts/test-env.sh runs on loopback (env.json "registry", else 127.0.0.1:5000); throws,
 * never skips, when it does not answer. (Kept apart from ./support.ts, which loads kiln's sources: the e2e
 * tests use only the built CLI.)
 */
export async function registryAddress(): Promise<string> {
  let address = "127.0.0.1:5000";
  try {
    const described = (
      JSON.parse(readFileSync(testEnvPath(), "utf8")) as { registry?: { address?: unknown } }
    ).registry?.address;
    if (typeof described === "string" && described !== "") address = described;
  } catch {
    // requireTestEnv reports a missing env.json; the address is known anyway.
  }
  const res = await fetch(`http://${address}/v2/`).catch((e: unknown) => e as Error);
  if (res instanceof Error || !res.ok) {
    throw new Error(
      `kiln test environment: registry at ${address} does not answer (${res instanceof Error ? res.message : res.status}): run scripts/test-env.sh (as root)`,
    );
  }
  return address;
}

/** Deletes `repo:tag`'s manifest from the registry at `address`. */
async function deleteRegistryTag(address: string, repo: string, tag: string): Promise<void> {
  const head = await fetch(`http://${address}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
  });
  const digest = head.headers.get("docker-content-digest");
  if (!head.ok || digest === null) return;
  await fetch(`http://${address}/v2/${repo}/manifests/${digest}`, { method: "DELETE" });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the docker CLI against `host`; with `check`, a non-zero exit throws with its output. */
export function docker(
  host: string,
  args: readonly string[],
  options: { check?: boolean; input?: string; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync("docker", args, {
    encoding: "utf8",
    env: { ...process.env, DOCKER_HOST: host },
    input: options.input ?? "",
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error !== undefined) throw new Error(`docker ${args.join(" ")}: ${r.error.message}`);
  const result = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  if (options.check !== false && r.status !== 0) {
    throw new Error(`docker ${args.join(" ")} exited ${r.status}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return result;
}

/** What `docker image inspect` says of one image. */
export interface InspectedImage {
  readonly Id: string;
  readonly RepoTags: readonly string[];
  readonly Author: string;
  readonly Comment: string;
  readonly Config: {
    readonly User: string;
    readonly Env: readonly string[] | null;
    readonly Entrypoint: readonly string[] | null;
    readonly Cmd: readonly string[] | null;
    readonly WorkingDir: string;
    readonly Labels: Readonly<Record<string, string>> | null;
    readonly ExposedPorts?: Readonly<Record<string, object>>;
    readonly Volumes?: Readonly<Record<string, object>> | null;
  };
}

export function inspectImage(host: string, ref: string): InspectedImage {
  const [image] = JSON.parse(docker(host, ["image", "inspect", ref]).stdout) as InspectedImage[];
  if (image === undefined) throw new Error(`docker image inspect ${ref}: no result`);
  return image;
}

export function imageExists(host: string, ref: string): boolean {
  return docker(host, ["image", "inspect", ref], { check: false }).code === 0;
}

/** Runs `sh -c script` as root in a new container of `image` (no network, removed after) and returns stdout. */
export function runInImage(host: string, image: string, script: string): string {
  return docker(host, [
    "run",
    "--rm",
    "--network",
    "none",
    "--user",
    "0",
    "--entrypoint",
    "/bin/sh",
    image,
    "-c",
    script,
  ]).stdout;
}

/** Ids of the containers (running or not) created from `image` as named (`docker ps -a` filtered by name). */
export function containersOf(host: string, image: string): string[] {
  const out = docker(host, ["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Image}}"]).stdout;
  return out
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split(" "))
    .filter(([, name]) => name === image)
    .map(([id]) => id ?? "");
}

/** Whether a container with this id exists (running or not). */
export function containerExists(host: string, id: string): boolean {
  return docker(host, ["container", "inspect", id], { check: false }).code === 0;
}

/** The `Container ID: <id>` the docker builder printed. */
export function printedContainerId(output: string): string {
  const m = /Container ID: ([0-9a-f]{64})/.exec(output);
  if (m === null) throw new Error(`no container id in the output:\n${output}`);
  return m[1]!;
}

/** The committed image's id (`Image ID: sha256:...`). */
export function printedImageId(output: string): string | undefined {
  return /Image ID: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

/** A name unique to this run, for repositories and tags. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A scratch directory holding a template and its files (`path` → content). */
export function templateDir(prefix: string, files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), `kiln-e2e-${prefix}-`));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** The environment a `kiln build` of the e2e tests runs with: the test engine, a private config dir. */
export function buildEnv(env: DockerE2eEnv, dir: string): Record<string, string> {
  return { DOCKER_HOST: env.host, PACKER_CONFIG_DIR: join(dir, ".config") };
}

/** What is left in the builder's temp-dir parent (PACKER_CONFIG_DIR/.packer.d) after a build. */
export function leftoverTempDirs(dir: string): string[] {
  try {
    return readdirSync(join(dir, ".config", ".packer.d"));
  } catch {
    return [];
  }
}

/** Images, tags, registry tags and directories made by a test; clean() removes them, whatever happened. */
export class Made {
  private readonly refs: string[] = [];
  private readonly dirs: string[] = [];
  private readonly pushed: [string, string][] = [];

  constructor(private readonly host: string) {}

  /** An image reference (tag or id) to remove. */
  image(ref: string | undefined): void {
    if (ref !== undefined && ref !== "") this.refs.push(ref);
  }

  dir(path: string): string {
    this.dirs.push(path);
    return path;
  }

  /** A `repo:tag` pushed to the registry at `address`. */
  registryTag(address: string, repoTag: string): void {
    this.pushed.push([address, repoTag]);
  }

  async clean(): Promise<void> {
    for (const [address, repoTag] of this.pushed.splice(0)) {
      const colon = repoTag.lastIndexOf(":");
      await deleteRegistryTag(address, repoTag.slice(0, colon), repoTag.slice(colon + 1)).catch(() => {});
    }
    // Tags first, then ids (forced: remaining tags go with them).
    const refs = this.refs.splice(0).reverse();
    const ordered = [
      ...refs.filter((r) => !r.startsWith("sha256:")),
      ...refs.filter((r) => r.startsWith("sha256:")),
    ];
    for (const ref of ordered) {
      docker(this.host, ["image", "rm", ...(ref.startsWith("sha256:") ? ["--force"] : []), ref], {
        check: false,
      });
    }
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every entry of a tar archive by name (`./` and a trailing `/` removed), with its content (empty for
 * directories and links).
 */
export async function readTar(archive: Buffer | NodeJS.ReadableStream): Promise<Map<string, Buffer>> {
  const tar = await import("tar-stream");
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: unknown) => chunks.push(c as Buffer));
      stream.on("end", () => {
        entries.set(header.name.replace(/^\.\//, "").replace(/\/$/, ""), Buffer.concat(chunks));
        next();
      });
      stream.on("error", reject);
    });
    extract.on("finish", () => resolve());
    extract.on("error", reject);
  });
  if (Buffer.isBuffer(archive)) extract.end(archive);
  else archive.pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return entries;
}

/**
 * The paths in the newest layer of an image (what the build committed), read from `docker save`: a trace in
 * a layer can be hidden at run time (under /dev's tmpfs, say), so a running container cannot be trusted to
 * show it.
 */
export async function topLayerEntries(host: string, ref: string): Promise<string[]> {
  const { spawn } = await import("node:child_process");
  const child = spawn("docker", ["save", ref], {
    env: { ...process.env, DOCKER_HOST: host },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const files = await readTar(child.stdout);
  const manifest = JSON.parse(files.get("manifest.json")?.toString("utf8") ?? "[]") as { Layers: string[] }[];
  const top = manifest[0]?.Layers.at(-1);
  const layer = top === undefined ? undefined : files.get(top);
  if (layer === undefined) throw new Error(`docker save ${ref}: no layers`);
  return [...(await readTar(layer)).keys()];
}
