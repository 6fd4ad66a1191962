import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, parseJSON } from "./json-syntax.js";

const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

describe("legacy JSON nesting limit", () => {
  it("accepts nesting up to the limit", () => {
    const r = parseJSON(`{"a":${nested(MAX_JSON_DEPTH - 1, "[", "]")}}`);
    expect(r.ok).toBe(true);
  });

  it("stops past the limit with Go's message at the offending bracket, without exhausting the stack", () => {
    for (const [open, close] of [
      ["[", "]"],
      ['{"a":', "}"],
    ] as const) {
      const text = nested(5000, open, close);
      const r = parseJSON(text);
      expect(r).toMatchObject({ ok: false, syntax: { message: "exceeded max depth" } });
      if (!r.ok && "syntax" in r) expect(text[r.syntax.offset - 1]).toBe(open[0]);
    }
  });
});
