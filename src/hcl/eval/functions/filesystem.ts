/**
 * Packer's filesystem functions: abspath, basename, dirname, file, filebase64, fileexists, fileset and
 * pathexpand (templatefile lives with the evaluator). Semantics and messages are go-cty-funcs' (and Packer's
 * own filebase64).
 *
 * Paths: `file`, `fileexists` and `fileset` resolve a relative path against `baseDir` (Packer's path.root);
 * `filebase64` and `abspath` against `cwd` (the process working directory); `~` is the home directory for
 * `file`, `fileexists` and `pathexpand`. Messages show paths as Go builds them (joined and cleaned, relative
 * when `baseDir` is relative).
 */
import { readFileSync, type Stats, statSync } from "node:fs";
import { homedir } from "node:os";
import {
  boolType,
  boolVal,
  setType,
  setValEmpty,
  setValOf,
  stringType,
  stringVal,
} from "../../value/index.js";
import { FunctionError, type FunctionSpec } from "../function.js";
import { glob, nodeGlobFS } from "./util-b-doublestar.js";
import {
  errorCode,
  goBase,
  goClean,
  goDir,
  goFileModeString,
  goIsAbs,
  goJoin,
  goPathErrorText,
  goRel,
} from "./util-b-go-path.js";
import { decodeUTF8, goBase64Encode, goQuote } from "./util-b-go-text.js";

export interface FilesystemContext {
  /** The directory relative paths are read from (path.root: the directory of the template). */
  readonly baseDir: string;
  /** The working directory: what `abspath` and `filebase64` resolve against, and what a relative baseDir means. */
  readonly cwd: string;
  /** The home directory `~` stands for; defaults to the user's home directory. */
  readonly homeDir?: string;
}

/** The filesystem functions for a template read from `baseDir`. */
export function makeFilesystemFunctions(ctx: FilesystemContext): Record<string, FunctionSpec> {
  const home = () => ctx.homeDir ?? homedir();
  /** The path a system call should use for a path as Go sees it (relative ones are relative to cwd). */
  const sys = (p: string) => (goIsAbs(p) ? p : goJoin(ctx.cwd, p));

  /** go-homedir's Expand. */
  const expandHome = (p: string): string => {
    if (p === "" || p[0] !== "~") return p;
    if (p.length > 1 && p[1] !== "/" && p[1] !== "\\")
      throw new FunctionError("cannot expand user-specific home dir");
    return goJoin(home(), p.slice(1));
  };

  const expandForRead = (p: string): string => {
    try {
      return expandHome(p);
    } catch (e) {
      if (e instanceof FunctionError) throw new FunctionError(`failed to expand ~: ${e.message}`);
      throw e;
    }
  };

  const resolve = (p: string): string => goClean(goIsAbs(p) ? p : goJoin(ctx.baseDir, p));

  const file: FunctionSpec = {
    description: "Reads the contents of a file at the given path and returns them as a string.",
    params: [{ name: "path", type: stringType }],
    type: () => stringType,
    impl: ([arg]) => {
      const given = arg!.asString();
      const path = resolve(expandForRead(given));
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(sys(path));
      } catch (e) {
        if (errorCode(e) === "ENOENT") throw new FunctionError(`no file exists at ${path}`);
        throw new FunctionError(`failed to read ${path}`);
      }
      const text = decodeUTF8(bytes);
      if (text === undefined) {
        throw new FunctionError(
          `contents of ${given} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`,
        );
      }
      return stringVal(text);
    },
  };

  const filebase64: FunctionSpec = {
    description:
      "Reads the contents of a file at the given path and returns them as a base64-encoded string.",
    params: [{ name: "path", type: stringType }],
    type: () => stringType,
    impl: ([arg]) => {
      const path = arg!.asString();
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(sys(path));
      } catch (e) {
        const op = errorCode(e) === "EISDIR" ? "read" : "open";
        throw new FunctionError(`failed to read file ${goQuote(path)}: ${goPathErrorText(op, path, e)}`);
      }
      return stringVal(goBase64Encode(bytes));
    },
  };

  const fileexists: FunctionSpec = {
    description: "Determines whether a file exists at the given path.",
    params: [{ name: "path", type: stringType }],
    type: () => boolType,
    impl: ([arg]) => {
      const path = resolve(expandForRead(arg!.asString()));
      let st: Stats;
      try {
        st = statSync(sys(path));
      } catch (e) {
        if (errorCode(e) === "ENOENT") return boolVal(false);
        throw new FunctionError(`failed to stat ${path}`);
      }
      if (st.isFile()) return boolVal(true);
      throw new FunctionError(`${path} is not a regular file, but ${goQuote(goFileModeString(st.mode))}`);
    },
  };

  const fileset: FunctionSpec = {
    description: "Enumerates a set of regular file names given a path and pattern.",
    params: [
      { name: "path", type: stringType },
      { name: "pattern", type: stringType },
    ],
    type: () => setType(stringType),
    impl: ([pathArg, patternArg]) => {
      let path = pathArg!.asString();
      if (!goIsAbs(path)) path = goJoin(ctx.baseDir, path);
      const pattern = goJoin(path, patternArg!.asString());
      const r = glob(nodeGlobFS(ctx.cwd), pattern);
      if (!r.ok) throw new FunctionError(`failed to glob pattern (${pattern}): ${r.error.message}`);
      const names: string[] = [];
      for (const match of r.matches) {
        let st: Stats;
        try {
          st = statSync(sys(match));
        } catch (e) {
          throw new FunctionError(`failed to stat (${match}): ${goPathErrorText("stat", match, e)}`);
        }
        if (!st.isFile()) continue;
        const rel = goRel(path, match);
        if (!rel.ok) throw new FunctionError(`failed to trim path of match (${match}): ${rel.message}`);
        names.push(rel.path);
      }
      if (names.length === 0) return setValEmpty(stringType);
      return setValOf(
        stringType,
        names.map((n) => stringVal(n)),
      );
    },
  };

  const basename: FunctionSpec = {
    description:
      "Takes a string containing a filesystem path and removes all except the last portion from it.",
    params: [{ name: "path", type: stringType }],
    type: () => stringType,
    impl: ([p]) => stringVal(goBase(p!.asString())),
  };

  const dirname: FunctionSpec = {
    description: "Takes a string containing a filesystem path and removes the last portion from it.",
    params: [{ name: "path", type: stringType }],
    type: () => stringType,
    impl: ([p]) => stringVal(goDir(p!.asString())),
  };

  const abspath: FunctionSpec = {
    description: "Converts a filesystem path to an absolute path.",
    params: [{ name: "path", type: stringType }],
    type: () => stringType,
    impl: ([p]) => {
      const path = p!.asString();
      return stringVal(goIsAbs(path) ? goClean(path) : goJoin(ctx.cwd, path));
    },
  };

  const pathexpand: FunctionSpec = {
    description: "Expands a leading ~ in a filesystem path to the current user's home directory.",
    params: [{ name: "path", type: stringType }],
    type: () => stringType,
    impl: ([p]) => stringVal(expandHome(p!.asString())),
  };

  return { abspath, basename, dirname, file, filebase64, fileexists, fileset, pathexpand };
}
