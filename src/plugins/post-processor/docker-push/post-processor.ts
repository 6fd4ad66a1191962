/**
 * The `docker-push` post-processor: pushes a docker-import or docker-tag artifact's image and each of its
 * `docker_tags` (logging in first with `login`), printing the push progress as the docker CLI does. Its
 * artifact (builder id packer.post-processor.docker-import, id the first name pushed) carries the pushed
 * image's repository digest as generated data `Digest`. The input is kept by default.
 */
import { stringType, type Value } from "../../../hcl/index.js";
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
  authFor,
  DOCKER_IMPORT_BUILDER_ID,
  DOCKER_TAG_BUILDER_ID,
  dockerTags,
  Engine,
  importArtifact,
  type LoginSettings,
  loginConfigSpec,
  withLogin,
} from "../../builder/docker/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC } from "../../provisioner/shell-local/plugin-config.js";

export interface DockerPushConfig extends LoginSettings {
  readonly dockerPath: string;
  readonly platform: string;
}

export class DockerPushPostProcessor implements PostProcessor {
  private config: DockerPushConfig | undefined;
  private info: BuildInfo | undefined;

  constructor(private readonly engine?: Engine) {}

  configSpec(): ConfigSpec {
    const str = { kind: "attribute", type: stringType } as const;
    return {
      ...PACKER_CONFIG_SPEC,
      docker_path: str,
      platform: str,
      ...loginConfigSpec(),
    };
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, this.configSpec(), info, { placeholders: true });
    if (failed) return { diagnostics: reader.diagnostics };
    const cfg: DockerPushConfig = {
      dockerPath: reader.string("docker_path") || "docker",
      platform: reader.string("platform") ?? "",
      login: reader.bool("login") ?? false,
      ecrLogin: reader.bool("ecr_login") ?? false,
      loginServer: reader.string("login_server") ?? "",
      loginUsername: reader.string("login_username") ?? "",
      loginPassword: reader.string("login_password") ?? "",
    };
    if (cfg.ecrLogin && cfg.loginServer === "")
      reader.error("ECR login requires login server to be provided.");
    this.config = cfg;
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
      throw new KilnError(ErrorCode.Internal, "docker-push ran without a configuration");
    }
    const builderId = artifact.builderId();
    if (builderId !== DOCKER_IMPORT_BUILDER_ID && builderId !== DOCKER_TAG_BUILDER_ID) {
      throw new KilnError(
        ErrorCode.PostProcessor,
        `Unknown artifact type: ${builderId}\nCan only import from docker-import and docker-tag artifacts.`,
      );
    }
    const engine = this.engine ?? Engine.fromEnv(info.env, context.log);
    const tags = dockerTags(artifact);
    const names = [artifact.id(), ...tags];

    await withLogin(
      engine,
      config,
      ui,
      context.secrets,
      { loginError: (m) => `Error logging in to Docker: ${m}`, ecrError: (m) => m },
      signal,
      async (login) => {
        for (const name of names) {
          ui.message(`Pushing: ${name}`);
          await engine.push(
            name,
            {
              ...(config.platform !== "" ? { platform: config.platform } : {}),
              auth: authFor(name, login, info.env),
              onLine: (line) => ui.message(line),
            },
            signal,
          );
        }
      },
    );

    let digest = "";
    try {
      digest = (await engine.inspectImage(artifact.id(), signal)).RepoDigests?.[0] ?? "";
      if (digest === "") throw new Error("no repository digest");
    } catch (err) {
      if (signal.aborted) throw err;
      ui.message("Unable to determine digest for source image, ignoring it for now");
    }

    const generated = artifact.state("generated_data");
    const generatedData: Record<string, unknown> =
      generated !== null && typeof generated === "object"
        ? { ...(generated as Record<string, unknown>) }
        : {};
    generatedData.Digest = digest;
    return {
      artifact: importArtifact({
        builderId: DOCKER_IMPORT_BUILDER_ID,
        id: names[0]!,
        engine,
        state: { docker_tags: tags, generated_data: generatedData },
      }),
      keep: true,
      forceOverride: false,
    };
  }
}
