// The `artifice` post-processor.

export { goGlob, goMatch } from "./go-glob.js";
export { ARTIFICE_BUILDER_ID, ARTIFICE_CONFIG_SPEC, ArtificePostProcessor } from "./post-processor.js";
