// Public surface of the hcl layer: other layers import only from here.
export * from "./diagnostic.js";
export * from "./diagnostic-render.js";
export * from "./eval/index.js";
export * from "./syntax/index.js";
export * from "./value/index.js";
export * from "./write/index.js";
