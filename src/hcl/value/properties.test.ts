import fc from "fast-check";
import { describe, it } from "vitest";
import { convert } from "./convert.js";
import { equals, rawEquals } from "./equality.js";
import { valueFromJSON, valueToJSON } from "./json.js";
import { add, subtract } from "./number-ops.js";
import { setVal } from "./set.js";
import { listType, stringType } from "./types.js";
import {
  boolVal,
  listVal,
  mapVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  tupleVal,
  type Value,
} from "./value.js";

const numberText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: -40, max: 40 }))
  .map(([neg, m, e]) => `${neg ? "-" : ""}${m}e${e}`);

const numberValue = numberText.map((s) => {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
});

const primitive: fc.Arbitrary<Value> = fc.oneof(
  fc.string().map(stringVal),
  numberValue,
  fc.boolean().map(boolVal),
);

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    primitive,
    fc.array(tie("v"), { maxLength: 4 }).map(tupleVal),
    fc.dictionary(fc.string({ maxLength: 5 }), tie("v"), { maxKeys: 4 }).map((d) => objectVal(d)),
    fc.array(fc.string(), { minLength: 1, maxLength: 5 }).map((xs) => listVal(xs.map(stringVal))),
    fc.array(numberValue, { minLength: 1, maxLength: 5 }).map(setVal),
    fc
      .dictionary(fc.string({ maxLength: 5 }), fc.boolean(), { minKeys: 1, maxKeys: 4 })
      .map((d) => mapVal(Object.entries(d).map(([k, b]) => [k, boolVal(b)] as [string, Value]))),
  ),
})).v;

describe("value properties", () => {
  it("round-trips through JSON with its own type", () => {
    fc.assert(
      fc.property(value, (v) => {
        const j = valueToJSON(v);
        if (!j.ok) return false;
        const back = valueFromJSON(j.json, v.type);
        return back.ok && rawEquals(back.value, v);
      }),
      { numRuns: 300 },
    );
  });

  it("is equal to itself", () => {
    fc.assert(
      fc.property(value, (v) => equals(v, v).unmark()[0].asBool()),
      { numRuns: 300 },
    );
  });

  it("builds the same set whatever the insertion order", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string().map(stringVal)), { minLength: 1, maxLength: 8 }), (xs) => {
        const reversed = [...xs].reverse();
        return rawEquals(setVal(xs), setVal(reversed));
      }),
    );
    fc.assert(
      fc.property(fc.array(numberValue, { minLength: 1, maxLength: 8 }), (xs) =>
        rawEquals(setVal(xs), setVal([...xs].reverse())),
      ),
    );
  });

  it("restores marks removed with their paths", () => {
    fc.assert(
      fc.property(value, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), (v, bits) => {
        let i = 0;
        const next = () => bits[i++ % bits.length]!;
        const markSome = (x: Value): Value => {
          let out = x;
          switch (x.type.kind) {
            case "tuple":
              out = tupleVal(x.asValueSlice().map(markSome));
              break;
            case "list":
              out = listVal(x.asValueSlice().map(markSome));
              break;
            case "set":
              out = setVal(x.asValueSlice().map(markSome));
              break;
            case "object":
              out = objectVal([...x.asValueMap()].map(([k, e]) => [k, markSome(e)] as [string, Value]));
              break;
            case "map":
              out = mapVal([...x.asValueMap()].map(([k, e]) => [k, markSome(e)] as [string, Value]));
              break;
          }
          return next() ? out.mark(SENSITIVE) : out;
        };
        const marked = markSome(v);
        const [plain, found] = marked.unmarkDeepWithPaths();
        return (
          !plain.containsMarked() && rawEquals(plain, v) && rawEquals(plain.markWithPaths(found), marked)
        );
      }),
      { numRuns: 300 },
    );
  });

  it("converts tuples of primitives to lists of strings", () => {
    fc.assert(
      fc.property(fc.array(primitive, { maxLength: 6 }), (xs) => {
        const r = convert(tupleVal(xs), listType(stringType));
        return r.ok && r.value.lengthInt() === xs.length;
      }),
    );
  });

  it("adds and subtracts back exactly for integers", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        (a, b) => {
          const x = parseNumberVal(a.toString());
          const y = parseNumberVal(b.toString());
          if (!x.ok || !y.ok) return false;
          const s = add(x.value, y.value);
          if (!s.ok) return false;
          const d = subtract(s.value, y.value);
          return d.ok && d.value.asBigFloat().toBigInt() === a;
        },
      ),
    );
  });
});
