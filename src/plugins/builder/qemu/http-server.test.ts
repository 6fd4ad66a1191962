import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanUrlPath, createBuildHttpServer, nameSuggestion } from "./http-server.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-qemu-http-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { redirect: "manual", headers });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe("build HTTP server", () => {
  it("serves http_content at cleaned paths and suggests a near miss", async () => {
    const server = createBuildHttpServer({
      directory: "",
      content: { "/preseed.cfg": "d-i x", "/a/b.txt": "b" },
    });
    const url = await serve(server);
    try {
      expect(await get(`${url}/preseed.cfg`)).toMatchObject({ status: 200, body: "d-i x" });
      expect((await get(`${url}/a/../a/./b.txt`)).body).toBe("b");
      const miss = await get(`${url}/preseed.cgf`);
      expect(miss).toMatchObject({
        status: 404,
        body: '/preseed.cgf not found. Did you mean "/preseed.cfg"?\n',
      });
      expect((await get(`${url}/zzzzzzzz`)).body).toBe("/zzzzzzzz not found.\n");
    } finally {
      server.close();
    }
  });

  it("serves http_directory like Go's FileServer", async () => {
    const root = join(dir, "www");
    mkdirSync(join(root, "sub"), { recursive: true });
    writeFileSync(join(root, "ks.cfg"), "kickstart");
    writeFileSync(join(root, "sub", "index.html"), "<html>index</html>");
    mkdirSync(join(root, "list"));
    writeFileSync(join(root, "list", "b<1>"), "");
    mkdirSync(join(root, "list", "d"));
    const server = createBuildHttpServer({ directory: root, content: {} });
    const url = await serve(server);
    try {
      const file = await get(`${url}/ks.cfg`);
      expect(file).toMatchObject({ status: 200, body: "kickstart" });
      expect(file.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await get(`${url}/ks.cfg`, { Range: "bytes=4-" })).toMatchObject({ status: 206, body: "start" });
      expect(await get(`${url}/missing`)).toMatchObject({ status: 404, body: "404 page not found\n" });
      expect((await get(`${url}/sub`)).headers.get("location")).toBe("sub/");
      expect((await get(`${url}/sub/`)).body).toBe("<html>index</html>");
      expect((await get(`${url}/sub/index.html`)).headers.get("location")).toBe("./");
      expect((await get(`${url}/list/`)).body).toBe(
        '<pre>\n<a href="b%3C1%3E">b&lt;1&gt;</a>\n<a href="d/">d/</a>\n</pre>\n',
      );
      expect((await get(`${url}/../../etc/passwd`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it("cleans paths and suggests names as Packer does", () => {
    expect(cleanUrlPath("/a//b/../c/")).toBe("/a/c");
    expect(cleanUrlPath("/../..")).toBe("/");
    expect(nameSuggestion("/ks.cgf", ["/a", "/ks.cfg"])).toBe("/ks.cfg");
    expect(nameSuggestion("/x", ["/abcdef"])).toBe("");
  });
});
