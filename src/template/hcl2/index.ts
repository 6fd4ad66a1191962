// Public surface of the HCL2 template loader: load a configuration (Packer's Parse), initialize it (variables
// validated, locals and data sources evaluated, dynamic blocks expanded, sources and builds decoded) and get
// its builds with every component prepared; plus inspect output and the component catalog contract.
export { type ComponentCatalog, type ComponentSet, componentSet, emptyCatalog } from "./catalog.js";
export { configSpecType, objectSpecFor, sensitiveStrings } from "./component-config.js";
export {
  type BlockContext,
  CONFIG_SCHEMA,
  HCL2Config,
  type InitializeOptions,
  type LoadOptions,
  type LoadResult,
  loadHCL2Config,
} from "./config.js";
export { expandDynamicBlocks } from "./dynamic-body.js";
export { type SourceFiles, statIsDir } from "./files.js";
export {
  BUILDER_DATA_COMMON_KEYS,
  type GetBuildsOptions,
  type GetBuildsResult,
  getBuilds,
  type PreparedBuild,
  type PreparedPostProcessor,
  type PreparedProvisioner,
} from "./get-builds.js";
export { compileGlob, type Glob, type GlobResult } from "./glob.js";
export { HCL2PostProcessor, HCL2Provisioner } from "./hcl2-components.js";
export { inspectMessages, printBuilds, printVariables } from "./inspect.js";
export type { RequiredPlugin, RequiredVersion } from "./types.js";
export { checkConstraints, parseConstraints, parseVersion } from "./version-constraint.js";
