/**
 * The `docker` builder (packer-plugin-docker): runs a container from an image (or one built from a
 * Dockerfile), provisions it through the docker communicator, then commits it to an image, exports its
 * filesystem to a tarball, or discards it. Steps, in Packer's order: StepDefaultGeneratedData, StepTempDir,
 * stepBuild, StepPull, StepRun, StepConnect (docker: StepConnectDocker), StepProvision, StepCleanupTempKeys,
 * then StepSetDefaults + StepCommit or StepExport. The container is removed after success, failure and
 * cancellation alike.
 */
import { StepCleanupTempKeys, StepConnect } from "../../../communicator/index.js";
import type { Value } from "../../../hcl/index.js";
import {
  type Artifact,
  type Builder,
  type BuilderPrepareResult,
  type BuilderRunContext,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  type Hook,
  isCancellation,
  KilnError,
  type Step,
  type StepAction,
  StepProvision,
  type Ui,
} from "../../../sdk/index.js";
import { DOCKER_IMPORT_BUILDER_ID, exportArtifact, importArtifact } from "./artifact.js";
import { type DockerConfig, decodeDockerConfig, dockerConfigSpec } from "./config.js";
import { Engine } from "./engine.js";
import { DOCKER_GENERATED_DATA_KEYS, type DockerState } from "./state.js";
import { StepBuild } from "./step-build.js";
import { StepCommit, StepExport, StepSetDefaults } from "./step-commit.js";
import { containerAddress, StepConnectDocker } from "./step-connect-docker.js";
import { StepPull } from "./step-pull.js";
import { StepRun } from "./step-run.js";
import { StepTempDir } from "./step-temp-dir.js";

/** StepDefaultGeneratedData: the generated data's placeholders until the build fills them in. */
class StepDefaultGeneratedData implements Step<DockerState> {
  readonly name = "StepDefaultGeneratedData";

  async run(state: DockerState): Promise<StepAction> {
    state.generatedData.ImageSha256 = "ERR_IMAGE_SHA256_NOT_FOUND";
    state.generatedData.SourceImageDigest = "ERR_SOURCE_IMAGE_DIGEST_NOT_FOUND";
    state.generatedData.SourceImageSha256 = "ERR_SOURCE_IMAGE_SHA256_NOT_FOUND";
    return "continue";
  }
}

export interface DockerBuilderOptions {
  /** The engine client; default one for the run's environment (DOCKER_HOST). */
  readonly engine?: Engine;
}

export class DockerBuilder implements Builder {
  private config: DockerConfig | undefined;
  private info: BuildInfo | undefined;

  constructor(private readonly options: DockerBuilderOptions = {}) {}

  configSpec(): ConfigSpec {
    return dockerConfigSpec();
  }

  prepare(config: Value, info: BuildInfo): BuilderPrepareResult {
    const decoded = decodeDockerConfig(config, info);
    const diagnostics = [
      ...decoded.diagnostics,
      ...decoded.warnings.map((summary) => ({ severity: "warning" as const, summary })),
    ];
    this.info = info;
    this.config = diagnostics.some((d) => d.severity === "error") ? undefined : decoded.config;
    return { diagnostics, generatedDataKeys: [...DOCKER_GENERATED_DATA_KEYS] };
  }

  async run(
    ui: Ui,
    hook: Hook,
    signal: AbortSignal,
    context: BuilderRunContext,
  ): Promise<Artifact | undefined> {
    const config = this.config;
    const info = this.info;
    if (config === undefined || info === undefined) {
      throw new KilnError(ErrorCode.Internal, "the docker builder ran without a valid configuration");
    }
    if (config.windowsContainer) {
      throw new KilnError(
        ErrorCode.NotSupported,
        "windows_container is not supported: kiln drives Linux containers",
        {
          hint: "Remove windows_container, or build Windows images with Packer.",
        },
      );
    }
    const engine = this.options.engine ?? Engine.fromEnv(info.env, context.log);
    const state: DockerState = {
      config,
      engine,
      info,
      log: context.log,
      secrets: context.secrets,
      hook,
      ui,
      runUuid: info.runUuid,
      generatedData: {},
    };

    const steps: Step<DockerState>[] = [
      new StepDefaultGeneratedData(),
      new StepTempDir(),
      new StepBuild(config.build),
      new StepPull(config.build !== undefined),
      new StepRun(),
      new StepConnect<DockerState>({
        config: config.comm,
        cwd: info.cwd,
        env: info.env,
        host: async (s) => (config.comm.ssh.host !== "" ? config.comm.ssh.host : containerAddress(s, signal)),
        custom: { docker: new StepConnectDocker(), dockerWindowsContainer: new StepConnectDocker() },
        log: context.log,
      }),
      new StepProvision<DockerState>({ log: context.log }),
      new StepCleanupTempKeys<DockerState>({ config: config.comm, log: context.log }),
    ];
    if (config.discard) {
      context.log.log("[DEBUG] Container will be discarded");
    } else if (config.commit) {
      context.log.log("[DEBUG] Container will be committed");
      steps.push(new StepSetDefaults(), new StepCommit());
    } else {
      context.log.log(`[DEBUG] Container will be exported to ${config.exportPath}`);
      steps.push(new StepExport());
    }

    await context.runner.run(steps, state, ui, signal);

    // A cancelled build ends without an artifact; an operation that noticed the cancellation first is not
    // the build's failure.
    if (state.cancelled && (state.error === undefined || isCancellation(state.error))) return undefined;
    if (state.error !== undefined) throw state.error;

    const stateData = { generated_data: { ...state.generatedData } };
    if (config.commit) {
      return importArtifact({
        builderId: DOCKER_IMPORT_BUILDER_ID,
        id: state.imageId ?? "",
        engine,
        state: stateData,
      });
    }
    if (config.discard) {
      // Packer returns an export artifact with an empty path for a discarded container.
      return exportArtifact("", info.cwd, stateData);
    }
    return exportArtifact(config.exportPath, info.cwd, stateData);
  }
}
