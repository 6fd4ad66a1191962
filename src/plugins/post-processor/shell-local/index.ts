// The `shell-local` post-processor.
export { ShellLocalPostProcessor } from "./post-processor.js";
