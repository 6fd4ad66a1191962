/**
 * stepBuild: with a `build { path = "Dockerfile" }` block, builds the source image first (`docker build -f
 * <path> [--platform] [--pull] [--compress] [--build-arg k=v] <build_dir>`): the build context is build_dir
 * less what its .dockerignore excludes, and a Dockerfile kept outside the context is sent along in it. The
 * build's output goes to the log; the image id becomes `image`. Cleanup removes the built image when the build
 * discards its result (a committed image still depends on it).
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import { createGzip } from "node:zlib";
import type dockerignoreModule from "@balena/dockerignore";
import { dockerErrorMessage, packDirectory } from "../../../communicator/index.js";
import {
  cancelledError,
  errorMessage,
  goQuote,
  KilnError,
  type Step,
  type StepAction,
} from "../../../sdk/index.js";
import type { DockerfileBuildConfig } from "./config.js";
import { withLogin } from "./login.js";
import { followMessages } from "./progress.js";
import { DOCKER_HUB_AUTH_KEY, type LoginCredentials } from "./reference.js";
import type { DockerState } from "./state.js";

/** The .dockerignore parser, loaded when a build needs it (CommonJS: its factory is also `default`). */
async function loadDockerignore(): Promise<typeof dockerignoreModule.default> {
  return (await import("@balena/dockerignore")).default.default;
}

/** Reads build_dir/.dockerignore into a matcher of context-relative paths (none when the file is absent). */
async function dockerignoreMatcher(buildDir: string): Promise<(path: string) => boolean> {
  let text: string;
  try {
    text = await readFile(`${buildDir}/.dockerignore`, "utf8");
  } catch {
    return () => false;
  }
  const rules = (await loadDockerignore())({ ignorecase: false }).add(text);
  // With exceptions (`!keep/this`), an excluded directory may still hold kept files: only files are dropped.
  const hasExceptions = text.split(/\r?\n/).some((l) => l.trim().startsWith("!"));
  return (path: string) => rules.ignores(path) && (!hasExceptions || !path.endsWith("/"));
}

export class StepBuild implements Step<DockerState> {
  readonly name = "stepBuild";
  private ran = false;

  constructor(private readonly build: DockerfileBuildConfig | undefined) {}

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const build = this.build;
    if (build === undefined) return "continue";
    const { config, ui } = state;
    ui.say("Building base image...");
    let imageId: string;
    try {
      imageId = await withLogin(
        state.engine,
        config,
        ui,
        state.secrets,
        {
          loginError: (m) => `Error logging in: ${m}`,
          ecrError: (m) => `Error fetching ECR credentials: ${m}`,
        },
        signal,
        async (login) => this.runBuild(state, build, login, signal),
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      state.error = err;
      const message = errorMessage(err);
      if (message.startsWith("Error logging in") || message.startsWith("Error fetching ECR"))
        ui.error(message);
      return "halt";
    }
    ui.say(`Finished building base image ${goQuote(imageId)}`);
    config.image = imageId;
    state.builtImage = imageId;
    this.ran = true;
    return "continue";
  }

  private async runBuild(
    state: DockerState,
    build: DockerfileBuildConfig,
    login: LoginCredentials | undefined,
    signal: AbortSignal,
  ): Promise<string> {
    const { config } = state;
    const fail = (message: string, cause?: unknown): KilnError =>
      new KilnError("BUILDER", `${config.dockerPath} build failed: ${message}`, { cause });

    const rel = relative(build.buildDir, build.path);
    const inside = rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
    const extraName = `.kiln-dockerfile-${randomUUID()}`;
    let extra: { name: string; content: Buffer; mode: number }[] = [];
    if (!inside) {
      try {
        extra = [{ name: extraName, content: await readFile(build.path), mode: 0o644 }];
      } catch (err) {
        throw fail(errorMessage(err), err);
      }
    }
    const ignored = await dockerignoreMatcher(build.buildDir);
    const job = await packDirectory(build.buildDir, "", (p: string) => ignored(p), extra);
    const context = build.compress ? job.stream.pipe(createGzip()) : job.stream;

    // The login's credentials, for the registry the FROM lines pull from.
    const registryConfig: Record<string, unknown> = {};
    if (login !== undefined) {
      const server = login.server || DOCKER_HUB_AUTH_KEY;
      registryConfig[server] = { username: login.username, password: login.password, serveraddress: server };
    }

    let imageId = "";
    try {
      const stream = await state.engine.dial<NodeJS.ReadableStream>({
        path: "/build",
        method: "POST",
        query: {
          dockerfile: inside ? rel.split(sep).join("/") : extraName,
          rm: true,
          ...(build.pull ? { pull: true } : {}),
          ...(build.platform !== "" ? { platform: build.platform } : {}),
          ...(Object.keys(build.arguments).length > 0 ? { buildargs: JSON.stringify(build.arguments) } : {}),
        },
        file: context,
        headers: {
          "Content-Type": "application/x-tar",
          ...(Object.keys(registryConfig).length > 0
            ? { "X-Registry-Config": Buffer.from(JSON.stringify(registryConfig)).toString("base64") }
            : {}),
        },
        isStream: true,
        statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
        signal,
      });
      await Promise.all([
        followMessages(stream, {
          onLine: (line) => state.log.log(line),
          onAux: (aux) => {
            const id = (aux as { ID?: unknown } | null)?.ID;
            if (typeof id === "string") imageId = id;
          },
        }),
        job.done,
      ]);
    } catch (err) {
      job.stream.destroy();
      if (signal.aborted) throw cancelledError(signal.reason);
      throw fail(err instanceof Error && !("statusCode" in err) ? err.message : dockerErrorMessage(err), err);
    }
    if (imageId === "") throw fail("the engine reported no image id");
    return imageId;
  }

  async cleanup(state: DockerState): Promise<void> {
    if (!this.ran) return;
    const { config, ui } = state;
    if (!config.discard) {
      ui.say(
        "final image is not discarded, removing the built image will fail because of existing dependencies, skipping cleanup for docker build.",
      );
      return;
    }
    try {
      await state.engine.removeImage(config.image);
    } catch (err) {
      ui.say(`failed to remove image ${goQuote(config.image)}: ${errorMessage(err)}`);
      ui.say("if you have other images using this dockerfile, this is expected and can safely be ignored.");
    }
  }
}
