import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { StreamReader } from "./stream-reader.js";

describe("StreamReader", () => {
  it("reads bytes, lines and exact counts across chunk boundaries", async () => {
    const s = new PassThrough();
    const r = new StreamReader(s);
    s.write(Buffer.from([0]));
    s.write("C0644 5 na");
    s.write("me\nhel");
    setTimeout(() => s.end("loXYZ"), 5);
    expect(await r.readByte()).toBe(0);
    expect(await r.readLine()).toBe("C0644 5 name");
    const got: Buffer[] = [];
    await r.copy(5, (c) => {
      got.push(Buffer.from(c));
    });
    expect(Buffer.concat(got).toString()).toBe("hello");
    expect(await r.readLine()).toBe("XYZ");
    expect(await r.readByte()).toBeUndefined();
  });

  it("pauses the source while a slow consumer lags and fails when data is missing", async () => {
    const s = new PassThrough({ highWaterMark: 1 });
    const r = new StreamReader(s);
    const big = Buffer.alloc(12 << 20, 7);
    s.write(big);
    await new Promise((res) => setTimeout(res, 10));
    expect(s.isPaused()).toBe(true);
    let total = 0;
    await r.copy(big.length, async (c) => {
      total += c.length;
    });
    expect(total).toBe(big.length);
    s.end();
    await expect(r.copy(1, () => undefined)).rejects.toThrow(/unexpected end of stream/);
  });
});
