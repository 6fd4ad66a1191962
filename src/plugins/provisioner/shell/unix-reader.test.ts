import { describe, expect, it } from "vitest";
import { toUnixLines } from "./unix-reader.js";

const conv = (s: string): string => toUnixLines(Buffer.from(s)).toString();

describe("toUnixLines", () => {
  it("drops the CR of CRLF and ends the last line", () => {
    expect(conv("a\r\nb\r\n")).toBe("a\nb\n");
    expect(conv("a\r\nb")).toBe("a\nb\n");
    expect(conv("a\n\nb\r")).toBe("a\n\nb\n");
    expect(conv("mid\rline\n")).toBe("mid\rline\n");
    expect(conv("")).toBe("");
  });
});
