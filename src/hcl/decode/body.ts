/**
 * The syntax-agnostic structure of a configuration, shaped like HCL's hcl.Body, hcl.Expression and
 * hcl.BodySchema. The native syntax (native-body.ts) and the JSON syntax (../json) both implement these
 * interfaces, so everything above them (spec-driven decoding, Packer's template loader, plugin config
 * decoding) works the same for `*.pkr.hcl` and `*.pkr.json`.
 *
 * Contracts:
 * - A Body is read through a schema. `content` reports everything the schema does not describe as an
 *   error ("Unsupported argument", "Unsupported block type"); `partialContent` leaves it in `remain` for
 *   a later schema, which is how a body is decoded in several passes (Packer's `source` bodies: first the
 *   common arguments, then the builder's own schema).
 * - Diagnostics are HCL's own texts and ranges. Nothing here throws on user input.
 * - Attribute maps keep source order where the syntax has one (Go's maps have none, so any order is
 *   compatible; source order keeps diagnostics stable).
 */
import type { Diagnostic, Range } from "../diagnostic.js";
import type { EvalContext } from "../eval/context.js";
import type { Expression, Traversal } from "../syntax/ast.js";
import type { Marks, Value } from "../value/index.js";

// ---------------------------------------------------------------------------------------------------------
// Schemas (hcl.BodySchema)

/** An argument the body may (or, when `required`, must) define. */
export interface AttributeSchema {
  readonly name: string;
  readonly required?: boolean;
}

/** A block type the body may contain, with the names of its labels (their count is enforced). */
export interface BlockHeaderSchema {
  readonly type: string;
  readonly labelNames?: readonly string[];
}

export interface BodySchema {
  readonly attributes?: readonly AttributeSchema[];
  readonly blocks?: readonly BlockHeaderSchema[];
}

// ---------------------------------------------------------------------------------------------------------
// Content (hcl.BodyContent, hcl.Attribute, hcl.Block)

/** An argument definition `name = expr`. */
export interface HclAttribute {
  readonly name: string;
  readonly expr: HclExpression;
  /** The whole definition, from the name to the end of the expression. */
  readonly range: Range;
  readonly nameRange: Range;
}

/** Attributes by name. */
export type HclAttributes = ReadonlyMap<string, HclAttribute>;

/** A nested block `type "label" ... { body }`. */
export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: Body;
  /** The block header, for "this block" diagnostics (JSON: the opening brace/bracket of the body). */
  readonly defRange: Range;
  readonly typeRange: Range;
  readonly labelRanges: readonly Range[];
}

export interface BodyContent {
  readonly attributes: HclAttributes;
  /** In source order. */
  readonly blocks: readonly HclBlock[];
  /** Where a missing item would go: the subject of "Missing required argument"-style diagnostics. */
  readonly missingItemRange: Range;
}

export interface ContentResult {
  content: BodyContent;
  diagnostics: Diagnostic[];
}

export interface PartialContentResult {
  content: BodyContent;
  /** The same body with the schema's attributes and block types hidden. */
  remain: Body;
  diagnostics: Diagnostic[];
}

export interface JustAttributesResult {
  attributes: HclAttributes;
  diagnostics: Diagnostic[];
}

/** A configuration body in either syntax (hcl.Body). */
export interface Body {
  /** Content described by the schema; anything else is an error. */
  content(schema: BodySchema): ContentResult;
  /** Content described by the schema, plus the rest of the body for a later pass. */
  partialContent(schema: BodySchema): PartialContentResult;
  /** Reads the body as nothing but arguments with arbitrary names (blocks are errors). */
  justAttributes(): JustAttributesResult;
  /** Where an item missing from this body would go. */
  missingItemRange(): Range;
  /**
   * Optional (hcldec.UnknownBody): true when the whole body stands for content not known yet (e.g. a
   * dynamic block over an unknown collection); block decoders then give unknown values.
   */
  unknown?(): boolean;
  /** Optional (hcldec.MarkedBody): marks to put on a value decoded from this body. */
  valueMarks?(): Marks;
}

// ---------------------------------------------------------------------------------------------------------
// Expressions (hcl.Expression and its static-analysis hooks)

export interface ExpressionValueResult {
  value: Value;
  diagnostics: Diagnostic[];
}

export interface HclKeyValuePair {
  readonly key: HclExpression;
  readonly value: HclExpression;
}

/** hcl.StaticCall: a function call read without evaluating it (type expressions use this). */
export interface HclStaticCall {
  readonly name: string;
  readonly nameRange: Range;
  readonly args: readonly HclExpression[];
  /** From the opening to the closing parenthesis. */
  readonly argsRange: Range;
}

/** An expression in either syntax. */
export interface HclExpression {
  /**
   * Evaluates the expression. Without a context nothing may be referenced and no function called (JSON
   * strings are then literal strings, not templates).
   */
  value(ctx: EvalContext | undefined): ExpressionValueResult;
  /** Every absolute traversal the expression references, in source order (hcl.Expression.Variables). */
  variables(): Traversal[];
  readonly range: Range;
  /** The part to point at in a diagnostic about the whole expression. */
  readonly startRange: Range;

  // Static analysis: how the expression reads without evaluation. Each returns undefined when the
  // expression has no such form; the hcl* functions in static.ts turn that into HCL's diagnostics.

  /**
   * The absolute traversal it is if it is a plain reference like `var.x[0]` (also `true`, `false`, `null`
   * read as names); JSON: a string holding one (hcl.AbsTraversalForExpr's hook).
   */
  asAbsTraversal(): Traversal | undefined;
  /** The name if the expression is a single bare identifier, else "" (hcl.ExprAsKeyword). */
  asKeyword(): string;
  /** Its elements if it is a tuple constructor `[...]` (JSON: an array). */
  asList(): HclExpression[] | undefined;
  /** Its items if it is an object constructor `{...}` (JSON: an object; keys are string expressions). */
  asMap(): HclKeyValuePair[] | undefined;
  /** The call if it is a function call `f(...)` (JSON: a string holding one). */
  asCall(): HclStaticCall | undefined;
  /**
   * The string if the expression is a literal string with no interpolation (native: a quoted string or
   * heredoc without `${}`/`%{}`; JSON: any string, taken literally).
   */
  asStaticString(): string | undefined;
  /**
   * The native-syntax expression this reads as statically, for analyses written over the native AST
   * (type constraints): a native expression is itself; a JSON string is its content parsed as a native
   * expression (not a template), as HCL's JSON syntax does for static calls and traversals; other JSON
   * values have none.
   */
  asNativeSyntax(): Expression | undefined;
}

/** The blocks of one type, in order (hcl.Blocks.OfType). */
export function blocksOfType(blocks: readonly HclBlock[], type: string): HclBlock[] {
  return blocks.filter((b) => b.type === type);
}

/** The blocks grouped by type, each group in order (hcl.Blocks.ByType). */
export function blocksByType(blocks: readonly HclBlock[]): Map<string, HclBlock[]> {
  const out = new Map<string, HclBlock[]>();
  for (const b of blocks) {
    const group = out.get(b.type);
    if (group === undefined) out.set(b.type, [b]);
    else group.push(b);
  }
  return out;
}
