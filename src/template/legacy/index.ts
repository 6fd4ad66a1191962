// Public surface of Packer's legacy template engine (Go text/template with Packer's functions).

export { GO_BUILTINS } from "./builtins.js";
export {
  type CleanResourceNameFlavor,
  cleanResourceName,
  cleanResourceNameFunc,
} from "./clean-resource-name.js";
export { type InterpolateContext, processInitTime, type SecretResolvers } from "./context.js";
export { type GoFunc, GoFuncError, type GoType, type MissingKey } from "./exec.js";
export {
  BUILD_PLACEHOLDER_MSG,
  buildPlaceholder,
  ERR_VARIABLE_NOT_SET,
  packerFuncs,
  stringFunc,
  timeOrderedUUID,
} from "./funcs.js";
export { formatFloat, formatV, sprint, sprintf } from "./go-fmt.js";
export { goUnquote } from "./go-strconv.js";
export {
  GoMap,
  GoSlice,
  GoStruct,
  type GoValue,
  goStringMap,
  type RV,
  toGoValue,
  type Val,
} from "./go-value.js";
export { type Node, nodeString, type Tree } from "./nodes.js";
export { parseTemplate, TemplateParseError } from "./parser.js";
export {
  functionsCalled,
  type RenderAsyncOptions,
  type RenderResult,
  render,
  renderAsync,
  renderOnce,
  renderRegex,
  renderUntilFixpoint,
  renderWithFuncs,
  validate,
} from "./render.js";
export {
  type RenderFilter,
  type RenderValueResult,
  renderInterface,
  renderMap,
  validateInterface,
} from "./render-map.js";
export { awsSecretValue, type LookupCache, type LookupResult } from "./secrets.js";
export {
  BUILD_FIELD_FILTER,
  type ResolveVariablesInput,
  type ResolveVariablesResult,
  resolveUserVariables,
} from "./variables.js";
