import { describe, expect, it } from "vitest";
import { formatValueHCL, stringType, stringVal, unknownVal, type Value } from "../../value/index.js";
import { callFunction } from "../call.js";
import { uuidFunctions } from "./uuid.js";

function run(name: string, ...args: Value[]): string {
  const r = callFunction(uuidFunctions[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);

describe("uuidv4", () => {
  it("returns fresh random version 4 UUIDs", () => {
    const a = run("uuidv4");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run("uuidv4")).not.toBe(a);
    expect(run("uuidv4", s("x"))).toBe("arity 1/0");
  });
});

// Expected values are what Packer 1.6.6 printed.
describe("uuidv5", () => {
  it("hashes names in the well-known namespaces", () => {
    expect(run("uuidv5", s("dns"), s("hashicorp.com"))).toBe("5ba0091c-1ec8-5ba9-ab02-ff8be7499dd9");
    expect(run("uuidv5", s("url"), s("https://hashicorp.com"))).toBe("9d0e75f3-30f5-57fe-b809-6e20f01f6dd6");
    expect(run("uuidv5", s("oid"), s("1.2.3"))).toBe("42d5e23b-3a02-5135-85c6-52d1102f1f00");
    expect(run("uuidv5", s("x500"), s("cn=x"))).toBe("a951fb6d-5aab-5a72-8e2e-9aa8df8d1f8f");
  });
  it("accepts a namespace UUID in every form google/uuid parses", () => {
    expect(run("uuidv5", s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), s("hashicorp.com"))).toBe(
      "5ba0091c-1ec8-5ba9-ab02-ff8be7499dd9",
    );
    for (const ns of [
      "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
      "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      "6ba7b8109dad11d180b400c04fd430c8",
      "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
    ]) {
      expect(run("uuidv5", s(ns), s("x"))).toBe("05b16a01-46c6-56dd-bd6e-c6dfb4a1427a");
    }
  });
  it("rejects other namespaces", () => {
    expect(run("uuidv5", s("foo"), s("x"))).toBe(
      `Call to function "uuidv5" failed: uuidv5() doesn't support namespace foo (invalid UUID length: 3).`,
    );
    expect(run("uuidv5", s("DNS"), s("x"))).toBe(
      `Call to function "uuidv5" failed: uuidv5() doesn't support namespace DNS (invalid UUID length: 3).`,
    );
    expect(run("uuidv5", s("6ba7b810-9dad-11d1-80b4-00c04fd430cg"), s("x"))).toBe(
      `Call to function "uuidv5" failed: uuidv5() doesn't support namespace 6ba7b810-9dad-11d1-80b4-00c04fd430cg (invalid UUID format).`,
    );
    expect(run("uuidv5", s("urn:uuix:6ba7b810-9dad-11d1-80b4-00c04fd430c8"), s("x"))).toBe(
      `Call to function "uuidv5" failed: uuidv5() doesn't support namespace urn:uuix:6ba7b810-9dad-11d1-80b4-00c04fd430c8 (invalid urn prefix: "urn:uuix:").`,
    );
    expect(run("uuidv5", s("toString"), s("x"))).toBe(
      `Call to function "uuidv5" failed: uuidv5() doesn't support namespace toString (invalid UUID length: 8).`,
    );
  });
  it("is unknown for unknown input", () => {
    expect(run("uuidv5", s("dns"), unknownVal(stringType))).toBe("<unknown>");
  });
});
