// The `file` provisioner.
export {
  type DecodeFileResult,
  decodeFileConfig,
  FILE_CONFIG_SPEC,
  type FileConfig,
  type FileDirection,
  localPath,
} from "./config.js";
export { FileProvisioner } from "./provisioner.js";
