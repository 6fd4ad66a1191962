// Public surface of the sdk layer (the plugin contract): other layers import only from here.
export * from "./artifact.js";
export * from "./communicator.js";
export * from "./components.js";
export * from "./config-spec.js";
export * from "./duration.js";
export * from "./errors.js";
export type * from "./hcl-types.js";
export * from "./hook.js";
export * from "./logger.js";
export * from "./step.js";
export * from "./step-provision.js";
export * from "./text.js";
export type * from "./ui.js";
