// The docker builder and what the docker-* post-processors share with it (engine access, artifacts, ids).
export {
  ARTIFICE_BUILDER_ID,
  DOCKER_BUILDER_ID,
  DOCKER_IMPORT_BUILDER_ID,
  DOCKER_TAG_BUILDER_ID,
  dockerTags,
  exportArtifact,
  type ImportArtifactInit,
  importArtifact,
} from "./artifact.js";
export { DockerBuilder, type DockerBuilderOptions } from "./builder.js";
export {
  DEFAULT_RUN_COMMAND,
  type DockerConfig,
  type DockerfileBuildConfig,
  decodeDockerConfig,
  dockerConfigSpec,
  loginConfigSpec,
} from "./config.js";
export { Engine, engineMessage } from "./engine.js";
export { type LoginSettings, withLogin } from "./login.js";
export { displayText, followMessages, type JsonMessage, JsonMessageError } from "./progress.js";
export { type AuthConfig, authFor, canonicalReference, parseReference, registryHost } from "./reference.js";
export { parseRunArgs, type RunSpec } from "./run-args.js";
