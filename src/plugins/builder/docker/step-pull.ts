/**
 * StepPull: pulls `image` unless `pull = false` (with the registry login when configured), then records the
 * source image's id and distribution digest as generated data (SourceImageSha256, SourceImageDigest), with the
 * plugin's messages when they cannot be determined.
 */
import { errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { withLogin } from "./login.js";
import { authFor } from "./reference.js";
import type { DockerState } from "./state.js";

export const ERR_SOURCE_DIGEST =
  "Error determining source Docker image digest; this image may not have been pushed yet, which means no " +
  "distribution digest has been created. If you plan to call docker push later, the digest value will be " +
  "stored then.";

export class StepPull implements Step<DockerState> {
  readonly name = "StepPull";

  constructor(private readonly bootstrapped: boolean) {}

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (!config.pull) {
      state.log.log("Pull disabled, won't call docker pull");
      await this.storeSourceImageInfo(state, config.image, signal);
      return "continue";
    }
    ui.say(`Pulling Docker image: ${config.image}`);
    try {
      await withLogin(
        state.engine,
        config,
        ui,
        state.secrets,
        {
          loginError: (m) => `Error logging in: ${m}`,
          ecrError: (m) => `Error fetching ECR credentials: ${m}`,
        },
        signal,
        (login) =>
          state.engine.pull(
            config.image,
            {
              ...(config.platform !== "" ? { platform: config.platform } : {}),
              auth: authFor(config.image, login, state.info.env),
              onLine: (line) => ui.message(line),
            },
            signal,
          ),
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      const message = errorMessage(err);
      const e =
        message.startsWith("Error logging in") || message.startsWith("Error fetching ECR")
          ? err
          : new KilnError("BUILDER", `Error pulling Docker image: ${message}`, { cause: err });
      state.error = e;
      ui.error(errorMessage(e));
      return "halt";
    }
    await this.storeSourceImageInfo(state, config.image, signal);
    return "continue";
  }

  private async storeSourceImageInfo(state: DockerState, image: string, signal: AbortSignal): Promise<void> {
    let sha256 = "";
    let digest = "";
    let digestError = false;
    try {
      const info = await state.engine.inspectImage(image, signal);
      state.sourceImage = info;
      sha256 = info.Id;
      digest = info.RepoDigests?.[0] ?? "";
      digestError = digest === "";
    } catch (err) {
      if (signal.aborted) return;
      state.ui.error(`Error determining source Docker image Id: ${errorMessage(err)}`);
      digestError = true;
    }
    state.generatedData.SourceImageSha256 = sha256;
    if (this.bootstrapped) {
      state.generatedData.SourceImageDigest = "";
      return;
    }
    if (digestError) state.ui.error(ERR_SOURCE_DIGEST);
    state.generatedData.SourceImageDigest = digest;
  }
}
