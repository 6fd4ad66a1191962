/**
 * Public surface of the plugins layer: other layers import only from here.
 *
 * builtinComponents lists the components kiln ships, by the name a template gives them (`source "null"`,
 * `provisioner "shell-local"`, `post-processor "manifest"`, `data "null"`). Each entry makes a new, unprepared
 * instance: a component is prepared once per build, so every build needs its own.
 */
import type { Builder, Datasource, PostProcessor, Provisioner } from "../sdk/index.js";
import { DockerBuilder } from "./builder/docker/index.js";
import { FileBuilder } from "./builder/file/index.js";
import { NullBuilder } from "./builder/null/index.js";
import { QemuBuilder } from "./builder/qemu/index.js";
import { NullDatasource } from "./datasource/null/index.js";
import { ArtificePostProcessor } from "./post-processor/artifice/index.js";
import { ChecksumPostProcessor } from "./post-processor/checksum/index.js";
import { CompressPostProcessor } from "./post-processor/compress/index.js";
import { DockerImportPostProcessor } from "./post-processor/docker-import/index.js";
import { DockerPushPostProcessor } from "./post-processor/docker-push/index.js";
import { DockerSavePostProcessor } from "./post-processor/docker-save/index.js";
import { DockerTagPostProcessor } from "./post-processor/docker-tag/index.js";
import { ManifestPostProcessor } from "./post-processor/manifest/index.js";
import { ShellLocalPostProcessor } from "./post-processor/shell-local/index.js";
import { BreakpointProvisioner } from "./provisioner/breakpoint/index.js";
import { FileProvisioner } from "./provisioner/file/index.js";
import { ShellProvisioner } from "./provisioner/shell/index.js";
import { ShellLocalProvisioner } from "./provisioner/shell-local/index.js";

export interface ComponentRegistry {
  readonly builders: ReadonlyMap<string, () => Builder>;
  readonly provisioners: ReadonlyMap<string, () => Provisioner>;
  readonly postProcessors: ReadonlyMap<string, () => PostProcessor>;
  readonly datasources: ReadonlyMap<string, () => Datasource>;
}

export const builtinComponents: ComponentRegistry = {
  builders: new Map<string, () => Builder>([
    ["docker", () => new DockerBuilder()],
    ["file", () => new FileBuilder()],
    ["null", () => new NullBuilder()],
    ["qemu", () => new QemuBuilder()],
  ]),
  provisioners: new Map<string, () => Provisioner>([
    ["breakpoint", () => new BreakpointProvisioner()],
    ["file", () => new FileProvisioner()],
    ["shell", () => new ShellProvisioner()],
    ["shell-local", () => new ShellLocalProvisioner()],
  ]),
  postProcessors: new Map<string, () => PostProcessor>([
    ["artifice", () => new ArtificePostProcessor()],
    ["checksum", () => new ChecksumPostProcessor()],
    ["compress", () => new CompressPostProcessor()],
    ["docker-import", () => new DockerImportPostProcessor()],
    ["docker-push", () => new DockerPushPostProcessor()],
    ["docker-save", () => new DockerSavePostProcessor()],
    ["docker-tag", () => new DockerTagPostProcessor()],
    ["manifest", () => new ManifestPostProcessor()],
    ["shell-local", () => new ShellLocalPostProcessor()],
  ]),
  datasources: new Map<string, () => Datasource>([["null", () => new NullDatasource()]]),
};

export { DockerBuilder } from "./builder/docker/index.js";
export { FileArtifact, FileBuilder, MockCommunicator } from "./builder/file/index.js";
export { NullArtifact, NullBuilder } from "./builder/null/index.js";
export { QEMU_BUILDER_ID, QemuBuilder, qemuArtifact } from "./builder/qemu/index.js";
export { NullDatasource } from "./datasource/null/index.js";
export { ArtificePostProcessor } from "./post-processor/artifice/index.js";
export { ChecksumPostProcessor } from "./post-processor/checksum/index.js";
export { CompressPostProcessor } from "./post-processor/compress/index.js";
export { DockerImportPostProcessor } from "./post-processor/docker-import/index.js";
export { DockerPushPostProcessor } from "./post-processor/docker-push/index.js";
export { DockerSavePostProcessor } from "./post-processor/docker-save/index.js";
export { DockerTagPostProcessor } from "./post-processor/docker-tag/index.js";
export { ManifestPostProcessor } from "./post-processor/manifest/index.js";
export { ShellLocalPostProcessor } from "./post-processor/shell-local/index.js";
export { BreakpointProvisioner } from "./provisioner/breakpoint/index.js";
export { FileProvisioner } from "./provisioner/file/index.js";
export { ShellProvisioner } from "./provisioner/shell/index.js";
export { ShellLocalProvisioner } from "./provisioner/shell-local/index.js";
