/**
 * The build's HTTP server (the SDK's StepHTTPServer): serves http_directory as Go's http.FileServer does
 * (index.html, directory listings, redirects to canonical paths, ranges, 404 "404 page not found") or the
 * http_content map as Packer's MapServer does (exact cleaned paths; a miss answers `<path> not found.` with a
 * "Did you mean" suggestion). It listens on a free port of [http_port_min, http_port_max).
 */
import { createReadStream, type Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { posix } from "node:path";
import { goQuote } from "../../../sdk/index.js";

const MIME: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "text/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".cfg": "text/plain; charset=utf-8",
  ".sh": "text/x-sh; charset=utf-8",
  ".iso": "application/octet-stream",
  ".gz": "application/gzip",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

/** Go's path.Clean of a URL path that starts with `/`. */
export function cleanUrlPath(p: string): string {
  const cleaned = posix.normalize(`/${p}`).replace(/\/+$/, "");
  return cleaned === "" ? "/" : cleaned;
}

/** A rough http.DetectContentType for served content. */
function sniff(content: Buffer): string {
  const head = content.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return "text/html; charset=utf-8";
  if (head.startsWith("<?xml")) return "text/xml; charset=utf-8";
  for (const b of content.subarray(0, 512)) {
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return "application/octet-stream";
  }
  return "text/plain; charset=utf-8";
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** didyoumean.NameSuggestion: the first candidate within edit distance 2. */
export function nameSuggestion(given: string, candidates: readonly string[]): string {
  for (const c of candidates) if (levenshtein(given, c) < 3) return c;
  return "";
}

function httpError(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });
  res.end(`${text}\n`);
}

/** Packer's MapServer. */
export function mapHandler(content: Readonly<Record<string, string>>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = cleanUrlPath(new URL(req.url ?? "/", "http://x").pathname);
    if (!Object.hasOwn(content, path)) {
      const paths = Object.keys(content).sort();
      let message = `${path} not found.`;
      const suggestion = nameSuggestion(path, paths);
      if (suggestion !== "") message += ` Did you mean ${goQuote(suggestion)}?`;
      httpError(res, 404, message);
      return;
    }
    const body = Buffer.from(content[path]!, "utf8");
    res.writeHead(200, { "Content-Type": sniff(body), "Content-Length": String(body.length) });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

/** Go's htmlReplacer. */
function escapeHtml(s: string): string {
  const map: Readonly<Record<string, string>> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&#34;",
    "'": "&#39;",
  };
  return s.replace(/[&<>"']/g, (c) => map[c]!);
}

/** A byte range request `bytes=a-b` against `size`; undefined when absent or unsatisfiable. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "bad" | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (!(suffix > 0)) return "bad";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "bad";
  return { start, end };
}

function serveFile(req: IncomingMessage, res: ServerResponse, file: string, info: Stats): void {
  const type = MIME[posix.extname(file).toLowerCase()] ?? "application/octet-stream";
  const headers: Record<string, string> = {
    "Content-Type": type,
    "Last-Modified": info.mtime.toUTCString(),
    "Accept-Ranges": "bytes",
  };
  const range = parseRange(req.headers.range, info.size);
  if (range === "bad") {
    res.writeHead(416, { "Content-Range": `bytes */${info.size}` });
    res.end();
    return;
  }
  if (range !== undefined) {
    headers["Content-Range"] = `bytes ${range.start}-${range.end}/${info.size}`;
    headers["Content-Length"] = String(range.end - range.start + 1);
    res.writeHead(206, headers);
  } else {
    headers["Content-Length"] = String(info.size);
    res.writeHead(200, headers);
  }
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file, range !== undefined ? { start: range.start, end: range.end } : {})
    .on("error", () => res.destroy())
    .pipe(res);
}

/** Go's http.FileServer(http.Dir(root)). */
export function directoryHandler(root: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const urlPath = new URL(req.url ?? "/", "http://x").pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      httpError(res, 400, "400 Bad Request");
      return;
    }
    const clean = cleanUrlPath(decoded);
    if (urlPath.endsWith("/index.html")) {
      res.writeHead(301, { Location: "./" });
      res.end();
      return;
    }
    const file = posix.join(root, clean);
    let info: Stats;
    try {
      info = await stat(file);
    } catch {
      httpError(res, 404, "404 page not found");
      return;
    }
    if (info.isDirectory()) {
      if (!urlPath.endsWith("/")) {
        res.writeHead(301, { Location: `${posix.basename(urlPath)}/` });
        res.end();
        return;
      }
      try {
        const index = posix.join(file, "index.html");
        const indexInfo = await stat(index);
        if (indexInfo.isFile()) {
          serveFile(req, res, index, indexInfo);
          return;
        }
      } catch {
        // No index: list the directory.
      }
      const entries = await readdir(file, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      let body = "<pre>\n";
      for (const e of entries) {
        const name = e.isDirectory() ? `${e.name}/` : e.name;
        body += `<a href="${encodeURI(name).replace(/\?/g, "%3F").replace(/#/g, "%23")}">${escapeHtml(name)}</a>\n`;
      }
      body += "</pre>\n";
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Last-Modified": info.mtime.toUTCString(),
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    if (urlPath.endsWith("/")) {
      res.writeHead(301, { Location: `../${posix.basename(clean)}` });
      res.end();
      return;
    }
    serveFile(req, res, file, info);
  };
}

/** A server for http_directory or http_content, not yet listening. */
export function createBuildHttpServer(options: {
  readonly directory: string;
  readonly content: Readonly<Record<string, string>>;
  readonly onRequest?: (method: string, path: string, status: number) => void;
}): Server {
  const handler =
    options.directory !== "" ? directoryHandler(options.directory) : mapHandler(options.content);
  return createServer((req, res) => {
    res.on("finish", () => options.onRequest?.(req.method ?? "GET", req.url ?? "/", res.statusCode));
    void Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) httpError(res, 500, "500 Internal Server Error");
      else res.destroy();
    });
  });
}
