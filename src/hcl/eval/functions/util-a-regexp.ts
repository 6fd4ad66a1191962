/**
 * Go's regexp package as cty and Packer use it, on top of re2js (a port of the same RE2 engine: same
 * syntax, leftmost-first semantics and parser error texts). Indexes are UTF-16 offsets into the JavaScript
 * string, so substrings come out exactly as Go's byte offsets would give them.
 */

import { lazyModule } from "./lazy-module.js";

const re2js = lazyModule<typeof import("re2js")>("re2js");

import { isGoDigit, isGoLetter } from "./util-a-text.js";

/** A compiled pattern with Go's regexp API shape. */
export interface GoRegexp {
  /** Number of capture groups. */
  readonly numSubexp: number;
  /** Name of each group by index (index 0 is the whole match; "" for unnamed groups). */
  readonly subexpNames: readonly string[];
  /** FindStringSubmatchIndex: [start, end] pairs for the whole match and each group (-1 when unset). */
  findSubmatchIndex(s: string): number[] | undefined;
  /** FindAllStringSubmatchIndex(s, -1). */
  findAllSubmatchIndex(s: string): number[][];
}

export type CompileResult =
  | { readonly ok: true; readonly re: GoRegexp }
  /** `syntax` is set for parse errors (Go's *syntax.Error: Code and Expr); `message` is err.Error(). */
  | {
      readonly ok: false;
      readonly message: string;
      readonly syntax?: { readonly code: string; readonly expr: string };
    };

interface Re2Engine {
  numberOfCapturingGroups(): number;
  namedGroups: Record<string, number>;
  findSubmatchIndex(s: string): number[] | null;
  findAllSubmatchIndex(s: string, n: number): number[][] | null;
}

/**
 * Renames repeated capture-group names (Go accepts `(?P<n>a)(?P<n>b)`, RE2's other ports reject it) to
 * unique placeholders, returning the rewritten pattern and the original name of each placeholder.
 */
function renameDuplicateGroups(pattern: string): { pattern: string; original: Map<string, string> } {
  const original = new Map<string, string>();
  const seen = new Set<string>();
  let out = "";
  let i = 0;
  let inClass = false;
  let counter = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      if (pattern[i + 1] === "Q" && !inClass) {
        const end = pattern.indexOf("\\E", i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop;
        continue;
      }
      out += pattern.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (inClass) {
      if (pattern.startsWith("[:", i)) {
        const end = pattern.indexOf(":]", i + 2);
        if (end >= 0) {
          out += pattern.slice(i, end + 2);
          i = end + 2;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      out += pattern.slice(i, j);
      i = j;
      continue;
    }
    const m = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(pattern.slice(i));
    if (m) {
      const name = m[1]!;
      let use = name;
      if (seen.has(name)) {
        do use = `dup${counter++}x${name}`;
        while (pattern.includes(use) || original.has(use));
        original.set(use, name);
      }
      seen.add(name);
      out += m[0].replace(`<${name}>`, `<${use}>`);
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return { pattern: out, original };
}

function compileEngine(pattern: string): Re2Engine {
  return re2js().RE2JS.compile(pattern).re2() as unknown as Re2Engine;
}

/** regexp.Compile. */
export function compileGoRegexp(pattern: string): CompileResult {
  let engine: Re2Engine;
  let original = new Map<string, string>();
  try {
    try {
      engine = compileEngine(pattern);
    } catch (e) {
      if (!(e instanceof re2js().RE2JSSyntaxException) || e.error !== "duplicate capture group name") throw e;
      const renamed = renameDuplicateGroups(pattern);
      engine = compileEngine(renamed.pattern);
      original = renamed.original;
    }
  } catch (e) {
    if (e instanceof re2js().RE2JSSyntaxException) {
      return {
        ok: false,
        message: `error parsing regexp: ${e.error}: \`${e.input ?? ""}\``,
        syntax: { code: e.error, expr: e.input ?? "" },
      };
    }
    if (e instanceof Error) return { ok: false, message: e.message };
    throw e;
  }
  const numSubexp = engine.numberOfCapturingGroups();
  const names: string[] = new Array<string>(numSubexp + 1).fill("");
  for (const [name, idx] of Object.entries(engine.namedGroups ?? {})) names[idx] = original.get(name) ?? name;
  return {
    ok: true,
    re: {
      numSubexp,
      subexpNames: names,
      findSubmatchIndex: (s) => engine.findSubmatchIndex(s) ?? undefined,
      findAllSubmatchIndex: (s) => engine.findAllSubmatchIndex(s, -1) ?? [],
    },
  };
}

/** regexp's extract: a $name / ${name} reference at the start of `str` (after the "$"). */
function extract(str: string): { name: string; num: number; rest: string } | undefined {
  if (str === "") return undefined;
  let s = str;
  const brace = s[0] === "{";
  if (brace) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!isGoLetter(cp) && !isGoDigit(cp) && cp !== 0x5f) break;
    i += cp > 0xffff ? 2 : 1;
  }
  if (i === 0) return undefined;
  const name = s.slice(0, i);
  if (brace) {
    if (i >= s.length || s[i] !== "}") return undefined;
    i++;
  }
  let num = 0;
  for (let j = 0; j < name.length; j++) {
    const c = name.charCodeAt(j);
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 0x30);
  }
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: s.slice(i) };
}

/** (*Regexp).Expand: the template with $1, ${1}, $name, ${name} and $$ replaced from one match. */
export function expandTemplate(
  re: GoRegexp,
  template: string,
  src: string,
  match: readonly number[],
): string {
  let out = "";
  let t = template;
  for (;;) {
    const k = t.indexOf("$");
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k + 1);
    if (t.startsWith("$")) {
      out += "$";
      t = t.slice(1);
      continue;
    }
    const ref = extract(t);
    if (ref === undefined) {
      out += "$";
      continue;
    }
    t = ref.rest;
    const group = (i: number): string =>
      2 * i + 1 < match.length && match[2 * i]! >= 0 ? src.slice(match[2 * i], match[2 * i + 1]) : "";
    if (ref.num >= 0) {
      out += group(ref.num);
    } else {
      // The first group of that name that took part in the match (names may repeat in Go).
      for (let i = 1; i < re.subexpNames.length; i++) {
        if (re.subexpNames[i] === ref.name && 2 * i + 1 < match.length && match[2 * i]! >= 0) {
          out += group(i);
          break;
        }
      }
    }
  }
  return out + t;
}

/** (*Regexp).ReplaceAllString. */
export function replaceAllString(re: GoRegexp, src: string, template: string): string {
  let out = "";
  let last = 0;
  for (const m of re.findAllSubmatchIndex(src)) {
    out += src.slice(last, m[0]);
    out += expandTemplate(re, template, src, m);
    last = m[1]!;
  }
  return out + src.slice(last);
}
