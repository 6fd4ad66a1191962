/**
 * The end of a docker build: StepSetDefaults and StepCommit (commit = true), or StepExport (export_path).
 * - StepSetDefaults gives the image its source image's CMD and ENTRYPOINT back (the run command replaced the
 *   entrypoint) unless `changes` sets them;
 * - StepCommit commits the container with author, message and changes; the image id is generated data
 *   ImageSha256;
 * - StepExport writes the container's filesystem to export_path.
 * Both first remove what the builder added to the container (the container_dir link).
 */
import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import type { DockerState } from "./state.js";
import { unshareContainerDir } from "./step-connect-docker.js";

/** `docker inspect --format '{{if .Config.Cmd}} {{json .Config.Cmd}} {{else}} [""] {{end}}'`, trimmed. */
export function defaultInstruction(value: readonly string[] | null | undefined): string {
  return value !== null && value !== undefined && value.length > 0 ? JSON.stringify(value) : '[""]';
}

export class StepSetDefaults implements Step<DockerState> {
  readonly name = "StepSetDefaults";

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const { config } = state;
    let cmd = '[""]';
    let entrypoint = '[""]';
    try {
      const image = state.sourceImage ?? (await state.engine.inspectImage(config.image, signal));
      cmd = defaultInstruction(image.Config?.Cmd);
      entrypoint = defaultInstruction(image.Config?.Entrypoint);
    } catch (err) {
      if (signal.aborted) return "halt";
      // Packer ignores the inspect failure and uses empty values.
      state.log.log(`Could not read the defaults of ${config.image}: ${errorMessage(err)}`);
    }
    const hasCmd = config.changes.some((c) => c.startsWith("CMD"));
    const hasEntrypoint = config.changes.some((c) => c.startsWith("ENTRYPOINT"));
    if (!hasCmd) config.changes.push(`CMD ${cmd}`);
    if (!hasEntrypoint) config.changes.push(`ENTRYPOINT ${entrypoint}`);
    return "continue";
  }
}

export class StepCommit implements Step<DockerState> {
  readonly name = "StepCommit";

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    const containerId = state.containerId ?? "";
    await unshareContainerDir(state, signal);
    if (signal.aborted) return "halt";
    ui.say("Committing the container");
    let imageId: string;
    try {
      imageId = await state.engine.commit(
        containerId,
        { author: config.author, changes: config.changes, message: config.message },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      state.error = err;
      ui.error(errorMessage(err));
      return "halt";
    }
    state.imageId = imageId;
    state.generatedData.ImageSha256 = imageId;
    ui.message(`Image ID: ${imageId}`);
    return "continue";
  }
}

export class StepExport implements Step<DockerState> {
  readonly name = "StepExport";

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    const fail = (err: unknown, show = true): StepAction => {
      state.error = err;
      if (show) ui.error(errorMessage(err));
      return "halt";
    };
    if (config.exportPath === "") {
      return fail(new KilnError("BUILDER", "No output file specified, we can't export anything"));
    }
    const path = resolve(state.info.cwd, config.exportPath);
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    } catch (err) {
      return fail(new KilnError("BUILDER", errorMessage(err), { cause: err }), false);
    }
    await unshareContainerDir(state, signal);
    if (signal.aborted) return "halt";
    ui.say("Exporting the container");
    try {
      await state.engine.exportContainer(state.containerId ?? "", path, signal);
    } catch (err) {
      await rm(path, { force: true });
      if (signal.aborted) return "halt";
      return fail(err);
    }
    return "continue";
  }
}
