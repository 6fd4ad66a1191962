// The `null` builder.

export { NULL_BUILDER_ID, NullArtifact } from "./artifact.js";
export { NULL_CONFIG_SPEC, NullBuilder } from "./builder.js";
