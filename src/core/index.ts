// Public surface of the core layer: other layers import only from here.
export * from "./build.js";
export * from "./debug-log.js";
export * from "./durafmt.js";
export * from "./events.js";
export * from "./go-time.js";
export * from "./line-input.js";
export * from "./provision-hook.js";
export * from "./redactor.js";
export * from "./run-builds.js";
export * from "./step-runner.js";
export * from "./ui.js";
