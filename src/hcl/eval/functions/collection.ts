/**
 * Packer's collection functions: cty's stdlib ones (chunklist coalescelist compact concat contains distinct
 * element flatten keys lookup merge range reverse setintersection setproduct setunion slice sort values
 * zipmap), go-cty-funcs' coalesce (skips empty strings too) and Packer's own alltrue, anytrue, index
 * (position of a value in a list or tuple) and length (which also counts a string's characters).
 *
 * Functions whose parameters allow marks unmark only the collection itself and re-apply its marks to the
 * result, so element marks stay on the elements they belong to (cty's behaviour).
 */

import {
  add,
  and,
  boolType,
  compareStrings,
  convert,
  dynamicType,
  dynamicVal,
  emptyObjectType,
  emptyTupleVal,
  equals,
  falseVal,
  friendlyName,
  greaterThan,
  greaterThanOrEqualTo,
  hasIndex,
  index as indexOp,
  length as lengthOp,
  lessThan,
  lessThanOrEqualTo,
  listType,
  listVal,
  listValEmpty,
  listValOf,
  type Marks,
  mapType,
  mapValOf,
  numberIntVal,
  numberType,
  objectType,
  objectVal,
  setHas,
  setType,
  setValEmpty,
  setValOf,
  stringType,
  stringVal,
  type Type,
  trueVal,
  tupleType,
  tupleVal,
  typeEquals,
  unifyUnsafe,
  unknownVal,
  type Value,
  zeroVal,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";
import { toGoInt } from "./numeric.js";
import { graphemeCount } from "./util-a-text.js";

const isSeqKind = (t: Type): boolean => t.kind === "list" || t.kind === "set" || t.kind === "tuple";

function gocInt(v: Value): { ok: true; value: number } | { ok: false; error: string } {
  try {
    return { ok: true, value: toGoInt(v) };
  } catch (e) {
    if (e instanceof FunctionError) return { ok: false, error: e.message };
    throw e;
  }
}

function withAll(v: Value, marks: readonly Marks[]): Value {
  return marks.length > 0 ? v.withMarks(...marks) : v;
}

// ---- alltrue / anytrue (Packer) -----------------------------------------------------------------------

const alltrue: FunctionSpec = {
  description: 'Returns true if all elements in a given collection are true or "true".',
  params: [{ name: "list", type: listType(boolType) }],
  type: () => boolType,
  impl: ([list]) => {
    let result = trueVal;
    for (const v of list!.asValueSlice()) {
      if (!v.isKnown()) return unknownVal(boolType);
      if (v.isNull()) return falseVal;
      result = and(result, v);
      if (result.isFalse()) return falseVal;
    }
    return result;
  },
};

const anytrue: FunctionSpec = {
  description: 'Returns true if any element in a given collection is true or "true".',
  params: [{ name: "list", type: listType(boolType) }],
  type: () => boolType,
  impl: ([list]) => {
    let hasUnknown = false;
    for (const v of list!.asValueSlice()) {
      if (!v.isKnown()) {
        hasUnknown = true;
        continue;
      }
      if (v.isNull()) continue;
      if (v.isTrue()) return trueVal;
    }
    return hasUnknown ? unknownVal(boolType) : falseVal;
  },
};

// ---- chunklist ----------------------------------------------------------------------------------------

const chunklist: FunctionSpec = {
  description:
    "Splits a single list into multiple lists where each has at most the given number of elements.",
  params: [
    { name: "list", type: listType(dynamicType), allowMarked: true },
    { name: "size", type: numberType, allowMarked: true },
  ],
  type: ([list]) => listType(list!.type),
  impl: ([listArg, sizeArg]) => {
    const [list, listMarks] = listArg!.unmark();
    const [sizeVal, sizeMarks] = sizeArg!.unmark();
    const marks = [listMarks, sizeMarks];
    const size = gocInt(sizeVal);
    if (!size.ok) throw new FunctionError(`invalid size: ${size.error}`);
    if (size.value < 0) throw new FunctionError("the size argument must be positive");
    const elems = list.asValueSlice();
    if (elems.length === 0) return listValEmpty(list.type).withMarks(...marks);
    if (size.value === 0) return listVal([list]).withMarks(...marks);
    const ety = (list.type as { elementType: Type }).elementType;
    const out: Value[] = [];
    for (let i = 0; i < elems.length; i += size.value) {
      out.push(listValOf(ety, elems.slice(i, i + size.value)));
    }
    return listVal(out).withMarks(...marks);
  },
};

// ---- coalesce (go-cty-funcs) / coalescelist ------------------------------------------------------------

const coalesce: FunctionSpec = {
  description: "Returns the first of the given arguments that isn't null or an empty string.",
  params: [],
  varParam: { name: "vals", type: dynamicType, allowUnknown: true, allowDynamicType: true, allowNull: true },
  type: (args) => {
    const u = unifyUnsafe(args.map((a) => a.type));
    if (u === undefined) throw new FunctionError("all arguments must have the same type");
    return u.type;
  },
  impl: (args, retType) => {
    for (const arg of args) {
      const r = convert(arg, retType);
      const v = r.ok ? r.value : arg;
      if (!v.isKnown()) return unknownVal(retType);
      if (v.isNull()) continue;
      if (retType.kind === "string" && v.asString() === "") continue;
      return v;
    }
    throw new FunctionError("no non-null, non-empty-string arguments");
  },
};

const coalescelist: FunctionSpec = {
  description: "Returns the first of the given sequences that has a length greater than zero.",
  params: [],
  varParam: { name: "vals", type: dynamicType, allowUnknown: true, allowDynamicType: true, allowNull: true },
  type: (args) => {
    if (args.length === 0) throw new FunctionError("at least one argument is required");
    for (const arg of args) {
      if (!arg.isKnown()) return dynamicType;
      if (arg.type.kind !== "list" && arg.type.kind !== "tuple") {
        throw new FunctionError("coalescelist arguments must be lists or tuples");
      }
    }
    const first = args[0]!.type;
    return args.every((a) => typeEquals(a.type, first)) ? first : dynamicType;
  },
  impl: (args, retType) => {
    for (const arg of args) {
      if (!arg.isKnown()) return unknownVal(retType);
      if (arg.isNull()) continue;
      if (arg.lengthInt() > 0) return arg;
    }
    throw new FunctionError("no non-null arguments");
  },
};

// ---- compact / concat / contains / distinct -------------------------------------------------------------

const compact: FunctionSpec = {
  description: "Removes all empty string elements from the given list of strings.",
  params: [{ name: "list", type: listType(stringType) }],
  type: () => listType(stringType),
  impl: ([list], retType) => {
    if (!list!.isWhollyKnown()) return unknownVal(retType);
    const out = list!.asValueSlice().filter((v) => !v.isNull() && v.asString() !== "");
    return listValOf(stringType, out);
  },
};

const concat: FunctionSpec = {
  description: "Concatenates together all of the given lists or tuples into a single sequence.",
  params: [],
  varParam: { name: "seqs", type: dynamicType, allowMarked: true },
  type: (args) => {
    if (args.length === 0) throw new FunctionError("at least one argument is required");
    if (args[0]!.type.kind === "list" && args.every((a) => a.type.kind === "list")) {
      const u = unifyUnsafe(args.map((a) => a.type));
      if (u !== undefined) return u.type;
    }
    const etys: Type[] = [];
    for (let i = 0; i < args.length; i++) {
      const [val] = args[i]!.unmarkDeep();
      const t = val.type;
      if (t.kind === "tuple") etys.push(...t.elementTypes);
      else if (t.kind === "list") {
        if (!val.isKnown()) return dynamicType;
        for (let j = 0; j < val.lengthInt(); j++) etys.push(t.elementType);
      } else {
        throw new FunctionArgError(i, `all arguments must be lists or tuples; got ${friendlyName(t)}`);
      }
    }
    return tupleType(etys);
  },
  impl: (args, retType) => {
    const vals: Value[] = [];
    const marks: Marks[] = [];
    if (retType.kind === "list") {
      args.forEach((arg, i) => {
        const r = convert(arg, retType);
        if (!r.ok) throw new FunctionArgError(i, r.error.message);
        const [list, m] = r.value.unmark();
        if (m.size > 0) marks.push(m);
        vals.push(...list.asValueSlice());
      });
      return withAll(listValOf(retType.elementType, vals), marks);
    }
    for (const arg of args) {
      const [seq, m] = arg.unmark();
      if (m.size > 0) marks.push(m);
      vals.push(...seq.asValueSlice());
    }
    return withAll(tupleVal(vals), marks);
  },
};

const contains: FunctionSpec = {
  description:
    "Returns true if the given value is a value in the given list, tuple, or set, or false otherwise.",
  params: [
    { name: "list", type: dynamicType },
    { name: "value", type: dynamicType },
  ],
  type: () => boolType,
  impl: ([list, value]) => {
    if (!isSeqKind(list!.type)) throw new FunctionError("argument must be list, tuple, or set");
    if (list!.isNull()) throw new FunctionError("cannot search a nil list or set");
    if (list!.lengthInt() === 0) return falseVal;
    if (!list!.isKnown() || !value!.isKnown()) return unknownVal(boolType);
    let containsUnknown = false;
    for (const v of list!.asValueSlice()) {
      const eq = equals(value!, v);
      if (!eq.isKnown()) {
        containsUnknown = true;
        continue;
      }
      if (eq.isTrue()) return trueVal;
    }
    return containsUnknown ? unknownVal(boolType) : falseVal;
  },
};

const distinct: FunctionSpec = {
  description:
    "Removes any duplicate values from the given list, preserving the order of remaining elements.",
  params: [{ name: "list", type: listType(dynamicType) }],
  type: ([list]) => list!.type,
  impl: ([list], retType) => {
    if (!list!.isWhollyKnown()) return unknownVal(retType);
    const out: Value[] = [];
    for (const v of list!.asValueSlice()) {
      if (!out.some((e) => equals(e, v).isTrue())) out.push(v);
    }
    return listValOf((retType as { elementType: Type }).elementType, out);
  },
};

// ---- element / flatten / index / keys / length / lookup -------------------------------------------------

const element: FunctionSpec = {
  description: "Retrieves a single element from a list.",
  params: [
    { name: "list", type: dynamicType, allowMarked: true },
    { name: "index", type: numberType },
  ],
  type: ([list, idx]) => {
    if (idx!.isKnown() && lessThan(idx!, zeroVal).isTrue()) {
      throw new FunctionError("cannot use element function with a negative index");
    }
    const t = list!.type;
    if (t.kind === "list") return t.elementType;
    if (t.kind === "tuple") {
      if (!idx!.isKnown()) return dynamicType;
      const i = gocInt(idx!);
      if (!i.ok) throw new FunctionError(`invalid index: ${i.error}`);
      if (t.elementTypes.length === 0)
        throw new FunctionError("cannot use element function with an empty list");
      return t.elementTypes[i.value % t.elementTypes.length]!;
    }
    throw new FunctionError(`cannot read elements from ${friendlyName(t)}`);
  },
  impl: ([list, idx], retType) => {
    const i = gocInt(idx!);
    if (!i.ok) throw new FunctionError(`invalid index: ${i.error}`);
    if (i.value < 0) throw new FunctionError("cannot use element function with a negative index");
    const [input, marks] = list!.unmark();
    if (!input.isKnown()) return unknownVal(retType);
    const l = input.lengthInt();
    if (l === 0) throw new FunctionError("cannot use element function with an empty list");
    return indexOp(input, numberIntVal(i.value % l)).withMarks(marks);
  },
};

/** cty's flattener: the flattened elements, the marks met on the way, and whether all were known. */
function flattener(listArg: Value): [Value[], Marks[], boolean] {
  const marks: Marks[] = [];
  const [list, m] = listArg.unmark();
  if (m.size > 0) marks.push(m);
  if (!lengthOp(list).isKnown()) return [[], marks, false];
  const out: Value[] = [];
  let known = true;
  for (const val of list.asValueSlice()) {
    if (val.type.kind === "dynamic" && !val.isKnown()) known = false;
    if (!val.isNull() && isSeqKind(val.type)) {
      if (!val.isKnown()) {
        known = false;
        marks.push(val.unmark()[1]);
        continue;
      }
      const [res, resMarks, resKnown] = flattener(val);
      marks.push(...resMarks);
      if (resKnown) out.push(...res);
      else known = false;
    } else {
      out.push(val);
    }
  }
  return [out, marks, known];
}

const flatten: FunctionSpec = {
  description:
    "Transforms a list, set, or tuple value into a tuple by replacing any given elements that are themselves sequences with a flattened tuple of all of the nested elements concatenated together.",
  params: [{ name: "list", type: dynamicType, allowMarked: true }],
  type: ([list]) => {
    if (!list!.isWhollyKnown()) return dynamicType;
    if (!isSeqKind(list!.type)) throw new FunctionError("can only flatten lists, sets and tuples");
    const [out, , known] = flattener(list!);
    if (!known) return dynamicType;
    return tupleType(out.map((v) => v.type));
  },
  impl: ([list], retType) => {
    const [unmarked, marks] = list!.unmark();
    if (unmarked.lengthInt() === 0) return emptyTupleVal.withMarks(marks);
    const [out, markses, known] = flattener(list!);
    if (!known) return withAll(unknownVal(retType), markses);
    return withAll(tupleVal(out), markses);
  },
};

const index: FunctionSpec = {
  description: "Finds the element index for a given value in a list.",
  params: [
    { name: "list", type: dynamicType },
    { name: "value", type: dynamicType },
  ],
  type: () => numberType,
  impl: ([list, value]) => {
    const t = list!.type;
    if (t.kind !== "list" && t.kind !== "tuple") throw new FunctionError("argument must be a list or tuple");
    if (!list!.isKnown()) return unknownVal(numberType);
    if (list!.lengthInt() === 0) throw new FunctionError("cannot search an empty list");
    const elems = list!.asValueSlice();
    for (let i = 0; i < elems.length; i++) {
      const eq = equals(elems[i]!, value!);
      if (!eq.isKnown()) return unknownVal(numberType);
      if (eq.isTrue()) return numberIntVal(i);
    }
    throw new FunctionError("item not found");
  },
};

const keys: FunctionSpec = {
  description: "Returns a list of the keys of the given map in lexicographical order.",
  params: [{ name: "inputMap", type: dynamicType, allowUnknown: true, allowMarked: true }],
  type: ([m]) => {
    const t = m!.type;
    if (t.kind === "map") return listType(stringType);
    if (t.kind === "object") return tupleType([...t.attributeTypes.keys()].map(() => stringType));
    throw new FunctionArgError(0, "must have map or object type");
  },
  impl: ([mArg], retType) => {
    const [m, marks] = mArg!.unmark();
    if (m.type.kind === "object") {
      return tupleVal([...m.type.attributeTypes.keys()].map((k) => stringVal(k))).withMarks(marks);
    }
    if (!m.isKnown()) return unknownVal(retType).withMarks(marks);
    return listValOf(
      stringType,
      [...m.asValueMap().keys()].map((k) => stringVal(k)),
    ).withMarks(marks);
  },
};

const length: FunctionSpec = {
  description: "Returns the number of elements in a collection or structure, or of characters in a string.",
  params: [{ name: "value", type: dynamicType, allowDynamicType: true, allowUnknown: true }],
  type: ([v]) => {
    const k = v!.type.kind;
    if (k === "bool" || k === "number") {
      throw new FunctionError("argument must be a string, a collection type, or a structural type");
    }
    return numberType;
  },
  impl: ([v]) => {
    const t = v!.type;
    switch (t.kind) {
      case "dynamic":
        return unknownVal(numberType);
      case "tuple":
        return numberIntVal(t.elementTypes.length);
      case "object":
        return numberIntVal(t.attributeTypes.size);
      case "string":
        return v!.isKnown() ? numberIntVal(graphemeCount(v!.asString())) : unknownVal(numberType);
      default:
        return lengthOp(v!);
    }
  },
};

const lookup: FunctionSpec = {
  description:
    "Retrieves the value of a single element from a map, given its key, or the default if not present.",
  params: [
    { name: "inputMap", type: dynamicType, allowMarked: true },
    { name: "key", type: stringType, allowMarked: true },
    { name: "default", type: dynamicType, allowMarked: true },
  ],
  type: ([m, keyArg, def]) => {
    const t = m!.type;
    if (t.kind === "object") {
      if (!keyArg!.isKnown()) return dynamicType;
      const key = keyArg!.unmark()[0].asString();
      const at = t.attributeTypes.get(key);
      if (at !== undefined) return at;
      return def!.type;
    }
    if (t.kind === "map") {
      if (!convert(def!, t.elementType).ok) {
        throw new FunctionArgError(2, "the default value must have the same type as the map elements");
      }
      return t.elementType;
    }
    throw new FunctionArgError(0, "lookup() requires a map as the first argument");
  },
  impl: ([mArg, keyArg, def], retType) => {
    const [m, mapMarks] = mArg!.unmark();
    const [keyVal, keyMarks] = keyArg!.unmark();
    const marks = [mapMarks, keyMarks];
    const key = keyVal.asString();
    if (!m.isWhollyKnown()) return unknownVal(retType).withMarks(...marks);
    if (m.type.kind === "object") {
      const attrs = m.asValueMap();
      if (attrs.has(key)) return attrs.get(key)!.withMarks(...marks);
    } else if (hasIndex(m, stringVal(key)).isTrue()) {
      return indexOp(m, stringVal(key)).withMarks(...marks);
    }
    const r = convert(def!, retType);
    if (!r.ok) throw new FunctionError(r.error.message);
    return r.value.withMarks(...marks);
  },
};

// ---- merge ---------------------------------------------------------------------------------------------

const merge: FunctionSpec = {
  description:
    "Merges all of the elements from the given maps into a single map, or the attributes from given objects into a single object.",
  params: [],
  varParam: { name: "maps", type: dynamicType, allowDynamicType: true, allowNull: true, allowMarked: true },
  type: (args) => {
    if (args.length === 0) return emptyObjectType;
    const attrs = new Map<string, Type>();
    let first: Type | undefined;
    let matching = true;
    let attrsKnown = true;
    for (let i = 0; i < args.length; i++) {
      const t = args[i]!.type;
      if (t.kind === "dynamic") return dynamicType;
      if (t.kind !== "map" && t.kind !== "object") {
        throw new FunctionError(`arguments must be maps or objects, got ${JSON.stringify(friendlyName(t))}`);
      }
      const [arg] = args[i]!.unmark();
      if (t.kind === "object" && !arg.isNull()) {
        for (const [name, at] of t.attributeTypes) attrs.set(name, at);
      } else if (t.kind === "map") {
        if (arg.isNull()) {
          // contributes nothing
        } else if (arg.isKnown()) {
          for (const k of arg.asValueMap().keys()) attrs.set(k, t.elementType);
        } else {
          attrsKnown = false;
        }
      }
      if (i === 0) {
        first = t;
        continue;
      }
      if (!typeEquals(t, first!)) matching = false;
    }
    if (matching) return first!;
    if (!attrsKnown) return dynamicType;
    return objectType(attrs);
  },
  impl: (args, retType) => {
    const out = new Map<string, Value>();
    const marks: Marks[] = [];
    for (const argIn of args) {
      if (argIn.isNull()) continue;
      const [arg, m] = argIn.unmark();
      if (m.size > 0) marks.push(m);
      // A null argument of dynamic type makes `type` give up early, so a non-map can get here; Packer
      // reports cty's panic for it.
      if (arg.type.kind !== "map" && arg.type.kind !== "object") {
        throw new FunctionError(
          "panic in function implementation: attempt to iterate on non-collection, non-tuple type",
        );
      }
      for (const [k, v] of arg.asValueMap()) out.set(k, v);
    }
    if (retType.kind === "map") return withAll(mapValOf(retType.elementType, out), marks);
    return withAll(objectVal(out), marks);
  },
};

// ---- range ---------------------------------------------------------------------------------------------

function addOrPanic(a: Value, b: Value): Value {
  const r = add(a, b);
  if (!r.ok)
    throw new FunctionError("panic in function implementation: addition of infinities with opposite signs");
  return r.value;
}

const range: FunctionSpec = {
  description: "Returns a list of numbers spread evenly over a particular range.",
  params: [],
  varParam: { name: "params", type: numberType },
  type: () => listType(numberType),
  impl: (args) => {
    let start: Value;
    let end: Value;
    let step: Value;
    switch (args.length) {
      case 1:
        [start, end, step] = [zeroVal, args[0]!, numberIntVal(lessThan(args[0]!, zeroVal).isTrue() ? -1 : 1)];
        break;
      case 2:
        [start, end, step] = [
          args[0]!,
          args[1]!,
          numberIntVal(lessThan(args[1]!, args[0]!).isTrue() ? -1 : 1),
        ];
        break;
      case 3:
        [start, end, step] = [args[0]!, args[1]!, args[2]!];
        break;
      default:
        throw new FunctionError("must have one, two, or three arguments");
    }
    // cty tests `step == cty.Zero` by Go value identity, which a step given by the caller never has, so a
    // zero step is not rejected: it yields an empty list or runs into the 1024-element limit.
    const down = lessThan(step, zeroVal).isTrue();
    if (down) {
      if (greaterThan(end, start).isTrue()) {
        throw new FunctionArgError(1, "end must be less than start when step is negative");
      }
    } else if (lessThan(end, start).isTrue()) {
      throw new FunctionArgError(1, "end must be greater than start when step is positive");
    }
    const vals: Value[] = [];
    let num = start;
    for (;;) {
      if (down ? lessThanOrEqualTo(num, end).isTrue() : greaterThanOrEqualTo(num, end).isTrue()) break;
      if (vals.length >= 1024) {
        throw new FunctionError(
          "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
        );
      }
      vals.push(num);
      num = addOrPanic(num, step);
    }
    return listValOf(numberType, vals);
  },
};

// ---- reverse / set functions / slice / sort / values / zipmap ------------------------------------------

const reverse: FunctionSpec = {
  description: "Returns the given list with its elements in reverse order.",
  params: [{ name: "list", type: dynamicType, allowMarked: true }],
  type: ([list]) => {
    const t = list!.type;
    if (t.kind === "tuple") return tupleType([...t.elementTypes].reverse());
    if (t.kind === "list" || t.kind === "set") return listType(t.elementType);
    throw new FunctionArgError(0, `can only reverse list or tuple values, not ${friendlyName(t)}`);
  },
  impl: ([list], retType) => {
    const [input, marks] = list!.unmark();
    const out = input.asValueSlice().reverse();
    if (retType.kind === "tuple") return tupleVal(out).withMarks(marks);
    return listValOf((retType as { elementType: Type }).elementType, out).withMarks(marks);
  },
};

function setOperationType(args: readonly Value[]): Type {
  const etys: Type[] = [];
  for (const arg of args) {
    const ety = arg.type.kind === "set" ? arg.type.elementType : dynamicType;
    if (arg.isKnown() && arg.lengthInt() === 0 && ety.kind === "dynamic") continue;
    etys.push(ety);
  }
  if (etys.length === 0) return setType(dynamicType);
  const u = unifyUnsafe(etys);
  if (u === undefined) throw new FunctionError("given sets must all have compatible element types");
  return setType(u.type);
}

function setOperation(
  description: string,
  op: (a: Value[], b: Value) => Value[],
  allowUnknowns: boolean,
): FunctionSpec {
  return {
    description,
    params: [{ name: "first_set", type: setType(dynamicType), allowDynamicType: true }],
    varParam: { name: "other_sets", type: setType(dynamicType), allowDynamicType: true },
    type: setOperationType,
    impl: (args, retType) => {
      const ety = (retType as { elementType: Type }).elementType;
      let elems: Value[] = [];
      for (let i = 0; i < args.length; i++) {
        const r = convert(args[i]!, retType);
        if (!r.ok) throw new FunctionArgError(i, r.error.message);
        if (!allowUnknowns && !r.value.isWhollyKnown()) return unknownVal(retType);
        elems = i === 0 ? r.value.asValueSlice() : op(elems, r.value);
      }
      return setValOf(ety, elems);
    },
  };
}

const setunion = setOperation(
  "Returns the union of all given sets.",
  (a, b) => [...a, ...b.asValueSlice()],
  true,
);
const setintersection = setOperation(
  "Returns the intersection of all given sets.",
  (a, b) => a.filter((v) => setHas(b, v)),
  false,
);

const setproduct: FunctionSpec = {
  description: "Calculates the cartesian product of two or more sets.",
  params: [],
  varParam: { name: "sets", type: dynamicType, allowMarked: true, allowUnknown: true },
  type: (args) => {
    if (args.length < 2) throw new FunctionError("at least two arguments are required");
    let listCount = 0;
    const elemTys: Type[] = [];
    args.forEach((arg, i) => {
      const t = arg.type;
      if (t.kind === "set") elemTys.push(t.elementType);
      else if (t.kind === "list") {
        elemTys.push(t.elementType);
        listCount++;
      } else if (t.kind === "tuple") {
        listCount++;
        if (t.elementTypes.length === 0) {
          elemTys.push(dynamicType);
          return;
        }
        const u = unifyUnsafe(t.elementTypes);
        if (u === undefined) throw new FunctionArgError(i, "all elements must be of the same type");
        elemTys.push(u.type);
      } else {
        throw new FunctionArgError(i, "a set or a list is required");
      }
    });
    const ety = tupleType(elemTys);
    return listCount === args.length ? listType(ety) : setType(ety);
  },
  impl: (args, retType) => {
    const ety = (retType as { elementType: Type }).elementType;
    const subEtys = (ety as { elementTypes: readonly Type[] }).elementTypes;
    const marks: Marks[] = [];
    let total = 1;
    let unknownLength = false;
    const unmarked = args.map((a) => {
      const [u, m] = a.unmark();
      if (m.size > 0) marks.push(m);
      if (!(u.isKnown() && lengthOp(u).isKnown())) unknownLength = true;
      else total *= u.lengthInt();
      return u;
    });
    if (unknownLength) return withAll(unknownVal(retType), marks);
    const make = (elems: Value[]): Value =>
      retType.kind === "list"
        ? listValOf(ety, elems)
        : elems.length === 0
          ? setValEmpty(ety)
          : setValOf(ety, elems);
    if (total === 0) return withAll(make([]), marks);

    const argVals = unmarked.map((u) => u.asValueSlice());
    const product: Value[] = [];
    const n = new Array<number>(args.length).fill(0);
    for (let i = 0; i < total; i++) {
      const tuple = n.map((k, j) => {
        const val = argVals[j]![k]!;
        const want = subEtys[j]!;
        if (typeEquals(val.type, want)) return val;
        const r = convert(val, want);
        if (!r.ok) {
          throw new FunctionError(
            `failed to convert argVals[${j}][${k}] to ${friendlyName(want)}; this is a bug in cty`,
          );
        }
        return r.value;
      });
      product.push(tupleVal(tuple));
      for (let j = n.length - 1; j >= 0; j--) {
        n[j]!++;
        if (n[j]! < argVals[j]!.length) break;
        n[j] = 0;
      }
    }
    return withAll(make(product), marks);
  },
};

function sliceIndexes(args: readonly Value[]): { start: number; end: number; known: boolean } {
  const [list] = args[0]!.unmark();
  let length: number | undefined;
  if (list.type.kind === "tuple" || lengthOp(list).isKnown()) length = list.lengthInt();
  let start = 0;
  let end = 0;
  let startKnown = false;
  let endKnown = false;
  if (args[1]!.isKnown()) {
    const r = gocInt(args[1]!);
    if (!r.ok) throw new FunctionArgError(1, `invalid start index: ${r.error}`);
    start = r.value;
    if (start < 0) throw new FunctionArgError(1, "start index must not be less than zero");
    if (length !== undefined && start > length) {
      throw new FunctionArgError(1, "start index must not be greater than the length of the list");
    }
    startKnown = true;
  }
  if (args[2]!.isKnown()) {
    const r = gocInt(args[2]!);
    if (!r.ok) throw new FunctionArgError(2, `invalid end index: ${r.error}`);
    end = r.value;
    if (end < 0) throw new FunctionArgError(2, "end index must not be less than zero");
    if (length !== undefined && end > length) {
      throw new FunctionArgError(2, "end index must not be greater than the length of the list");
    }
    endKnown = true;
  }
  if (startKnown && endKnown && start > end) {
    throw new FunctionArgError(1, "start index must not be greater than end index");
  }
  return { start, end, known: startKnown && endKnown };
}

const slice: FunctionSpec = {
  description: "Extracts a subslice of the given list or tuple value.",
  params: [
    { name: "list", type: dynamicType, allowMarked: true },
    { name: "start_index", type: numberType },
    { name: "end_index", type: numberType },
  ],
  type: (args) => {
    const t = args[0]!.type;
    if (t.kind === "set") {
      throw new FunctionArgError(
        0,
        "cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important",
      );
    }
    if (t.kind !== "list" && t.kind !== "tuple")
      throw new FunctionArgError(0, "must be a list or tuple value");
    const { start, end, known } = sliceIndexes(args);
    if (t.kind === "list") return t;
    if (!known) return dynamicType;
    return tupleType(t.elementTypes.slice(start, end));
  },
  impl: (args, retType) => {
    const [input, marks] = args[0]!.unmark();
    if (retType.kind === "dynamic") return dynamicVal.withMarks(marks);
    const { start, end } = sliceIndexes(args);
    const out = input.asValueSlice().slice(start, end);
    if (retType.kind === "tuple") return tupleVal(out).withMarks(marks);
    return listValOf((retType as { elementType: Type }).elementType, out).withMarks(marks);
  },
};

const sort: FunctionSpec = {
  description: "Applies a lexicographic sort to the elements of the given list.",
  params: [{ name: "list", type: listType(stringType), allowUnknown: true }],
  type: () => listType(stringType),
  impl: ([list], retType) => {
    if (!list!.isWhollyKnown()) return unknownVal(retType);
    const elems = list!.asValueSlice();
    if (elems.length === 0) return list!;
    const strs = elems.map((v, i) => {
      if (v.isNull())
        throw new FunctionError(`given list element ${i} is null; a null string cannot be sorted`);
      return v.asString();
    });
    strs.sort(compareStrings); // Go sort.Strings: UTF-8 byte order
    return listVal(strs.map((s) => stringVal(s)));
  },
};

const values: FunctionSpec = {
  description: "Returns a list of the values of the given map, in the order of their keys.",
  params: [{ name: "mapping", type: dynamicType, allowMarked: true }],
  type: ([m]) => {
    const t = m!.type;
    if (t.kind === "map") return listType(t.elementType);
    if (t.kind === "object") return tupleType([...t.attributeTypes.values()]);
    throw new FunctionError("values() requires a map as the first argument");
  },
  impl: ([mArg], retType) => {
    const [m, marks] = mArg!.unmark();
    const vals = [...m.asValueMap().values()];
    if (retType.kind === "tuple") return tupleVal(vals).withMarks(marks);
    return listValOf((retType as { elementType: Type }).elementType, vals).withMarks(marks);
  },
};

const zipmap: FunctionSpec = {
  description: "Constructs a map from a list of keys and a corresponding list of values.",
  params: [
    { name: "keys", type: listType(stringType), allowMarked: true },
    { name: "values", type: dynamicType, allowMarked: true },
  ],
  type: ([keysArg, valuesArg]) => {
    const vt = valuesArg!.type;
    if (vt.kind === "list") return mapType(vt.elementType);
    if (vt.kind === "tuple") {
      if (!keysArg!.isWhollyKnown()) return dynamicType;
      const [keysVal] = keysArg!.unmark();
      const ks = keysVal.asValueSlice();
      if (ks.length !== vt.elementTypes.length) {
        throw new FunctionError(
          `number of keys (${ks.length}) does not match number of values (${vt.elementTypes.length})`,
        );
      }
      const atys = new Map<string, Type>();
      ks.forEach((kIn, i) => {
        const [k] = kIn.unmark();
        if (k.isNull()) throw new FunctionError(`keys list has null value at index ${i}`);
        atys.set(k.asString(), vt.elementTypes[i]!);
      });
      return objectType(atys);
    }
    throw new FunctionError("values argument must be a list or tuple value");
  },
  impl: ([keysArg, valuesArg], retType) => {
    const [ks, keysMarks] = keysArg!.unmark();
    const [vs, valuesMarks] = valuesArg!.unmark();
    const marks: Marks[] = [keysMarks, valuesMarks];
    if (!ks.isWhollyKnown()) return unknownVal(retType).withMarks(...marks);
    const keyList = ks.asValueSlice();
    const valList = vs.asValueSlice();
    if (keyList.length !== valList.length) {
      throw new FunctionError(
        `number of keys (${keyList.length}) does not match number of values (${valList.length})`,
      );
    }
    const out = new Map<string, Value>();
    keyList.forEach((kIn, i) => {
      const [k, km] = kIn.unmark();
      if (k.isNull()) throw new FunctionError("panic in function implementation: value is null");
      out.set(k.asString(), valList[i]!);
      marks.push(km);
    });
    if (retType.kind === "map") return mapValOf(retType.elementType, out).withMarks(...marks);
    if (retType.kind === "object") return objectVal(out).withMarks(...marks);
    throw new FunctionError(
      `internally selected incorrect result type ${friendlyName(retType)} (this is a bug)`,
    );
  },
};

export const collectionFunctions: Record<string, FunctionSpec> = {
  alltrue,
  anytrue,
  chunklist,
  coalesce,
  coalescelist,
  compact,
  concat,
  contains,
  distinct,
  element,
  flatten,
  index,
  keys,
  length,
  lookup,
  merge,
  range,
  reverse,
  setintersection,
  setproduct,
  setunion,
  slice,
  sort,
  values,
  zipmap,
};
