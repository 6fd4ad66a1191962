// The `docker-push` post-processor.

export * from "./post-processor.js";
