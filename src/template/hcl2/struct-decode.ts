/**
 * Decoding the few fixed arguments Packer reads into Go structs with gohcl.DecodeBody (a build block's
 * `name`/`description`/`sources`, a provisioner's meta-arguments, ...): the named arguments are read with a
 * partial schema, converted to their Go type, and everything else is left in `remain` for the component's
 * own schema. Diagnostics are gohcl's ("Unsuitable value type").
 */
import {
  type Body,
  boolType,
  convert,
  type Diagnostic,
  type EvalContext,
  type HclAttribute,
  type HclExpression,
  hasErrors,
  listType,
  mapType,
  numberType,
  stringType,
  type Type,
  toInt,
  type Value,
} from "../../hcl/index.js";

export type FieldKind = "string" | "bool" | "int" | "list(string)" | "map(string)" | "any";

export interface FieldDecl {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
}

export type FieldValue = string | boolean | number | string[] | Map<string, string> | Value;

export interface StructDecodeResult {
  /** Values of the arguments that were set (absent ones are missing). */
  readonly values: Map<string, FieldValue>;
  readonly attributes: Map<string, HclAttribute>;
  readonly remain: Body;
  readonly diagnostics: Diagnostic[];
}

const TYPES: Record<Exclude<FieldKind, "any">, Type> = {
  string: stringType,
  bool: boolType,
  int: numberType,
  "list(string)": listType(stringType),
  "map(string)": mapType(stringType),
};

function unsuitable(expr: HclExpression, message: string): Diagnostic {
  return {
    severity: "error",
    summary: "Unsuitable value type",
    detail: `Unsuitable value: ${message}`,
    subject: expr.startRange,
    context: expr.range,
  };
}

/** The Go value of a converted, unmarked cty value (gocty.FromCtyValue), or an error message. */
function toGo(kind: Exclude<FieldKind, "any">, v: Value): { value: FieldValue } | { error: string } {
  if (!v.isKnown()) return { error: "value must be known" };
  if (v.isNull()) return { error: "null value is not allowed" };
  switch (kind) {
    case "string":
      return { value: v.asString() };
    case "bool":
      return { value: v.asBool() };
    case "int": {
      const r = toInt(v);
      return r.ok ? { value: r.value } : { error: r.error };
    }
    case "list(string)": {
      const out: string[] = [];
      for (const e of v.asValueSlice()) {
        const r = toGo("string", e);
        if ("error" in r) return r;
        out.push(r.value as string);
      }
      return { value: out };
    }
    case "map(string)": {
      const out = new Map<string, string>();
      for (const [k, e] of v.asValueMap()) {
        const r = toGo("string", e);
        if ("error" in r) return r;
        out.set(k, r.value as string);
      }
      return { value: out };
    }
  }
}

/** Decodes an expression into a Go-typed value (gohcl.DecodeExpression). */
export function decodeExpression(
  expr: HclExpression,
  ctx: EvalContext | undefined,
  kind: FieldKind,
): { value: FieldValue | undefined; diagnostics: Diagnostic[] } {
  const r = expr.value(ctx);
  const diagnostics = [...r.diagnostics];
  if (kind === "any") return { value: r.value, diagnostics };
  const converted = convert(r.value, TYPES[kind]);
  if (!converted.ok) {
    diagnostics.push(unsuitable(expr, converted.error.message));
    return { value: undefined, diagnostics };
  }
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const go = toGo(kind, converted.value.unmarkDeep()[0]);
  if ("error" in go) {
    diagnostics.push(unsuitable(expr, go.error));
    return { value: undefined, diagnostics };
  }
  return { value: go.value, diagnostics };
}

/** gohcl.DecodeBody into a struct with the given fields and a `,remain` body. */
export function decodeStruct(
  body: Body,
  ctx: EvalContext | undefined,
  fields: readonly FieldDecl[],
): StructDecodeResult {
  const p = body.partialContent({
    attributes: fields.map((f) => ({ name: f.name, ...(f.required === true ? { required: true } : {}) })),
  });
  const diagnostics = [...p.diagnostics];
  const values = new Map<string, FieldValue>();
  const attributes = new Map<string, HclAttribute>();
  for (const field of fields) {
    const attr = p.content.attributes.get(field.name);
    if (attr === undefined) continue;
    attributes.set(field.name, attr);
    const r = decodeExpression(attr.expr, ctx, field.kind);
    diagnostics.push(...r.diagnostics);
    if (r.value !== undefined) values.set(field.name, r.value);
  }
  return { values, attributes, remain: p.remain, diagnostics };
}
