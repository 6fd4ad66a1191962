// The `file` builder.

export { FILE_BUILDER_ID, FileArtifact } from "./artifact.js";
export { FILE_BUILDER_CONFIG_SPEC, FileBuilder } from "./builder.js";
export { MockCommunicator } from "./mock-communicator.js";
