/**
 * Decoding a component's body (`source`, `provisioner`, `post-processor`, `data`) with the component's own
 * ConfigSpec, as Packer's decodeHCL2Spec does with a plugin's hcldec spec: unknown arguments are
 * "Unsupported argument" diagnostics at their ranges, wrong types are conversion diagnostics at the value.
 *
 * Components receive plain values: the sensitive marks a decoded configuration carries (a sensitive
 * variable used raw, through a function or inside a string template) are removed before the component sees
 * the value, and every string they covered is handed to the secret filter first, so the redactor hides
 * derived secrets too.
 */
import {
  type Body,
  type Diagnostic,
  decode,
  type EvalContext,
  impliedType,
  type ObjectSpec,
  SENSITIVE,
  type Spec,
  type Type,
  type Value,
} from "../../hcl/index.js";
import type { ConfigSpec, FieldSpec, SecretFilter } from "../../sdk/index.js";

function fieldSpec(name: string, field: FieldSpec): Spec {
  switch (field.kind) {
    case "attribute":
      return { kind: "attr", name, type: field.type, ...(field.required === true ? { required: true } : {}) };
    case "block":
      return {
        kind: "block",
        typeName: name,
        nested: objectSpecFor(field.spec),
        ...(field.required === true ? { required: true } : {}),
      };
    case "block-list":
      return {
        kind: "blockList",
        typeName: name,
        nested: objectSpecFor(field.spec),
        ...(field.minItems !== undefined ? { minItems: field.minItems } : {}),
        ...(field.maxItems !== undefined ? { maxItems: field.maxItems } : {}),
      };
    case "block-attrs":
      return {
        kind: "blockAttrs",
        typeName: name,
        elementType: field.elementType,
        ...(field.required === true ? { required: true } : {}),
      };
  }
}

/** The hcldec object spec a component's ConfigSpec stands for. */
export function objectSpecFor(spec: ConfigSpec): ObjectSpec {
  const attributes: Record<string, Spec> = {};
  for (const [name, field] of Object.entries(spec)) attributes[name] = fieldSpec(name, field);
  return { kind: "object", attributes };
}

/** The type of the object a ConfigSpec decodes to (a data source's output placeholder). */
export function configSpecType(spec: ConfigSpec): Type {
  return impliedType(objectSpecFor(spec));
}

/** Decodes a component body with its schema in `ctx`. */
export function decodeComponentBody(
  body: Body,
  spec: ConfigSpec,
  ctx: EvalContext,
): { value: Value; diagnostics: Diagnostic[] } {
  return decode(body, objectSpecFor(spec), ctx);
}

/** Every string inside the parts of `value` that carry the sensitive mark. */
export function sensitiveStrings(value: Value, out: string[] = [], inherited = false): string[] {
  const sensitive = inherited || value.marks.has(SENSITIVE);
  const [v] = value.unmark();
  if (!v.isKnown() || v.isNull()) return out;
  switch (v.type.kind) {
    case "string":
      if (sensitive) out.push(v.asString());
      return out;
    case "list":
    case "set":
    case "tuple":
    case "map":
    case "object":
      for (const child of v.asValueSlice()) sensitiveStrings(child, out, sensitive);
      return out;
    default:
      return out;
  }
}

/** `value` without marks, after registering its sensitive strings with `secrets`. */
export function revealForComponent(value: Value, secrets: SecretFilter | undefined): Value {
  if (secrets !== undefined) {
    const found = sensitiveStrings(value);
    if (found.length > 0) secrets.add(...found);
  }
  return value.unmarkDeep()[0];
}
