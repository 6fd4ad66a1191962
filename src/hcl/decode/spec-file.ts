/**
 * hcldec's spec language: a spec written as HCL (cmd/hcldec's spec files, which HCL's specification suite
 * uses), read into a Spec.
 *
 *   variables { name = "value" }          values made available to the decoded input
 *   object {                              exactly one root spec block
 *     attr "name" { type = string  required = true }
 *     block "logging" { object { attr "level" { type = string } } }
 *     block_list "disk" { min_items = 1  object { ... } }
 *     block_map "site" { labels = ["host"]  object { ... } }
 *     block_attrs "tags" { element_type = string }
 *     literal { value = "fixed" }
 *     default { attr "port" { type = number }  literal { value = 22 } }
 *     transform { result = upper(nested)  attr "name" { type = string } }
 *   }
 *
 * Inside `object` every spec block has a label, the result property name (which is also the default
 * argument or block type name). Type expressions (`string`, `list(map(number))`, `object({a = bool})`,
 * `tuple([string, number])`, `any`) are read statically. `function` blocks (user functions) are not
 * supported.
 */
import { type Diagnostic, isStackOverflow, nestingTooDeepDiag } from "../diagnostic.js";
import type { EvalContext } from "../eval/context.js";
import type { FunctionTable } from "../eval/function.js";
import {
  boolType,
  convert,
  dynamicType,
  friendlyName,
  hasDynamicTypes,
  listType,
  mapType,
  nullVal,
  numberType,
  objectType,
  setType,
  stringType,
  type Type,
  toInt,
  tupleType,
  unmark,
  type Value,
} from "../value/index.js";
import type { Body, BodySchema, HclAttribute, HclBlock, HclExpression } from "./body.js";
import { impliedType } from "./decode.js";
import type { Spec } from "./spec.js";

export interface SpecFileResult {
  /** The root spec (a null literal when the file is broken). */
  spec: Spec;
  /** The values of the `variables` blocks, for the decoding context. */
  variables: Map<string, Value>;
  diagnostics: Diagnostic[];
}

const ERR_SPEC: Spec = { kind: "literal", value: nullVal(dynamicType) };

const SPEC_BLOCK_TYPES = [
  "object",
  "array",
  "literal",
  "attr",
  "block",
  "block_list",
  "block_map",
  "block_set",
  "default",
  "transform",
  "block_attrs",
];

const UNLABELLED: BodySchema = { blocks: SPEC_BLOCK_TYPES.map((type) => ({ type })) };
const LABELLED: BodySchema = { blocks: SPEC_BLOCK_TYPES.map((type) => ({ type, labelNames: ["key"] })) };

/**
 * Reads a spec file's body. `functions` are the functions `literal`, `variables` and `transform`
 * expressions may call (hcldec offers a few of cty's standard library).
 */
export function loadSpecFile(body: Body, functions?: FunctionTable): SpecFileResult {
  try {
    return loadSpecFileUnguarded(body, functions);
  } catch (err) {
    // Spec blocks nested thousands deep: an error, never a throw.
    if (!isStackOverflow(err)) throw err;
    return {
      spec: ERR_SPEC,
      variables: new Map(),
      diagnostics: [nestingTooDeepDiag(body.missingItemRange())],
    };
  }
}

function loadSpecFileUnguarded(body: Body, functions: FunctionTable | undefined): SpecFileResult {
  const specCtx: EvalContext = { functions: functions ?? new Map() };
  const loader = new SpecLoader(specCtx);
  const diagnostics: Diagnostic[] = [];

  const decls = body.partialContent({ blocks: [{ type: "variables" }] });
  diagnostics.push(...decls.diagnostics);
  const variables = new Map<string, Value>();
  for (const block of decls.content.blocks) {
    const attrs = block.body.justAttributes();
    diagnostics.push(...attrs.diagnostics);
    for (const [name, attr] of attrs.attributes) {
      const r = attr.expr.value(specCtx);
      diagnostics.push(...r.diagnostics);
      variables.set(name, r.value);
    }
  }

  const root = loader.single(
    decls.remain,
    "A spec file must have exactly one root block specifying how to map to a JSON value.",
  );
  diagnostics.push(...root.diagnostics);
  return { spec: root.spec, variables, diagnostics };
}

type SpecResult = { spec: Spec; diagnostics: Diagnostic[] };

/** The kinds of argument gohcl would decode into the Go structs of cmd/hcldec. */
type ArgKind = "string" | "bool" | "int" | "stringList" | "value" | "expr";

interface ArgDecl {
  readonly name: string;
  readonly kind: ArgKind;
  /** gohcl makes non-pointer fields required (cmd/hcldec's `labels` and `value`). */
  readonly required?: boolean;
}

interface Args {
  values: Map<string, unknown>;
  remain: Body | undefined;
  diagnostics: Diagnostic[];
}

class SpecLoader {
  constructor(private readonly specCtx: EvalContext) {}

  /** Exactly one spec block in the body (hcldec's decodeSpecRoot / decodeBlockNestedSpec). */
  single(body: Body, detail: string): SpecResult {
    const { content, diagnostics } = body.content(UNLABELLED);
    const first = content.blocks[0];
    if (first === undefined) {
      // Earlier errors probably explain the missing block.
      if (!hasErrors(diagnostics)) {
        diagnostics.push({
          severity: "error",
          summary: "Missing spec block",
          detail,
          subject: body.missingItemRange(),
        });
      }
      return { spec: ERR_SPEC, diagnostics };
    }
    const second = content.blocks[1];
    if (second !== undefined) {
      diagnostics.push({
        severity: "error",
        summary: "Extraneous spec block",
        detail,
        subject: second.defRange,
      });
      return { spec: ERR_SPEC, diagnostics };
    }
    const r = this.block(first);
    return { spec: r.spec, diagnostics: [...diagnostics, ...r.diagnostics] };
  }

  block(block: HclBlock): SpecResult {
    const impliedName = block.labels[0] ?? "";
    switch (block.type) {
      case "object":
        return this.object(block.body);
      case "array":
        return this.array(block.body);
      case "attr":
        return this.attr(block.body, impliedName);
      case "block":
        return this.blockSpec(block.body, impliedName);
      case "block_list":
      case "block_set":
        return this.blockList(block.body, impliedName, block.type);
      case "block_map":
        return this.blockMap(block.body, impliedName);
      case "block_attrs":
        return this.blockAttrs(block.body, impliedName);
      case "default":
        return this.defaultSpec(block.body);
      case "transform":
        return this.transform(block.body);
      case "literal":
        return this.literal(block.body);
      default:
        return {
          spec: ERR_SPEC,
          diagnostics: [
            {
              severity: "error",
              summary: "Invalid spec block",
              detail: `Blocks of type "${block.type}" are not expected here.`,
              subject: block.typeRange,
            },
          ],
        };
    }
  }

  private object(body: Body): SpecResult {
    const { content, diagnostics } = body.content(LABELLED);
    const attributes: Record<string, Spec> = {};
    for (const block of content.blocks) {
      const r = this.block(block);
      diagnostics.push(...r.diagnostics);
      attributes[block.labels[0] as string] = r.spec;
    }
    return { spec: { kind: "object", attributes }, diagnostics };
  }

  private array(body: Body): SpecResult {
    const { content, diagnostics } = body.content(UNLABELLED);
    const elements = content.blocks.map((block) => {
      const r = this.block(block);
      diagnostics.push(...r.diagnostics);
      return r.spec;
    });
    return { spec: { kind: "tuple", elements }, diagnostics };
  }

  private attr(body: Body, impliedName: string): SpecResult {
    const args = this.args(body, [
      { name: "name", kind: "string" },
      { name: "type", kind: "expr" },
      { name: "required", kind: "bool" },
    ]);
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    const diagnostics = args.diagnostics;
    const name = (args.values.get("name") as string | undefined) ?? impliedName;
    const t = specTypeFromExpr(args.values.get("type") as HclExpression | undefined);
    diagnostics.push(...t.diagnostics);
    if (name === "") {
      diagnostics.push({
        severity: "error",
        summary: "Missing name in attribute spec",
        detail:
          "The name attribute is required, to specify the attribute name that is expected in an input HCL file.",
        subject: body.missingItemRange(),
      });
      return { spec: ERR_SPEC, diagnostics };
    }
    const required = args.values.get("required") === true;
    return { spec: { kind: "attr", name, type: t.type, ...(required ? { required } : {}) }, diagnostics };
  }

  private blockSpec(body: Body, impliedName: string): SpecResult {
    const args = this.args(
      body,
      [
        { name: "block_type", kind: "string" },
        { name: "required", kind: "bool" },
      ],
      true,
    );
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    const typeName = (args.values.get("block_type") as string | undefined) ?? impliedName;
    const nested = this.single(
      args.remain as Body,
      "A block spec must have exactly one child spec specifying how to decode block contents.",
    );
    const required = args.values.get("required") === true;
    return {
      spec: { kind: "block", typeName, nested: nested.spec, ...(required ? { required } : {}) },
      diagnostics: [...args.diagnostics, ...nested.diagnostics],
    };
  }

  private blockList(body: Body, impliedName: string, blockType: "block_list" | "block_set"): SpecResult {
    const args = this.args(
      body,
      [
        { name: "block_type", kind: "string" },
        { name: "min_items", kind: "int" },
        { name: "max_items", kind: "int" },
      ],
      true,
    );
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    const typeName = (args.values.get("block_type") as string | undefined) ?? impliedName;
    const nested = this.single(
      args.remain as Body,
      "A block spec must have exactly one child spec specifying how to decode block contents.",
    );
    const diagnostics = [...args.diagnostics, ...nested.diagnostics];
    if (typeName === "") {
      diagnostics.push({
        severity: "error",
        summary: `Missing block_type in ${blockType} spec`,
        detail:
          "The block_type attribute is required, to specify the block type name that is expected in an input HCL file.",
        subject: body.missingItemRange(),
      });
      return { spec: ERR_SPEC, diagnostics };
    }
    const minItems = args.values.get("min_items") as number | undefined;
    const maxItems = args.values.get("max_items") as number | undefined;
    return {
      spec: {
        kind: blockType === "block_list" ? "blockList" : "blockSet",
        typeName,
        nested: nested.spec,
        ...(minItems !== undefined ? { minItems } : {}),
        ...(maxItems !== undefined ? { maxItems } : {}),
      },
      diagnostics,
    };
  }

  private blockMap(body: Body, impliedName: string): SpecResult {
    const args = this.args(
      body,
      [
        { name: "block_type", kind: "string" },
        { name: "labels", kind: "stringList", required: true },
      ],
      true,
    );
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    const typeName = (args.values.get("block_type") as string | undefined) ?? impliedName;
    const labelNames = (args.values.get("labels") as string[] | undefined) ?? [];
    const nested = this.single(
      args.remain as Body,
      "A block spec must have exactly one child spec specifying how to decode block contents.",
    );
    const diagnostics = [...args.diagnostics, ...nested.diagnostics];
    if (typeName === "") {
      diagnostics.push({
        severity: "error",
        summary: "Missing block_type in block_map spec",
        detail:
          "The block_type attribute is required, to specify the block type name that is expected in an input HCL file.",
        subject: body.missingItemRange(),
      });
      return { spec: ERR_SPEC, diagnostics };
    }
    if (labelNames.length < 1) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid block label name list",
        detail: "A block_map must have at least one label specified.",
        subject: body.missingItemRange(),
      });
      return { spec: ERR_SPEC, diagnostics };
    }
    const spec: Spec = { kind: "blockMap", typeName, labelNames, nested: nested.spec };
    if (hasDynamicTypes(impliedType(spec))) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid block_map spec",
        detail: "A block_map spec may not contain attributes with type 'any'.",
        subject: body.missingItemRange(),
      });
      // Decoding with it would be a programming error, so a placeholder takes its place.
      return { spec: ERR_SPEC, diagnostics };
    }
    return { spec, diagnostics };
  }

  private blockAttrs(body: Body, impliedName: string): SpecResult {
    const args = this.args(body, [
      { name: "block_type", kind: "string" },
      { name: "element_type", kind: "expr" },
      { name: "required", kind: "bool" },
    ]);
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    const diagnostics = args.diagnostics;
    const typeName = (args.values.get("block_type") as string | undefined) ?? impliedName;
    const t = specTypeFromExpr(args.values.get("element_type") as HclExpression | undefined);
    diagnostics.push(...t.diagnostics);
    if (typeName === "") {
      diagnostics.push({
        severity: "error",
        summary: "Missing block_type in block_attrs spec",
        detail:
          "The block_type attribute is required, to specify the block type name that is expected in an input HCL file.",
        subject: body.missingItemRange(),
      });
      return { spec: ERR_SPEC, diagnostics };
    }
    const required = args.values.get("required") === true;
    return {
      spec: { kind: "blockAttrs", typeName, elementType: t.type, ...(required ? { required } : {}) },
      diagnostics,
    };
  }

  private literal(body: Body): SpecResult {
    const args = this.args(body, [{ name: "value", kind: "value", required: true }], false, this.specCtx);
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    return {
      spec: { kind: "literal", value: args.values.get("value") as Value },
      diagnostics: args.diagnostics,
    };
  }

  private defaultSpec(body: Body): SpecResult {
    const { content, diagnostics } = body.content(UNLABELLED);
    const first = content.blocks[0];
    if (first === undefined) {
      if (!hasErrors(diagnostics)) {
        diagnostics.push({
          severity: "error",
          summary: "Missing spec block",
          detail: "A default block must have at least one nested spec, each specifying a possible outcome.",
          subject: body.missingItemRange(),
        });
      }
      return { spec: ERR_SPEC, diagnostics };
    }
    if (content.blocks.length === 1 && !hasErrors(diagnostics)) {
      diagnostics.push({
        severity: "warning",
        summary: "Useless default block",
        detail: "A default block with only one spec is equivalent to using that spec alone.",
        subject: first.defRange,
      });
    }
    let spec: Spec | undefined;
    for (const block of content.blocks) {
      const r = this.block(block);
      diagnostics.push(...r.diagnostics);
      if (hasErrors(r.diagnostics)) continue;
      spec = spec === undefined ? r.spec : { kind: "default", primary: spec, default: r.spec };
    }
    return { spec: spec ?? ERR_SPEC, diagnostics };
  }

  private transform(body: Body): SpecResult {
    const args = this.args(body, [{ name: "result", kind: "expr" }], true);
    if (hasErrors(args.diagnostics)) return { spec: ERR_SPEC, diagnostics: args.diagnostics };
    const { content, diagnostics } = (args.remain as Body).content(UNLABELLED);
    diagnostics.unshift(...args.diagnostics);
    const only = content.blocks[0];
    if (only === undefined || content.blocks.length !== 1) {
      if (!hasErrors(diagnostics)) {
        diagnostics.push({
          severity: "error",
          summary: "Invalid transform spec",
          detail: "A transform spec block must have exactly one nested spec block.",
          subject: body.missingItemRange(),
        });
      }
      return { spec: ERR_SPEC, diagnostics };
    }
    const wrapped = this.block(only);
    diagnostics.push(...wrapped.diagnostics);
    const expr = args.values.get("result") as HclExpression | undefined;
    if (expr === undefined) {
      // gohcl would give a null expression; the transform then always yields null.
      return { spec: { kind: "literal", value: nullVal(dynamicType) }, diagnostics };
    }
    return {
      spec: { kind: "transformExpr", wrapped: wrapped.spec, expr, varName: "nested", ctx: this.specCtx },
      diagnostics,
    };
  }

  /** Decodes the arguments of a spec block like gohcl.DecodeBody into cmd/hcldec's structs. */
  private args(body: Body, decls: readonly ArgDecl[], partial = false, ctx?: EvalContext): Args {
    // gohcl lists the arguments in name order.
    const sorted = [...decls].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const schema: BodySchema = {
      attributes: sorted.map((d) =>
        d.required === true ? { name: d.name, required: true } : { name: d.name },
      ),
    };
    let remain: Body | undefined;
    let attributes: ReadonlyMap<string, HclAttribute>;
    let diagnostics: Diagnostic[];
    if (partial) {
      const r = body.partialContent(schema);
      ({ remain, diagnostics } = r);
      attributes = r.content.attributes;
    } else {
      const r = body.content(schema);
      diagnostics = r.diagnostics;
      attributes = r.content.attributes;
    }
    const values = new Map<string, unknown>();
    for (const decl of sorted) {
      const attr = attributes.get(decl.name);
      if (attr === undefined) continue;
      if (decl.kind === "expr") {
        values.set(decl.name, attr.expr);
        continue;
      }
      const r = attr.expr.value(ctx);
      diagnostics.push(...r.diagnostics);
      if (hasErrors(r.diagnostics)) continue;
      if (decl.kind === "value") {
        values.set(decl.name, r.value);
        continue;
      }
      const got = goValue(r.value, decl.kind);
      if (got.ok) {
        if (got.value !== undefined) values.set(decl.name, got.value);
      } else {
        diagnostics.push({
          severity: "error",
          summary: "Unsuitable value type",
          detail: `Unsuitable value: ${got.error}`,
          subject: attr.expr.startRange,
          context: attr.expr.range,
        });
      }
    }
    return { values, remain, diagnostics };
  }
}

/** A value converted for a Go field of the given kind (gohcl.DecodeExpression); null leaves it unset. */
function goValue(
  v: Value,
  kind: "string" | "bool" | "int" | "stringList",
): { ok: true; value: unknown } | { ok: false; error: string } {
  const target =
    kind === "string"
      ? stringType
      : kind === "bool"
        ? boolType
        : kind === "int"
          ? numberType
          : listType(stringType);
  const conv = convert(v, target);
  if (!conv.ok) return { ok: false, error: conv.error.message };
  const [val] = unmark(conv.value);
  if (val.isNull()) return { ok: true, value: undefined };
  if (!val.isWhollyKnown()) return { ok: false, error: "value must be known" };
  switch (kind) {
    case "string":
      return { ok: true, value: val.asString() };
    case "bool":
      return { ok: true, value: val.asBool() };
    case "int": {
      const n = toInt(val);
      return n.ok ? { ok: true, value: n.value } : { ok: false, error: n.error };
    }
    case "stringList":
      return { ok: true, value: val.asValueSlice().map((e) => unmark(e)[0].asString()) };
  }
}

function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

const TYPE_KEYWORDS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ["string", stringType],
  ["bool", boolType],
  ["number", numberType],
  ["any", dynamicType],
]);

function invalidType(detail: string, expr: HclExpression): { type: Type; diagnostics: Diagnostic[] } {
  return {
    type: dynamicType,
    diagnostics: [{ severity: "error", summary: "Invalid type expression", detail, subject: expr.range }],
  };
}

/**
 * A type expression of hcldec's spec language (`string`, `list(string)`, `object({a = number})`,
 * `tuple([bool])`, `any`). Absent or null means `any`.
 */
export function specTypeFromExpr(expr: HclExpression | undefined): { type: Type; diagnostics: Diagnostic[] } {
  try {
    return typeFromExpr(expr);
  } catch (err) {
    // Type constructors nested thousands deep: an error, never a throw.
    if (!isStackOverflow(err) || expr === undefined) throw err;
    return { type: dynamicType, diagnostics: [nestingTooDeepDiag(expr.range)] };
  }
}

function typeFromExpr(expr: HclExpression | undefined): { type: Type; diagnostics: Diagnostic[] } {
  if (expr === undefined) return { type: dynamicType, diagnostics: [] };
  const kw = TYPE_KEYWORDS.get(expr.asKeyword());
  if (kw !== undefined) return { type: kw, diagnostics: [] };

  const call = expr.asCall();
  if (call !== undefined) {
    const diagnostics: Diagnostic[] = [];
    const arg = call.args[0];
    if (call.args.length !== 1 || arg === undefined) {
      return invalidType(`Function "${call.name}" expects exactly one argument.`, expr);
    }
    switch (call.name) {
      case "list":
      case "set":
      case "map": {
        const et = typeFromExpr(arg);
        const make = call.name === "list" ? listType : call.name === "set" ? setType : mapType;
        return { type: make(et.type), diagnostics: et.diagnostics };
      }
      case "tuple": {
        const elems = arg.asList();
        if (elems === undefined) return invalidType("The tuple type requires a list of element types.", arg);
        const types = elems.map((e) => {
          const r = typeFromExpr(e);
          diagnostics.push(...r.diagnostics);
          return r.type;
        });
        return { type: tupleType(types), diagnostics };
      }
      case "object": {
        const pairs = arg.asMap();
        if (pairs === undefined)
          return invalidType("The object type requires a map of attribute types.", arg);
        const attrs: [string, Type][] = [];
        for (const { key, value } of pairs) {
          let name = key.asKeyword();
          if (name === "") {
            const k = key.value(undefined);
            diagnostics.push(...k.diagnostics);
            const conv = convert(k.value, stringType);
            if (!conv.ok || !conv.value.isKnown() || conv.value.isNull()) {
              diagnostics.push({
                severity: "error",
                summary: "Invalid type expression",
                detail: "Object attribute names must be strings.",
                subject: key.range,
              });
              continue;
            }
            name = unmark(conv.value)[0].asString();
          }
          const r = typeFromExpr(value);
          diagnostics.push(...r.diagnostics);
          attrs.push([name, r.type]);
        }
        return { type: objectType(attrs), diagnostics };
      }
      default:
        return invalidType(`There is no type constructor named "${call.name}".`, expr);
    }
  }

  // Anything else is evaluated, as hcldec does; only null (meaning "any") is acceptable.
  const r = expr.value({ variables: new Map() });
  if (hasErrors(r.diagnostics)) return { type: dynamicType, diagnostics: r.diagnostics };
  if (r.value.isNull()) return { type: dynamicType, diagnostics: r.diagnostics };
  return invalidType(`A type is required, not ${friendlyName(r.value.type)}.`, expr);
}
