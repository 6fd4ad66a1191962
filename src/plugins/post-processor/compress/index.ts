// The `compress` post-processor.

export { COMPRESS_BUILDER_ID, CompressArtifact } from "./artifact.js";
export { type Detected, detectFromFilename } from "./detect-format.js";
export { gnuHeader, gnuTarStream } from "./gnu-tar.js";
export { COMPRESS_CONFIG_SPEC, CompressPostProcessor, DEFAULT_COMPRESS_OUTPUT } from "./post-processor.js";
