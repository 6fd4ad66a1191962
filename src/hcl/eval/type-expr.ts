/**
 * Type expressions (HCL's ext/typeexpr): reading an expression such as `list(string)` or
 * `object({name = string, port = optional(number, 22)})` as a type, statically (only the defaults of
 * `optional(T, default)` are evaluated, with no variables or functions).
 *
 * Three flavours, as typeexpr has:
 * - parseType: an exact type (`any` is rejected, `optional` too);
 * - parseTypeConstraintWithoutDefaults: `any` allowed, `optional(T)` with one argument (the `convert`
 *   function's type argument);
 * - parseTypeConstraint: `any` and `optional(T, default)` (Packer's `variable` blocks).
 *
 * A quoted type (`type = "string"`, the pre-0.12 Terraform form) is not accepted, as in Packer: it is
 * "A type specification is either a primitive type keyword (bool, number, string) or a complex type
 * constructor call, like list(string).".
 */
import { type Diagnostic, type Range, rangeBetween } from "../diagnostic.js";
import { type Expression, exprAsKeyword, goQuote } from "../syntax/index.js";
import {
  boolType,
  collectionDefaults,
  convert,
  dynamicType,
  listType,
  mapType,
  numberType,
  objectType,
  setType,
  stringType,
  structuredDefaults,
  type Type,
  type TypeConstraint,
  type TypeDefaults,
  tupleType,
  type Value,
} from "../value/index.js";
import { evaluate } from "./evaluate.js";
import { exprCall, exprList, exprMap } from "./static-expr.js";

const invalidType = "Invalid type specification";

export interface TypeExprResult {
  readonly type: Type;
  readonly diagnostics: Diagnostic[];
}

export interface TypeConstraintResult {
  readonly constraint: TypeConstraint;
  readonly diagnostics: Diagnostic[];
}

/** typeexpr.Type: an exact type. */
export function parseType(expr: Expression): TypeExprResult {
  const [type, , diagnostics] = getType(expr, false, false);
  return { type, diagnostics };
}

/** typeexpr.TypeConstraint: `any` allowed, optional attributes without defaults. */
export function parseTypeConstraintWithoutDefaults(expr: Expression): TypeExprResult {
  const [type, , diagnostics] = getType(expr, true, false);
  return { type, diagnostics };
}

/** typeexpr.TypeConstraintWithDefaults: `any` allowed, `optional(T, default)` attributes. */
export function parseTypeConstraint(expr: Expression): TypeConstraintResult {
  const [type, defaults, diagnostics] = getType(expr, true, true);
  return { constraint: defaults === undefined ? { type } : { type, defaults }, diagnostics };
}

type Got = [Type, TypeDefaults | undefined, Diagnostic[]];

function bad(detail: string, subject: Range, context?: Range): Got {
  const d: Diagnostic =
    context === undefined
      ? { severity: "error", summary: invalidType, detail, subject }
      : { severity: "error", summary: invalidType, detail, subject, context };
  return [dynamicType, undefined, [d]];
}

const primitives: Readonly<Record<string, Type>> = { bool: boolType, string: stringType, number: numberType };

function constructorArgDetail(name: string): string {
  switch (name) {
    case "object":
      return "The object type constructor requires one argument specifying the attribute types and values as a map.";
    case "tuple":
      return "The tuple type constructor requires one argument specifying the element types as a list.";
    default:
      return `The ${name} type constructor requires one argument specifying the element type.`;
  }
}

function getType(expr: Expression, constraint: boolean, withDefaults: boolean): Got {
  const kw = exprAsKeyword(expr);
  switch (kw) {
    case "bool":
    case "string":
    case "number":
      return [primitives[kw]!, undefined, []];
    case "any":
      if (constraint) return [dynamicType, undefined, []];
      return bad(
        `The keyword ${goQuote(kw)} cannot be used in this type specification: an exact type is required.`,
        expr.srcRange,
      );
    case "list":
    case "map":
    case "set":
    case "object":
    case "tuple":
      return bad(constructorArgDetail(kw), expr.srcRange);
    case "":
      break;
    default:
      return bad(`The keyword ${goQuote(kw)} is not a valid type specification.`, expr.srcRange);
  }

  const { call } = exprCall(expr);
  if (call === undefined) {
    return bad(
      "A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
      expr.srcRange,
    );
  }

  switch (call.name) {
    case "bool":
    case "string":
    case "number":
      return bad(`Primitive type keyword ${goQuote(call.name)} does not expect arguments.`, call.argsRange);
    case "any":
      return bad(`Type constraint keyword ${goQuote(call.name)} does not expect arguments.`, call.argsRange);
  }

  const args = call.arguments;
  if (args.length !== 1) {
    switch (call.name) {
      case "list":
      case "set":
      case "map":
      case "object":
      case "tuple": {
        // With too many arguments, the extra ones are the subject.
        const subject =
          args.length > 1 ? rangeBetween(args[1]!.srcRange, args[args.length - 1]!.srcRange) : call.argsRange;
        return bad(constructorArgDetail(call.name), subject, call.argsRange);
      }
    }
  }

  switch (call.name) {
    case "list":
    case "set":
    case "map": {
      const [ety, defaults, diags] = getType(args[0]!, constraint, withDefaults);
      const ty = call.name === "list" ? listType(ety) : call.name === "set" ? setType(ety) : mapType(ety);
      return [ty, collectionDefaults(ty, defaults), diags];
    }
    case "object":
      return objectTypeFrom(expr, args[0]!, constraint, withDefaults);
    case "tuple": {
      const { exprs, diagnostics } = exprList(args[0]!);
      if (diagnostics.length > 0) {
        return bad(
          "Tuple type constructor requires a list of element types.",
          args[0]!.srcRange,
          expr.srcRange,
        );
      }
      const diags: Diagnostic[] = [];
      const etys: Type[] = [];
      const children = new Map<string, TypeDefaults>();
      exprs.forEach((defExpr, i) => {
        const [ety, elemDefaults, elemDiags] = getType(defExpr, constraint, withDefaults);
        diags.push(...elemDiags);
        etys.push(ety);
        if (elemDefaults !== undefined) children.set(String(i), elemDefaults);
      });
      const ty = tupleType(etys);
      return [ty, structuredDefaults(ty, new Map(), children), diags];
    }
    case "optional":
      return bad(
        `Keyword ${goQuote(call.name)} is valid only as a modifier for object type attributes.`,
        call.nameRange,
      );
    default:
      return bad(`Keyword ${goQuote(call.name)} is not a valid type constructor.`, expr.srcRange);
  }
}

function objectTypeFrom(expr: Expression, arg: Expression, constraint: boolean, withDefaults: boolean): Got {
  const { pairs, diagnostics } = exprMap(arg);
  if (diagnostics.length > 0) {
    return bad(
      "Object type constructor requires a map whose keys are attribute names and whose values are the corresponding attribute types.",
      arg.srcRange,
      expr.srcRange,
    );
  }

  const diags: Diagnostic[] = [];
  const atys = new Map<string, Type>();
  const defaultValues = new Map<string, Value>();
  const children = new Map<string, TypeDefaults>();
  const optional: string[] = [];
  const typeError = (detail: string, subject: Range, context: Range) =>
    diags.push({ severity: "error", summary: invalidType, detail, subject, context });

  for (const pair of pairs) {
    const attrName = exprAsKeyword(pair.key);
    if (attrName === "") {
      typeError("Object constructor map keys must be attribute names.", pair.key.srcRange, expr.srcRange);
      continue;
    }
    if (atys.has(attrName)) {
      typeError("Object constructor map keys must be unique.", pair.key.srcRange, expr.srcRange);
      continue;
    }

    let atyExpr = pair.value;
    let defaultExpr: Expression | undefined;
    const { call } = exprCall(atyExpr);
    if (call !== undefined && call.name === "optional") {
      const optArgs = call.arguments;
      if (optArgs.length < 1) {
        typeError(
          "Optional attribute modifier requires the attribute type as its argument.",
          call.argsRange,
          atyExpr.srcRange,
        );
        continue;
      }
      if (!constraint) {
        typeError(
          "Optional attribute modifier is only for type constraints, not for exact types.",
          call.nameRange,
          atyExpr.srcRange,
        );
      } else if (withDefaults) {
        if (optArgs.length === 2) {
          defaultExpr = optArgs[1]!;
          const d = evaluate(defaultExpr, undefined);
          diags.push(...d.diagnostics);
          if (!d.diagnostics.some((x) => x.severity === "error")) {
            optional.push(attrName);
            defaultValues.set(attrName, d.value);
          }
        } else if (optArgs.length === 1) {
          optional.push(attrName);
        } else {
          typeError(
            "Optional attribute modifier expects at most two arguments: the attribute type, and a default value.",
            call.argsRange,
            atyExpr.srcRange,
          );
        }
      } else if (optArgs.length === 1) {
        optional.push(attrName);
      } else {
        typeError(
          "Optional attribute modifier expects only one argument: the attribute type.",
          call.argsRange,
          atyExpr.srcRange,
        );
      }
      atyExpr = optArgs[0]!;
    }

    const [aty, aDefaults, attrDiags] = getType(atyExpr, constraint, withDefaults);
    diags.push(...attrDiags);

    // A default must be convertible to the attribute's type; it is stored converted.
    const defaultVal = defaultValues.get(attrName);
    if (defaultVal !== undefined && defaultExpr !== undefined) {
      const c = convert(defaultVal, aty);
      if (c.ok) defaultValues.set(attrName, c.value);
      else {
        diags.push({
          severity: "error",
          summary: "Invalid default value for optional attribute",
          detail: `This default value is not compatible with the attribute's type constraint: ${c.error.message}.`,
          subject: defaultExpr.srcRange,
        });
        defaultValues.delete(attrName);
      }
    }

    atys.set(attrName, aty);
    if (aDefaults !== undefined) children.set(attrName, aDefaults);
  }

  const ty = objectType(atys, optional);
  return [ty, structuredDefaults(ty, defaultValues, children), diags];
}
