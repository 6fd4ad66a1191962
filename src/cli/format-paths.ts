/**
 * The work of `kiln fmt`, as Packer's HCL2Formatter does it: format every `.pkr.hcl` / `.pkrvars.hcl` file
 * named or found in the named directories (sub-directories only with `recursive`; editor and hidden files
 * skipped), print the name of each file that changes, write it back (`write`) and/or print a unified diff
 * (`diff`). `-` formats standard input to standard output. Files that do not parse are left untouched and
 * reported as diagnostics.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Diagnostic, errorDiag, formatHCL } from "../hcl/index.js";

// Required on first use: only `fmt -diff` needs it, and loading it costs start-up time for every `fmt`.
const requireHere = createRequire(import.meta.url);

export interface FormatPathsOptions {
  readonly diff: boolean;
  readonly write: boolean;
  readonly recursive: boolean;
}

export interface FormatPathsResult {
  /** Total bytes of the formatted output of files that changed (Packer's "bytesModified"). */
  readonly bytesModified: number;
  readonly diagnostics: Diagnostic[];
  /** Sources read, by file name, for rendering diagnostics. */
  readonly sources: Map<string, string>;
}

export interface FormatIO {
  readonly out: (text: string) => void;
  readonly readStdin: () => Promise<string>;
}

const HCL2_SUFFIXES = [".pkr.hcl", ".pkrvars.hcl"];

function isHclFileOrVarFile(path: string): boolean {
  return HCL2_SUFFIXES.some((s) => path.endsWith(s));
}

/** Editor swap files and hidden files, as Packer skips them in directories. */
function shouldIgnore(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"));
}

export async function formatPaths(
  paths: readonly string[],
  opts: FormatPathsOptions,
  io: FormatIO,
): Promise<FormatPathsResult> {
  const result = { bytesModified: 0, diagnostics: [] as Diagnostic[], sources: new Map<string, string>() };

  const formatFile = async (path: string): Promise<void> => {
    if (path !== "-" && !isHclFileOrVarFile(path)) {
      result.diagnostics.push(
        errorDiag(`encountered an error while formatting ${path}`, `file ${path} is not a HCL file`),
      );
      return;
    }
    let src: string;
    try {
      src = path === "-" ? await io.readStdin() : readFileSync(path, "utf8");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      result.diagnostics.push(
        errorDiag(`encountered an error while formatting ${path}`, `failed to open ${path}: ${reason}`),
      );
      return;
    }
    result.sources.set(path, src);
    const { output, diagnostics } = formatHCL(src, path);
    if (diagnostics.some((d) => d.severity === "error")) {
      result.diagnostics.push(...diagnostics);
      return;
    }
    if (output === src) {
      if (path === "-") io.out(output);
      return;
    }
    result.bytesModified += Buffer.byteLength(output);
    if (path !== "-") io.out(`${path}\n`);
    if (opts.write) {
      if (path === "-") io.out(output);
      else writeFileSync(path, output);
    }
    if (opts.diff && path !== "-") io.out(unifiedDiff(src, output, path));
  };

  const walk = async (path: string): Promise<void> => {
    let isDir = false;
    try {
      isDir = path !== "-" && statSync(path).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      await formatFile(path);
      return;
    }
    let entries: { name: string; isDirectory(): boolean }[];
    try {
      entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch (err) {
      result.diagnostics.push(
        errorDiag("Cannot read hcl directory", err instanceof Error ? err.message : ""),
      );
      return;
    }
    for (const entry of entries) {
      if (shouldIgnore(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) {
        if (opts.recursive) await walk(child);
      } else if (isHclFileOrVarFile(child)) {
        await formatFile(child);
      }
    }
  };

  for (const path of paths) await walk(path);
  return result;
}

/** A unified diff in the layout of `diff -u --label=old/<path> --label=new/<path>`. */
export function unifiedDiff(before: string, after: string, path: string): string {
  const { structuredPatch } = requireHere("diff") as typeof import("diff");
  const patch = structuredPatch(`old/${path}`, `new/${path}`, before, after, "", "", { context: 3 });
  const range = (start: number, lines: number) =>
    lines === 1 ? `${start}` : `${lines === 0 ? start - 1 : start},${lines}`;
  let out = `--- old/${path}\n+++ new/${path}\n`;
  for (const h of patch.hunks) {
    out += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`;
    for (const line of h.lines) out += `${line}\n`;
  }
  return out;
}
