/**
 * The glob patterns of `-only` / `-except` (gobwas/glob compiled without separators, as Packer does): `*` and
 * `**` match any run of characters (dots included), `?` one character, `[abc]` / `[a-z]` / `[!a-z]` one
 * character of (or not of) a class, `{a,b*}` any of the alternatives, and `\` escapes the next character.
 * A pattern matches the whole build (or post-processor) name.
 */

export type GlobResult =
  | { readonly ok: true; readonly glob: Glob }
  | { readonly ok: false; readonly error: string };

export interface Glob {
  readonly pattern: string;
  match(name: string): boolean;
}

class GlobSyntaxError extends Error {}

function escapeRegExpChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles `pattern`; errors read like gobwas/glob's. */
export function compileGlob(pattern: string): GlobResult {
  const chars = [...pattern];
  let pos = 0;
  let termsLevel = 0;

  const peek = (): string | undefined => chars[pos];
  const read = (): string | undefined => chars[pos++];

  const text = (breakers: readonly string[]): string => {
    let out = "";
    let escaped = false;
    for (;;) {
      const ch = peek();
      if (ch === undefined) break;
      if (!escaped) {
        if (ch === "\\") {
          escaped = true;
          pos++;
          continue;
        }
        if (breakers.includes(ch)) break;
      }
      escaped = false;
      out += escapeRegExpChar(ch);
      pos++;
    }
    return out;
  };

  const range = (): string => {
    // After `[`.
    let negate = false;
    if (peek() === "!") {
      negate = true;
      pos++;
    }
    const lo = read();
    if (lo === undefined) throw new GlobSyntaxError("unexpected end of input");
    let cls: string;
    if (peek() === "-") {
      pos++;
      const hi = read();
      if (hi === undefined) throw new GlobSyntaxError("unexpected end of input");
      if (hi < lo) throw new GlobSyntaxError(`hi character '${hi}' should be greater than lo '${lo}'`);
      cls = `${escapeRegExpChar(lo)}-${escapeRegExpChar(hi)}`;
      const close = read();
      if (close === undefined) throw new GlobSyntaxError("unexpected end of input");
      if (close !== "]") throw new GlobSyntaxError("expected close range character");
    } else {
      pos--;
      let list = "";
      for (;;) {
        const ch = read();
        if (ch === undefined) throw new GlobSyntaxError("unexpected end of input");
        if (ch === "]") break;
        if (ch === "\\") {
          const next = read();
          if (next === undefined) throw new GlobSyntaxError("unexpected end of input");
          list += escapeRegExpChar(next);
          continue;
        }
        list += escapeRegExpChar(ch);
      }
      cls = list;
    }
    if (cls === "") return negate ? "[\\s\\S]" : "(?!)";
    return negate ? `[^${cls}]` : `[${cls}]`;
  };

  const sequence = (): string => {
    let out = "";
    for (;;) {
      const ch = peek();
      if (ch === undefined) {
        if (termsLevel > 0) throw new GlobSyntaxError("unexpected end");
        return out;
      }
      if (termsLevel > 0 && (ch === "," || ch === "}")) return out;
      pos++;
      switch (ch) {
        case "*":
          while (peek() === "*") pos++;
          out += "[\\s\\S]*";
          break;
        case "?":
          out += "[\\s\\S]";
          break;
        case "[":
          out += range();
          break;
        case "{": {
          termsLevel++;
          const alternatives: string[] = [];
          for (;;) {
            alternatives.push(sequence());
            const sep = read();
            if (sep === "}") break;
            if (sep !== ",") throw new GlobSyntaxError("unexpected end");
          }
          termsLevel--;
          out += `(?:${alternatives.join("|")})`;
          break;
        }
        default:
          pos--;
          out += text(termsLevel > 0 ? ["?", "*", "[", "{", "}", ","] : ["?", "*", "[", "{"]);
      }
    }
  };

  try {
    const re = new RegExp(`^(?:${sequence()})$`, "u");
    return { ok: true, glob: { pattern, match: (name) => re.test(name) } };
  } catch (err) {
    if (err instanceof GlobSyntaxError) return { ok: false, error: err.message };
    if (err instanceof SyntaxError) return { ok: false, error: "could not parse range" };
    throw err;
  }
}
