import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freeKeepingLock, listenRange, packerCacheDir } from "./port-range.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-qemu-ports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("port ranges", () => {
  it("finds free ports in the range, holds a lock until released and skips taken ports", async () => {
    const cacheDir = join(dir, "cache");
    const signal = new AbortController().signal;
    const a = await listenRange({ min: 47100, max: 47102, address: "127.0.0.1", cacheDir }, signal);
    await freeKeepingLock(a);
    const b = await listenRange({ min: 47100, max: 47102, address: "127.0.0.1", cacheDir }, signal);
    expect([a.port, b.port].sort()).toEqual([47100, 47101]);
    await expect(
      listenRange({ min: 47100, max: 47102, address: "127.0.0.1", cacheDir }, signal),
    ).rejects.toThrow(/^no free port between 47100 and 47102 on 127\.0\.0\.1/);
    a.release();
    b.release();
    const c = await listenRange({ min: 47100, max: 47101, address: "127.0.0.1", cacheDir }, signal);
    expect(c.port).toBe(47100);
    c.release();
    // A lock left by a process that is gone is taken over.
    mkdirSync(join(cacheDir, "port"), { recursive: true });
    writeFileSync(join(cacheDir, "port", "47103"), "999999999");
    const d = await listenRange({ min: 47103, max: 47103, address: "127.0.0.1", cacheDir }, signal);
    expect(d.port).toBe(47103);
    d.release();
  });

  it("locates Packer's cache directory", () => {
    expect(packerCacheDir({ PACKER_CACHE_DIR: "c" }, "/w")).toBe("/w/c");
    expect(packerCacheDir({ XDG_CACHE_HOME: "/x" }, "/w")).toBe("/x/packer");
    expect(packerCacheDir({ HOME: "/h" }, "/w")).toBe("/h/.cache/packer");
  });
});
