// Public surface of the legacy JSON template loader: parsing (Packer's template.Parse), the JSON core
// (variables, -var / -var-file, builds with -only / -except), inspect output, console evaluation, and the
// hcl2_upgrade conversion to HCL2.
export { decodeJSONConfig, mergeConfigs, renderConfig } from "./component-config.js";
export {
  JSON_CONSOLE_HELP,
  JSONConfig,
  type JSONGetBuildsOptions,
  type JSONGetBuildsResult,
  type JSONLoadOptions,
  type JSONLoadResult,
  loadJSONConfig,
  readVarFile,
  TINIEST_BUILDER,
} from "./config.js";
export { type InspectLine, inspectJSONTemplate } from "./inspect.js";
export {
  highlightPosition,
  type JSONObject,
  type JSONPositions,
  type JSONSyntaxError,
  type JSONValue,
  type ParseJSONResult,
  parseJSON,
} from "./json-syntax.js";
export {
  type ParseTemplateOptions,
  type ParseTemplateResult,
  parseTemplate as parseJSONTemplate,
} from "./parse-template.js";
export {
  skipFor as skipForBuild,
  type Template as JSONTemplate,
  type TemplateBuilder,
  type TemplatePostProcessor,
  type TemplateProvisioner,
  type TemplateVariable,
  validateTemplate,
} from "./template.js";
export {
  HCL2_UPGRADE_FILE_HEADER,
  KNOWN_PLUGINS,
  type UpgradeOptions,
  type UpgradeResult,
  upgradeTemplate,
} from "./upgrade.js";
export { type HCL2UpgradeFileOptions, type HCL2UpgradeFileResult, hcl2UpgradeFile } from "./upgrade-file.js";
