/**
 * The `docker-save` post-processor: writes a docker-import or docker-tag artifact's image to `path` as a
 * `docker save` tarball. It passes its input artifact on unchanged (kept by default).
 */
import { open, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { stringType, type Value } from "../../../hcl/index.js";
import {
  type Artifact,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  errorMessage,
  KilnError,
  type PostProcessor,
  type PostProcessResult,
  type PrepareResult,
  type RunContext,
  type Ui,
} from "../../../sdk/index.js";
import { DOCKER_IMPORT_BUILDER_ID, DOCKER_TAG_BUILDER_ID, Engine } from "../../builder/docker/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC } from "../../provisioner/shell-local/plugin-config.js";

export interface DockerSaveConfig {
  readonly dockerPath: string;
  readonly path: string;
}

export class DockerSavePostProcessor implements PostProcessor {
  private config: DockerSaveConfig | undefined;
  private info: BuildInfo | undefined;

  constructor(private readonly engine?: Engine) {}

  configSpec(): ConfigSpec {
    const str = { kind: "attribute", type: stringType } as const;
    return {
      ...PACKER_CONFIG_SPEC,
      docker_path: str,
      path: str,
    };
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, this.configSpec(), info, { placeholders: true });
    if (failed) return { diagnostics: reader.diagnostics };
    this.config = { dockerPath: reader.string("docker_path") || "docker", path: reader.string("path") ?? "" };
    this.info = info;
    return { diagnostics: reader.diagnostics };
  }

  async postProcess(
    ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult> {
    const config = this.config;
    const info = this.info;
    if (config === undefined || info === undefined) {
      throw new KilnError(ErrorCode.Internal, "docker-save ran without a configuration");
    }
    const builderId = artifact.builderId();
    if (builderId !== DOCKER_IMPORT_BUILDER_ID && builderId !== DOCKER_TAG_BUILDER_ID) {
      throw new KilnError(
        ErrorCode.PostProcessor,
        `Unknown artifact type: ${builderId}\nCan only save Docker builder artifacts.`,
      );
    }
    const path = resolve(info.cwd, config.path);
    try {
      await (await open(path, "w")).close();
    } catch (err) {
      throw new KilnError(ErrorCode.PostProcessor, `Error creating output file: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    const engine = this.engine ?? Engine.fromEnv(info.env, context.log);
    ui.message(`Saving image: ${artifact.id()}`);
    try {
      await engine.saveImage(artifact.id(), path, signal);
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    ui.message(`Saved to: ${config.path}`);
    return { artifact, keep: true, forceOverride: false };
  }
}
