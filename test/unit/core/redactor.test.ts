import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "../../../src/core/index.js";
import { stringType } from "../../../src/hcl/value/types.js";
import {
  listVal,
  mapVal,
  numberIntVal,
  objectVal,
  stringVal,
  unknownVal,
} from "../../../src/hcl/value/value.js";

describe("Redactor", () => {
  it("replaces every occurrence of every secret", () => {
    const r = new Redactor();
    r.add("abc", "xyz");
    expect(r.redact("abc-xyz-abc")).toBe(`${REDACTED}-${REDACTED}-${REDACTED}`);
    expect(r.redact("nothing here")).toBe("nothing here");
  });

  it("prefers the longest secret when secrets overlap", () => {
    const r = new Redactor();
    r.add("pass", "password123");
    expect(r.redact("password123 pass")).toBe("<sensitive> <sensitive>");
  });

  it("treats secrets literally, not as patterns", () => {
    const r = new Redactor();
    r.add("a.b*(c)");
    expect(r.redact("a.b*(c) axb")).toBe("<sensitive> axb");
  });

  it("ignores empty secrets", () => {
    const r = new Redactor();
    r.add("");
    expect(r.size).toBe(0);
    expect(r.redact("text")).toBe("text");
  });

  it("registers a multi-line secret whole and line by line", () => {
    const r = new Redactor();
    r.add("line one\r\nline two\n\n");
    expect(r.redact("x line one\r\nline two\n\n y")).toBe("x <sensitive> y");
    expect(r.redact("echo: line two")).toBe("echo: <sensitive>");
  });

  it("does not register very short lines of a multi-line secret on their own", () => {
    const r = new Redactor();
    r.add('{\n  "private_key": "k-123"  \n}\n');
    expect(r.redact('x = {}; "private_key": "k-123"')).toBe("x = {}; <sensitive>");
  });

  it("registers the string leaves of sensitive values only", () => {
    const r = new Redactor();
    const config = objectVal({
      user: stringVal("admin"),
      password: stringVal("hunter2").mark("sensitive"),
      tokens: listVal([stringVal("t1"), stringVal("t2")]).mark("sensitive"),
      nested: mapVal({ k: objectVal({ deep: stringVal("deep-secret") }) }).mark("sensitive"),
      port: numberIntVal(22).mark("sensitive"),
      later: unknownVal(stringType).mark("sensitive"),
    });
    r.addValue(config);
    expect(r.redact("admin hunter2 t1 t2 deep-secret 22")).toBe(
      "admin <sensitive> <sensitive> <sensitive> <sensitive> 22",
    );
  });

  it("redacts derived values (marks propagate, so the derived string is registered too)", () => {
    const r = new Redactor();
    r.addValue(stringVal("Bearer abc").mark("sensitive"));
    expect(r.redact("Authorization: Bearer abc")).toBe("Authorization: <sensitive>");
  });

  it("redactDeep redacts strings inside structures, keys untouched", () => {
    const r = new Redactor();
    r.add("k3y");
    expect(r.redactDeep({ a: "k3y", b: ["x k3y", 1, null], k3y: true })).toEqual({
      a: "<sensitive>",
      b: ["x <sensitive>", 1, null],
      k3y: true,
    });
  });
});
