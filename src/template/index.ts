// Public surface of the template layer: other layers import only from here.

export * from "./hcl2/index.js";
export * from "./json/index.js";
export * from "./legacy/index.js";
