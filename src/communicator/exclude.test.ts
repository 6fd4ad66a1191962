import { describe, expect, it } from "vitest";
import { excludeMatcher, globToRegExp } from "./exclude.js";

describe("excludeMatcher", () => {
  it("matches globs against relative paths and their parents", () => {
    const m = excludeMatcher(["*.log", "build/**", "cache", "a?c", "[xy].txt", "docs/*.md"]);
    expect(m("app.log")).toBe(true);
    expect(m("sub/app.log")).toBe(true);
    expect(m("docs/a.md")).toBe(true);
    expect(m("other/docs/a.md")).toBe(false);
    expect(m("build/x/y.o")).toBe(true);
    expect(m("cache/deep/file")).toBe(true);
    expect(m("abc")).toBe(true);
    expect(m("x.txt")).toBe(true);
    expect(m("z.txt")).toBe(false);
    expect(m("src/main.ts")).toBe(false);
  });

  it("lets ** cross directories and matches nothing without patterns", () => {
    expect(globToRegExp("**/*.tmp").test("a/b/c.tmp")).toBe(true);
    expect(globToRegExp("**/*.tmp").test("c.tmp")).toBe(true);
    expect(globToRegExp("[!a]*").test("abc")).toBe(false);
    expect(excludeMatcher([])("anything")).toBe(false);
  });
});
