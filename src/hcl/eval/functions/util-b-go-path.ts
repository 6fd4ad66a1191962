/**
 * Go's path/filepath on Unix (Clean, Join, Base, Dir, IsAbs, Rel), os.FileMode's String, and the texts of
 * Go's *PathError for the errno values file functions meet. Packer's messages embed paths exactly as these
 * functions shape them.
 */

/** filepath.IsAbs */
export function goIsAbs(p: string): boolean {
  return p.startsWith("/");
}

/** filepath.Clean: the shortest equivalent path, lexically ("" is "."). */
export function goClean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const parts: string[] = [];
  for (const elem of p.split("/")) {
    if (elem === "" || elem === ".") continue;
    if (elem === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!rooted) parts.push("..");
      continue;
    }
    parts.push(elem);
  }
  const body = parts.join("/");
  if (rooted) return `/${body}`;
  return body === "" ? "." : body;
}

/** filepath.Join: the non-empty elements joined by "/" and cleaned; "" when all are empty. */
export function goJoin(...elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== "");
  if (nonEmpty.length === 0) return "";
  return goClean(nonEmpty.join("/"));
}

/** filepath.Base */
export function goBase(p: string): string {
  if (p === "") return ".";
  let q = p;
  while (q.length > 0 && q.endsWith("/")) q = q.slice(0, -1);
  if (q === "") return "/";
  const i = q.lastIndexOf("/");
  return i >= 0 ? q.slice(i + 1) : q;
}

/** filepath.Dir */
export function goDir(p: string): string {
  const i = p.lastIndexOf("/");
  return goClean(p.slice(0, i + 1));
}

/** filepath.Rel: `targ` relative to `base`, or Go's error text. */
export function goRel(
  basepath: string,
  targpath: string,
): { ok: true; path: string } | { ok: false; message: string } {
  const fail = { ok: false as const, message: `Rel: can't make ${targpath} relative to ${basepath}` };
  let base = goClean(basepath);
  const targ = goClean(targpath);
  if (targ === base) return { ok: true, path: "." };
  if (base === ".") base = "";
  const baseSlashed = base.startsWith("/");
  const targSlashed = targ.startsWith("/");
  if (baseSlashed !== targSlashed) return fail;
  const bl = base.length;
  const tl = targ.length;
  let b0 = 0;
  let bi = 0;
  let t0 = 0;
  let ti = 0;
  for (;;) {
    while (bi < bl && base[bi] !== "/") bi++;
    while (ti < tl && targ[ti] !== "/") ti++;
    if (targ.slice(t0, ti) !== base.slice(b0, bi)) break;
    if (bi < bl) bi++;
    if (ti < tl) ti++;
    b0 = bi;
    t0 = ti;
  }
  if (base.slice(b0, bi) === "..") return fail;
  if (b0 !== bl) {
    const seps = base.slice(b0, bl).split("/").length - 1;
    let out = `..${"/..".repeat(seps)}`;
    if (t0 !== tl) out += `/${targ.slice(t0)}`;
    return { ok: true, path: out };
  }
  return { ok: true, path: targ.slice(t0) };
}

const S_IFMT = 0o170000;

/** os.FileMode.String for a stat result's mode bits ("drwxr-xr-x", "Dcrw-rw-rw-"). */
export function goFileModeString(mode: number): string {
  let kind = "";
  switch (mode & S_IFMT) {
    case 0o040000:
      kind += "d";
      break;
    case 0o120000:
      kind += "L";
      break;
    case 0o060000:
      kind += "D";
      break;
    case 0o020000:
      kind += "D";
      break;
    case 0o010000:
      kind += "p";
      break;
    case 0o140000:
      kind += "S";
      break;
  }
  if (mode & 0o4000) kind += "u";
  if (mode & 0o2000) kind += "g";
  if ((mode & S_IFMT) === 0o020000) kind += "c";
  if (mode & 0o1000) kind += "t";
  if (kind === "") kind = "-";
  const rwx = "rwxrwxrwx";
  let perm = "";
  for (let i = 0; i < 9; i++) perm += mode & (1 << (8 - i)) ? rwx[i] : "-";
  return kind + perm;
}

const errnoText: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files in system",
  EIO: "input/output error",
  ENXIO: "no such device or address",
  EINVAL: "invalid argument",
};

/** The text of Go's *PathError for a failed system call (`op` is "open", "read", "stat", ...). */
export function goPathErrorText(op: string, path: string, err: unknown): string {
  const code = (err as { code?: string } | null)?.code ?? "";
  const what = errnoText[code] ?? (err instanceof Error ? err.message : String(err));
  return `${op} ${path}: ${what}`;
}

/** The Node error code of a failed file system call ("ENOENT", ...). */
export function errorCode(err: unknown): string {
  return (err as { code?: string } | null)?.code ?? "";
}
