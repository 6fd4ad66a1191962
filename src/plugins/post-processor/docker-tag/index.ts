// The `docker-tag` post-processor.

export * from "./post-processor.js";
