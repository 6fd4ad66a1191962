// The docker builder on the real engine, driven through the sdk contract (prepare, run with core's step
// runner, a hook that provisions through the docker communicator): commit, discard, export_path, changes,
// volumes, exec_user, run_command, a Dockerfile build, pull and login against the local registry, failures and
// cancellation, and what the committed image must not carry.

import { createReadStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar-stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DockerBuilder, Engine } from "../../../src/plugins/builder/docker/index.js";
import type { Artifact } from "../../../src/sdk/index.js";
import {
  builderContext,
  buildInfo,
  containerIds,
  type DockerTestEnv,
  dockerTestEnv,
  imageIds,
  Leftovers,
  type ProvisionAction,
  provisionHook,
  type RecordingUi,
  recordingUi,
  registryAddress,
  shell,
  toValue,
  upload,
} from "./support.js";

let t: DockerTestEnv;
let leftovers: Leftovers;
let work: string;

beforeAll(async () => {
  t = await dockerTestEnv();
  leftovers = new Leftovers(t.docker);
  work = await mkdtemp(join(tmpdir(), "kiln-docker-builder-"));
});

afterEach(async () => {
  await leftovers.clean();
});

afterAll(async () => {
  await leftovers?.clean();
  if (work) await rm(work, { recursive: true, force: true });
});

interface BuildOutcome {
  readonly artifact: Artifact | undefined;
  readonly error: unknown;
  readonly ui: ReturnType<typeof recordingUi>;
  readonly hook: ReturnType<typeof provisionHook>;
  readonly newContainers: string[];
}

/** Prepares and runs the builder; records containers left behind and registers committed images for removal. */
async function build(
  config: Record<string, unknown>,
  actions: readonly ProvisionAction[],
  options: { signal?: AbortSignal; env?: Record<string, string>; cwd?: string; ui?: RecordingUi } = {},
): Promise<BuildOutcome> {
  const builder = new DockerBuilder();
  const info = buildInfo(t, options.cwd ?? work, options.env);
  const prepared = builder.prepare(toValue(config), info);
  expect(prepared.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(prepared.generatedDataKeys).toEqual(["ImageSha256", "SourceImageDigest"]);
  const before = await containerIds(t.docker);
  const ui = options.ui ?? recordingUi();
  const hook = provisionHook(actions);
  let artifact: Artifact | undefined;
  let error: unknown;
  try {
    artifact = await builder.run(ui, hook, options.signal ?? new AbortController().signal, builderContext());
  } catch (err) {
    error = err;
  }
  if (artifact?.id().startsWith("sha256:")) leftovers.image(artifact.id());
  const after = await containerIds(t.docker);
  const newContainers = [...after].filter((id) => !before.has(id));
  for (const id of newContainers) leftovers.container(id);
  return { artifact, error, ui, hook, newContainers };
}

/** Runs `script` in a fresh container of `image` and returns its output. */
async function runInImage(image: string, script: string): Promise<string> {
  const container = await t.docker.createContainer({
    Image: image,
    Entrypoint: ["/bin/sh", "-c"],
    Cmd: [script],
    HostConfig: { NetworkMode: "none" },
  });
  leftovers.container(container.id);
  await container.start();
  await container.wait();
  const logs = await container.logs({ stdout: true, stderr: true });
  await container.remove({ force: true });
  // Non-TTY logs are multiplexed: strip the 8-byte frame headers.
  let out = "";
  let buf = logs as Buffer;
  while (buf.length >= 8) {
    const len = buf.readUInt32BE(4);
    out += buf.subarray(8, 8 + len).toString("utf8");
    buf = buf.subarray(8 + len);
  }
  return out;
}

async function tarNames(path: string): Promise<string[]> {
  const extract = tar.extract();
  const names: string[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      names.push(entry.header.name);
      entry.resume();
    }
  })();
  createReadStream(path).pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return names;
}

describe("commit", () => {
  it("provisions, commits and cleans up, with Packer's messages, artifact and generated data", async () => {
    const source = await new Engine(t.client).inspectImage(t.busybox);
    const r = await build({ image: t.busybox, pull: false, commit: true }, [
      shell("echo provisioned > /etc/kiln-test && echo to-stdout && echo to-stderr >&2"),
      upload("/etc/kiln-upload", "uploaded content\n"),
    ]);
    expect(r.error).toBeUndefined();
    const artifact = r.artifact!;
    expect(artifact.builderId()).toBe("packer.post-processor.docker-import");
    expect(artifact.id()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(artifact.string()).toBe(`Imported Docker image: ${artifact.id()}`);
    expect(artifact.files()).toEqual([]);

    const says = r.ui.says();
    const containerId = r.ui
      .messages()
      .find((m) => m.startsWith("Container ID: "))!
      .slice("Container ID: ".length);
    expect(containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(says).toEqual([
      "Creating a temporary directory for sharing data...",
      "Starting docker container...",
      "Using docker communicator to connect: ",
      "Committing the container",
      `Killing the container: ${containerId}`,
    ]);
    // No mount for the shared temp dir unless container_dir asks for one (see the container_dir test).
    expect(r.ui.messages()).toContain(
      "Run command: docker run -d -i -t --entrypoint=/bin/sh -- kiln-test/busybox:latest",
    );
    expect(r.ui.messages()).toContain("to-stdout");
    expect(r.ui.messages()).toContain(`Image ID: ${artifact.id()}`);
    expect(r.ui.errors()).toContain("to-stderr");
    // A local image has no distribution digest; the plugin says so.
    expect(r.ui.errors().some((e) => e.startsWith("Error determining source Docker image digest;"))).toBe(
      true,
    );

    expect(r.hook.ran).toEqual(["packer_provision"]);
    expect(r.hook.data).toMatchObject({
      ID: containerId,
      ConnType: "docker",
      Host: "",
      Port: 0,
      ImageSha256: "ERR_IMAGE_SHA256_NOT_FOUND",
      SourceImageSha256: source.Id,
      SourceImageDigest: "",
      PackerRunUUID: "00000000-0000-0000-0000-000000000000",
    });
    expect(artifact.state("generated_data")).toMatchObject({
      ID: containerId,
      ImageSha256: artifact.id(),
      SourceImageSha256: source.Id,
    });

    expect(r.newContainers).toEqual([]);
    expect(await readdir(join(work, ".config", ".packer.d"))).toEqual([]);

    expect(await runInImage(artifact.id(), "cat /etc/kiln-test /etc/kiln-upload")).toBe(
      "provisioned\nuploaded content\n",
    );
    // Nothing of the build is left in the image: no container_dir, no mount point.
    expect(
      await runInImage(artifact.id(), "[ -e /packer-files ] || [ -L /packer-files ] || echo absent"),
    ).toBe("absent\n");
    const committed = await new Engine(t.client).inspectImage(artifact.id());
    // StepSetDefaults restored the source image's CMD and (empty) ENTRYPOINT, not the run command's /bin/sh.
    expect(committed.Config?.Cmd).toEqual(["/bin/sh"]);
    expect(committed.Config?.Entrypoint).toEqual([""]);
  });

  it("shares the temp dir at an explicit container_dir during the build, and leaves nothing of it", async () => {
    const r = await build({ image: t.busybox, pull: false, commit: true, container_dir: "/opt/kiln/share" }, [
      shell("echo shared > /opt/kiln/share/probe && cat /opt/kiln/share/probe && ls /opt"),
      shell('ls "$(readlink /opt/kiln/share)"'),
    ]);
    expect(r.error).toBeUndefined();
    expect(r.ui.messages()).toEqual(expect.arrayContaining(["shared", "kiln", "probe"]));
    expect(r.ui.messages().find((m) => m.startsWith("Run command: "))).toMatch(
      new RegExp(
        `^Run command: docker run -v ${work}/\\.config/\\.packer\\.d/tmp\\w+:/dev/kiln-files -d -i -t --entrypoint=/bin/sh -- kiln-test/busybox:latest$`,
      ),
    );
    // The link and the directories made for it are gone, and a container of the image shows nothing under
    // /dev (a tmpfs at run time). The layer itself does keep the empty mount point dev/kiln-files: the engine
    // creates it there for every archive call while the temp dir is mounted.
    expect(await runInImage(r.artifact!.id(), "[ -e /opt ] || echo no-opt; ls -a /dev | grep -c kiln")).toBe(
      "no-opt\n0\n",
    );
  });

  it("applies changes, author and message", async () => {
    const r = await build(
      {
        image: t.debian,
        pull: false,
        commit: true,
        author: "Kiln Tester <kiln@example.com>",
        message: "built by the test",
        changes: [
          "ENV KILN_ENV=on",
          "WORKDIR /srv/app",
          'ENTRYPOINT ["/bin/bash", "-c"]',
          'CMD ["echo hello"]',
          "LABEL org.kiln.label=yes",
          "EXPOSE 8080/tcp",
          "USER nobody",
          "ONBUILD RUN echo onbuild",
          "VOLUME /data",
        ],
      },
      [shell("mkdir -p /srv/app && echo app > /srv/app/file")],
    );
    expect(r.error).toBeUndefined();
    const image = (await t.docker.getImage(r.artifact!.id()).inspect()) as unknown as {
      Author: string;
      Comment: string;
      Config: Record<string, unknown>;
    };
    expect(image.Author).toBe("Kiln Tester <kiln@example.com>");
    expect(image.Comment).toBe("built by the test");
    expect(image.Config.Env).toContain("KILN_ENV=on");
    expect(image.Config.WorkingDir).toBe("/srv/app");
    expect(image.Config.Entrypoint).toEqual(["/bin/bash", "-c"]);
    expect(image.Config.Cmd).toEqual(["echo hello"]);
    expect(image.Config.Labels).toMatchObject({ "org.kiln.label": "yes" });
    expect(image.Config.ExposedPorts).toEqual({ "8080/tcp": {} });
    expect(image.Config.User).toBe("nobody");
    expect(image.Config.OnBuild).toEqual(["RUN echo onbuild"]);
    expect(image.Config.Volumes).toEqual({ "/data": {} });
    expect(r.newContainers).toEqual([]);
  });
});

describe("discard and export_path", () => {
  it("discards the container and creates no image", async () => {
    const before = await imageIds(t.docker);
    const r = await build({ image: t.busybox, pull: false, discard: true }, [shell("echo x > /x")]);
    expect(r.error).toBeUndefined();
    expect(r.artifact!.builderId()).toBe("packer.docker");
    expect(r.artifact!.id()).toBe("Container");
    expect(r.artifact!.string()).toBe("Exported Docker file: ");
    // As Packer: one file, with an empty name (the manifest records it so).
    expect(r.artifact!.files()).toEqual([""]);
    expect(r.ui.says()).not.toContain("Committing the container");
    expect(await imageIds(t.docker)).toEqual(before);
    expect(r.newContainers).toEqual([]);
  });

  it("exports the provisioned filesystem to a tarball without the build's traces", async () => {
    const r = await build({ image: t.busybox, pull: false, export_path: "out/image.tar" }, [
      shell("echo exported > /exported.txt"),
    ]);
    expect(r.error).toBeUndefined();
    const artifact = r.artifact!;
    expect([artifact.builderId(), artifact.id(), artifact.string(), artifact.files()]).toEqual([
      "packer.docker",
      "Container",
      "Exported Docker file: out/image.tar",
      ["out/image.tar"],
    ]);
    expect(r.ui.says()).toContain("Exporting the container");
    const names = await tarNames(join(work, "out", "image.tar"));
    expect(names).toContain("exported.txt");
    expect(names).toContain("bin/busybox");
    expect(names.filter((n) => n.includes("packer-files") || n.includes("kiln-files"))).toEqual([]);
    expect(r.newContainers).toEqual([]);
    await artifact.destroy();
    expect(existsSync(join(work, "out", "image.tar"))).toBe(false);
  });
});

describe("container options", () => {
  it("mounts volumes", async () => {
    const shared = join(work, "vol");
    await mkdir(shared, { recursive: true });
    await writeFile(join(shared, "in.txt"), "from host\n");
    const r = await build(
      { image: t.busybox, pull: false, discard: true, volumes: { [shared]: "/mnt/vol" } },
      [shell("cat /mnt/vol/in.txt && echo from container > /mnt/vol/out.txt")],
    );
    expect(r.error).toBeUndefined();
    expect(r.ui.messages()).toContain("from host");
    expect(await readFile(join(shared, "out.txt"), "utf8")).toBe("from container\n");
    expect(r.ui.messages().find((m) => m.startsWith("Run command: "))).toBe(
      `Run command: docker run -v ${shared}:/mnt/vol -d -i -t --entrypoint=/bin/sh -- kiln-test/busybox:latest`,
    );
  });

  it("runs provisioning as exec_user and gives uploads to the container's user", async () => {
    const r = await build(
      {
        image: t.busybox,
        pull: false,
        discard: true,
        exec_user: "nobody",
        run_command: ["-d", "-i", "-t", "-u", "nobody", "--entrypoint=/bin/sh", "--", "{{.Image}}"],
      },
      [shell("id -u"), upload("/tmp/owned", "x"), shell("stat -c %U /tmp/owned")],
    );
    expect(r.error).toBeUndefined();
    expect(r.ui.messages()).toEqual(expect.arrayContaining(["65534", "nobody"]));
  });

  it("renders run_command with {{.Image}} and passes docker run flags through", async () => {
    const r = await build(
      {
        image: t.busybox,
        pull: false,
        discard: true,
        run_command: [
          "-d",
          "-i",
          "-t",
          "-e",
          "KILN_FLAG=set",
          "-w",
          "/tmp",
          "--hostname=kiln-host",
          "{{ .Image }}",
          "/bin/sh",
        ],
        privileged: false,
        cap_drop: ["NET_RAW"],
        tmpfs: ["/scratch:size=1m"],
      },
      [shell('echo "$KILN_FLAG $(pwd) $(hostname)"; mount | grep -c " /scratch "')],
    );
    expect(r.error).toBeUndefined();
    expect(r.ui.messages()).toEqual(expect.arrayContaining(["set /tmp kiln-host", "1"]));
    expect(r.ui.messages().find((m) => m.startsWith("Run command: "))).toMatch(
      /^Run command: docker run --cap-drop NET_RAW --tmpfs \/scratch:size=1m -d -i -t -e KILN_FLAG=set -w \/tmp --hostname=kiln-host kiln-test\/busybox:latest \/bin\/sh$/,
    );
  });

  it("reports a bad run_command flag as the docker CLI does", async () => {
    const r = await build(
      { image: t.busybox, pull: false, discard: true, run_command: ["--bogus", "{{.Image}}"] },
      [],
    );
    expect((r.error as Error).message).toBe(
      "Error running container: Docker exited with a non-zero exit status.\nStderr: unknown flag: --bogus\nSee 'docker run --help'.",
    );
    expect(r.ui.errors()).toContain((r.error as Error).message);
    expect(r.newContainers).toEqual([]);
  });
});

describe("failure and cancellation", () => {
  it("fails on a failing provisioning command and removes the container", async () => {
    const before = await imageIds(t.docker);
    const r = await build({ image: t.busybox, pull: false, commit: true }, [shell("echo before; exit 3")]);
    expect((r.error as Error).message).toBe(
      "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
    );
    expect(r.artifact).toBeUndefined();
    expect(r.ui.says()).toContain(
      "Provisioning step had errors: Running the cleanup provisioner, if present...",
    );
    expect(r.ui.says().at(-1)).toMatch(/^Killing the container: [0-9a-f]{64}$/);
    expect(r.ui.says()).not.toContain("Committing the container");
    expect(r.newContainers).toEqual([]);
    expect(await imageIds(t.docker)).toEqual(before);
  });

  it("stops mid-provisioning when cancelled and removes the container", async () => {
    const controller = new AbortController();
    const ui = recordingUi();
    const started = Date.now();
    const running = build(
      { image: t.busybox, pull: false, commit: true },
      [shell("echo started; sleep 60")],
      {
        signal: controller.signal,
        ui,
      },
    );
    // Cancel once the command runs.
    for (let i = 0; i < 400 && !ui.messages().includes("started"); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(ui.messages()).toContain("started");
    controller.abort();
    const r = await running;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.error).toBeUndefined();
    expect(r.artifact).toBeUndefined();
    expect(r.ui.says().at(-1)).toMatch(/^Killing the container: /);
    expect(r.newContainers).toEqual([]);
  });
});

describe("cancellation at every step", () => {
  it.each([
    "Starting docker container...",
    "Using docker communicator to connect: ",
    "Committing the container",
  ])("leaves no container and no image when cancelled at %j", async (line) => {
    const controller = new AbortController();
    const ui = recordingUi();
    const say = ui.say;
    ui.say = (m) => {
      say(m);
      if (m === line) controller.abort();
    };
    const before = await imageIds(t.docker);
    const r = await build({ image: t.busybox, pull: false, commit: true }, [shell("true")], {
      signal: controller.signal,
      ui,
    });
    expect(r.error).toBeUndefined();
    expect(r.artifact).toBeUndefined();
    expect(r.newContainers).toEqual([]);
    expect(await imageIds(t.docker)).toEqual(before);
  });
});

describe("Dockerfile build", () => {
  it("builds the source image from a Dockerfile outside the context, then provisions and commits", async () => {
    const dir = join(work, "bootstrap");
    await mkdir(join(dir, "ctx"), { recursive: true });
    await writeFile(join(dir, "ctx", "payload.txt"), "payload\n");
    await writeFile(join(dir, "ctx", "ignored.txt"), "ignored\n");
    await writeFile(join(dir, "ctx", ".dockerignore"), "ignored.txt\n");
    await writeFile(
      join(dir, "Dockerfile"),
      `FROM ${t.busybox}\nARG GREETING=none\nCOPY . /ctx/\nRUN echo "$GREETING" > /greeting\n`,
    );
    const before = await imageIds(t.docker);
    const r = await build(
      {
        build: { path: "Dockerfile", build_dir: "ctx", pull: false, arguments: { GREETING: "hello" } },
        commit: true,
      },
      [shell("cat /greeting; ls /ctx")],
      { cwd: dir },
    );
    for (const id of await imageIds(t.docker)) if (!before.has(id)) leftovers.image(id);
    expect(r.error).toBeUndefined();
    expect(r.ui.says()[1]).toBe("Building base image...");
    expect(r.ui.says()[2]).toMatch(/^Finished building base image "sha256:[0-9a-f]{64}"$/);
    expect(r.ui.messages()).toEqual(expect.arrayContaining(["hello", "payload.txt"]));
    expect(r.ui.messages()).not.toContain("ignored.txt");
    expect(r.ui.says()).toContain(
      "final image is not discarded, removing the built image will fail because of existing dependencies, skipping cleanup for docker build.",
    );
  });
});

describe("registry", () => {
  it("pulls from a registry (with login) and records the source digest", async () => {
    const registry = await registryAddress();
    const engine = new Engine(t.client);
    const tag = String(Date.now());
    const ref = `${registry}/kiln-test/pull-source:${tag}`;
    await engine.tag(t.busybox, ref, new AbortController().signal);
    leftovers.image(ref);
    leftovers.registryTag(registry, "kiln-test/pull-source", tag);
    await engine.push(ref, { auth: {}, onLine: () => {} }, new AbortController().signal);
    await t.docker.getImage(ref).remove();

    const r = await build(
      {
        image: ref,
        discard: true,
        login: true,
        login_server: registry,
        login_username: "kiln",
        login_password: "kiln-secret",
      },
      [shell("echo pulled")],
    );
    expect(r.error).toBeUndefined();
    expect(r.ui.says()).toContain(`Pulling Docker image: ${ref}`);
    const messages = r.ui.messages();
    expect(messages.slice(0, 2)).toEqual(["Logging in...", "Login Succeeded"]);
    expect(messages).toContain("Logging out...");
    // The docker CLI's lines for this pull (the layer is already there: no per-layer lines).
    expect(messages.slice(2, 6)).toEqual([
      `${tag}: Pulling from kiln-test/pull-source`,
      expect.stringMatching(/^Digest: sha256:[0-9a-f]{64}$/),
      `Status: Downloaded newer image for ${ref}`,
      ref,
    ]);
    expect(r.hook.data?.SourceImageDigest).toMatch(new RegExp(`^${registry}/kiln-test/pull-source@sha256:`));
    expect(r.ui.errors()).toEqual([]);
  });

  it("fails to pull an image no registry has", async () => {
    const registry = await registryAddress();
    const r = await build({ image: `${registry}/kiln-test/absent:nope`, discard: true }, []);
    expect((r.error as Error).message).toMatch(/^Error pulling Docker image: .*manifest unknown/);
    expect(r.newContainers).toEqual([]);
  });
});
