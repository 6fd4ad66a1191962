import { describe, expect, it } from "vitest";
import { cleanOutputLine, goQuote, goStringSlice, LineSplitter, trimRightSpace } from "./text.js";

describe("text helpers", () => {
  it("goQuote escapes as Go's %q", () => {
    expect(goQuote('a "b"\\')).toBe('"a \\"b\\"\\\\"');
    expect(goQuote("tab\there\nnl\r\x07\x1b")).toBe('"tab\\there\\nnl\\r\\a\\x1b"');
    expect(goQuote("caf\u00e9 \u2603")).toBe('"caf\u00e9 \u2603"');
    expect(goQuote("\u200b")).toBe('"\\u200b"');
    expect(goStringSlice(["0", "id", "x"])).toBe('[]string{"0", "id", "x"}');
  });

  it("trimRightSpace and cleanOutputLine behave as Packer's RemoteCmd", () => {
    expect(trimRightSpace("a \t\r\n\u00a0")).toBe("a");
    expect(trimRightSpace(" a")).toBe(" a");
    expect(cleanOutputLine("progress 10%\rprogress 100%\r\n")).toBe("progress 100%");
    expect(cleanOutputLine("   ")).toBe("");
  });

  it("LineSplitter splits chunks into lines, handling CRLF, split characters and the last line", () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const snow = new TextEncoder().encode("\u2603");
    s.write("one\r\ntw");
    s.write("o\n\n");
    s.write(snow.slice(0, 1));
    s.write(snow.slice(1));
    s.write("\nlast");
    expect(lines).toEqual(["one", "two", "", "\u2603"]);
    s.end();
    expect(lines.at(-1)).toBe("last");
    s.end();
    expect(lines).toHaveLength(5);
  });
});
