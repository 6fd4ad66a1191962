/**
 * The debug log (what PACKER_LOG enables), passed down explicitly: nothing writes to a global console.
 * Core's implementation stamps each line with the time, redacts secrets and routes it to stderr or
 * PACKER_LOG_PATH; when logging is off, calls cost a function call.
 */
export interface Logger {
  /** Logs one message; a message with newlines is logged as one record (only its first line is stamped). */
  log(message: string): void;
  /** A logger whose messages start with `prefix` (e.g. `packer-provisioner-shell-local plugin: `). */
  child(prefix: string): Logger;
}

/** A logger that drops everything. */
export const noopLogger: Logger = {
  log() {},
  child() {
    return noopLogger;
  },
};
