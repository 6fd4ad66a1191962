/**
 * The `docker-tag` post-processor: tags a docker image artifact (a commit or docker-import/docker-tag output)
 * as `repository:<tag>` for each of `tags` (and the deprecated `tag`), or as `repository` alone. Its artifact
 * (builder id packer.post-processor.docker-tag) is the last tag, with every tag in `docker_tags`; the input is
 * kept, and must be (`force` of Packer is a no-op since Docker 1.12).
 */
import { boolType, listType, stringType, type Value } from "../../../hcl/index.js";
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
  DOCKER_IMPORT_BUILDER_ID,
  DOCKER_TAG_BUILDER_ID,
  Engine,
  importArtifact,
} from "../../builder/docker/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC } from "../../provisioner/shell-local/plugin-config.js";

export interface DockerTagConfig {
  readonly dockerPath: string;
  readonly repository: string;
  /** `tags` followed by the deprecated `tag`. */
  readonly tags: readonly string[];
  readonly deprecatedTag: boolean;
  readonly force: boolean;
}

export const TAG_DEPRECATION_WARNING =
  'Deprecation warning: "tag" option has been replaced with "tags". In future versions of Packer, this ' +
  "configuration may not work. Please call `packer fix` on your template to update.";

export class DockerTagPostProcessor implements PostProcessor {
  private config: DockerTagConfig | undefined;
  private info: BuildInfo | undefined;

  constructor(private readonly engine?: Engine) {}

  configSpec(): ConfigSpec {
    const str = { kind: "attribute", type: stringType } as const;
    const strList = { kind: "attribute", type: listType(stringType) } as const;
    return {
      ...PACKER_CONFIG_SPEC,
      docker_path: str,
      repository: str,
      tag: strList,
      tags: strList,
      force: { kind: "attribute", type: boolType },
    };
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, this.configSpec(), info, { placeholders: true });
    if (failed) return { diagnostics: reader.diagnostics };
    const tag = reader.stringList("tag") ?? [];
    this.config = {
      dockerPath: reader.string("docker_path") || "docker",
      repository: reader.string("repository") ?? "",
      tags: [...(reader.stringList("tags") ?? []), ...tag],
      deprecatedTag: tag.length > 0,
      force: reader.bool("force") ?? false,
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
      throw new KilnError(ErrorCode.Internal, "docker-tag ran without a configuration");
    }
    if (config.deprecatedTag) ui.say(TAG_DEPRECATION_WARNING);
    const builderId = artifact.builderId();
    if (builderId !== DOCKER_TAG_BUILDER_ID && builderId !== DOCKER_IMPORT_BUILDER_ID) {
      throw new KilnError(
        ErrorCode.PostProcessor,
        `Unknown artifact type: ${builderId}\nCan only tag from Docker builder artifacts.`,
      );
    }
    const engine = this.engine ?? Engine.fromEnv(info.env, context.log);
    if (config.force)
      context.log.log(
        '[WARN] option: "force" will be ignored here since it was removed after Docker 1.12.0 released',
      );

    const repoTags: string[] = [];
    let lastTagged = config.repository;
    const names =
      config.tags.length > 0 ? config.tags.map((t) => `${config.repository}:${t}`) : [config.repository];
    for (const name of names) {
      ui.message(`Tagging image: ${artifact.id()}`);
      ui.message(`Repository: ${name}`);
      await engine.tag(artifact.id(), name, signal);
      if (config.tags.length > 0) {
        repoTags.push(name);
        lastTagged = name;
      }
    }

    const state: Record<string, unknown> = { docker_tags: repoTags };
    const generated = artifact.state("generated_data");
    if (generated !== undefined) state.generated_data = generated;
    return {
      artifact: importArtifact({ builderId: DOCKER_TAG_BUILDER_ID, id: lastTagged, engine, state }),
      keep: true,
      forceOverride: true,
    };
  }
}
