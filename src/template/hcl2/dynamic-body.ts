/**
 * `dynamic` blocks (HCL's ext/dynblock): expandDynamicBlocks(body, ctx) wraps a body so that, when it is read
 * with a schema, every `dynamic "<type>" { for_each, iterator?, labels?, content {...} }` block whose type the
 * schema expects becomes one `<type>` block per element of `for_each`, with the iterator (`<type>` unless
 * `iterator` names another) bound to `{key, value}` for the expressions of the generated content. Nested
 * bodies are expanded the same way, so dynamic blocks may nest, and inner ones see outer iterators.
 *
 * `for_each` and labels are evaluated with the context given to expandDynamicBlocks; the generated content's
 * arguments are evaluated later, in whatever context their reader uses, plus the iterators. A `for_each`
 * that is not known yet gives one block whose body reads as unknown. Diagnostics are dynblock's.
 */
import {
  type AttributeSchema,
  type BlockHeaderSchema,
  type Body,
  type BodyContent,
  type BodySchema,
  type ContentResult,
  childContext,
  convert,
  type Diagnostic,
  dynamicVal,
  type EvalContext,
  type ExpressionValueResult,
  friendlyName,
  type HclAttribute,
  type HclAttributes,
  type HclBlock,
  type HclExpression,
  type HclKeyValuePair,
  type HclStaticCall,
  hasErrors,
  hclAbsTraversalForExpr,
  hclExprList,
  type JustAttributesResult,
  type Marks,
  objectVal,
  type PartialContentResult,
  type Range,
  stringType,
  type Traversal,
  traversalRootName,
  type Value,
} from "../../hcl/index.js";

const DYNAMIC_HEADER: BlockHeaderSchema = { type: "dynamic", labelNames: ["type"] };

const SPEC_SCHEMA_LABELS: BodySchema = {
  attributes: [
    { name: "for_each", required: true },
    { name: "iterator" },
    { name: "labels", required: true },
  ],
  blocks: [{ type: "content" }],
};

const SPEC_SCHEMA_NO_LABELS: BodySchema = {
  attributes: [{ name: "for_each", required: true }, { name: "iterator" }],
  blocks: [{ type: "content" }],
};

/** One step of a dynamic expansion: the iterator's name and element, and the iterators around it. */
class Iteration {
  constructor(
    readonly iteratorName: string,
    readonly key: Value,
    readonly value: Value,
    readonly inherited: ReadonlyMap<string, Iteration>,
  ) {}

  object(): Value {
    return objectVal({ key: this.key, value: this.value });
  }

  makeChild(iteratorName: string, key: Value, value: Value): Iteration {
    const inherited = new Map(this.inherited);
    inherited.set(this.iteratorName, this);
    return new Iteration(iteratorName, key, value, inherited);
  }
}

function iterationContext(i: Iteration | undefined, base: EvalContext | undefined): EvalContext | undefined {
  if (i === undefined) return base;
  const vars = new Map<string, Value>();
  for (const [name, other] of i.inherited) vars.set(name, other.object());
  vars.set(i.iteratorName, i.object());
  return childContext(base, vars);
}

function makeIteration(
  parent: Iteration | undefined,
  iteratorName: string,
  key: Value,
  value: Value,
): Iteration {
  return parent === undefined
    ? new Iteration(iteratorName, key, value, new Map())
    : parent.makeChild(iteratorName, key, value);
}

/** An expression of generated content: evaluated with the iterators in scope, and marked like for_each. */
class WrappedExpression implements HclExpression {
  constructor(
    readonly inner: HclExpression,
    private readonly iteration: Iteration | undefined,
    private readonly marks: Marks | undefined,
  ) {}

  get range(): Range {
    return this.inner.range;
  }

  get startRange(): Range {
    return this.inner.startRange;
  }

  value(ctx: EvalContext | undefined): ExpressionValueResult {
    const r = this.inner.value(iterationContext(this.iteration, ctx));
    if (this.marks !== undefined && this.marks.size > 0) r.value = r.value.withMarks(this.marks);
    return r;
  }

  variables(): Traversal[] {
    const i = this.iteration;
    if (i === undefined) return this.inner.variables();
    return this.inner.variables().filter((t) => {
      const root = traversalRootName(t);
      return root !== i.iteratorName && !i.inherited.has(root);
    });
  }

  asAbsTraversal(): Traversal | undefined {
    return this.inner.asAbsTraversal();
  }
  asKeyword(): string {
    return this.inner.asKeyword();
  }
  asList(): HclExpression[] | undefined {
    return this.inner.asList();
  }
  asMap(): HclKeyValuePair[] | undefined {
    return this.inner.asMap();
  }
  asCall(): HclStaticCall | undefined {
    return this.inner.asCall();
  }
  asStaticString(): string | undefined {
    return this.inner.asStaticString();
  }
  asNativeSyntax() {
    return this.inner.asNativeSyntax();
  }
}

/** A fixed value at a range (hcl.StaticExpr): what the arguments of an unknown body read as. */
class StaticExpression implements HclExpression {
  constructor(
    private readonly fixed: Value,
    readonly range: Range,
  ) {}
  get startRange(): Range {
    return this.range;
  }
  value(): ExpressionValueResult {
    return { value: this.fixed, diagnostics: [] };
  }
  variables(): Traversal[] {
    return [];
  }
  asAbsTraversal(): undefined {
    return undefined;
  }
  asKeyword(): string {
    return "";
  }
  asList(): undefined {
    return undefined;
  }
  asMap(): undefined {
    return undefined;
  }
  asCall(): undefined {
    return undefined;
  }
  asStaticString(): undefined {
    return undefined;
  }
  asNativeSyntax(): undefined {
    return undefined;
  }
}

/** The body of a block generated from a `for_each` that is not known yet: everything in it is unknown. */
class UnknownBody implements Body {
  constructor(
    private readonly template: Body,
    private readonly marks: Marks | undefined,
  ) {}

  unknown(): boolean {
    return true;
  }

  valueMarks(): Marks {
    return this.template.valueMarks?.() ?? new Set();
  }

  content(schema: BodySchema): ContentResult {
    const r = this.template.content(schema);
    return { content: this.fixupContent(r.content), diagnostics: r.diagnostics };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const r = this.template.partialContent(schema);
    return {
      content: this.fixupContent(r.content),
      remain: new UnknownBody(r.remain, this.marks),
      diagnostics: r.diagnostics,
    };
  }

  justAttributes(): JustAttributesResult {
    const r = this.template.justAttributes();
    return { attributes: this.fixupAttrs(r.attributes), diagnostics: r.diagnostics };
  }

  missingItemRange(): Range {
    return this.template.missingItemRange();
  }

  private fixupContent(got: BodyContent): BodyContent {
    return {
      attributes: this.fixupAttrs(got.attributes),
      blocks: got.blocks.map((b) => ({ ...b, body: new UnknownBody(b.body, this.marks) })),
      missingItemRange: got.missingItemRange,
    };
  }

  private fixupAttrs(got: HclAttributes): HclAttributes {
    const out = new Map<string, HclAttribute>();
    const unknown = this.marks !== undefined ? dynamicVal.withMarks(this.marks) : dynamicVal;
    for (const [name, attr] of got)
      out.set(name, { ...attr, expr: new StaticExpression(unknown, attr.expr.range) });
    return out;
  }
}

interface ExpandSpec {
  readonly blockType: string;
  readonly blockTypeRange: Range;
  readonly defRange: Range;
  readonly forEachVal: Value;
  readonly iteratorName: string;
  readonly labelExprs: readonly HclExpression[];
  readonly contentBody: Body;
}

class DynamicBody implements Body {
  constructor(
    private readonly original: Body,
    private readonly forEachCtx: EvalContext | undefined,
    private readonly iteration: Iteration | undefined = undefined,
    private readonly marks: Marks | undefined = undefined,
    private readonly hiddenAttrs: ReadonlySet<string> = new Set(),
    private readonly hiddenBlocks: ReadonlyMap<string, BlockHeaderSchema> = new Map(),
  ) {}

  valueMarks(): Marks {
    return this.marks ?? new Set();
  }

  content(schema: BodySchema): ContentResult {
    const raw = this.original.content(this.extendSchema(schema));
    const { blocks, diagnostics } = this.expandBlocks(schema, raw.content.blocks, false);
    return {
      content: {
        attributes: this.prepareAttributes(raw.content.attributes),
        blocks,
        missingItemRange: this.original.missingItemRange(),
      },
      diagnostics: [...raw.diagnostics, ...diagnostics],
    };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const raw = this.original.partialContent(this.extendSchema(schema));
    const { blocks, diagnostics } = this.expandBlocks(schema, raw.content.blocks, true);
    const hiddenAttrs = new Set(this.hiddenAttrs);
    const hiddenBlocks = new Map(this.hiddenBlocks);
    for (const a of schema.attributes ?? []) hiddenAttrs.add(a.name);
    for (const b of schema.blocks ?? []) hiddenBlocks.set(b.type, b);
    return {
      content: {
        attributes: this.prepareAttributes(raw.content.attributes),
        blocks,
        missingItemRange: this.original.missingItemRange(),
      },
      remain: new DynamicBody(
        this.original,
        this.forEachCtx,
        this.iteration,
        this.marks,
        hiddenAttrs,
        hiddenBlocks,
      ),
      diagnostics: [...raw.diagnostics, ...diagnostics],
    };
  }

  justAttributes(): JustAttributesResult {
    return this.original.justAttributes();
  }

  missingItemRange(): Range {
    return this.original.missingItemRange();
  }

  private extendSchema(schema: BodySchema): BodySchema {
    const blocks = [...(schema.blocks ?? []), DYNAMIC_HEADER, ...this.hiddenBlocks.values()];
    let attributes: readonly AttributeSchema[] = schema.attributes ?? [];
    if (this.hiddenAttrs.size > 0)
      attributes = [...attributes, ...[...this.hiddenAttrs].map((name) => ({ name }))];
    return { attributes, blocks };
  }

  private prepareAttributes(raw: HclAttributes): HclAttributes {
    const marked = this.marks !== undefined && this.marks.size > 0;
    if (this.hiddenAttrs.size === 0 && this.iteration === undefined && !marked) return raw;
    const out = new Map<string, HclAttribute>();
    for (const [name, attr] of raw) {
      if (this.hiddenAttrs.has(name)) continue;
      if (this.iteration === undefined && !marked) {
        out.set(name, attr);
        continue;
      }
      out.set(name, { ...attr, expr: new WrappedExpression(attr.expr, this.iteration, this.marks) });
    }
    return out;
  }

  private expandChild(child: Body, i: Iteration | undefined, marks: Marks | undefined): Body {
    return new DynamicBody(child, iterationContext(i, this.forEachCtx), i, marks);
  }

  private expandBlocks(
    schema: BodySchema,
    rawBlocks: readonly HclBlock[],
    partial: boolean,
  ): { blocks: HclBlock[]; diagnostics: Diagnostic[] } {
    const blocks: HclBlock[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const raw of rawBlocks) {
      if (raw.type !== "dynamic") {
        if (!this.hiddenBlocks.has(raw.type)) {
          blocks.push({ ...raw, body: this.expandChild(raw.body, this.iteration, undefined) });
        }
        continue;
      }
      const realType = raw.labels[0]!;
      if (this.hiddenBlocks.has(realType)) continue;
      const blockS = (schema.blocks ?? []).find((b) => b.type === realType);
      if (blockS === undefined) {
        if (!partial) {
          diagnostics.push({
            severity: "error",
            summary: "Unsupported block type",
            detail: `Blocks of type "${realType}" are not expected here.`,
            subject: raw.labelRanges[0]!,
          });
        }
        continue;
      }
      const spec = this.decodeSpec(blockS, raw, diagnostics);
      if (spec === undefined) continue;
      const [forEach, marks] = spec.forEachVal.unmark();
      if (forEach.isKnown()) {
        for (const [key, value] of forEach.elements()) {
          const i = makeIteration(this.iteration, spec.iteratorName, key, value);
          const block = newBlock(spec, i, this.forEachCtx, diagnostics);
          if (block !== undefined) blocks.push({ ...block, body: this.expandChild(block.body, i, marks) });
        }
      } else {
        const i = makeIteration(this.iteration, spec.iteratorName, dynamicVal, dynamicVal);
        const block = newBlock(spec, i, this.forEachCtx, diagnostics);
        if (block !== undefined) {
          blocks.push({ ...block, body: new UnknownBody(this.expandChild(block.body, i, marks), marks) });
        }
      }
    }
    return { blocks, diagnostics };
  }

  private decodeSpec(
    blockS: BlockHeaderSchema,
    raw: HclBlock,
    diagnostics: Diagnostic[],
  ): ExpandSpec | undefined {
    const withLabels = (blockS.labelNames ?? []).length > 0;
    const specContent = raw.body.content(withLabels ? SPEC_SCHEMA_LABELS : SPEC_SCHEMA_NO_LABELS);
    diagnostics.push(...specContent.diagnostics);
    if (hasErrors(specContent.diagnostics)) return undefined;
    const content = specContent.content;

    let iteratorName = blockS.type;
    const iteratorAttr = content.attributes.get("iterator");
    if (iteratorAttr !== undefined) {
      const t = hclAbsTraversalForExpr(iteratorAttr.expr);
      diagnostics.push(...t.diagnostics);
      if (hasErrors(t.diagnostics)) return undefined;
      if (t.traversal.length !== 1) {
        diagnostics.push({
          severity: "error",
          summary: "Invalid dynamic iterator name",
          detail: "Dynamic iterator must be a single variable name.",
          subject: iteratorAttr.expr.range,
        });
        return undefined;
      }
      iteratorName = traversalRootName(t.traversal);
    }

    const eachAttr = content.attributes.get("for_each")!;
    const each = eachAttr.expr.value(this.forEachCtx);
    diagnostics.push(...each.diagnostics);
    if (hasErrors(each.diagnostics)) return undefined;
    const [unmarked] = each.value.unmark();
    if (!unmarked.canIterateElements() && unmarked.type.kind !== "dynamic") {
      diagnostics.push({
        severity: "error",
        summary: "Invalid dynamic for_each value",
        detail: `Cannot use a ${friendlyName(each.value.type)} value in for_each. An iterable collection is required.`,
        subject: eachAttr.expr.range,
      });
      return undefined;
    }
    if (unmarked.isNull()) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid dynamic for_each value",
        detail: "Cannot use a null value in for_each.",
        subject: eachAttr.expr.range,
      });
      return undefined;
    }

    let labelExprs: HclExpression[] = [];
    const labelsAttr = content.attributes.get("labels");
    if (labelsAttr !== undefined) {
      const l = hclExprList(labelsAttr.expr);
      diagnostics.push(...l.diagnostics);
      if (hasErrors(l.diagnostics)) return undefined;
      labelExprs = l.exprs;
      const want = (blockS.labelNames ?? []).length;
      if (labelExprs.length > want) {
        diagnostics.push({
          severity: "error",
          summary: "Extraneous dynamic block label",
          detail: `Blocks of type "${blockS.type}" require ${want} label(s).`,
          subject: labelExprs[want]!.range,
        });
        return undefined;
      }
      if (labelExprs.length < want) {
        diagnostics.push({
          severity: "error",
          summary: "Insufficient dynamic block labels",
          detail: `Blocks of type "${blockS.type}" require ${want} label(s).`,
          subject: labelsAttr.expr.range,
        });
        return undefined;
      }
    }

    if (content.blocks.length === 0) {
      diagnostics.push({
        severity: "error",
        summary: "Missing dynamic content block",
        detail:
          'A dynamic block must have a nested block of type "content" to describe the body of each generated block.',
        subject: content.missingItemRange,
      });
      return undefined;
    }
    if (content.blocks.length > 1) {
      diagnostics.push({
        severity: "error",
        summary: "Extraneous dynamic content block",
        detail: "Only one nested content block is allowed for each dynamic block.",
        subject: content.blocks[1]!.defRange,
      });
      return undefined;
    }

    return {
      blockType: blockS.type,
      blockTypeRange: raw.labelRanges[0]!,
      defRange: raw.defRange,
      forEachVal: each.value,
      iteratorName,
      labelExprs,
      contentBody: content.blocks[0]!.body,
    };
  }
}

function newBlock(
  spec: ExpandSpec,
  i: Iteration,
  ctx: EvalContext | undefined,
  diagnostics: Diagnostic[],
): HclBlock | undefined {
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  const lCtx = iterationContext(i, ctx);
  for (const labelExpr of spec.labelExprs) {
    const r = labelExpr.value(lCtx);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) return undefined;
    const invalid = (detail: string): undefined => {
      diagnostics.push({
        severity: "error",
        summary: "Invalid dynamic block label",
        detail,
        subject: labelExpr.range,
      });
      return undefined;
    };
    const converted = convert(r.value, stringType);
    if (!converted.ok)
      return invalid(`Cannot use this value as a dynamic block label: ${converted.error.message}.`);
    const v = converted.value;
    if (v.isNull()) return invalid("Cannot use a null value as a dynamic block label.");
    if (!v.isKnown()) {
      return invalid("This value is not yet known. Dynamic block labels must be immediately-known values.");
    }
    if (v.isMarked()) {
      return invalid("This value has dynamic marks that make it unsuitable for use as a block label.");
    }
    labels.push(v.asString());
    labelRanges.push(labelExpr.range);
  }
  return {
    type: spec.blockType,
    typeRange: spec.blockTypeRange,
    labels,
    labelRanges,
    defRange: spec.defRange,
    body: spec.contentBody,
  };
}

/** The body with its `dynamic` blocks expanded on reading; `for_each` and labels are evaluated in `ctx`. */
export function expandDynamicBlocks(body: Body, ctx: EvalContext | undefined): Body {
  return new DynamicBody(body, ctx);
}
