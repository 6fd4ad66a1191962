import { describe, expect, it } from "vitest";
import { compileGlob } from "./glob.js";

function matches(pattern: string, name: string): boolean {
  const r = compileGlob(pattern);
  if (!r.ok) throw new Error(r.error);
  return r.glob.match(name);
}

describe("compileGlob (gobwas/glob without separators)", () => {
  it("lets * and ** cross dots and match the whole name", () => {
    expect(matches("docker.*", "docker.ubuntu")).toBe(true);
    expect(matches("*.ubuntu", "mybuild.docker.ubuntu")).toBe(true);
    expect(matches("**", "a.b.c")).toBe(true);
    expect(matches("docker", "docker.ubuntu")).toBe(false);
    expect(matches("mybuild.*", "docker.ubuntu")).toBe(false);
  });

  it("supports ?, classes, ranges, negation, alternatives and escapes", () => {
    expect(matches("null.?", "null.a")).toBe(true);
    expect(matches("null.?", "null.ab")).toBe(false);
    expect(matches("null.[ab]", "null.b")).toBe(true);
    expect(matches("null.[!ab]", "null.b")).toBe(false);
    expect(matches("null.[a-c]x", "null.bx")).toBe(true);
    expect(matches("{docker,null}.*", "null.one")).toBe(true);
    expect(matches("{docker,null}.*", "file.one")).toBe(false);
    expect(matches("a\\*", "a*")).toBe(true);
    expect(matches("a\\*", "ab")).toBe(false);
    // Outside alternatives, braces' partners are plain characters.
    expect(matches("a,b}", "a,b}")).toBe(true);
  });

  it("reports malformed patterns", () => {
    expect(compileGlob("null.[ab")).toEqual({ ok: false, error: "unexpected end of input" });
    expect(compileGlob("[z-a]")).toEqual({
      ok: false,
      error: "hi character 'a' should be greater than lo 'z'",
    });
    expect(compileGlob("{a,b")).toEqual({ ok: false, error: "unexpected end" });
  });
});
