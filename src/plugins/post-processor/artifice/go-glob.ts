/**
 * Go's path/filepath Glob and Match (Unix), which artifice uses for its `files`: `*` and `?` match within one
 * path element (dot files included), `[...]` / `[^...]` are character classes with ranges, `\` escapes. Glob
 * expands patterns in every element, returns names sorted per directory, and ignores I/O errors (a missing
 * directory matches nothing); only a malformed pattern is an error.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

export const ERR_BAD_PATTERN = "syntax error in pattern";

export class BadPatternError extends Error {
  constructor() {
    super(ERR_BAD_PATTERN);
  }
}

function hasMeta(path: string): boolean {
  return /[*?[\\]/.test(path);
}

const escapeRegExp = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** Compiles one path element's pattern; throws BadPatternError where Go's Match reports ErrBadPattern. */
export function compileMatch(pattern: string): RegExp {
  const chars = [...pattern];
  let re = "^";
  let i = 0;
  const escaped = (): string => {
    // After a backslash: the next character, literally.
    i++;
    const c = chars[i];
    if (c === undefined) throw new BadPatternError();
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === "*") {
      re += "[^/]*";
      i++;
    } else if (c === "?") {
      re += "[^/]";
      i++;
    } else if (c === "\\") {
      re += escapeRegExp(escaped());
    } else if (c === "[") {
      i++;
      let negated = false;
      if (chars[i] === "^") {
        negated = true;
        i++;
      }
      const ranges: string[] = [];
      const rangeChar = (): string => {
        const r = chars[i];
        if (r === undefined || r === "-" || r === "]") throw new BadPatternError();
        if (r === "\\") return escaped();
        i++;
        return r;
      };
      for (;;) {
        if (chars[i] === "]" && ranges.length > 0) {
          i++;
          break;
        }
        const lo = rangeChar();
        let hi = lo;
        if (chars[i] === "-") {
          i++;
          hi = rangeChar();
        }
        if (lo.codePointAt(0)! > hi.codePointAt(0)!) throw new BadPatternError();
        ranges.push(`${escapeRegExp(lo)}-${escapeRegExp(hi)}`);
      }
      re += negated ? `[^${ranges.join("")}]` : `[${ranges.join("")}]`;
    } else {
      re += escapeRegExp(c);
      i++;
    }
  }
  return new RegExp(`${re}$`, "u");
}

/** Go's filepath.Match. */
export function goMatch(pattern: string, name: string): boolean {
  return compileMatch(pattern).test(name);
}

/** Go's filepath.Split: everything up to and including the last slash, and the rest. */
function split(path: string): [string, string] {
  const i = path.lastIndexOf("/");
  return [path.slice(0, i + 1), path.slice(i + 1)];
}

/** Go's filepath.Join of two elements, cleaned. */
function goJoin(dir: string, name: string): string {
  const joined = join(dir, name);
  return joined === "" ? "." : joined;
}

/**
 * Go's filepath.Glob, with relative patterns resolved against `cwd`; the names returned are as Go would
 * return them (relative when the pattern is).
 */
export function goGlob(pattern: string, cwd: string): string[] {
  const local = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  // The whole pattern must be well-formed, whatever the directory holds (Go checks with Match first).
  compileMatch(pattern);
  if (!hasMeta(pattern)) {
    try {
      lstatSync(local(pattern));
      return [pattern];
    } catch {
      return [];
    }
  }
  let [dir, file] = split(pattern);
  if (dir === "") dir = ".";
  else if (dir !== "/") dir = dir.slice(0, -1);
  if (!hasMeta(dir)) return globIn(dir, file, [], local);
  // Avoid recursing forever on patterns like `[\\/`.
  if (dir === pattern) throw new BadPatternError();
  let matches: string[] = [];
  for (const d of goGlob(dir, cwd)) matches = globIn(d, file, matches, local);
  return matches;
}

function globIn(dir: string, pattern: string, matches: string[], local: (p: string) => string): string[] {
  const re = compileMatch(pattern);
  let names: string[];
  try {
    if (!statSync(local(dir)).isDirectory()) return matches;
    names = readdirSync(local(dir));
  } catch {
    return matches;
  }
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const n of names) if (re.test(n)) matches.push(goJoin(dir, n));
  return matches;
}
