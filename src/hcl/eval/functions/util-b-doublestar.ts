/**
 * fileset's glob: the matching rules of bmatcuk/doublestar v1.3.4 (the version go-cty-funcs uses), so the
 * same patterns match the same files and malformed patterns fail the same way.
 *
 * Per path component: `*` matches any run of characters except "/", `?` one character, `[abc]`, `[a-z]`,
 * `[^...]` a class, `{a,b}` alternatives (which may span components), `\` escapes; a component that is
 * exactly `**` matches zero or more directories. Symbolic links are followed. Directory entries are visited
 * in name order and matches are returned in discovery order, possibly with duplicates (from alternatives).
 */
import { type Dirent, lstatSync, readdirSync, type Stats, statSync } from "node:fs";
import { goIsAbs, goJoin } from "./util-b-go-path.js";

/** path.ErrBadPattern */
export class BadPatternError extends Error {
  constructor() {
    super("syntax error in pattern");
  }
}

/** What the glob needs from the file system; paths are as the glob builds them (maybe relative). */
export interface GlobFS {
  lstat(path: string): Stats | undefined;
  stat(path: string): Stats | undefined;
  readdir(path: string): Dirent[] | undefined;
}

/** A GlobFS over the real file system, resolving relative paths against `cwd`. */
export function nodeGlobFS(cwd: string): GlobFS {
  const abs = (p: string) => (goIsAbs(p) ? p : goJoin(cwd, p));
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return {
    lstat: (p) => attempt(() => lstatSync(abs(p))),
    stat: (p) => attempt(() => statSync(abs(p))),
    readdir: (p) => attempt(() => readdirSync(abs(p), { withFileTypes: true })),
  };
}

const RUNE_END = -1;

/** Go's utf8.DecodeRuneInString over a JS string: the code point at `i` (RUNE_END past the end) and its width. */
function decodeRune(s: string, i: number): [number, number] {
  if (i >= s.length) return [RUNE_END, 0];
  const cp = s.codePointAt(i)!;
  return [cp, cp > 0xffff ? 2 : 1];
}

function indexRuneWithEscaping(s: string, r: string): number {
  const end = s.indexOf(r);
  if (end === -1) return -1;
  if (end > 0 && s[end - 1] === "\\") {
    const start = end + r.length;
    const next = indexRuneWithEscaping(s.slice(start), r);
    return next === -1 ? -1 : next + start;
  }
  return end;
}

function lastIndexRuneWithEscaping(s: string, r: string): number {
  const end = s.lastIndexOf(r);
  if (end === -1) return -1;
  if (end > 0 && s[end - 1] === "\\") return lastIndexRuneWithEscaping(s.slice(0, end - 1), r);
  return end;
}

function indexAnyWithEscaping(s: string, chars: string): number {
  let end = -1;
  for (let i = 0; i < s.length; i++) {
    if (chars.includes(s[i]!)) {
      end = i;
      break;
    }
  }
  if (end === -1) return -1;
  if (end > 0 && s[end - 1] === "\\") {
    const start = end + decodeRune(s, end)[1];
    const next = indexAnyWithEscaping(s.slice(start), chars);
    return next === -1 ? -1 : next + start;
  }
  return end;
}

/** The alternatives of `{...}` (the text after "{") and the index just past the closing "}", or -1. */
function splitAlternatives(s: string): [string[], number] {
  const ret: string[] = [];
  let idx = 0;
  let braceCnt = 1;
  let esc = false;
  let start = 0;
  while (braceCnt > 0) {
    if (idx >= s.length) return [[], -1];
    const [r, adj] = decodeRune(s, idx);
    if (esc) esc = false;
    else if (r === 0x5c) esc = true;
    else if (r === 0x7b) braceCnt++;
    else if (r === 0x7d) braceCnt--;
    else if (r === 0x2c && braceCnt === 1) {
      ret.push(s.slice(start, idx));
      start = idx + adj;
    }
    idx += adj;
  }
  ret.push(s.slice(start, idx - 1));
  return [ret, idx];
}

function isZeroLengthPattern(pattern: string): boolean {
  if (pattern === "" || pattern === "*" || pattern === "**") return true;
  const [r, adj] = decodeRune(pattern, 0);
  if (r === 0x7b) {
    const [options, endOptions] = splitAlternatives(pattern.slice(adj));
    if (endOptions === -1) throw new BadPatternError();
    if (!isZeroLengthPattern(pattern.slice(adj + endOptions))) return false;
    for (const o of options) if (isZeroLengthPattern(o)) return true;
  }
  return false;
}

/**
 * Matches one path component `name` against the start of `pattern`: undefined for no match, [] for a
 * complete match, or the remaining patterns (after "/") to apply to the next component.
 */
function matchComponent(pattern: string, name: string): string[] | undefined {
  const patternLen = pattern.length;
  const nameLen = name.length;
  let patIdx = 0;
  let nameIdx = 0;
  while (patIdx < patternLen && nameIdx < nameLen) {
    let [patRune, patAdj] = decodeRune(pattern, patIdx);
    const [nameRune, nameAdj] = decodeRune(name, nameIdx);
    if (patRune === 0x2f) {
      patIdx++;
      break;
    } else if (patRune === 0x5c) {
      patIdx += patAdj;
      [patRune, patAdj] = decodeRune(pattern, patIdx);
      if (patRune === RUNE_END) throw new BadPatternError();
      if (patRune !== nameRune) return undefined;
      patIdx += patAdj;
      nameIdx += nameAdj;
    } else if (patRune === 0x2a) {
      patIdx += patAdj;
      if (patIdx >= patternLen) return [];
      [patRune, patAdj] = decodeRune(pattern, patIdx);
      if (patRune === 0x2f) return [pattern.slice(patIdx + patAdj)];
      for (let n = nameIdx; n < nameLen; n += decodeRune(name, n)[1]) {
        const m = matchComponent(pattern.slice(patIdx), name.slice(n));
        if (m !== undefined) return m;
      }
      return undefined;
    } else if (patRune === 0x5b) {
      patIdx += patAdj;
      let endClass = indexRuneWithEscaping(pattern.slice(patIdx), "]");
      if (endClass === -1) throw new BadPatternError();
      endClass += patIdx;
      const classRunes = Array.from(pattern.slice(patIdx, endClass), (c) => c.codePointAt(0)!);
      const len = classRunes.length;
      if (len === 0) throw new BadPatternError();
      let classIdx = 0;
      let matchClass = false;
      const negated = classRunes[0] === 0x5e;
      if (negated) classIdx++;
      while (classIdx < len) {
        let low = classRunes[classIdx]!;
        if (low === 0x2d) throw new BadPatternError();
        classIdx++;
        if (low === 0x5c) {
          if (classIdx >= len) throw new BadPatternError();
          low = classRunes[classIdx]!;
          classIdx++;
        }
        let high = low;
        if (classIdx < len && classRunes[classIdx] === 0x2d) {
          classIdx++;
          if (classIdx >= len) throw new BadPatternError();
          high = classRunes[classIdx]!;
          if (high === 0x2d) throw new BadPatternError();
          classIdx++;
          if (high === 0x5c) {
            if (classIdx >= len) throw new BadPatternError();
            high = classRunes[classIdx]!;
            classIdx++;
          }
        }
        if (low <= nameRune && nameRune <= high) matchClass = true;
      }
      if (matchClass === negated) return undefined;
      patIdx = endClass + 1;
      nameIdx += nameAdj;
    } else if (patRune === 0x7b) {
      patIdx += patAdj;
      const [options, endOptions] = splitAlternatives(pattern.slice(patIdx));
      if (endOptions === -1) throw new BadPatternError();
      patIdx += endOptions;
      const results: string[] = [];
      let any = false;
      for (const o of options) {
        const m = matchComponent(o + pattern.slice(patIdx), name.slice(nameIdx));
        if (m !== undefined) {
          any = true;
          results.push(...m);
        }
      }
      return any ? results : undefined;
    } else if (patRune === 0x3f || patRune === nameRune) {
      patIdx += patAdj;
      nameIdx += nameAdj;
    } else {
      return undefined;
    }
  }
  if (nameIdx >= nameLen) {
    if (patIdx >= patternLen) return [];
    const rest = pattern.slice(patIdx);
    const slashIdx = indexRuneWithEscaping(rest, "/");
    const testPattern = slashIdx >= 0 ? rest.slice(0, slashIdx) : rest;
    if (isZeroLengthPattern(testPattern)) return slashIdx === -1 ? [] : [rest.slice(slashIdx + 1)];
  }
  return undefined;
}

/** Calls matchComponent, turning a bad pattern into a returned error as the Go code has it. */
function tryMatch(pattern: string, name: string): { match: string[] | undefined; err?: BadPatternError } {
  try {
    return { match: matchComponent(pattern, name) };
  } catch (e) {
    if (e instanceof BadPatternError) return { match: undefined, err: e };
    throw e;
  }
}

/**
 * doublestar's doGlob. It returns the error its Go counterpart returns, which follows Go's assignments: an
 * error from a nested call is kept only if nothing assigns the error variable after it.
 */
function doGlob(
  fs: GlobFS,
  basedirIn: string,
  patternIn: string,
  matches: string[],
): BadPatternError | undefined {
  let basedir = basedirIn;
  let pattern = patternIn;
  let e: BadPatternError | undefined;
  let globIdx = indexAnyWithEscaping(pattern, "*?[{\\");
  if (globIdx > 0) globIdx = lastIndexRuneWithEscaping(pattern.slice(0, globIdx), "/");
  else if (globIdx === -1) globIdx = lastIndexRuneWithEscaping(pattern, "/");
  if (globIdx > 0) {
    basedir = goJoin(basedir, pattern.slice(0, globIdx));
    pattern = pattern.slice(globIdx + 1);
  }

  let fi = fs.lstat(basedir);
  if (fi === undefined) return e;
  if (pattern.length === 0) {
    matches.push(basedir);
    return e;
  }
  if (fi.isSymbolicLink()) {
    fi = fs.stat(basedir);
    if (fi === undefined) return e;
  }
  if (!fi.isDirectory()) return e;

  const files = fs.readdir(basedir);
  if (files === undefined) return e;
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  let slashIdx = indexRuneWithEscaping(pattern, "/");
  const lastComponent = slashIdx === -1;
  if (lastComponent) slashIdx = pattern.length;
  if (pattern.slice(0, slashIdx) === "**") {
    for (const file of files) {
      const full = goJoin(basedir, file.name);
      let isDir = file.isDirectory();
      if (file.isSymbolicLink()) {
        const target = fs.stat(full);
        if (target === undefined) continue;
        isDir = target.isDirectory();
      }
      if (isDir) {
        if (lastComponent) matches.push(full);
        e = doGlob(fs, full, pattern, matches);
      } else if (lastComponent) {
        matches.push(full);
      }
    }
    if (lastComponent) return e;
    pattern = pattern.slice(slashIdx + 1);
  }

  for (const file of files) {
    const r = tryMatch(pattern, file.name);
    e = r.err;
    if (e !== undefined) return e;
    if (r.match === undefined) continue;
    const full = goJoin(basedir, file.name);
    if (r.match.length === 0) matches.push(full);
    else for (const alt of r.match) e = doGlob(fs, full, alt, matches);
  }
  return e;
}

export type GlobResult =
  | { readonly ok: true; readonly matches: string[] }
  | { readonly ok: false; readonly error: BadPatternError };

/** doublestar.Glob: the paths matching `pattern`, or the bad-pattern error Go would return. */
export function glob(fs: GlobFS, pattern: string): GlobResult {
  const matches: string[] = [];
  if (pattern.length === 0) return { ok: true, matches };
  if (pattern[0] === "{") {
    const [options, endOptions] = splitAlternatives(pattern.slice(1));
    if (endOptions === -1) return { ok: false, error: new BadPatternError() };
    for (const o of options) {
      const r = glob(fs, o + pattern.slice(endOptions + 1));
      if (!r.ok) return r;
      matches.push(...r.matches);
    }
    return { ok: true, matches };
  }
  const e =
    goIsAbs(pattern) || pattern[0] === "\\"
      ? doGlob(fs, "/", pattern.slice(1), matches)
      : doGlob(fs, ".", pattern, matches);
  return e === undefined ? { ok: true, matches } : { ok: false, error: e };
}
