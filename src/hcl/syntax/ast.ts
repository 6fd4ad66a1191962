/**
 * The native-syntax AST, shaped like hclsyntax's node types. Every node carries `srcRange` (what HCL's
 * Range() returns) and expressions also carry `startRange` (HCL's StartRange(): the part a diagnostic about
 * the whole expression should point at). Expressions form a discriminated union on `kind`.
 *
 * The parser already applies everything HCL decides at parse time: template strip markers (`~`) and
 * flush-heredoc indentation are applied to literal parts, escapes are decoded, `${x}` alone becomes a
 * TemplateWrapExpr, `%{if}` becomes a ConditionalExpr and `%{for}` a TemplateJoinExpr around a ForExpr.
 */
import type { Diagnostic, Range } from "../diagnostic.js";

// ---------------------------------------------------------------------------------------------------------
// Static values and traversals (hcl.Traversal)

/**
 * A value known at parse time: literals, index keys in traversals, and placeholders after syntax errors.
 * Numbers keep their source text (e.g. "1e3") so the evaluator can parse them at full precision.
 */
export type StaticValue =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "number"; readonly text: string }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "null" }
  /** Unknown of type number (an invalid number literal) or of any type (a placeholder after an error). */
  | { readonly type: "unknown"; readonly of: "number" | "dynamic" };

export interface TraverseRoot {
  readonly type: "root";
  readonly name: string;
  readonly srcRange: Range;
}
export interface TraverseAttr {
  readonly type: "attr";
  readonly name: string;
  readonly srcRange: Range;
}
export interface TraverseIndex {
  readonly type: "index";
  readonly key: StaticValue;
  readonly srcRange: Range;
}
export interface TraverseSplat {
  readonly type: "splat";
  readonly srcRange: Range;
}
export type Traverser = TraverseRoot | TraverseAttr | TraverseIndex | TraverseSplat;
/** An absolute traversal starts with a TraverseRoot; a relative one does not. */
export type Traversal = Traverser[];

// ---------------------------------------------------------------------------------------------------------
// Expressions

interface ExprBase {
  srcRange: Range;
  startRange: Range;
}

/** A literal number, bool or null, a literal part of a template (string), or an error placeholder. */
export interface LiteralValueExpr extends ExprBase {
  readonly kind: "LiteralValue";
  readonly value: StaticValue;
}

/** A template with several parts (or one literal part), evaluated by converting each part to string. */
export interface TemplateExpr extends ExprBase {
  readonly kind: "TemplateExpr";
  readonly parts: Expression[];
}

/** A template that is exactly one interpolation, like "${x}": evaluates to the wrapped value unconverted. */
export interface TemplateWrapExpr extends ExprBase {
  readonly kind: "TemplateWrapExpr";
  readonly wrapped: Expression;
}

/** A `%{for}` directive: the tuple produced by `tuple` is converted to strings and joined. */
export interface TemplateJoinExpr extends ExprBase {
  readonly kind: "TemplateJoinExpr";
  readonly tuple: ForExpr;
}

/** A reference to a variable in scope, with its attribute and index steps. */
export interface ScopeTraversalExpr extends ExprBase {
  readonly kind: "ScopeTraversalExpr";
  traversal: Traversal;
}

/** Attribute and index steps applied to the result of another expression. */
export interface RelativeTraversalExpr extends ExprBase {
  readonly kind: "RelativeTraversalExpr";
  readonly source: Expression;
  traversal: Traversal;
}

export interface FunctionCallExpr extends ExprBase {
  readonly kind: "FunctionCallExpr";
  /** The function name; namespaced names keep their separators, e.g. "provider::aws::arn_parse". */
  readonly name: string;
  readonly args: Expression[];
  /** Set when the last argument is followed by `...` (expand it as separate arguments). */
  readonly expandFinal: boolean;
  readonly nameRange: Range;
  readonly openParenRange: Range;
  readonly closeParenRange: Range;
}

/** `a ? b : c`, and also the `%{if}` template directive. */
export interface ConditionalExpr extends ExprBase {
  readonly kind: "ConditionalExpr";
  readonly condition: Expression;
  readonly trueResult: Expression;
  readonly falseResult: Expression;
}

export type BinaryOp =
  | "logicalOr"
  | "logicalAnd"
  | "equal"
  | "notEqual"
  | "greaterThan"
  | "greaterThanOrEqual"
  | "lessThan"
  | "lessThanOrEqual"
  | "add"
  | "subtract"
  | "multiply"
  | "divide"
  | "modulo";

export interface BinaryOpExpr extends ExprBase {
  readonly kind: "BinaryOpExpr";
  readonly lhs: Expression;
  readonly op: BinaryOp;
  readonly rhs: Expression;
}

export type UnaryOp = "negate" | "logicalNot";

export interface UnaryOpExpr extends ExprBase {
  readonly kind: "UnaryOpExpr";
  readonly op: UnaryOp;
  readonly val: Expression;
  readonly symbolRange: Range;
}

export interface TupleConsExpr extends ExprBase {
  readonly kind: "TupleConsExpr";
  readonly exprs: Expression[];
  readonly openRange: Range;
}

export interface ObjectConsItem {
  readonly keyExpr: ObjectConsKeyExpr;
  readonly valueExpr: Expression;
}

export interface ObjectConsExpr extends ExprBase {
  readonly kind: "ObjectConsExpr";
  readonly items: ObjectConsItem[];
  readonly openRange: Range;
}

/**
 * An object constructor key. A bare identifier (or `true`/`false`/`null`) is the literal string of its name
 * unless the key was written in parentheses (`forceNonLiteral`); see exprAsKeyword.
 */
export interface ObjectConsKeyExpr extends ExprBase {
  readonly kind: "ObjectConsKeyExpr";
  readonly wrapped: Expression;
  readonly forceNonLiteral: boolean;
}

/** `[for k, v in coll: val if cond]` or `{for k, v in coll: key => val... if cond}`. */
export interface ForExpr extends ExprBase {
  readonly kind: "ForExpr";
  /** Empty when the key is not named. */
  readonly keyVar: string;
  readonly valVar: string;
  readonly collExpr: Expression;
  /** Present only when building an object. */
  readonly keyExpr: Expression | undefined;
  readonly valExpr: Expression;
  readonly condExpr: Expression | undefined;
  /** Set when the value is followed by `...` (group values by key). */
  readonly group: boolean;
  readonly openRange: Range;
  readonly closeRange: Range;
}

/** `coll[key]` where the key is not a literal (literal keys become traversal steps instead). */
export interface IndexExpr extends ExprBase {
  readonly kind: "IndexExpr";
  readonly collection: Expression;
  readonly key: Expression;
  readonly openRange: Range;
  readonly bracketRange: Range;
}

/**
 * `source[*].each` or `source.*.each`: `each` is evaluated once per element with `item` (an
 * AnonSymbolExpr) standing for the element.
 */
export interface SplatExpr extends ExprBase {
  readonly kind: "SplatExpr";
  readonly source: Expression;
  readonly each: Expression;
  readonly item: AnonSymbolExpr;
  readonly markerRange: Range;
}

/** The placeholder for the current element inside a splat expression's `each`. */
export interface AnonSymbolExpr extends ExprBase {
  readonly kind: "AnonSymbolExpr";
}

/** `( expression )`: only records the range of the parentheses; evaluates to the inner expression. */
export interface ParenthesesExpr extends ExprBase {
  readonly kind: "ParenthesesExpr";
  readonly expression: Expression;
}

/** Stands for an expression that could not be parsed; evaluating it returns an unknown and parseDiags. */
export interface ExprSyntaxError extends ExprBase {
  readonly kind: "ExprSyntaxError";
  readonly parseDiags: Diagnostic[];
}

export type Expression =
  | LiteralValueExpr
  | TemplateExpr
  | TemplateWrapExpr
  | TemplateJoinExpr
  | ScopeTraversalExpr
  | RelativeTraversalExpr
  | FunctionCallExpr
  | ConditionalExpr
  | BinaryOpExpr
  | UnaryOpExpr
  | TupleConsExpr
  | ObjectConsExpr
  | ObjectConsKeyExpr
  | ForExpr
  | IndexExpr
  | SplatExpr
  | AnonSymbolExpr
  | ParenthesesExpr
  | ExprSyntaxError;

export type ExpressionKind = Expression["kind"];

// ---------------------------------------------------------------------------------------------------------
// Structure

export interface Attribute {
  readonly kind: "Attribute";
  readonly name: string;
  readonly expr: Expression;
  readonly srcRange: Range;
  readonly nameRange: Range;
  readonly equalsRange: Range;
}

export interface Block {
  readonly kind: "Block";
  readonly type: string;
  readonly labels: string[];
  readonly body: Body;
  readonly typeRange: Range;
  readonly labelRanges: Range[];
  readonly openBraceRange: Range;
  readonly closeBraceRange: Range;
  /** From the type name to the closing brace (HCL's Block.Range()). */
  readonly srcRange: Range;
  /** The block header: from the type name to the last label (HCL's Block.DefRange()). */
  readonly defRange: Range;
}

export interface Body {
  readonly kind: "Body";
  /** Attributes by name, in source order. A redefined name keeps its first definition (and is an error). */
  readonly attributes: Map<string, Attribute>;
  readonly blocks: Block[];
  readonly srcRange: Range;
  /** A zero-length range at the end of the body (just after its closing brace's position). */
  readonly endRange: Range;
}

export type Node = Expression | Attribute | Block | Body;
