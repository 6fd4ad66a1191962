/**
 * The `docker-import` post-processor: imports the docker builder's exported tarball (or an artifice
 * artifact's first file) as an image `repository[:tag]`, with `changes` applied and for `platform`. Its
 * artifact is the image (builder id packer.post-processor.docker-import, id `repository[:tag]`); the input is
 * not kept by default.
 */
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { listType, stringType, type Value } from "../../../hcl/index.js";
import {
  type Artifact,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  KilnError,
  type PostProcessor,
  type PostProcessResult,
  type PrepareResult,
  type RunContext,
  type Ui,
} from "../../../sdk/index.js";
import {
  ARTIFICE_BUILDER_ID,
  DOCKER_BUILDER_ID,
  DOCKER_IMPORT_BUILDER_ID,
  Engine,
  importArtifact,
} from "../../builder/docker/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC } from "../../provisioner/shell-local/plugin-config.js";

export interface DockerImportConfig {
  readonly dockerPath: string;
  readonly repository: string;
  readonly tag: string;
  readonly changes: readonly string[];
  readonly platform: string;
}

export class DockerImportPostProcessor implements PostProcessor {
  private config: DockerImportConfig | undefined;
  private info: BuildInfo | undefined;

  constructor(private readonly engine?: Engine) {}

  configSpec(): ConfigSpec {
    const str = { kind: "attribute", type: stringType } as const;
    return {
      ...PACKER_CONFIG_SPEC,
      docker_path: str,
      repository: str,
      tag: str,
      changes: { kind: "attribute", type: listType(stringType) },
      platform: str,
    };
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, this.configSpec(), info, { placeholders: true });
    if (failed) return { diagnostics: reader.diagnostics };
    this.config = {
      dockerPath: reader.string("docker_path") || "docker",
      repository: reader.string("repository") ?? "",
      tag: reader.string("tag") ?? "",
      changes: reader.stringList("changes") ?? [],
      platform: reader.string("platform") ?? "",
    };
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
      throw new KilnError(ErrorCode.Internal, "docker-import ran without a configuration");
    }
    const builderId = artifact.builderId();
    if (builderId !== DOCKER_BUILDER_ID && builderId !== ARTIFICE_BUILDER_ID) {
      throw new KilnError(
        ErrorCode.PostProcessor,
        `Unknown artifact type: ${builderId}\nCan only import from Docker builder and Artifice post-processor artifacts. ` +
          "If you are getting this error after having run the docker builder, it may be because you set " +
          "commit: true in your Docker builder, so the image is already imported. ",
      );
    }
    const importRepo = config.tag !== "" ? `${config.repository}:${config.tag}` : config.repository;
    const engine = this.engine ?? Engine.fromEnv(info.env, context.log);

    ui.message(`Importing image: ${artifact.id()}`);
    ui.message(`Repository: ${importRepo}`);
    const file = artifact.files()[0] ?? "";
    const id = await engine.importImage(
      createReadStream(resolve(info.cwd, file)),
      { repo: importRepo, changes: config.changes, platform: config.platform },
      signal,
    );
    ui.message(`Imported ID: ${id}`);

    const generated = artifact.state("generated_data");
    return {
      artifact: importArtifact({
        builderId: DOCKER_IMPORT_BUILDER_ID,
        id: importRepo,
        engine,
        ...(generated !== undefined ? { state: { generated_data: generated } } : {}),
      }),
      keep: false,
      forceOverride: false,
    };
  }
}
