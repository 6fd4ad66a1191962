/**
 * Splat expressions `src[*].each` and `src.*.each` (hclsyntax's SplatExpr). `each` is evaluated once per
 * element of the source with the splat's AnonSymbolExpr standing for the element. Lists and sets give a
 * list, tuples a tuple; any other value is treated as a one-element tuple, and null as an empty tuple. An
 * unknown source gives an unknown of the result type, computed by evaluating `each` on an unknown element.
 *
 * Element bindings of AnonSymbolExpr nodes live here, outside the EvalContext (HCL keys them by context);
 * evaluation is synchronous, so a binding is set around the evaluation of `each` and restored afterwards.
 */
import { rangeBetween } from "../diagnostic.js";
import type { AnonSymbolExpr, SplatExpr } from "../syntax/index.js";
import {
  canListVal,
  dynamicType,
  dynamicVal,
  emptyTupleVal,
  listType,
  listVal,
  listValEmpty,
  type Type,
  tupleType,
  tupleVal,
  unknownVal,
  type Value,
} from "../value/index.js";
import type { EvalContext } from "./context.js";
import { anyErrors, type EvalResult, error, type SubEval } from "./result.js";

const bindings = new Map<AnonSymbolExpr, Value>();

/** The value bound to a splat's element symbol; DynamicVal outside its splat (as in HCL). */
export function anonSymbolValue(e: AnonSymbolExpr): Value {
  return bindings.get(e) ?? dynamicVal;
}

function withBinding<T>(sym: AnonSymbolExpr, value: Value, fn: () => T): T {
  const had = bindings.has(sym);
  const previous = bindings.get(sym);
  bindings.set(sym, value);
  try {
    return fn();
  } finally {
    if (had) bindings.set(sym, previous!);
    else bindings.delete(sym);
  }
}

export function evalSplat(e: SplatExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const src = ev(e.source, ctx);
  const diags = [...src.diagnostics];
  if (anyErrors(diags)) return { value: dynamicVal, diagnostics: diags };

  let sourceVal = src.value;
  let sourceTy: Type = sourceVal.type;
  const autoUpgrade = !(sourceTy.kind === "tuple" || sourceTy.kind === "list" || sourceTy.kind === "set");

  if (sourceVal.isNull()) {
    if (autoUpgrade) return { value: emptyTupleVal.withSameMarks(sourceVal), diagnostics: diags };
    diags.push(
      error(
        "Splat of null value",
        "Splat expressions (with the * symbol) cannot be applied to null sequences.",
        e.source.srcRange,
        rangeBetween(e.source.srcRange, e.markerRange),
      ),
    );
    return { value: dynamicVal, diagnostics: diags };
  }

  if (sourceTy.kind === "dynamic") return { value: dynamicVal.withSameMarks(sourceVal), diagnostics: diags };

  // An unknown value wrapped into a one-element tuple could still turn out to be null (an empty tuple),
  // so the result is unknown; `each` is still evaluated to check it against the element.
  let upgradedUnknown = false;
  if (autoUpgrade) {
    if (!sourceVal.isKnown()) upgradedUnknown = true;
    sourceVal = tupleVal([sourceVal]).withSameMarks(sourceVal);
    sourceTy = sourceVal.type;
  }

  const resultType = (): EvalResult & { type: Type } => {
    const tyDiags: EvalResult["diagnostics"] = [];
    const eachType = (ety: Type): Type => {
      const r = withBinding(e.item, unknownVal(ety), () => ev(e.each, ctx));
      tyDiags.push(...r.diagnostics);
      return r.value.type;
    };
    let type: Type = dynamicType;
    if (sourceTy.kind === "list" || sourceTy.kind === "set") type = listType(eachType(sourceTy.elementType));
    else if (sourceTy.kind === "tuple") type = tupleType(sourceTy.elementTypes.map(eachType));
    return { type, value: unknownVal(type), diagnostics: tyDiags };
  };

  if (!sourceVal.isKnown()) {
    const rt = resultType();
    diags.push(...rt.diagnostics);
    return { value: unknownVal(rt.type).withSameMarks(sourceVal), diagnostics: diags };
  }

  const [plain, marks] = sourceVal.unmark();
  const vals: Value[] = [];
  let known = true;
  for (const item of plain.asValueSlice()) {
    const r = withBinding(e.item, item, () => ev(e.each, ctx));
    diags.push(...r.diagnostics);
    if (anyErrors(r.diagnostics)) known = false;
    vals.push(r.value);
  }

  if (upgradedUnknown) return { value: dynamicVal.withMarks(marks), diagnostics: diags };

  if (!known) {
    // The type diagnostics would repeat the ones just reported.
    return { value: unknownVal(resultType().type).withMarks(marks), diagnostics: diags };
  }

  if (sourceTy.kind === "list" || sourceTy.kind === "set") {
    if (vals.length === 0) {
      const rt = resultType();
      diags.push(...rt.diagnostics);
      const ety = rt.type.kind === "list" ? rt.type.elementType : dynamicType;
      return { value: listValEmpty(ety).withMarks(marks), diagnostics: diags };
    }
    if (!canListVal(vals)) {
      diags.push(
        error(
          "Invalid nested splat expressions",
          "The second level of splat expression produced elements of different types, so it isn't possible to construct a valid list to represent the top-level result.\n\nConsider using a for expression instead, to produce a tuple-typed result which can therefore have non-homogenous element types.",
          e.each.srcRange,
          e.srcRange,
        ),
      );
      return { value: dynamicVal, diagnostics: diags };
    }
    return { value: listVal(vals).withMarks(marks), diagnostics: diags };
  }
  return { value: tupleVal(vals).withMarks(marks), diagnostics: diags };
}
