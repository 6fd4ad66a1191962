// The `shell-local` provisioner, and what the post-processor of that name and the other built-in components
// share with it (configuration decoding with legacy template interpolation).
export {
  convertToLinuxPath,
  type DecodeShellLocalOptions,
  type DecodeShellLocalResult,
  decodeShellLocalConfig,
  goErrnoText,
  goos,
  SHELL_LOCAL_CONFIG_SPEC,
  type ShellLocalConfig,
  SUPPORTED_OS,
} from "./config.js";
export {
  artifactGeneratedData,
  BUILDER_DATA_COMMON_KEYS,
  type DecodeOptions,
  type DecodeResult,
  decodePluginConfig,
  interpolateContext,
  notPrepared,
  PACKER_CONFIG_SPEC,
  placeholderData,
  toPlainObject,
} from "./plugin-config.js";
export { ShellLocalProvisioner } from "./provisioner.js";
export { flattenedEnvVars, invalidExitCodeMessage, runShellLocal } from "./run.js";
