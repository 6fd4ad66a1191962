// Public surface of the template layer: other layers import only from here.
export * from "./legacy/index.js";
