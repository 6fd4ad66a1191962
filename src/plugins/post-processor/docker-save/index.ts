// The `docker-save` post-processor.

export * from "./post-processor.js";
