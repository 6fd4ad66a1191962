/**
 * kiln's HCL value and type system, modelled on go-cty v1.13 (the version Packer builds with). Everything
 * the evaluator, functions, decoder and plugins need about values is exported from here.
 *
 * TYPES (types.ts) — immutable objects discriminated by `kind`:
 *   stringType, numberType, boolType, dynamicType (`any`), listType(T), setType(T), mapType(T),
 *   objectType({a: T} | [[name, T]...], optional?: names), tupleType([T...]), emptyObjectType, emptyTupleType.
 *   Compare with typeEquals(a, b) (never ===). Object attributes are NFC-normalized, in UTF-8 byte order.
 *   friendlyName(t) ("list of string", "object"), friendlyNameForConstraint(t) ("any type", "list of any
 *   single type"), typeString(t) (HCL syntax: "list(string)", "object({a=string})", "any"), typeGoString(t).
 *   isPrimitiveType / isCollectionType / isStructuralType / hasDynamicTypes / withoutOptionalAttributesDeep.
 *
 * VALUES (value.ts) — class Value { type, marks } built only through constructors:
 *   stringVal(s) (NFC-normalized), numberVal(BigFloat), numberIntVal(n|bigint), numberFloatVal(f),
 *   parseNumberVal(s) -> {ok, value}|{ok:false, error:"a number is required"}, boolVal(b), trueVal, falseVal,
 *   zeroVal, positiveInfinity, negativeInfinity, nullVal(T), unknownVal(T), dynamicVal (unknown of dynamic),
 *   listVal([...]) (non-empty, same types), listValEmpty(T), listValOf(T, [...]), setVal / setValEmpty /
 *   setValOf (set.ts), mapVal(record|Map|entries) / mapValEmpty(T) / mapValOf, objectVal(record|Map|entries),
 *   tupleVal([...]), emptyObjectVal, emptyTupleVal, canListVal / canSetVal / canMapVal.
 *   State: isKnown(), isNull(), isWhollyKnown(), hasWhollyKnownType().
 *   Accessors (value must be known, non-null and NOT MARKED, else ValueUsageError): asString(), asBigFloat(),
 *   asNumber() (float64), asBool(), isTrue(), isFalse(), elements() ([key, elem] pairs: index numbers for
 *   lists/tuples, the element for sets, names for maps/objects in byte order), forEachElement(cb),
 *   asValueSlice(), asValueMap(), lengthInt() (tuples/objects even when unknown), canIterateElements().
 *   Misusing the API throws ValueUsageError (a bug, like a cty panic); user errors are returned as results.
 *
 * MARKS — strings; SENSITIVE = "sensitive". Marks sit on the value they were applied to (a list is not marked
 *   because an element is); set elements can't be marked (their marks move to the set). Methods: mark(m),
 *   withMarks(...sets), withSameMarks(...values), unmark() -> [value, marks], unmarkDeep() -> [value, all
 *   marks], unmarkDeepWithPaths() -> [value, PathValueMarks[]], markWithPaths(pvms), isMarked(), hasMark(m),
 *   containsMarked(). Free-function forms: unmark, withMarks, marksOf, unmarkDeep, unmarkDeepWithPaths,
 *   markWithPaths, isSensitive. Contract for every function and operator: unmark the inputs you read,
 *   compute, and re-apply the union of their marks to the result (the operations below already do).
 *
 * NUMBERS (big-float.ts) — BigFloat reproduces Go's math/big.Float exactly (binary, per-value precision:
 *   512 bits for literals and parsed strings, 64 for numberIntVal, 53 for numberFloatVal). Methods: add, sub,
 *   mul, quo (throw BigFloatNaNError where Go panics), negate, abs, cmp, sign, isInt, isInf, isZero, signBit,
 *   toBigInt (truncating), toInt64, toFloat64, text(fmt 'e'|'E'|'f'|'g'|'G', prec) (prec -1 = shortest),
 *   withPrec, minPrec; statics parse(s, prec=512), fromInt, fromFloat64, infinity, zero.
 *   number -> string conversion is text('f', -1): 1/3 -> "0.333…335" (157 digits), 1e20+1 -> exact.
 *
 * OPERATIONS (cty semantics: marks propagate, unknown operands give unknown results):
 *   equals(a, b) / notEquals -> bool Value (unknown if undecidable, null == null of any type is true),
 *   rawEquals(a, b) -> boolean (identity incl. marks; for tests), length(v) -> number Value,
 *   index(coll, key), getAttr(obj, name), hasIndex(coll, key), hasElement(set, v), not, and, or
 *   (operations.ts; preconditions throw ValueUsageError — validate first),
 *   add, subtract, multiply, divide, modulo -> NumberResult {ok, value}|{ok:false, error} (cty messages for
 *   NaN cases; x/0 = ±Inf as in Packer), negate, absolute, lessThan, lessThanOrEqualTo, greaterThan,
 *   greaterThanOrEqualTo (number-ops.ts).
 *
 * CONVERSION (convert.ts, unify.ts, conversion-messages.ts):
 *   convert(v, T) -> ConvertResult {ok:true, value} | {ok:false, error: {message, path}} (unsafe conversions
 *   allowed, as HCL uses it); getConversion(in, out) (safe) / getConversionUnsafe -> Conversion | undefined;
 *   unify(types) / unifyUnsafe(types) -> {type, conversions[]} | undefined; mismatchMessage(got, want).
 *
 * HCL TRAVERSAL (traversal.ts): traverseIndex(coll, key) / traverseAttr(obj, name) -> {ok:true, value} |
 *   {ok:false, summary, detail}: hcl.Index / hcl.GetAttr with HCL's diagnostic texts ("Invalid index",
 *   "Unsupported attribute", ...); add the source range to make a Diagnostic.
 *
 * TYPE CONSTRAINTS (type-constraint.ts): TypeConstraint {type, defaults?}; TypeDefaults {type, defaultValues,
 *   children} as HCL's typeexpr.Defaults (children keyed by attribute name, tuple index, or "" for
 *   collection elements); collectionDefaults / structuredDefaults build them like typeexpr does;
 *   applyDefaults(defaults, v); convertToConstraint(v, constraint) = apply defaults (unless null) + convert.
 *
 * JSON (json.ts): valueToJSON(v, type = v.type) -> {ok, json}|{ok:false, error}; valueFromJSON(text, type);
 *   impliedTypeFromJSON(text); decodeJSONWithImpliedType(text) (jsondecode); typeToJSON / typeFromJSON.
 *   Go's encoding/json messages ("invalid character 'x' looking for beginning of value", "EOF").
 *
 * DISPLAY (format.ts): formatValueHCL(v) prints like `packer console` (<unknown>, <sensitive>, quoted nested
 *   strings, %g floats); goFormatFloatG(f). valueGoString(v) renders cty Go syntax for debugging/tests.
 *
 * NATIVE DATA (native.ts): valueFromNative(js) (implied types), valueToNative(v) (wholly known, unmarked).
 * INTEGER ARGUMENTS (integers.ts): toInt(v) / toInt64(v) -> {ok, value}|{ok:false, error} with gocty's
 *   "value must be a whole number, between -9223372036854775808 and 9223372036854775807".
 *
 * A typical function body (what cty's function machinery does for parameters that don't allow marks):
 *   const [s, marks] = arg.unmark();            // or unmarkDeep() for functions that walk collections
 *   if (!s.isKnown()) return unknownVal(stringType).withMarks(marks);
 *   return stringVal(s.asString().toUpperCase()).withMarks(marks);
 *
 * Paths (path.ts): PathStep = {kind:"getAttr", name} | {kind:"index", key: Value}; Path = PathStep[].
 *
 * NOT MODELLED: cty's unknown-value refinements (cty >= 1.13 can know "not null" or a string prefix of an
 * unknown); unknowns here carry only their type. Capsule types.
 */

export {
  BigFloat,
  type BigFloatFormat,
  BigFloatNaNError,
} from "./big-float.js";
export { mismatchMessage } from "./conversion-messages.js";
export {
  type Conversion,
  type ConversionError,
  type ConvertResult,
  convert,
  dynamicReplace,
  getConversion,
  getConversionUnsafe,
} from "./convert.js";
export { equals, equivalent, notEquals, rawEquals } from "./equality.js";
export { formatValueHCL, goFormatFloatG } from "./format.js";
export { goJSONString } from "./go-json.js";
export { type BigIntResult, type IntResult, toInt, toInt64 } from "./integers.js";
export {
  decodeJSONWithImpliedType,
  type FromJSONResult,
  type ImpliedTypeResult,
  impliedTypeFromJSON,
  type JSONError,
  type ToJSONResult,
  typeFromJSON,
  typeToJSON,
  valueFromJSON,
  valueToJSON,
} from "./json.js";
export {
  isSensitive,
  marksOf,
  markWithPaths,
  unmark,
  unmarkDeep,
  unmarkDeepWithPaths,
  withMarks,
} from "./marks.js";
export { type NativeValue, valueFromNative, valueToNative } from "./native.js";
export {
  absolute,
  add,
  divide,
  greaterThan,
  greaterThanOrEqualTo,
  lessThan,
  lessThanOrEqualTo,
  modulo,
  multiply,
  type NumberResult,
  negate,
  subtract,
} from "./number-ops.js";
export { and, getAttr, hasElement, hasIndex, index, length, not, or } from "./operations.js";
export {
  emptyPath,
  type GetAttrStep,
  getAttrStep,
  type IndexStep,
  indexStep,
  type Path,
  type PathStep,
  pathAppend,
} from "./path.js";
export { canSetVal, setHas, setVal, setValEmpty, setValOf } from "./set.js";
export { compareStrings, normalizeString } from "./string-order.js";
export { type TraversalResult, traverseAttr, traverseIndex } from "./traversal.js";
export {
  applyDefaults,
  collectionDefaults,
  convertToConstraint,
  structuredDefaults,
  type TypeConstraint,
  type TypeDefaults,
} from "./type-constraint.js";
export {
  type AttributeTypesInput,
  type BoolType,
  boolType,
  type CollectionType,
  conformanceErrors,
  type DynamicType,
  dynamicType,
  emptyObjectType,
  emptyTupleType,
  friendlyName,
  friendlyNameForConstraint,
  hasAttribute,
  hasDynamicTypes,
  isCollectionType,
  isPrimitiveType,
  isStructuralType,
  type ListType,
  listType,
  type MapType,
  mapType,
  type NumberType,
  numberType,
  type ObjectType,
  objectType,
  type PrimitiveType,
  type SetType,
  type StringType,
  type StructuralType,
  setType,
  stringType,
  type TupleType,
  type Type,
  type TypeKind,
  tupleType,
  typeEquals,
  typeGoString,
  typeString,
  withoutOptionalAttributesDeep,
} from "./types.js";
export { type Unified, unify, unifyUnsafe } from "./unify.js";
export {
  boolVal,
  canListVal,
  canMapVal,
  collectionElementType,
  dynamicVal,
  emptyObjectVal,
  emptyTupleVal,
  falseVal,
  listVal,
  listValEmpty,
  listValOf,
  type Marks,
  mapVal,
  mapValEmpty,
  mapValOf,
  negativeInfinity,
  noMarks,
  nullVal,
  numberFloatVal,
  numberIntVal,
  numberVal,
  objectVal,
  type ParseNumberResult,
  type PathValueMarks,
  parseNumberVal,
  positiveInfinity,
  SENSITIVE,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
  Value,
  type ValueEntries,
  ValueUsageError,
  valueGoString,
  zeroVal,
} from "./value.js";
