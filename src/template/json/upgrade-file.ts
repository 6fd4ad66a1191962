/**
 * The whole of `hcl2_upgrade` but the terminal: create the output file (and its directory), write the
 * annotation header, load and initialize the JSON template (initialization errors are reported and
 * ignored), convert it and write the result. Every message is returned in order for the command to print.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadJSONConfig } from "./config.js";
import { HCL2_UPGRADE_FILE_HEADER, upgradeTemplate } from "./upgrade.js";

export interface HCL2UpgradeFileOptions {
  readonly path: string;
  /** Where to write; relative to cwd. */
  readonly outputFile: string;
  readonly withAnnotations: boolean;
  readonly varFiles?: readonly string[];
  readonly vars?: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly coreVersion: string;
  readonly stdin?: string | Uint8Array;
  /** Whether a builder type is installed (types neither bundled nor HashiCorp's are reported otherwise). */
  readonly hasBuilder?: (type: string) => boolean;
}

export interface HCL2UpgradeFileResult {
  readonly exitCode: number;
  /** What to print, in order: `say` lines and `error` lines. */
  readonly messages: { readonly kind: "say" | "error"; readonly text: string }[];
}

function goFsError(op: string, path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const texts: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    ENOTDIR: "not a directory",
    EISDIR: "is a directory",
    EEXIST: "file exists",
  };
  return `${op} ${path}: ${(code !== undefined ? texts[code] : undefined) ?? String((e as Error).message)}`;
}

export async function hcl2UpgradeFile(options: HCL2UpgradeFileOptions): Promise<HCL2UpgradeFileResult> {
  const messages: HCL2UpgradeFileResult["messages"] = [];
  const error = (text: string) => messages.push({ kind: "error", text });
  const out = resolve(options.cwd, options.outputFile);
  try {
    mkdirSync(dirname(out), { recursive: true, mode: 0o755 });
  } catch (e) {
    error(`Failed to create output directory: ${goFsError("mkdir", dirname(options.outputFile), e)}`);
    return { exitCode: 1, messages };
  }
  let fd: number;
  try {
    fd = openSync(out, "w", 0o666);
  } catch (e) {
    error(`Failed to create output file: ${goFsError("open", options.outputFile, e)}`);
    return { exitCode: 1, messages };
  }
  try {
    if (options.withAnnotations) writeSync(fd, HCL2_UPGRADE_FILE_HEADER);
    const loaded = loadJSONConfig({
      path: options.path,
      ...(options.varFiles !== undefined ? { varFiles: options.varFiles } : {}),
      ...(options.vars !== undefined ? { vars: options.vars } : {}),
      env: options.env,
      cwd: options.cwd,
      coreVersion: options.coreVersion,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    });
    if (loaded.config === undefined) {
      for (const e of loaded.errors) error(e);
      error("Failed to get config from JSON");
      return { exitCode: 1, messages };
    }
    let exitCode = loaded.errors.length > 0 ? 1 : 0;
    const diags = await loaded.config.initialize();
    if (diags.length > 0) {
      // hcl.Diagnostics' Error(): the first one as `<subject>: <summary>; <detail>`.
      const first = diags[0]!;
      const more = diags.length > 1 ? `, and ${diags.length - 1} other diagnostic(s)` : "";
      error(`Ignoring following initialization error: <nil>: ${first.summary}; ${first.detail ?? ""}${more}`);
    }
    const result = upgradeTemplate(loaded.config.template, {
      withAnnotations: options.withAnnotations,
      ...(options.hasBuilder !== undefined ? { hasBuilder: options.hasBuilder } : {}),
    });
    for (const e of result.errors) error(e);
    if (result.errors.length > 0) exitCode = 1;
    // The header was written already; the formatted body follows it.
    const body = options.withAnnotations ? result.text.slice(HCL2_UPGRADE_FILE_HEADER.length) : result.text;
    writeSync(fd, body);
    messages.push({ kind: "say", text: `Successfully created ${options.outputFile}. Exit ${exitCode}` });
    return { exitCode, messages };
  } finally {
    closeSync(fd);
  }
}
