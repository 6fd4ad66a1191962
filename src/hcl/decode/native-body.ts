/**
 * The native syntax behind the Body and HclExpression interfaces (hclsyntax.Body and its expressions as
 * hcl.Body / hcl.Expression): schema-driven content extraction over the parser's AST with HCL's
 * diagnostics, and expressions evaluated by the evaluator.
 */
import { type Diagnostic, type Range, rangeBetween } from "../diagnostic.js";
import type { EvalContext } from "../eval/context.js";
import { evaluate } from "../eval/evaluate.js";
import type {
  Expression,
  Attribute as SyntaxAttribute,
  Body as SyntaxBody,
  Traversal,
} from "../syntax/ast.js";
import { goQuote, nameSuggestion } from "../syntax/go-compat.js";
import { exprAsKeyword, exprAsTraversal, variables } from "../syntax/variables.js";
import type {
  Body,
  BodyContent,
  BodySchema,
  ContentResult,
  ExpressionValueResult,
  HclAttribute,
  HclBlock,
  HclExpression,
  HclKeyValuePair,
  HclStaticCall,
  JustAttributesResult,
  PartialContentResult,
} from "./body.js";

/** HCL's UnwrapExpression for the native syntax: an object key stands for the expression it wraps. */
function unwrapKey(e: Expression): Expression {
  while (e.kind === "ObjectConsKeyExpr") e = e.wrapped;
  return e;
}

/** A native-syntax expression as an HclExpression. */
export class NativeExpression implements HclExpression {
  constructor(readonly syntax: Expression) {}

  get range(): Range {
    return this.syntax.srcRange;
  }

  get startRange(): Range {
    return this.syntax.startRange;
  }

  value(ctx: EvalContext | undefined): ExpressionValueResult {
    return evaluate(this.syntax, ctx);
  }

  variables(): Traversal[] {
    return variables(this.syntax);
  }

  asAbsTraversal(): Traversal | undefined {
    return exprAsTraversal(this.syntax);
  }

  asKeyword(): string {
    return exprAsKeyword(this.syntax);
  }

  asList(): HclExpression[] | undefined {
    const e = unwrapKey(this.syntax);
    return e.kind === "TupleConsExpr" ? e.exprs.map(nativeExpression) : undefined;
  }

  asMap(): HclKeyValuePair[] | undefined {
    const e = unwrapKey(this.syntax);
    if (e.kind !== "ObjectConsExpr") return undefined;
    return e.items.map((item) => ({
      key: nativeExpression(item.keyExpr),
      value: nativeExpression(item.valueExpr),
    }));
  }

  asCall(): HclStaticCall | undefined {
    const e = unwrapKey(this.syntax);
    if (e.kind !== "FunctionCallExpr") return undefined;
    return {
      name: e.name,
      nameRange: e.nameRange,
      args: e.args.map(nativeExpression),
      argsRange: rangeBetween(e.openParenRange, e.closeParenRange),
    };
  }

  asStaticString(): string | undefined {
    const e = this.syntax;
    if (e.kind !== "TemplateExpr") return undefined;
    let s = "";
    for (const part of e.parts) {
      if (part.kind !== "LiteralValue" || part.value.type !== "string") return undefined;
      s += part.value.value;
    }
    return s;
  }

  asNativeSyntax(): Expression {
    return this.syntax;
  }
}

/** Wraps a native-syntax expression. */
export function nativeExpression(expr: Expression): HclExpression {
  return new NativeExpression(expr);
}

/** The native AST behind an HclExpression, if it came from the native syntax. */
export function nativeSyntaxOf(expr: HclExpression): Expression | undefined {
  return expr instanceof NativeExpression ? expr.syntax : undefined;
}

function asHclAttribute(attr: SyntaxAttribute): HclAttribute {
  return {
    name: attr.name,
    expr: nativeExpression(attr.expr),
    range: attr.srcRange,
    nameRange: attr.nameRange,
  };
}

/** hclsyntax.Body as a Body. `hiddenAttrs`/`hiddenBlocks` are what earlier partialContent calls used. */
export class NativeBody implements Body {
  constructor(
    readonly syntax: SyntaxBody,
    private readonly hiddenAttrs: ReadonlySet<string> = new Set(),
    private readonly hiddenBlocks: ReadonlySet<string> = new Set(),
  ) {}

  missingItemRange(): Range {
    const r = this.syntax.srcRange;
    return { filename: r.filename, start: r.start, end: r.start };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const attrs = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    const diagnostics: Diagnostic[] = [];
    const hiddenAttrs = new Set(this.hiddenAttrs);
    const hiddenBlocks = new Set(this.hiddenBlocks);

    for (const attrS of schema.attributes ?? []) {
      const attr = this.syntax.attributes.get(attrS.name);
      if (attr === undefined || hiddenAttrs.has(attrS.name)) {
        if (attrS.required === true) {
          diagnostics.push({
            severity: "error",
            summary: "Missing required argument",
            detail: `The argument ${goQuote(attrS.name)} is required, but no definition was found.`,
            subject: this.missingItemRange(),
          });
        }
        continue;
      }
      hiddenAttrs.add(attrS.name);
      attrs.set(attrS.name, asHclAttribute(attr));
    }

    const blocksWanted = new Map((schema.blocks ?? []).map((b) => [b.type, b] as const));
    for (const block of this.syntax.blocks) {
      if (hiddenBlocks.has(block.type)) continue;
      const blockS = blocksWanted.get(block.type);
      if (blockS === undefined) continue;
      const labelNames = blockS.labelNames ?? [];
      const context = rangeBetween(block.typeRange, block.openBraceRange);
      if (block.labels.length > labelNames.length) {
        const name = block.type;
        diagnostics.push({
          severity: "error",
          summary: `Extraneous label for ${name}`,
          detail:
            labelNames.length === 0
              ? `No labels are expected for ${name} blocks.`
              : `Only ${labelNames.length} labels (${labelNames.join(", ")}) are expected for ${name} blocks.`,
          subject: block.labelRanges[labelNames.length] as Range,
          context,
        });
        continue;
      }
      if (block.labels.length < labelNames.length) {
        const name = block.type;
        diagnostics.push({
          severity: "error",
          summary: `Missing ${labelNames[block.labels.length]} for ${name}`,
          detail: `All ${name} blocks must have ${labelNames.length} labels (${labelNames.join(", ")}).`,
          subject: block.openBraceRange,
          context,
        });
        continue;
      }
      blocks.push({
        type: block.type,
        labels: block.labels,
        body: new NativeBody(block.body),
        defRange: block.defRange,
        typeRange: block.typeRange,
        labelRanges: block.labelRanges,
      });
    }

    // Block types are hidden only after all blocks were read, so that several of one type are all found.
    for (const blockS of schema.blocks ?? []) hiddenBlocks.add(blockS.type);

    const content: BodyContent = { attributes: attrs, blocks, missingItemRange: this.missingItemRange() };
    return { content, remain: new NativeBody(this.syntax, hiddenAttrs, hiddenBlocks), diagnostics };
  }

  content(schema: BodySchema): ContentResult {
    const { content, remain, diagnostics } = this.partialContent(schema);
    const rest = remain as NativeBody;

    for (const [name, attr] of this.syntax.attributes) {
      if (rest.hiddenAttrs.has(name)) continue;
      const suggestions = (schema.attributes ?? [])
        .map((a) => a.name)
        .filter((n) => !content.attributes.has(n));
      let suggestion = nameSuggestion(name, suggestions);
      if (suggestion !== "") {
        suggestion = ` Did you mean ${goQuote(suggestion)}?`;
      } else if ((schema.blocks ?? []).some((b) => b.type === name)) {
        suggestion = ` Did you mean to define a block of type ${goQuote(name)}?`;
      }
      diagnostics.push({
        severity: "error",
        summary: "Unsupported argument",
        detail: `An argument named ${goQuote(name)} is not expected here.${suggestion}`,
        subject: attr.nameRange,
      });
    }

    for (const block of this.syntax.blocks) {
      const blockTy = block.type;
      if (rest.hiddenBlocks.has(blockTy)) continue;
      let suggestion = nameSuggestion(
        blockTy,
        (schema.blocks ?? []).map((b) => b.type),
      );
      if (suggestion !== "") {
        suggestion = ` Did you mean ${goQuote(suggestion)}?`;
      } else if ((schema.attributes ?? []).some((a) => a.name === blockTy)) {
        suggestion = ` Did you mean to define argument ${goQuote(blockTy)}? If so, use the equals sign to assign it a value.`;
      }
      diagnostics.push({
        severity: "error",
        summary: "Unsupported block type",
        detail: `Blocks of type ${goQuote(blockTy)} are not expected here.${suggestion}`,
        subject: block.typeRange,
      });
    }

    return { content, diagnostics };
  }

  justAttributes(): JustAttributesResult {
    const attributes = new Map<string, HclAttribute>();
    const diagnostics: Diagnostic[] = [];
    const example = this.syntax.blocks[0];
    if (example !== undefined) {
      // HCL still returns the attributes it found, so that some analysis can go on despite the error.
      diagnostics.push({
        severity: "error",
        summary: `Unexpected ${goQuote(example.type)} block`,
        detail: "Blocks are not allowed here.",
        subject: example.typeRange,
      });
    }
    for (const [name, attr] of this.syntax.attributes) {
      if (this.hiddenAttrs.has(name)) continue;
      attributes.set(name, asHclAttribute(attr));
    }
    return { attributes, diagnostics };
  }
}

/** The body of a parsed native-syntax file (or block) as a Body. */
export function nativeBody(body: SyntaxBody): Body {
  return new NativeBody(body);
}
