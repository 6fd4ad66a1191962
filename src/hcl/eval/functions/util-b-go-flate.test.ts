import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { goGzip } from "./util-b-go-flate.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}
function words(n: number, seed: number): Uint8Array {
  const r = lcg(seed);
  const w = ["alpha", "beta", "gamma", "the", "quick", "brown", "fox", "\n", '{ "k": 1 }'];
  let out = "";
  while (out.length < n) out += `${w[r() % w.length]} `;
  return Buffer.from(out.slice(0, n));
}
function mixed(n: number, seed: number): Uint8Array {
  const r = lcg(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = r();
    b[i] = (x >>> 24) % 7 === 0 ? x & 0xff : 97 + ((x >>> 8) % 5);
  }
  return b;
}
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

// Expected values: Go's gzip.NewWriter + Write + Flush + Close on the same bytes (base64, or its SHA-256).
describe("goGzip", () => {
  it("matches Go byte for byte on small inputs", () => {
    expect(b64(goGzip(new Uint8Array(0)))).toBe("H4sIAAAAAAAA/wAAAP//AQAA//8AAAAAAAAAAA==");
    expect(b64(goGzip(Buffer.from("a".repeat(1000))))).toBe(
      "H4sIAAAAAAAA/0ocBaNgFAx7AAAAAP//AQAA//8D2jia6AMAAA==",
    );
  });
  it("matches Go on larger inputs (dynamic blocks, window slides, block splits)", () => {
    expect(sha(b64(goGzip(words(50000, 1))))).toBe(
      "4f5c686b3aa6e6234286b629b63ebbf7642356811e1f9a9bbe54ba16ff3964e9",
    );
    expect(sha(b64(goGzip(words(300000, 2))))).toBe(
      "ef226071574eb1fcc3d84f06eeeaf077f28d6459e4c225fac1f2de08ce354fe1",
    );
    expect(sha(b64(goGzip(mixed(200000, 3))))).toBe(
      "1c4591ec1bc1c446efa055ccb84a219006a195762666aa112860cbcba8982b57",
    );
    expect(sha(b64(goGzip(mixed(5000, 4))))).toBe(
      "af0ca41a455091e697b6fcadafc16cb15ed19acfe55ff67c0fbe975eccf7a145",
    );
  });
  it("produces valid gzip", () => {
    const data = mixed(70000, 9);
    expect(Buffer.compare(gunzipSync(goGzip(data)), Buffer.from(data))).toBe(0);
  });
});
