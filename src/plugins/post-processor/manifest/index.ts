// The `manifest` post-processor.

export {
  type ManifestArtifact,
  type ManifestArtifactFile,
  type ManifestFile,
  marshalManifest,
  parseManifest,
} from "./manifest-file.js";
export { MANIFEST_BUILDER_ID, MANIFEST_CONFIG_SPEC, ManifestPostProcessor } from "./post-processor.js";
