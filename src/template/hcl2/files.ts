/**
 * Finding and reading the files of an HCL2 configuration (Packer's GetHCL2Files and hclparse): a TEMPLATE
 * that is a file is that file alone; a directory gives its `*.pkr.hcl` then its `*.pkr.json` files in
 * lexical order, without descending into sub-directories. Each file is parsed in the syntax its name
 * implies, and its text is kept so diagnostics can quote it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Body, type Diagnostic, parseJSON, parseNativeFile } from "../../hcl/index.js";

export const HCL2_FILE_EXT = ".pkr.hcl";
export const HCL2_JSON_FILE_EXT = ".pkr.json";
export const HCL2_VAR_FILE_EXT = ".pkrvars.hcl";
export const HCL2_VAR_JSON_FILE_EXT = ".pkrvars.json";
export const HCL2_AUTO_VAR_FILE_EXT = ".auto.pkrvars.hcl";
export const HCL2_AUTO_VAR_JSON_FILE_EXT = ".auto.pkrvars.json";

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
};

/** A Go-style `<op> <path>: <errno text>` for a failed system call. */
export function goPathError(op: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const text = ERRNO_TEXT[code] ?? (err instanceof Error ? err.message : String(err));
  return `${op} ${path}: ${text}`;
}

/** Whether `path` is a directory; undefined (with the error) when it cannot be examined. */
export function statIsDir(path: string, cwd: string): { isDir: boolean } | { error: unknown } {
  try {
    return { isDir: statSync(resolve(cwd, path)).isDirectory() };
  } catch (error) {
    return { error };
  }
}

export interface FoundFiles {
  readonly hcl: string[];
  readonly json: string[];
  readonly diagnostics: Diagnostic[];
}

/** Packer's GetHCL2Files: the files of `path` ending in the two suffixes. */
/** Paths are reported as given; relative ones are read relative to `cwd`. */
export function findHCL2Files(path: string, hclSuffix: string, jsonSuffix: string, cwd: string): FoundFiles {
  if (path === "") return { hcl: [], json: [], diagnostics: [] };
  const stat = statIsDir(path, cwd);
  if ("error" in stat) {
    return {
      hcl: [],
      json: [],
      diagnostics: [{ severity: "error", summary: "", detail: goPathError("stat", path, stat.error) }],
    };
  }
  if (!stat.isDir) {
    if (path.endsWith(jsonSuffix)) return { hcl: [], json: [path], diagnostics: [] };
    if (path.endsWith(hclSuffix)) return { hcl: [path], json: [], diagnostics: [] };
    return { hcl: [], json: [], diagnostics: [] };
  }
  let entries: { name: string; isDir: boolean }[];
  try {
    entries = readdirSync(resolve(cwd, path), { withFileTypes: true }).map((e) => ({
      name: e.name,
      isDir: e.isDirectory(),
    }));
  } catch (err) {
    return {
      hcl: [],
      json: [],
      diagnostics: [
        { severity: "error", summary: "Cannot read hcl directory", detail: goPathError("open", path, err) },
      ],
    };
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hcl: string[] = [];
  const json: string[] = [];
  for (const e of entries) {
    if (e.isDir) continue;
    const filename = join(path, e.name);
    if (filename.endsWith(hclSuffix)) hcl.push(filename);
    else if (filename.endsWith(jsonSuffix)) json.push(filename);
  }
  return { hcl, json, diagnostics: [] };
}

/** The text of every file read so far, by the name diagnostics use. */
export type SourceFiles = Map<string, string>;

/** Reads and parses one configuration file (native syntax, or JSON when `json`). */
export function parseConfigFile(
  filename: string,
  json: boolean,
  sources: SourceFiles,
  cwd: string,
): { body: Body | undefined; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, filename), "utf8");
  } catch {
    return {
      body: undefined,
      diagnostics: [
        {
          severity: "error",
          summary: "Failed to read file",
          detail: `The configuration file "${filename}" could not be read.`,
        },
      ],
    };
  }
  sources.set(filename, text);
  const r = json ? parseJSON(text, filename) : parseNativeFile(text, filename);
  return { body: r.body, diagnostics: r.diagnostics };
}
