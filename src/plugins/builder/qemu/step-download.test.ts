import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { valueFromNative } from "../../../hcl/index.js";
import { noopLogger } from "../../../sdk/index.js";
import { RecordingUi, testBuildInfo } from "../../provisioner/shell-local/test-support.js";
import { decodeQemuConfig } from "./config.js";
import { QemuDriver } from "./driver.js";
import type { QemuState } from "./state.js";
import { cacheTarget, goQueryEscape, StepDownload, sourceWithChecksum } from "./step-download.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-qemu-download-"));
const payload = Buffer.alloc(3 * 1024 * 1024, 7);
payload.write("kiln test image");
const sha = createHash("sha256").update(payload).digest("hex");
let server: Server;
let base = "";
let gets = 0;
let slow = false;

beforeAll(async () => {
  writeFileSync(join(dir, "local.img"), payload);
  server = createServer((req, res) => {
    if (req.url === "/SHA256SUMS") {
      res.end(`${sha}  image.img\n`);
      return;
    }
    if (!req.url?.startsWith("/image.img")) {
      res.writeHead(404).end("404 page not found\n");
      return;
    }
    gets++;
    res.writeHead(200, { "Content-Length": String(payload.length) });
    if (!slow) {
      res.end(payload);
      return;
    }
    // Dribble the body out so that progress is reported.
    let offset = 0;
    const timer = setInterval(() => {
      const chunk = payload.subarray(offset, offset + 256 * 1024);
      offset += chunk.length;
      if (chunk.length === 0) {
        clearInterval(timer);
        res.end();
      } else res.write(chunk);
    }, 15);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

function state(config: Record<string, unknown>, cacheDir: string): { state: QemuState; ui: RecordingUi } {
  const info = testBuildInfo({ cwd: dir, buildName: "b", builderType: "qemu" });
  const decoded = decodeQemuConfig(
    valueFromNative({ ssh_username: "root", output_directory: join(dir, "never"), ...config }),
    info,
    { detectAccelerator: () => ({ accelerator: "tcg", reason: "" }) },
  );
  if (decoded.config === undefined) throw new Error(decoded.diagnostics.map((d) => d.summary).join("; "));
  const ui = new RecordingUi();
  const s: QemuState = {
    config: decoded.config,
    info,
    log: noopLogger,
    secrets: { add() {} },
    driver: new QemuDriver({ qemuPath: "/bin/false", qemuImgPath: "/bin/false", env: {}, cwd: dir }),
    cacheDir,
    workDir: dir,
    hook: { run: async () => {} },
    ui,
  };
  return { state: s, ui };
}

describe("StepDownload", () => {
  it("encodes the checksum into the source as Go's url.Values does and hashes it for the cache name", () => {
    expect(goQueryEscape("sha256:ab cd/é")).toBe("sha256%3Aab+cd%2F%C3%A9");
    expect(sourceWithChecksum("/a/b.iso", "md5:00")).toBe("/a/b.iso?checksum=md5%3A00");
    expect(sourceWithChecksum("http://h/x?z=1&a=2", "md5:00")).toBe("http://h/x?a=2&checksum=md5%3A00&z=1");
    expect(sourceWithChecksum("/a/b.iso", "none")).toBe("/a/b.iso");
    // Packer 1.6.6 cached the test image's download under this name.
    expect(
      cacheTarget({
        source: "/x",
        checksum: "sha256:eeb20f97db24c978a7cf373f5796dc2faf0474549ab5363bee0c6d7aeb490371",
        targetPath: "",
        extension: "iso",
        cacheDir: "/c",
        cwd: "/",
      }),
    ).toBe("/c/c1bd3ad99052af64cd9c9ef744c5462244444e1e.iso");
    expect(
      cacheTarget({
        source: "/x",
        checksum: "md5:00",
        targetPath: "dl",
        extension: "img",
        cacheDir: "/c",
        cwd: "/w",
      }),
    ).toMatch(/^\/w\/dl\/[0-9a-f]{40}\.img$/);
    expect(
      cacheTarget({
        source: "/x",
        checksum: "md5:00",
        targetPath: "dl/my.iso",
        extension: "img",
        cacheDir: "/c",
        cwd: "/w",
      }),
    ).toBe("/w/dl/my.iso");
  });

  it("uses a local file in place after verifying its checksum", async () => {
    const { state: s, ui } = state(
      { iso_url: "local.img", iso_checksum: `sha256:${sha}` },
      join(dir, "cache-local"),
    );
    expect(await new StepDownload().run(s, new AbortController().signal)).toBe("continue");
    expect(s.isoPath).toBe(join(dir, "local.img"));
    expect(ui.texts("say")).toEqual([
      "Retrieving ISO",
      "Trying local.img",
      `Trying local.img?checksum=sha256%3A${sha}`,
      `local.img?checksum=sha256%3A${sha} => ${join(dir, "local.img")}`,
    ]);
    expect(existsSync(join(dir, "cache-local"))).toBe(false);
  });

  it("fails on a checksum mismatch with go-getter's text and tries the next URL", async () => {
    const bad = "0".repeat(64);
    const { state: s, ui } = state(
      { iso_urls: ["local.img", "missing.img"], iso_checksum: `sha256:${bad}` },
      join(dir, "cache-bad"),
    );
    expect(await new StepDownload().run(s, new AbortController().signal)).toBe("halt");
    const message = (s.error as Error).message;
    expect(message).toBe(
      `error downloading ISO: [Checksums did not match for ${join(dir, "local.img")}.\nExpected: ${bad}\nGot: ${sha}\n*sha256.digest source path error: stat ${join(dir, "missing.img")}: no such file or directory]`,
    );
    expect(ui.texts("error")).toEqual([message]);
    expect(ui.texts("say")).toContain("Trying missing.img");
  });

  it("downloads over HTTP into the cache with progress, and finds it there the second time", async () => {
    const cache = join(dir, "cache-http");
    gets = 0;
    slow = true;
    const { state: s, ui } = state({ iso_url: `${base}/image.img`, iso_checksum: `sha256:${sha}` }, cache);
    const step = new StepDownload({ description: "ISO", progressIntervalMs: 20 });
    expect(await step.run(s, new AbortController().signal)).toBe("continue");
    slow = false;
    const target = join(cache, `${createHash("sha1").update(`sha256:${sha}`).digest("hex")}.iso`);
    expect(s.isoPath).toBe(target);
    expect(readFileSync(target).equals(payload)).toBe(true);
    expect(readdirSync(cache).sort()).toEqual([target.slice(cache.length + 1)]);
    expect(ui.texts("say").at(-1)).toBe(`${base}/image.img?checksum=sha256%3A${sha} => ${target}`);
    const progress = ui.texts("message");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(
      new RegExp(`^Downloading ${base}/image\\.img: \\d+\\.\\d MiB of 3\\.0 MiB \\(\\d+%\\)$`),
    );
    expect(gets).toBe(1);

    const again = state({ iso_url: `${base}/image.img`, iso_checksum: `sha256:${sha}` }, cache);
    expect(await new StepDownload().run(again.state, new AbortController().signal)).toBe("continue");
    expect(again.state.isoPath).toBe(target);
    expect(gets).toBe(1);
  });

  it("reads a remote checksum file, and removes a download whose checksum is wrong", async () => {
    const { state: s } = state(
      { iso_url: `${base}/image.img`, iso_checksum: `file:${base}/SHA256SUMS` },
      join(dir, "c2"),
    );
    expect(await new StepDownload().run(s, new AbortController().signal)).toBe("continue");
    expect(readFileSync(s.isoPath!).equals(payload)).toBe(true);

    const bad = "1".repeat(64);
    const cache = join(dir, "c3");
    const { state: t, ui } = state({ iso_url: `${base}/image.img`, iso_checksum: `sha256:${bad}` }, cache);
    expect(await new StepDownload().run(t, new AbortController().signal)).toBe("halt");
    const target = join(cache, `${createHash("sha1").update(`sha256:${bad}`).digest("hex")}.iso`);
    expect(ui.texts("say")).toContain(`Checksum did not match, removing ${target}`);
    expect(readdirSync(cache)).toEqual([]);

    const { state: u, ui: ui404 } = state({ iso_url: `${base}/nope.img`, iso_checksum: "none" }, cache);
    expect(await new StepDownload().run(u, new AbortController().signal)).toBe("halt");
    expect(ui404.texts("say")).toContain("Download failed bad response code: 404");
  });

  it("stops a download when cancelled and leaves nothing half written", async () => {
    const cache = join(dir, "c4");
    slow = true;
    const { state: s } = state({ iso_url: `${base}/image.img`, iso_checksum: `sha256:${sha}` }, cache);
    const controller = new AbortController();
    const running = new StepDownload().run(s, controller.signal);
    setTimeout(() => controller.abort(), 60);
    expect(await running).toBe("halt");
    slow = false;
    expect(readdirSync(cache)).toEqual([]);
  });
});
