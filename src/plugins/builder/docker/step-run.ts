/**
 * StepRun: starts the build container from `docker run` arguments assembled as the plugin assembles them
 * (`--device`, `--cap-add`, `--cap-drop`, `--privileged`, `--runtime`, `--platform`, `--tmpfs`, `-v` for each
 * volume and the shared temp dir, then run_command with `{{.Image}}` rendered), printed as `Run command: ...`.
 * Cleanup kills and removes the container (and its anonymous volumes) whatever happened to the build.
 *
 * Unlike Packer, kiln keeps the container's filesystem free of the build's traces: a mount point created in
 * it would stay in the committed image. Nothing on Linux uses the shared temp dir (uploads go through the
 * archive API), so by default it is not mounted at all. When the template sets container_dir, the temp dir
 * is mounted inside the container's /dev (a tmpfs that is never committed or exported) and container_dir
 * becomes a symlink to it (StepConnectDocker), removed again before commit or export.
 */
import { writeFile } from "node:fs/promises";
import { type BuildInfo, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { renderUntilFixpoint } from "../../../template/index.js";
import type { DockerConfig } from "./config.js";
import { engineMessage } from "./engine.js";
import { authFor } from "./reference.js";
import { parseRunArgs, type RunSpec } from "./run-args.js";
import type { DockerState } from "./state.js";

/** Where the shared temp dir is mounted in the container (inside /dev's tmpfs). */
export const SHARED_MOUNT_POINT = "/dev/kiln-files";

/**
 * The `docker run` arguments (without `run`) before run_command; `share` mounts the temp dir at a mount point.
 */
export function runArguments(
  config: DockerConfig,
  share: { tempDir: string; mountPoint: string } | undefined,
  home: string,
): string[] {
  const args: string[] = [];
  for (const v of config.device) args.push("--device", v);
  for (const v of config.capAdd) args.push("--cap-add", v);
  for (const v of config.capDrop) args.push("--cap-drop", v);
  if (config.privileged) args.push("--privileged");
  if (config.runtime !== "") args.push("--runtime", config.runtime);
  if (config.platform !== "") args.push("--platform", config.platform);
  for (const v of config.tmpfs) args.push("--tmpfs", v);
  for (const [host, guest] of Object.entries(config.volumes)) {
    const source = host.startsWith("~/") ? `${home}/${host.slice(2)}` : host;
    args.push("-v", `${source}:${guest}`);
  }
  if (share !== undefined) args.push("-v", `${share.tempDir}:${share.mountPoint}`);
  return args;
}

/** Renders run_command's elements (Packer's interpolate.Render with `{{.Image}}`). */
export function renderRunCommand(
  runCommand: readonly string[],
  image: string,
  info: BuildInfo,
): { args: string[] } | { error: string } {
  const out: string[] = [];
  for (const v of runCommand) {
    const r = renderUntilFixpoint(v, {
      data: { Image: image },
      buildName: info.buildName,
      buildType: info.builderType,
      packerVersion: info.coreVersion,
      ...(info.templatePath !== undefined ? { templatePath: info.templatePath } : {}),
      userVariables: info.userVariables,
      env: info.env,
      cwd: info.cwd,
    });
    if ("error" in r) return { error: r.error };
    out.push(r.value);
  }
  return { args: out };
}

/** Whether mounting under /dev keeps the share out of the image: not when the user mounts over /dev. */
export function canHideMountPoint(config: DockerConfig): boolean {
  if (config.windowsContainer) return false;
  return !Object.values(config.volumes).some((guest) => guest.replace(/\/+$/, "") === "/dev");
}

export class StepRun implements Step<DockerState> {
  readonly name = "StepRun";
  private containerId: string | undefined;

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui, info } = state;
    const fail = (message: string, cause?: unknown): StepAction => {
      const err = new KilnError("BUILDER", `Error running container: ${message}`, { cause });
      state.error = err;
      ui.error(err.message);
      return "halt";
    };

    let share: { tempDir: string; mountPoint: string } | undefined;
    if (config.containerDirSet && state.tempDir !== undefined) {
      const mountPoint = canHideMountPoint(config) ? SHARED_MOUNT_POINT : config.containerDir;
      share = { tempDir: state.tempDir, mountPoint };
      state.shared = { mountPoint, madeDirs: [] };
    }
    const args = runArguments(config, share, info.env.HOME ?? "");
    const rendered = renderRunCommand(config.runCommand, config.image, info);
    if ("error" in rendered) return fail(rendered.error);
    args.push(...rendered.args);

    ui.say("Starting docker container...");
    ui.message(`Run command: ${config.dockerPath} run ${args.join(" ")}`);

    const parsed = parseRunArgs(args, { env: info.env, cwd: info.cwd });
    if ("error" in parsed) return fail(`Docker exited with a non-zero exit status.\nStderr: ${parsed.error}`);

    let id: string;
    try {
      id = await this.create(state, parsed.spec, signal);
    } catch (err) {
      if (signal.aborted) return "halt";
      return fail(
        `Docker exited with a non-zero exit status.\nStderr: docker: Error response from daemon: ${engineMessage(err)}.\nSee 'docker run --help'.`,
        err,
      );
    }
    this.containerId = id;
    state.containerId = id;
    state.instanceId = id;
    if (signal.aborted) return "halt";
    try {
      await state.engine.startContainer(id, signal);
      if (parsed.spec.cidfile !== undefined) await writeFile(parsed.spec.cidfile, id, { flag: "wx" });
    } catch (err) {
      if (signal.aborted) return "halt";
      return fail(
        `Docker exited with a non-zero exit status.\nStderr: docker: Error response from daemon: ${engineMessage(err)}.`,
        err,
      );
    }
    ui.message(`Container ID: ${id}`);
    return "continue";
  }

  /** Creates the container, pulling its image first when `--pull` says so or when it is missing. */
  private async create(state: DockerState, spec: RunSpec, signal: AbortSignal): Promise<string> {
    const { engine } = state;
    const pull = (): Promise<void> =>
      engine.pull(
        spec.image,
        {
          ...(spec.platform !== undefined ? { platform: spec.platform } : {}),
          auth: authFor(spec.image, undefined, state.info.env),
          onLine: (line) => state.log.log(line),
        },
        signal,
      );
    if (spec.pull === "always") await pull();
    const create = () =>
      engine.dial<{ Id: string }>({
        path: "/containers/create",
        method: "POST",
        query: {
          ...(spec.name !== undefined ? { name: spec.name } : {}),
          ...(spec.platform !== undefined ? { platform: spec.platform } : {}),
        },
        body: spec.body,
        statusCodes: {
          200: true,
          201: true,
          400: "bad parameter",
          404: "no such image",
          409: "conflict",
          500: "server error",
        },
        // Not cancellable: a create the engine completed after the request was dropped would leave a
        // container nobody removes. The run notices the cancellation right after.
      });
    try {
      return (await create()).Id;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 404 || spec.pull === "never" || spec.pull === "always") throw err;
      state.log.log(`Unable to find image '${spec.image}' locally`);
    }
    await pull();
    return (await create()).Id;
  }

  async cleanup(state: DockerState): Promise<void> {
    const id = this.containerId;
    if (id === undefined) return;
    state.ui.say(`Killing the container: ${id}`);
    await state.engine.killAndRemove(id);
    this.containerId = undefined;
  }
}
