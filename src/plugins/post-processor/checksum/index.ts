// The `checksum` post-processor.

export { FilesArtifact } from "./artifact.js";
export {
  CHECKSUM_BUILDER_ID,
  CHECKSUM_CONFIG_SPEC,
  CHECKSUM_TYPES,
  ChecksumPostProcessor,
  DEFAULT_CHECKSUM_OUTPUT,
} from "./post-processor.js";
