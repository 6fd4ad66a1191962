/**
 * Exclusion patterns for directory transfers, as in .gitignore: a pattern without `/` matches a file or
 * directory name at any depth (`*.log`); a pattern with `/` matches the path relative to the transferred
 * directory (`build/cache`). `*` and `?` do not cross `/`, `**` does, `[...]` is a character class (`[!...]`
 * or `[^...]` negated). A pattern that matches a directory excludes everything below it.
 */

export type ExcludeMatcher = (relativePath: string) => boolean;

export function excludeMatcher(patterns: readonly string[]): ExcludeMatcher {
  if (patterns.length === 0) return () => false;
  const byName: RegExp[] = [];
  const byPath: RegExp[] = [];
  for (const p of patterns) {
    const clean = p.replace(/^\.\//, "").replace(/\/+$/, "");
    (clean.includes("/") ? byPath : byName).push(globToRegExp(clean));
  }
  return (relativePath) => {
    const parts = relativePath.split("/");
    if (parts.some((name) => byName.some((re) => re.test(name)))) return true;
    // The path itself or any of its parent directories.
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (byPath.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
}

export function globToRegExp(pattern: string): RegExp {
  let p = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*") {
      if (p[i + 1] === "*") {
        // `**/` matches any number of directories, `**` anything.
        if (p[i + 2] === "/") {
          out += "(?:.*/)?";
          i += 2;
        } else {
          out += ".*";
          i += 1;
        }
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = p.indexOf("]", i + 2);
      if (end < 0) out += "\\[";
      else {
        let cls = p.slice(i + 1, end);
        if (cls.startsWith("!") || cls.startsWith("^")) cls = `^${cls.slice(1)}`;
        out += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < p.length) {
      out += escapeRe(p[++i]!);
    } else out += escapeRe(c);
  }
  p = out;
  return new RegExp(`^${p}$`);
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
