/**
 * Go's strings functions as Packer's template functions use them (split, replace, replace_all, upper,
 * lower), with Go's edge cases: an empty separator splits into UTF-8 sequences, an empty `old` inserts
 * between characters, and case mapping is per character (so `ß` stays `ß`).
 */

/** strings.Split. */
export function goSplit(s: string, sep: string): string[] {
  if (sep === "") return Array.from(s);
  return s.split(sep);
}

/** strings.Replace(s, old, new, n); n < 0 means no limit. */
export function goReplace(s: string, old: string, rep: string, n: number): string {
  if (old === rep || n === 0) return s;
  if (old === "") {
    const chars = Array.from(s);
    const limit = n < 0 ? chars.length + 1 : Math.min(n, chars.length + 1);
    let out = "";
    for (let i = 0; i < chars.length; i++) {
      if (i < limit) out += rep;
      out += chars[i];
    }
    if (chars.length < limit) out += rep;
    return out;
  }
  let out = "";
  let start = 0;
  let count = 0;
  for (;;) {
    if (n >= 0 && count >= n) break;
    const i = s.indexOf(old, start);
    if (i < 0) break;
    out += s.slice(start, i) + rep;
    start = i + old.length;
    count++;
  }
  return out + s.slice(start);
}

function mapChars(s: string, f: (ch: string) => string): string {
  let out = "";
  for (const ch of s) {
    const m = f(ch);
    // Go maps one rune to one rune; multi-character special casings (ß -> SS) do not apply.
    out += Array.from(m).length === 1 ? m : ch;
  }
  return out;
}

/** strings.ToUpper. */
export function goToUpper(s: string): string {
  return mapChars(s, (c) => c.toUpperCase());
}

/** strings.ToLower. */
export function goToLower(s: string): string {
  return mapChars(s, (c) => c.toLowerCase());
}
