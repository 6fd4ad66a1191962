/**
 * What `validate`, `inspect` and `build` share: the one Redactor of the run, the debug log of PACKER_LOG /
 * PACKER_LOG_PATH, the command's UI (human or -machine-readable, both writing to standard output as Packer's
 * do), and telling HCL2 templates from legacy JSON ones. (Diagnostics are printed by write-diagnostics.ts.)
 */
import {
  BasicUi,
  createDebugLog,
  type DebugLog,
  type EventSink,
  LineInput,
  MachineReadableUi,
  Redactor,
} from "../core/index.js";
import type { Ui } from "../sdk/index.js";
import { statIsDir } from "../template/index.js";
import type { CommandContext } from "./command.js";
import type { ConfigType } from "./meta-args.js";

export interface CommandRuntime {
  readonly ui: Ui;
  readonly redactor: Redactor;
  readonly log: DebugLog;
}

export interface RuntimeOptions {
  /** Answers to UI questions come from standard input (build: -on-error=ask, -debug, breakpoints). */
  readonly interactive?: boolean;
  readonly events?: EventSink;
  /** The run's redactor, when the caller needs it before the UI exists (the event stream); else a new one. */
  readonly redactor?: Redactor;
}

/**
 * Opens the log and the UI. When PACKER_LOG_PATH cannot be created, prints Packer's message on standard
 * error and gives the exit code instead.
 */
export function openCommandRuntime(
  ctx: CommandContext,
  options: RuntimeOptions = {},
): { runtime: CommandRuntime } | { exitCode: number } {
  const redactor = options.redactor ?? new Redactor();
  const opened = createDebugLog({ env: ctx.io.env, stderr: ctx.io.stderr, redactor });
  if (!opened.ok) {
    ctx.io.stderr.write(`Couldn't setup log output: ${opened.error}`);
    return { exitCode: 1 };
  }
  const log = opened.log;
  const events = options.events !== undefined ? { events: options.events } : {};
  const ui: Ui = ctx.global.machineReadable
    ? new MachineReadableUi({ stdout: ctx.io.stdout, redactor, log, ...events })
    : new BasicUi({
        stdout: ctx.io.stdout,
        redactor,
        log,
        ...events,
        ...(options.interactive === true ? { input: new LineInput(ctx.io.stdin) } : {}),
      });
  return { runtime: { ui, redactor, log } };
}

export type TemplateKind =
  | { readonly kind: "hcl2" | "json" }
  | { readonly kind: "error"; readonly message: string };

/**
 * Packer's GetConfigType: `*.pkr.hcl`, `*.pkr.json` and directories are HCL2; anything else (`-` included)
 * is read as -config-type says (legacy JSON by default). A path that cannot be examined is an error.
 */
export function templateKind(path: string, configType: ConfigType, cwd: string): TemplateKind {
  if (path === "" || path === "-") return { kind: configType };
  if (path.endsWith(".pkr.hcl") || path.endsWith(".pkr.json")) return { kind: "hcl2" };
  const stat = statIsDir(path, cwd);
  if ("error" in stat) {
    const code = (stat.error as NodeJS.ErrnoException).code;
    const text = code === "ENOENT" ? "no such file or directory" : String((stat.error as Error).message);
    return { kind: "error", message: `"${path}": stat ${path}: ${text}` };
  }
  return { kind: stat.isDir ? "hcl2" : configType };
}
