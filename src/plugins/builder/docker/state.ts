/**
 * The docker builder's step state (Packer's state bag entries: config, driver, temp_dir, container_id,
 * image_id, ...), plus what it needs of the run's context.
 */
import type { BuildInfo, Logger, ProvisionState, SecretFilter } from "../../../sdk/index.js";
import type { DockerConfig } from "./config.js";
import type { Engine, ImageInfo } from "./engine.js";

/** The host directory shared with the container, and how it appears inside it. */
export interface SharedDir {
  /** Where the host directory is mounted in the container. */
  readonly mountPoint: string;
  /** container_dir, when it was made a symlink to mountPoint (removed again before commit or export). */
  link?: string;
  /** Directories created to hold the link, deepest first (removed with it when empty). */
  madeDirs: string[];
}

export interface DockerState extends ProvisionState {
  readonly config: DockerConfig;
  readonly engine: Engine;
  readonly info: BuildInfo;
  readonly log: Logger;
  readonly secrets: SecretFilter;
  /** The host directory shared with the container (StepTempDir). */
  tempDir?: string;
  shared?: SharedDir;
  /** The source image as StepPull inspected it (StepSetDefaults reads its CMD and ENTRYPOINT). */
  sourceImage?: ImageInfo;
  /** The image built from the `build` block (stepBuild). */
  builtImage?: string;
  containerId?: string;
  /** The container's configured user (`.Config.User`). */
  containerUser?: string;
  /** The committed image (StepCommit). */
  imageId?: string;
  generatedData: Record<string, string | number | boolean>;
}

/** Generated data keys the builder adds (Packer's generatedVars). */
export const DOCKER_GENERATED_DATA_KEYS = ["ImageSha256", "SourceImageDigest"] as const;
