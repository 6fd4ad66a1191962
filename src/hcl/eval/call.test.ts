import { describe, expect, it } from "vitest";
import {
  listType,
  listValOf,
  nullVal,
  numberIntVal,
  numberType,
  SENSITIVE,
  stringType,
  stringVal,
  unknownVal,
  type Value,
} from "../value/index.js";
import { callFunction } from "./call.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "./function.js";

const upper: FunctionSpec = {
  params: [{ name: "str", type: stringType }],
  type: () => stringType,
  impl: ([s]) => stringVal(s!.asString().toUpperCase()),
};

const joinAll: FunctionSpec = {
  params: [{ name: "separator", type: stringType }],
  varParam: { name: "lists", type: listType(stringType) },
  type: () => stringType,
  impl: ([sep, ...lists]) => {
    if (lists.length === 0) throw new FunctionError("at least one list is required");
    return stringVal(
      lists.flatMap((l: Value) => l.asValueSlice().map((e) => e.asString())).join(sep!.asString()),
    );
  },
};

const positive: FunctionSpec = {
  params: [{ name: "num", type: numberType }],
  type: () => numberType,
  impl: ([n]) => {
    if (n!.asNumber() < 0) throw new FunctionArgError(0, "must be positive");
    return n!;
  },
};

describe("callFunction", () => {
  it("converts arguments to parameter types", () => {
    const r = callFunction(upper, [numberIntVal(12)]);
    expect(r.ok && r.value.asString()).toBe("12");
  });

  it("reports arity errors without calling impl", () => {
    expect(callFunction(upper, [])).toMatchObject({
      ok: false,
      kind: "arity",
      given: 0,
      expected: 1,
      missing: "str",
    });
    expect(callFunction(upper, [stringVal("a"), stringVal("b")])).toMatchObject({ ok: false, kind: "arity" });
    expect(callFunction(joinAll, [stringVal(",")]).ok).toBe(false);
  });

  it("rejects null unless allowed, and failed conversions, as argument errors", () => {
    expect(callFunction(upper, [nullVal(stringType)])).toMatchObject({
      kind: "arg",
      paramName: "str",
      message: "argument must not be null",
    });
    const r = callFunction(positive, [stringVal("abc")]);
    expect(r).toMatchObject({ ok: false, kind: "arg", argIndex: 0, paramName: "num" });
  });

  it("maps FunctionArgError and FunctionError", () => {
    expect(callFunction(positive, [numberIntVal(-1)])).toMatchObject({
      kind: "arg",
      message: "must be positive",
    });
    const lists = listValOf(stringType, [stringVal("a"), stringVal("b")]);
    const ok = callFunction(joinAll, [stringVal("-"), lists, lists]);
    expect(ok.ok && ok.value.asString()).toBe("a-b-a-b");
  });

  it("short-circuits unknown arguments to an unknown result of the return type", () => {
    const r = callFunction(upper, [unknownVal(stringType)]);
    expect(r.ok && !r.value.isKnown() && r.value.type.kind).toBe("string");
  });

  it("propagates marks from arguments to the result", () => {
    const r = callFunction(upper, [stringVal("token").mark(SENSITIVE)]);
    expect(r.ok && r.value.hasMark(SENSITIVE)).toBe(true);
    expect(r.ok && r.value.unmark()[0].asString()).toBe("TOKEN");
    const deep = listValOf(stringType, [stringVal("x").mark(SENSITIVE)]);
    const j = callFunction(joinAll, [stringVal(","), deep]);
    expect(j.ok && j.value.hasMark(SENSITIVE)).toBe(true);
  });
});
