/**
 * Spec-driven decoding (HCL's hcldec): decode(body, spec, ctx) reads a body through the schema its spec
 * implies and builds the value the spec describes, with hcldec's diagnostics. Also: the implied result type
 * and schema of a spec, the variables a body references under a spec, the source range of a decoded item,
 * and the block types a spec expects with their nested specs.
 *
 * Programming errors in a spec (a label spec outside a block, `any` inside a blockMap) throw, as hcldec
 * panics; problems in the decoded body never do.
 */
import {
  type Diagnostic,
  isStackOverflow,
  nestingTooDeepDiag,
  type Range,
  rangeBetween,
} from "../diagnostic.js";
import { childContext, type EvalContext } from "../eval/context.js";
import type { Traversal } from "../syntax/ast.js";
import { formatRange, goQuote } from "../syntax/go-compat.js";
import {
  canMapVal,
  convert,
  dynamicType,
  dynamicVal,
  emptyObjectType,
  emptyObjectVal,
  emptyTupleType,
  emptyTupleVal,
  hasDynamicTypes,
  listType,
  listVal,
  listValEmpty,
  mapType,
  mapVal,
  mapValEmpty,
  nullVal,
  objectType,
  objectVal,
  setType,
  setVal,
  setValEmpty,
  stringType,
  stringVal,
  type Type,
  tupleType,
  tupleVal,
  unifyUnsafe,
  unknownVal,
  type Value,
  withoutOptionalAttributesDeep,
} from "../value/index.js";
import {
  type AttributeSchema,
  type BlockHeaderSchema,
  type Body,
  type BodyContent,
  type BodySchema,
  blocksOfType as blocksOfTypeIn,
  type HclAttribute,
  type HclBlock,
} from "./body.js";
import type {
  BlockListSpec,
  BlockMapSpec,
  BlockObjectSpec,
  BlockSetSpec,
  BlockTupleSpec,
  Spec,
} from "./spec.js";

/** A label of the block whose body is being decoded, for label specs. */
interface BlockLabel {
  readonly value: string;
  readonly range: Range;
}

export interface DecodeResult {
  value: Value;
  diagnostics: Diagnostic[];
}

export interface PartialDecodeResult {
  value: Value;
  /** What the spec did not describe, for a later pass. */
  remain: Body;
  diagnostics: Diagnostic[];
}

/** Decodes a body with a spec; anything in the body the spec does not describe is an error (hcldec.Decode). */
export function decode(body: Body, spec: Spec, ctx?: EvalContext): DecodeResult {
  const { value, diagnostics } = decodeBodyGuarded(body, ctx, spec, false);
  return { value, diagnostics };
}

/** Like decode, but leaves what the spec does not describe in `remain` (hcldec.PartialDecode). */
export function partialDecode(body: Body, spec: Spec, ctx?: EvalContext): PartialDecodeResult {
  const r = decodeBodyGuarded(body, ctx, spec, true);
  return { value: r.value, remain: r.remain ?? body, diagnostics: r.diagnostics };
}

/**
 * decodeBody at the top level, with running out of stack (a spec or value nested thousands deep) reported
 * as "Nesting too deep" instead of thrown. The body is then left whole for a later pass.
 */
function decodeBodyGuarded(
  body: Body,
  ctx: EvalContext | undefined,
  spec: Spec,
  partial: boolean,
): { value: Value; remain: Body | undefined; diagnostics: Diagnostic[] } {
  try {
    return decodeBody(body, [], ctx, spec, partial);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    return { value: dynamicVal, remain: body, diagnostics: [nestingTooDeepDiag(body.missingItemRange())] };
  }
}

function decodeBody(
  body: Body,
  labels: readonly BlockLabel[],
  ctx: EvalContext | undefined,
  spec: Spec,
  partial: boolean,
): { value: Value; remain: Body | undefined; diagnostics: Diagnostic[] } {
  const schema = impliedSchema(spec);
  let content: BodyContent;
  let remain: Body | undefined;
  let diagnostics: Diagnostic[];
  if (partial) {
    ({ content, remain, diagnostics } = body.partialContent(schema));
  } else {
    ({ content, diagnostics } = body.content(schema));
  }
  const r = decodeContent(spec, content, labels, ctx);
  diagnostics.push(...r.diagnostics);
  return { value: r.value, remain, diagnostics };
}

// ---------------------------------------------------------------------------------------------------------
// Spec structure

/** The specs read from the same body as `spec` (not those applied to nested blocks' bodies). */
function sameBodyChildren(spec: Spec): readonly Spec[] {
  switch (spec.kind) {
    case "object":
      return Object.values(spec.attributes);
    case "tuple":
      return spec.elements;
    case "default":
      return [spec.primary, spec.default];
    case "transform":
    case "transformExpr":
    case "validate":
      return [spec.wrapped];
    default:
      return [];
  }
}

/** The attributes a spec itself reads (hcldec's attrSpec interface); undefined if it reads none. */
function attrSchemata(spec: Spec): AttributeSchema[] | undefined {
  switch (spec.kind) {
    case "attr":
      return [spec.required === true ? { name: spec.name, required: true } : { name: spec.name }];
    case "default":
      return [...(attrSchemata(spec.primary) ?? []), ...(attrSchemata(spec.default) ?? [])];
    default:
      return undefined;
  }
}

/** The block headers a spec itself reads (hcldec's blockSpec interface); undefined if none. */
function blockHeaderSchemata(spec: Spec): BlockHeaderSchema[] | undefined {
  switch (spec.kind) {
    case "block":
    case "blockList":
    case "blockTuple":
    case "blockSet":
      return [{ type: spec.typeName, labelNames: findLabelSpecs(spec.nested) }];
    case "blockMap":
    case "blockObject":
      return [{ type: spec.typeName, labelNames: [...spec.labelNames, ...findLabelSpecs(spec.nested)] }];
    case "blockAttrs":
      return [{ type: spec.typeName, labelNames: [] }];
    case "default":
      // Only the primary spec may describe a block.
      return blockHeaderSchemata(spec.primary) ?? [];
    default:
      return undefined;
  }
}

/** The spec applied to the bodies of the blocks a spec reads (hcldec's nestedSpec). */
function nestedSpec(spec: Spec): Spec | undefined {
  switch (spec.kind) {
    case "block":
    case "blockList":
    case "blockTuple":
    case "blockSet":
    case "blockMap":
    case "blockObject":
      return spec.nested;
    case "blockAttrs":
      // The block's body is read as plain attributes; a placeholder marks this as a block spec.
      return { kind: "literal", value: nullVal(dynamicType) };
    case "default":
      return nestedSpec(spec.primary);
    default:
      return undefined;
  }
}

/** The label names the label specs inside `spec` call for, by index ("missingNN" for gaps). */
function findLabelSpecs(spec: Spec): string[] {
  let maxIdx = -1;
  const names = new Map<number, string>();
  const visit = (s: Spec): void => {
    if (s.kind === "label") {
      if (maxIdx < s.index) maxIdx = s.index;
      names.set(s.index, s.name);
    }
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  const out: string[] = [];
  for (let i = 0; i <= maxIdx; i++) {
    const name = names.get(i) ?? "";
    out.push(name !== "" ? name : `missing${String(i).padStart(2, "0")}`);
  }
  return out;
}

/** The schema a spec reads its body with (hcldec.ImpliedSchema). */
export function impliedSchema(spec: Spec): BodySchema {
  const attributes: AttributeSchema[] = [];
  const blocks: BlockHeaderSchema[] = [];
  const visit = (s: Spec): void => {
    const as = attrSchemata(s);
    if (as !== undefined) attributes.push(...as);
    const bs = blockHeaderSchemata(s);
    if (bs !== undefined) blocks.push(...bs);
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  return { attributes, blocks };
}

/** The type of the value decoding with `spec` gives (hcldec.ImpliedType). */
export function impliedType(spec: Spec): Type {
  switch (spec.kind) {
    case "object": {
      const entries = Object.entries(spec.attributes);
      if (entries.length === 0) return emptyObjectType;
      return objectType(entries.map(([k, s]): [string, Type] => [k, impliedType(s)]));
    }
    case "tuple":
      return spec.elements.length === 0 ? emptyTupleType : tupleType(spec.elements.map(impliedType));
    case "attr":
      return spec.type;
    case "literal":
      return spec.value.type;
    case "expr":
    case "blockTuple":
    case "blockObject":
      return dynamicType;
    case "block":
      return impliedType(spec.nested);
    case "blockList":
      return listType(impliedType(spec.nested));
    case "blockSet":
      return setType(impliedType(spec.nested));
    case "blockMap": {
      let t = impliedType(spec.nested);
      for (let i = 0; i < spec.labelNames.length; i++) t = mapType(t);
      return t;
    }
    case "blockAttrs":
      return mapType(spec.elementType);
    case "label":
      return stringType;
    case "default":
      return impliedType(spec.primary);
    case "transform":
      return spec.type ?? dynamicType;
    case "transformExpr": {
      const vars = new Map([[spec.varName, unknownVal(impliedType(spec.wrapped))]]);
      return spec.expr.value(childContext(spec.ctx, vars)).value.type;
    }
    case "validate":
      return impliedType(spec.wrapped);
  }
}

/** The block types a spec reads from its body, each with the spec for their bodies (hcldec.ChildBlockTypes). */
export function childBlockTypes(spec: Spec): Map<string, Spec> {
  const out = new Map<string, Spec>();
  const visit = (s: Spec): void => {
    const headers = blockHeaderSchemata(s);
    if (headers !== undefined) {
      const nested = nestedSpec(s);
      if (nested !== undefined) for (const h of headers) out.set(h.type, nested);
    }
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Variables and source ranges

function labelsForBlock(block: HclBlock): BlockLabel[] {
  return block.labels.map((value, i) => ({ value, range: block.labelRanges[i] as Range }));
}

function blocksOfType(content: BodyContent, typeName: string): HclBlock[] {
  return blocksOfTypeIn(content.blocks, typeName);
}

/** The references to variables that decoding `body` with `spec` would evaluate (hcldec.Variables). */
export function specVariables(body: Body, spec: Spec): Traversal[] {
  const { content } = body.partialContent(impliedSchema(spec));
  const out: Traversal[] = [...variablesNeeded(spec, content)];
  const visit = (s: Spec): void => {
    out.push(...variablesNeeded(s, content));
    for (const c of sameBodyChildren(s)) visit(c);
  };
  for (const c of sameBodyChildren(spec)) visit(c);
  return out;
}

function variablesNeeded(spec: Spec, content: BodyContent): Traversal[] {
  switch (spec.kind) {
    case "attr":
      return content.attributes.get(spec.name)?.expr.variables() ?? [];
    case "expr":
      return spec.expr.variables();
    case "block": {
      const block = blocksOfType(content, spec.typeName)[0];
      return block === undefined ? [] : specVariables(block.body, spec.nested);
    }
    case "blockList":
    case "blockTuple":
    case "blockSet":
    case "blockMap":
    case "blockObject":
      return blocksOfType(content, spec.typeName).flatMap((b) => specVariables(b.body, spec.nested));
    case "blockAttrs": {
      const block = blocksOfType(content, spec.typeName)[0];
      if (block === undefined) return [];
      const { attributes, diagnostics } = block.body.justAttributes();
      if (diagnostics.some((d) => d.severity === "error")) return [];
      const vars = [...attributes.values()].flatMap((a) => a.expr.variables());
      // In source order, so that resulting errors are too.
      return vars.sort((a, b) => traversalStart(a) - traversalStart(b));
    }
    default:
      return [];
  }
}

function traversalStart(t: Traversal): number {
  return t[0]?.srcRange.start.byte ?? 0;
}

const UNKNOWN_RANGE: Range = {
  filename: "<unknown>",
  start: { line: 0, column: 0, byte: 0 },
  end: { line: 0, column: 0, byte: 0 },
};

/** Where the item `spec` decodes is in `body`, or where it would go (hcldec.SourceRange). */
export function specSourceRange(body: Body, spec: Spec): Range {
  return sourceRangeOf(body, [], spec);
}

function sourceRangeOf(body: Body, labels: readonly BlockLabel[], spec: Spec): Range {
  const { content } = body.partialContent(impliedSchema(spec));
  return contentSourceRange(spec, content, labels);
}

function contentSourceRange(spec: Spec, content: BodyContent, labels: readonly BlockLabel[]): Range {
  switch (spec.kind) {
    case "object":
    case "tuple":
      return content.missingItemRange;
    case "attr":
      return content.attributes.get(spec.name)?.expr.range ?? content.missingItemRange;
    case "literal":
      return UNKNOWN_RANGE;
    case "expr":
      return spec.expr.range;
    case "block":
    case "blockList":
    case "blockTuple":
    case "blockSet":
    case "blockMap":
    case "blockObject": {
      const block = blocksOfType(content, spec.typeName)[0];
      return block === undefined
        ? content.missingItemRange
        : sourceRangeOf(block.body, labelsForBlock(block), spec.nested);
    }
    case "blockAttrs":
      return blocksOfType(content, spec.typeName)[0]?.defRange ?? content.missingItemRange;
    case "label":
      return labelAt(spec.index, labels).range;
    case "default":
      return contentSourceRange(spec.primary, content, labels);
    case "transform":
    case "transformExpr":
    case "validate":
      return contentSourceRange(spec.wrapped, content, labels);
  }
}

function labelAt(index: number, labels: readonly BlockLabel[]): BlockLabel {
  const label = labels[index];
  if (label === undefined) throw new Error("a label spec is used outside of a block's nested spec");
  return label;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding content

function unknownOf(t: Type): Value {
  return unknownVal(withoutOptionalAttributesDeep(t));
}

/** A decoded block body's value with the body's marks (hcldec's prepareBodyVal). */
function withBodyMarks(v: Value, body: Body): Value {
  return body.valueMarks === undefined ? v : v.withMarks(body.valueMarks());
}

function decodeContent(
  spec: Spec,
  content: BodyContent,
  labels: readonly BlockLabel[],
  ctx: EvalContext | undefined,
): DecodeResult {
  switch (spec.kind) {
    case "object": {
      const diagnostics: Diagnostic[] = [];
      const vals = new Map<string, Value>();
      for (const [k, s] of Object.entries(spec.attributes)) {
        const r = decodeContent(s, content, labels, ctx);
        diagnostics.push(...r.diagnostics);
        vals.set(k, r.value);
      }
      return { value: objectVal(vals), diagnostics };
    }
    case "tuple": {
      const diagnostics: Diagnostic[] = [];
      const vals = spec.elements.map((s) => {
        const r = decodeContent(s, content, labels, ctx);
        diagnostics.push(...r.diagnostics);
        return r.value;
      });
      return { value: tupleVal(vals), diagnostics };
    }
    case "attr":
      return decodeAttr(spec.name, spec.type, content.attributes.get(spec.name), ctx);
    case "literal":
      return { value: spec.value, diagnostics: [] };
    case "expr":
      return spec.expr.value(ctx);
    case "block":
      return decodeBlock(spec.typeName, spec.nested, spec.required === true, content, ctx);
    case "blockList":
    case "blockSet":
    case "blockTuple":
      return decodeBlockCollection(spec, content, ctx);
    case "blockMap":
    case "blockObject":
      return decodeBlockMap(spec, content, ctx);
    case "blockAttrs":
      return decodeBlockAttrs(spec.typeName, spec.elementType, spec.required === true, content, ctx);
    case "label":
      return { value: stringVal(labelAt(spec.index, labels).value), diagnostics: [] };
    case "default": {
      const r = decodeContent(spec.primary, content, labels, ctx);
      if (!r.value.isNull()) return r;
      const d = decodeContent(spec.default, content, labels, ctx);
      return { value: d.value, diagnostics: [...r.diagnostics, ...d.diagnostics] };
    }
    case "transform": {
      const r = decodeContent(spec.wrapped, content, labels, ctx);
      // The function is not run on a failed decode: its errors would only distract from the cause.
      if (hasError(r.diagnostics)) return { value: unknownOf(impliedType(spec)), diagnostics: r.diagnostics };
      const t = spec.transform(r.value);
      return { value: t.value, diagnostics: [...r.diagnostics, ...(t.diagnostics ?? [])] };
    }
    case "transformExpr": {
      const r = decodeContent(spec.wrapped, content, labels, ctx);
      if (hasError(r.diagnostics)) return { value: unknownOf(impliedType(spec)), diagnostics: r.diagnostics };
      const child = childContext(spec.ctx, new Map([[spec.varName, r.value]]));
      const t = spec.expr.value(child);
      return { value: t.value, diagnostics: [...r.diagnostics, ...t.diagnostics] };
    }
    case "validate": {
      const r = decodeContent(spec.wrapped, content, labels, ctx);
      if (hasError(r.diagnostics)) return { value: unknownOf(impliedType(spec)), diagnostics: r.diagnostics };
      const range = contentSourceRange(spec, content, labels);
      const extra = spec
        .validate(r.value)
        .map((d) => (d.subject === undefined ? { ...d, subject: range } : d));
      return { value: r.value, diagnostics: [...r.diagnostics, ...extra] };
    }
  }
}

function hasError(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

function decodeAttr(
  name: string,
  type: Type,
  attr: HclAttribute | undefined,
  ctx: EvalContext | undefined,
): DecodeResult {
  // A missing required attribute was already reported when the content was read.
  if (attr === undefined) return { value: nullVal(withoutOptionalAttributesDeep(type)), diagnostics: [] };
  const { value, diagnostics } = attr.expr.value(ctx);
  const conv = convert(value, type);
  if (conv.ok) return { value: conv.value, diagnostics };
  diagnostics.push({
    severity: "error",
    summary: "Incorrect attribute value type",
    detail: `Inappropriate value for attribute ${goQuote(name)}: ${conv.error.message}.`,
    subject: attr.expr.range,
    context: rangeBetween(attr.nameRange, attr.expr.range),
  });
  // An unknown of the right type keeps the partial result usable for analysis.
  return { value: unknownOf(type), diagnostics };
}

function decodeBlock(
  typeName: string,
  nested: Spec,
  required: boolean,
  content: BodyContent,
  ctx: EvalContext | undefined,
): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  let child: HclBlock | undefined;
  for (const candidate of blocksOfType(content, typeName)) {
    if (child !== undefined) {
      diagnostics.push({
        severity: "error",
        summary: `Duplicate ${typeName} block`,
        detail: `Only one block of type ${goQuote(typeName)} is allowed. Previous definition was at ${formatRange(child.defRange)}.`,
        subject: candidate.defRange,
      });
      break;
    }
    child = candidate;
  }
  if (child === undefined) {
    if (required) {
      diagnostics.push({
        severity: "error",
        summary: `Missing ${typeName} block`,
        detail: `A block of type ${goQuote(typeName)} is required here.`,
        subject: content.missingItemRange,
      });
    }
    return { value: nullVal(withoutOptionalAttributesDeep(impliedType(nested))), diagnostics };
  }
  const r = decodeBody(child.body, labelsForBlock(child), ctx, nested, false);
  diagnostics.push(...r.diagnostics);
  return { value: r.value, diagnostics };
}

function decodeBlockCollection(
  spec: BlockListSpec | BlockSetSpec | BlockTupleSpec,
  content: BodyContent,
  ctx: EvalContext | undefined,
): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  const elems: Value[] = [];
  const sourceRanges: Range[] = [];
  for (const child of blocksOfType(content, spec.typeName)) {
    const labels = labelsForBlock(child);
    const r = decodeBody(child.body, labels, ctx, spec.nested, false);
    diagnostics.push(...r.diagnostics);
    if (child.body.unknown?.() === true) {
      // One block of unknown content makes the whole collection unknown.
      return { value: unknownOf(impliedType(spec)), diagnostics };
    }
    elems.push(withBodyMarks(r.value, child.body));
    sourceRanges.push(sourceRangeOf(child.body, labels, spec.nested));
  }

  const minItems = spec.minItems ?? 0;
  const maxItems = spec.maxItems ?? 0;
  if (elems.length < minItems) {
    diagnostics.push({
      severity: "error",
      summary: `Insufficient ${spec.typeName} blocks`,
      detail: `At least ${minItems} ${goQuote(spec.typeName)} blocks are required.`,
      subject: content.missingItemRange,
    });
  } else if (maxItems > 0 && elems.length > maxItems) {
    diagnostics.push({
      severity: "error",
      summary: `Too many ${spec.typeName} blocks`,
      detail: `No more than ${maxItems} ${goQuote(spec.typeName)} blocks are allowed`,
      subject: sourceRanges[maxItems] as Range,
    });
  }

  if (spec.kind === "blockTuple") {
    return { value: elems.length === 0 ? emptyTupleVal : tupleVal(elems), diagnostics };
  }
  if (elems.length === 0) {
    const et = impliedType(spec.nested);
    return { value: spec.kind === "blockList" ? listValEmpty(et) : setValEmpty(et), diagnostics };
  }

  // A list or set needs one element type; `any` attributes inside can make blocks differ.
  const unified = unifyUnsafe(elems.map((v) => v.type));
  if (unified === undefined) {
    diagnostics.push({
      severity: "error",
      summary: `Unconsistent argument types in ${spec.typeName} blocks`,
      detail: "Corresponding attributes in all blocks of this type must be the same.",
      subject: sourceRanges[0] as Range,
    });
    return { value: dynamicVal, diagnostics };
  }
  for (let i = 0; i < elems.length; i++) {
    const conv = unified.conversions[i];
    if (conv === undefined) continue;
    const r = conv(elems[i] as Value);
    if (!r.ok) {
      diagnostics.push({
        severity: "error",
        summary: `Unconsistent argument types in ${spec.typeName} blocks`,
        detail: `Block with index ${i} has inconsistent argument types: ${r.error.message}.`,
        subject: sourceRanges[i] as Range,
      });
      return { value: dynamicVal, diagnostics };
    }
    elems[i] = r.value;
  }
  return { value: spec.kind === "blockList" ? listVal(elems) : setVal(elems), diagnostics };
}

type NestedMap = Map<string, NestedMap | Value>;

function decodeBlockMap(
  spec: BlockMapSpec | BlockObjectSpec,
  content: BodyContent,
  ctx: EvalContext | undefined,
): DecodeResult {
  if (spec.kind === "blockMap" && hasDynamicTypes(impliedType(spec))) {
    throw new Error("attributes of type any may not be used inside a blockMap spec");
  }
  const diagnostics: Diagnostic[] = [];
  const depth = spec.labelNames.length;
  const elems: NestedMap = new Map();
  for (const child of blocksOfType(content, spec.typeName)) {
    if (child.body.unknown?.() === true) {
      return { value: unknownOf(impliedType(spec)), diagnostics };
    }
    const childLabels = labelsForBlock(child);
    const r = decodeBody(child.body, childLabels.slice(depth), ctx, spec.nested, false);
    const val = withBodyMarks(r.value, child.body);
    let target = elems;
    for (const key of child.labels.slice(0, depth - 1)) {
      let next = target.get(key);
      if (next === undefined) {
        next = new Map();
        target.set(key, next);
      }
      target = next as NestedMap;
    }
    diagnostics.push(...r.diagnostics);
    const key = child.labels[depth - 1] as string;
    if (target.has(key)) {
      const labelsText = child.labels.map((l) => ` ${goQuote(l)}`).join("");
      diagnostics.push({
        severity: "error",
        summary: `Duplicate ${spec.typeName} block`,
        detail: `A block for ${spec.typeName}${labelsText} was already defined. The ${spec.typeName} labels must be unique.`,
        subject: child.defRange,
      });
      continue;
    }
    target.set(key, val);
  }

  if (elems.size === 0) {
    return {
      value: spec.kind === "blockMap" ? mapValEmpty(impliedType(spec.nested)) : emptyObjectVal,
      diagnostics,
    };
  }
  const build = (raw: NestedMap, level: number): Value => {
    const vals = new Map<string, Value>();
    for (const [k, v] of raw) vals.set(k, level === 1 ? (v as Value) : build(v as NestedMap, level - 1));
    return spec.kind === "blockMap" ? mapVal(vals) : objectVal(vals);
  };
  return { value: build(elems, depth), diagnostics };
}

function decodeBlockAttrs(
  typeName: string,
  elementType: Type,
  required: boolean,
  content: BodyContent,
  ctx: EvalContext | undefined,
): DecodeResult {
  const diagnostics: Diagnostic[] = [];
  const [block, other] = blocksOfType(content, typeName);
  if (block === undefined) {
    if (required) {
      diagnostics.push({
        severity: "error",
        summary: `Missing ${typeName} block`,
        detail: `A block of type ${goQuote(typeName)} is required here.`,
        subject: content.missingItemRange,
      });
    }
    return { value: nullVal(withoutOptionalAttributesDeep(mapType(elementType))), diagnostics };
  }
  if (other !== undefined) {
    diagnostics.push({
      severity: "error",
      summary: `Duplicate ${typeName} block`,
      detail: `Only one block of type ${goQuote(typeName)} is allowed. Previous definition was at ${formatRange(block.defRange)}.`,
      subject: other.defRange,
    });
  }
  const { attributes, diagnostics: attrDiags } = block.body.justAttributes();
  diagnostics.push(...attrDiags);
  if (attributes.size === 0) return { value: mapValEmpty(elementType), diagnostics };
  const vals = new Map<string, Value>();
  for (const [name, attr] of attributes) {
    const r = attr.expr.value(ctx);
    diagnostics.push(...r.diagnostics);
    const conv = convert(r.value, elementType);
    if (conv.ok) {
      vals.set(name, conv.value);
      continue;
    }
    diagnostics.push({
      severity: "error",
      summary: "Invalid attribute value",
      detail: `Invalid value for attribute of ${goQuote(typeName)} block: ${conv.error.message}.`,
      subject: attr.expr.range,
      context: rangeBetween(attr.nameRange, attr.expr.range),
    });
    vals.set(name, unknownVal(elementType));
  }
  if (canMapVal(vals)) return { value: mapVal(vals), diagnostics };
  // With element type `any` the arguments may differ in type, and a map needs one element type.
  const names = [...vals.keys()];
  const unified = unifyUnsafe(names.map((n) => (vals.get(n) as Value).type));
  for (let i = 0; unified !== undefined && i < names.length; i++) {
    const conv = unified.conversions[i];
    if (conv === undefined) continue;
    const r = conv(vals.get(names[i] as string) as Value);
    if (r.ok) vals.set(names[i] as string, r.value);
  }
  if (canMapVal(vals)) return { value: mapVal(vals), diagnostics };
  diagnostics.push({
    severity: "error",
    summary: "Invalid attribute value",
    detail: `The arguments of the ${goQuote(typeName)} block must all have values of the same type.`,
    subject: block.defRange,
  });
  return { value: unknownVal(mapType(elementType)), diagnostics };
}
