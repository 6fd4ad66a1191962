/**
 * The qemu builder's artifact (packer-plugin-qemu's Artifact): Id `VM`, the files of the output directory,
 * `VM files in directory: <output_directory>`; Destroy deletes the directory. State: generated_data,
 * diskName, diskPaths, diskType, diskSize, domainType.
 */
import { rm } from "node:fs/promises";
import { type Artifact, basicArtifact } from "../../../sdk/index.js";
import { QEMU_BUILDER_ID } from "./config.js";

export interface QemuArtifactInit {
  /** output_directory as configured (shown in the artifact's description). */
  readonly dir: string;
  /** Its absolute path (what Destroy removes). */
  readonly absoluteDir: string;
  /** The files, as paths under `dir`. */
  readonly files: readonly string[];
  readonly state: Readonly<Record<string, unknown>>;
}

export function qemuArtifact(init: QemuArtifactInit): Artifact {
  return basicArtifact({
    builderId: QEMU_BUILDER_ID,
    id: "VM",
    string: `VM files in directory: ${init.dir}`,
    files: init.files,
    state: init.state,
    destroy: async () => {
      await rm(init.absoluteDir, { recursive: true, force: true });
    },
  });
}
