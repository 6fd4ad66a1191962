/**
 * Decoder specifications (HCL's hcldec specs): a declarative description of how a Body maps to a Value.
 * Plugins declare their configuration schemas with these (a builder's config is an ObjectSpec of AttrSpecs
 * and block specs), and `decode` (decode.ts) turns a body into a value with HCL's diagnostics.
 *
 * A spec is plain data, a union discriminated by `kind`:
 *
 *   { kind: "object", attributes: { name: { kind: "attr", name: "name", type: stringType, required: true },
 *                                    disk: { kind: "blockList", typeName: "disk", nested: {...} } } }
 *
 * The result type of a spec is known before decoding (impliedType), except where noted (blockTuple,
 * blockObject, expr, and `any` types inside attr specs). An absent optional item decodes to a null of the
 * item's type (an empty collection for block collections).
 */
import type { Diagnostic } from "../diagnostic.js";
import type { EvalContext } from "../eval/context.js";
import type { Type, Value } from "../value/index.js";
import type { HclExpression } from "./body.js";

/** An object whose attributes are decoded from the same body by the given specs (hcldec.ObjectSpec). */
export interface ObjectSpec {
  readonly kind: "object";
  readonly attributes: Readonly<Record<string, Spec>>;
}

/** A tuple whose elements are decoded from the same body by the given specs (hcldec.TupleSpec). */
export interface TupleSpec {
  readonly kind: "tuple";
  readonly elements: readonly Spec[];
}

/**
 * The value of the argument `name`, converted to `type` (hcldec.AttrSpec). `dynamicType` (`any`) keeps the
 * value's own type. Absent: null of `type`, or "Missing required argument" when `required`.
 */
export interface AttrSpec {
  readonly kind: "attr";
  readonly name: string;
  readonly type: Type;
  readonly required?: boolean;
}

/** A fixed value; the body is not read (hcldec.LiteralSpec). */
export interface LiteralSpec {
  readonly kind: "literal";
  readonly value: Value;
}

/** The value of a given expression, evaluated in the decoding context (hcldec.ExprSpec). */
export interface ExprSpec {
  readonly kind: "expr";
  readonly expr: HclExpression;
}

/**
 * One nested block of type `typeName`, decoded by `nested` (hcldec.BlockSpec). Absent: null, or "Missing
 * <type> block" when `required`; a second block is "Duplicate <type> block".
 */
export interface BlockSpec {
  readonly kind: "block";
  readonly typeName: string;
  readonly nested: Spec;
  readonly required?: boolean;
}

/** Every block of a type, as a list (hcldec.BlockListSpec); `maxItems` 0 or absent means no limit. */
export interface BlockListSpec {
  readonly kind: "blockList";
  readonly typeName: string;
  readonly nested: Spec;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Every block of a type, as a tuple: elements may differ in type (hcldec.BlockTupleSpec). */
export interface BlockTupleSpec {
  readonly kind: "blockTuple";
  readonly typeName: string;
  readonly nested: Spec;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Every block of a type, as a set (hcldec.BlockSetSpec). */
export interface BlockSetSpec {
  readonly kind: "blockSet";
  readonly typeName: string;
  readonly nested: Spec;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/**
 * Every block of a type, as nested maps keyed by the blocks' labels, one map level per label name
 * (hcldec.BlockMapSpec). The nested spec may not contain `any` types. Two blocks with the same labels are
 * "Duplicate <type> block".
 */
export interface BlockMapSpec {
  readonly kind: "blockMap";
  readonly typeName: string;
  readonly labelNames: readonly string[];
  readonly nested: Spec;
}

/** Like BlockMapSpec, with objects instead of maps, so that elements may differ in type (hcldec.BlockObjectSpec). */
export interface BlockObjectSpec {
  readonly kind: "blockObject";
  readonly typeName: string;
  readonly labelNames: readonly string[];
  readonly nested: Spec;
}

/**
 * The arguments of one block, read as a map of `elementType` (hcldec.BlockAttrsSpec): `tags { a = "b" }`.
 * The block may contain only arguments, with any names.
 */
export interface BlockAttrsSpec {
  readonly kind: "blockAttrs";
  readonly typeName: string;
  readonly elementType: Type;
  readonly required?: boolean;
}

/**
 * The label at `index` of the block being decoded, a string (hcldec.BlockLabelSpec). Only valid inside the
 * nested spec of a block spec; label specs must use consecutive indices from 0, and they set the number of
 * labels the block must have (`name` appears in "Missing <name> for <type>").
 */
export interface BlockLabelSpec {
  readonly kind: "label";
  readonly index: number;
  readonly name: string;
}

/**
 * `primary`'s value, or `default`'s when that is null (hcldec.DefaultSpec). Both should have the same type;
 * `default` must not describe a block.
 */
export interface DefaultSpec {
  readonly kind: "default";
  readonly primary: Spec;
  readonly default: Spec;
}

/**
 * The result of a function applied to the wrapped spec's value (hcldec.TransformFuncSpec, with a plain
 * function): not called when decoding `wrapped` failed. `type` is the result type (default: any).
 */
export interface TransformSpec {
  readonly kind: "transform";
  readonly wrapped: Spec;
  readonly transform: (value: Value) => { value: Value; diagnostics?: Diagnostic[] };
  readonly type?: Type;
}

/**
 * The value of `expr` evaluated in `ctx` plus the variable `varName` holding the wrapped spec's value
 * (hcldec.TransformExprSpec). The result type is found by evaluating with an unknown value.
 */
export interface TransformExprSpec {
  readonly kind: "transformExpr";
  readonly wrapped: Spec;
  readonly expr: HclExpression;
  readonly varName: string;
  readonly ctx?: EvalContext;
}

/**
 * The wrapped spec's value, checked by `validate` (hcldec.ValidateSpec): a diagnostic it returns without a
 * subject gets the wrapped item's source range.
 */
export interface ValidateSpec {
  readonly kind: "validate";
  readonly wrapped: Spec;
  readonly validate: (value: Value) => Diagnostic[];
}

export type Spec =
  | ObjectSpec
  | TupleSpec
  | AttrSpec
  | LiteralSpec
  | ExprSpec
  | BlockSpec
  | BlockListSpec
  | BlockTupleSpec
  | BlockSetSpec
  | BlockMapSpec
  | BlockObjectSpec
  | BlockAttrsSpec
  | BlockLabelSpec
  | DefaultSpec
  | TransformSpec
  | TransformExprSpec
  | ValidateSpec;

export type SpecKind = Spec["kind"];
