// The qemu builder: what the plugins layer's registry imports.
export { qemuArtifact } from "./artifact.js";
export { QemuBuilder, type QemuBuilderOptions } from "./builder.js";
export { decodeQemuConfig, QEMU_BUILDER_ID, type QemuConfig, qemuConfigSpec } from "./config.js";
