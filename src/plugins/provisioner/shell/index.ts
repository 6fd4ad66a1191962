// The `shell` provisioner.
export {
  DEFAULT_EXECUTE_COMMAND,
  DEFAULT_EXECUTE_COMMAND_ENV_FILE,
  type DecodeShellResult,
  decodeShellConfig,
  SHELL_CONFIG_SPEC,
  type ShellConfig,
} from "./config.js";
export { goSprintf } from "./go-sprintf.js";
export { PACKER_COMMON_CONFIG_SPEC } from "./packer-config.js";
export { type RenderOptions, renderPlaceholders } from "./placeholders.js";
export {
  flattenEnvVars,
  inlineScript,
  invalidExitCodeMessage,
  ShellProvisioner,
  shellEnvVars,
  UNEXPECTED_DISCONNECT_MESSAGE,
} from "./provisioner.js";
export { toUnixLines } from "./unix-reader.js";
