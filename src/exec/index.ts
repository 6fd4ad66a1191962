// Public surface of the exec layer: other layers import only from here.
export * from "./run-process.js";
export * from "./shell-quote.js";
