// Shared pieces of the docker integration tests: the engine client for the described environment, the local
// registry, a recording Ui, and bookkeeping that removes every container and image a test made.

import { join } from "node:path";
import { Readable } from "node:stream";
import Docker from "dockerode";
import { createDockerClient, type DockerClient } from "../../../src/communicator/docker/index.js";
import { createStepRunner } from "../../../src/core/index.js";
import { boolVal, numberIntVal, objectVal, stringVal, tupleVal, type Value } from "../../../src/hcl/index.js";
import {
  type BuilderRunContext,
  type BuildInfo,
  type Communicator,
  type GeneratedData,
  HOOK_PROVISION,
  type Hook,
  KilnError,
  noopLogger,
  type RunContext,
  runWithUi,
  type SecretFilter,
  type Ui,
} from "../../../src/sdk/index.js";
import { requireTestEnv, type TestEnv } from "../../support/env.js";

export interface DockerTestEnv {
  readonly env: TestEnv;
  /** The tests' own view of the engine (dockerode, a dev dependency). */
  readonly docker: Docker;
  /** kiln's client, for components. */
  readonly client: DockerClient;
  /** `env` for components (BuildInfo.env): DOCKER_HOST of the described engine. */
  readonly runEnv: Readonly<Record<string, string | undefined>>;
  readonly busybox: string;
  readonly debian: string;
}

export async function dockerTestEnv(): Promise<DockerTestEnv> {
  const env = await requireTestEnv(["docker"]);
  const runEnv = { DOCKER_HOST: env.docker.host, HOME: process.env.HOME ?? "/root" };
  return {
    env,
    docker: new Docker({ socketPath: env.docker.socketPath }),
    client: createDockerClient(runEnv),
    runEnv,
    busybox: env.docker.images.busybox,
    debian: env.docker.images.debian,
  };
}

/** Where scripts/test-env.sh runs the registry (also recorded in env.json as "registry"). */
export const DEFAULT_REGISTRY = "127.0.0.1:5000";

/** The local registry of the test environment (one definition, shared with the CLI tests). */
export { registryAddress } from "./cli-support.js";

export interface RecordingUi extends Ui {
  readonly lines: string[];
  says(): string[];
  messages(): string[];
  errors(): string[];
}

/** A Ui that records every line as `say:`, `message:` or `error:` text. */
export function recordingUi(): RecordingUi {
  const lines: string[] = [];
  const pick = (kind: string) => () =>
    lines.filter((l) => l.startsWith(`${kind}:`)).map((l) => l.slice(kind.length + 1));
  return {
    lines,
    say: (m) => lines.push(`say:${m}`),
    message: (m) => lines.push(`message:${m}`),
    error: (m) => lines.push(`error:${m}`),
    machine: () => {},
    ask: async () => "",
    says: pick("say"),
    messages: pick("message"),
    errors: pick("error"),
  };
}

/** Deletes `repo:tag`'s manifest from the registry at `address` (its storage allows deletes). */
export async function deleteRegistryTag(address: string, repo: string, tag: string): Promise<void> {
  const head = await fetch(`http://${address}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
  });
  const digest = head.headers.get("docker-content-digest");
  if (!head.ok || digest === null) return;
  await fetch(`http://${address}/v2/${repo}/manifests/${digest}`, { method: "DELETE" });
}

/** Containers and images made by a test, removed afterwards whatever happened. */
export class Leftovers {
  private readonly containers = new Set<string>();
  private readonly images = new Set<string>();
  private readonly pushed: [string, string, string][] = [];

  constructor(private readonly docker: Docker) {}

  container(id: string): string {
    this.containers.add(id);
    return id;
  }

  image(ref: string): string {
    this.images.add(ref);
    return ref;
  }

  /** A tag pushed to the test registry. */
  registryTag(address: string, repo: string, tag: string): void {
    this.pushed.push([address, repo, tag]);
  }

  async clean(): Promise<void> {
    for (const [address, repo, tag] of this.pushed.splice(0)) {
      await deleteRegistryTag(address, repo, tag).catch(() => {});
    }
    for (const id of this.containers) {
      await this.docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch(() => {});
    }
    this.containers.clear();
    // Tags first (plain untag), then image ids (forced: whatever tags remain go with them).
    const refs = [...this.images].reverse();
    for (const ref of [
      ...refs.filter((r) => !r.startsWith("sha256:")),
      ...refs.filter((r) => r.startsWith("sha256:")),
    ]) {
      await this.docker
        .getImage(ref)
        .remove({ force: ref.startsWith("sha256:") })
        .catch(() => {});
    }
    this.images.clear();
  }
}

/** Ids of the containers that exist now (running or not). */
export async function containerIds(docker: Docker): Promise<Set<string>> {
  return new Set((await docker.listContainers({ all: true })).map((c) => c.Id));
}

/** Ids of the images that exist now. */
export async function imageIds(docker: Docker): Promise<Set<string>> {
  return new Set((await docker.listImages({ all: true })).map((i) => i.Id));
}

/** Starts a container like the builder's default run command: `-d -i -t --entrypoint=/bin/sh`. */
export async function startShellContainer(
  docker: Docker,
  image: string,
  extra: Partial<Docker.ContainerCreateOptions> = {},
): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["/bin/sh"],
    OpenStdin: true,
    Tty: true,
    HostConfig: { NetworkMode: "none" },
    ...extra,
  });
  await container.start();
  return container;
}

/** Runs `sh -c script` in a container and returns its stdout (through the docker CLI's own path: the API). */
export async function shellOutput(container: Docker.Container, script: string, user = ""): Promise<string> {
  const exec = await container.exec({
    Cmd: ["/bin/sh", "-c", script],
    AttachStdout: true,
    AttachStderr: true,
    ...(user !== "" ? { User: user } : {}),
  });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  const { PassThrough } = await import("node:stream");
  const out = new PassThrough();
  out.on("data", (c: Buffer) => chunks.push(c));
  container.modem.demuxStream(stream, out, new PassThrough());
  await new Promise<void>((resolve) => stream.on("end", () => resolve()));
  return Buffer.concat(chunks).toString("utf8");
}

// --- driving components through the sdk --------------------------------------------------------------------

/** A plain JS value as the config Value a decoded body would be (objects become objects, arrays tuples). */
export function toValue(js: unknown): Value {
  if (typeof js === "string") return stringVal(js);
  if (typeof js === "boolean") return boolVal(js);
  if (typeof js === "number") return numberIntVal(js);
  if (Array.isArray(js)) return tupleVal(js.map(toValue));
  if (js !== null && typeof js === "object") {
    return objectVal(
      Object.entries(js as Record<string, unknown>).map(([k, v]) => [k, toValue(v)] as [string, Value]),
    );
  }
  throw new Error(`toValue: unsupported ${String(js)}`);
}

export function buildInfo(t: DockerTestEnv, cwd: string, env: Record<string, string> = {}): BuildInfo {
  return {
    buildName: "test",
    builderType: "docker",
    coreVersion: "1.6.6",
    debug: false,
    force: false,
    onError: "cleanup",
    userVariables: {},
    sensitiveVariables: [],
    runUuid: "00000000-0000-0000-0000-000000000000",
    env: { ...t.runEnv, PACKER_CONFIG_DIR: join(cwd, ".config"), ...env },
    cwd,
  };
}

export interface RecordingSecrets extends SecretFilter {
  readonly secrets: string[];
}

export function runContext(): RunContext & { secrets: RecordingSecrets } {
  const secrets: string[] = [];
  return { log: noopLogger, secrets: { secrets, add: (...s: string[]) => secrets.push(...s) } };
}

export function builderContext(): BuilderRunContext & { secrets: RecordingSecrets } {
  return { ...runContext(), runner: createStepRunner({ onError: "cleanup", debug: false }) };
}

/** One provisioning action run through the builder's communicator. */
export type ProvisionAction = (comm: Communicator, ui: Ui, signal: AbortSignal) => Promise<void>;

/** A shell command, failing like the shell provisioner on a non-zero exit. */
export function shell(command: string): ProvisionAction {
  return async (comm, ui, signal) => {
    const status = await runWithUi(comm, { command }, ui, signal);
    if (status !== 0) {
      throw new KilnError(
        "PROVISIONER",
        `Script exited with non-zero exit status: ${status}.Allowed exit codes are: [0]`,
      );
    }
  };
}

/** An upload of `content` to `destination`. */
export function upload(destination: string, content: string, mode = 0o644): ProvisionAction {
  return (comm, _ui, signal) =>
    comm.upload(
      destination,
      Readable.from([Buffer.from(content)]),
      { size: Buffer.byteLength(content), mode },
      signal,
    );
}

/** A hook that runs `actions` for HOOK_PROVISION and records the generated data it was given. */
export function provisionHook(
  actions: readonly ProvisionAction[],
): Hook & { data?: GeneratedData; ran: string[] } {
  const hook: Hook & { data?: GeneratedData; ran: string[] } = {
    ran: [],
    async run(name, ui, comm, data, signal) {
      hook.ran.push(name);
      if (name !== HOOK_PROVISION) return;
      hook.data = { ...data };
      if (comm === undefined) throw new Error("no communicator");
      for (const action of actions) await action(comm, ui, signal);
    },
  };
  return hook;
}
