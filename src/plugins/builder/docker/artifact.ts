/**
 * The docker plugin's artifacts, with its builder ids and strings (the manifest and the build summary record
 * them so):
 * - ImportArtifact, an image in the engine: the builder's commit (id `sha256:...`) and every docker-*
 *   post-processor's output (id `repo:tag`); `Imported Docker image: <id>[ with tags <t1> <t2>]`; destroying
 *   it removes the image;
 * - ExportArtifact, the builder's export_path tarball: id `Container`, `Exported Docker file: <path>`;
 *   destroying it deletes the file.
 */
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { type Artifact, basicArtifact } from "../../../sdk/index.js";
import type { Engine } from "./engine.js";

/** The builder's id for an exported container (ExportArtifact). */
export const DOCKER_BUILDER_ID = "packer.docker";
/** The builder's id for a committed image; docker-import's and docker-push's too. */
export const DOCKER_IMPORT_BUILDER_ID = "packer.post-processor.docker-import";
export const DOCKER_TAG_BUILDER_ID = "packer.post-processor.docker-tag";
/** Artifacts docker-import accepts besides the docker builder's export. */
export const ARTIFICE_BUILDER_ID = "packer.post-processor.artifice";

/** The `docker_tags` state of an artifact as a list of strings (Packer accepts []string or []interface{}). */
export function dockerTags(artifact: Artifact): string[] {
  const tags = artifact.state("docker_tags");
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

export interface ImportArtifactInit {
  readonly builderId: string;
  readonly id: string;
  readonly engine: Engine;
  readonly state?: Readonly<Record<string, unknown>>;
}

export function importArtifact(init: ImportArtifactInit): Artifact {
  const state = init.state ?? {};
  const tags = Array.isArray(state.docker_tags)
    ? (state.docker_tags as unknown[]).filter((t) => typeof t === "string")
    : [];
  return basicArtifact({
    builderId: init.builderId,
    id: init.id,
    string:
      tags.length > 0
        ? `Imported Docker image: ${init.id} with tags ${tags.join(" ")}`
        : `Imported Docker image: ${init.id}`,
    state,
    destroy: (signal) => init.engine.removeImage(init.id, signal),
  });
}

export function exportArtifact(
  path: string,
  cwd: string,
  state: Readonly<Record<string, unknown>>,
): Artifact {
  return basicArtifact({
    builderId: DOCKER_BUILDER_ID,
    id: "Container",
    string: `Exported Docker file: ${path}`,
    files: [path],
    state,
    destroy: async () => {
      if (path !== "") await rm(resolve(cwd, path));
    },
  });
}
