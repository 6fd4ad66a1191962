import { describe, expect, it } from "vitest";
import { checkConstraints, parseConstraints, parseVersion } from "./version-constraint.js";

function accepts(constraint: string, version: string): boolean {
  const c = parseConstraints(constraint);
  if (!c.ok) throw new Error(c.error);
  return checkConstraints(parseVersion(version)!, c.constraints);
}

describe("go-version constraints", () => {
  it("compares with every operator", () => {
    expect(accepts(">= 1.10.0, < 2.0.0", "1.16.0")).toBe(true);
    expect(accepts(">= v1", "1.16.0")).toBe(true);
    expect(accepts("> 1.16.0", "1.16.0")).toBe(false);
    expect(accepts("1.16.0", "1.16.0")).toBe(true);
    expect(accepts("= 1.16", "1.16.0")).toBe(true);
    expect(accepts("!= 1.16.0", "1.16.0")).toBe(false);
    expect(accepts("<= 1.15.9", "1.16.0")).toBe(false);
  });

  it("reads ~> as Packer does", () => {
    expect(accepts("~> 1.2", "1.16.0")).toBe(true);
    expect(accepts("~> 1.17", "1.16.0")).toBe(false);
    expect(accepts("~> 1.16.1", "1.16.0")).toBe(false);
    expect(accepts("~> 1.15.0", "1.16.0")).toBe(false);
    expect(accepts("~> 1", "1.16.0")).toBe(true);
  });

  it("keeps prereleases apart", () => {
    expect(accepts(">= 1.10.0-beta", "1.16.0")).toBe(true);
    expect(accepts(">= 1.0.0", "1.17.0-dev")).toBe(false);
    expect(parseVersion("1.2.3-dev")?.prerelease).toBe("dev");
  });

  it("rejects malformed constraints", () => {
    expect(parseConstraints(">= banana")).toEqual({ ok: false, error: "Malformed constraint: >= banana" });
  });
});
