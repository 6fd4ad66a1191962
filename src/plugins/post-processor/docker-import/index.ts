// The `docker-import` post-processor.

export * from "./post-processor.js";
