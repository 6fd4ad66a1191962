/**
 * The user interface every component talks to (Packer's packersdk.Ui). Core supplies the implementations
 * (plain, colored, per-build targeted, timestamped, machine-readable); every line passes through the secret
 * redactor before it is written.
 */
export interface Ui {
  /** A status line: `==> build: text` in human output, `ui,say` in machine-readable output. */
  say(message: string): void;
  /**
   * Output of something the build runs (script output, tool logs): `    build: text` (indented, not bold) in
   * human output, `ui,message` in machine-readable output.
   */
  message(message: string): void;
  /** An error line: `==> build: text` in red, `ui,error` in machine-readable output. */
  error(message: string): void;
  /**
   * A machine-readable record. `type` may carry a target as `target,type` (TargetedUi adds the build name);
   * human UIs only log these.
   */
  machine(type: string, ...args: string[]): void;
  /**
   * Prints `query` and resolves to the line the user types (trimmed). Rejects with a KilnError of code
   * UI_CANNOT_ASK in machine-readable mode, without a terminal, or when `signal` fires while waiting.
   */
  ask(query: string, signal?: AbortSignal): Promise<string>;
}
