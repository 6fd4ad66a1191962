/**
 * The native-syntax parser: a port of hclsyntax's recursive-descent parser, including its error recovery,
 * so that a broken file yields the same diagnostics (summaries, details, ranges and their order) as HCL.
 *
 * Entry points: parseConfig (a whole file), parseExpression, parseTemplate (a bare template, as strings in
 * HCL's JSON syntax are), parseTraversalAbs and parseTraversalPartial.
 *
 * Performance contract (large files parse in one pass with little garbage):
 * - tokens are indices into the TokenBuffer, with Tk codes for types; a token's text is sliced and its
 *   Range made only when a node keeps it or a diagnostic needs it;
 * - parsing methods return the node and leave its diagnostics in `this.d` (no result tuples);
 * - arrays kept by the AST are built on scratch stacks and copied out at their exact size.
 */
import { type Diagnostic, isStackOverflow, nestingTooDeepDiag, type Pos, type Range } from "../diagnostic.js";
import type {
  AnonSymbolExpr,
  Attribute,
  BinaryOp,
  Block,
  Body,
  Expression,
  ForExpr,
  LiteralValueExpr,
  ObjectConsItem,
  ObjectConsKeyExpr,
  StaticValue,
  TemplateExpr,
  Traversal,
  Traverser,
} from "./ast.js";
import { formatRange, goQuote, nameSuggestion, nfc, trimLeftGoSpace, trimRightGoSpace } from "./go-compat.js";
import { checkInvalidTokenBuffer, scanTokens } from "./lexer.js";
import { Peeker } from "./peeker.js";
import { decodeStringLiteralToken } from "./string-lit.js";
import {
  flushHeredocTemplateParts,
  meldConsecutiveStringLiterals,
  parseTemplateRoot,
  type TemplatePart,
} from "./template.js";
import type { TokenBuffer } from "./token-buffer.js";
import { Tk } from "./token-codes.js";

type Diags = readonly Diagnostic[];
const NO_DIAGS: Diags = Object.freeze([]);

function cat(a: Diags, b: Diags): Diags {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return a.concat(b);
}

function one(summary: string, detail: string, subject: Range, context?: Range): Diags {
  const d: Diagnostic =
    context === undefined
      ? { severity: "error", summary, detail, subject }
      : { severity: "error", summary, detail, subject, context };
  return [d];
}

function hasErrors(d: Diags): boolean {
  for (let i = 0; i < d.length; i++) if ((d[i] as Diagnostic).severity === "error") return true;
  return false;
}

/** hcl.RangeBetween: from the start of a to the end of b. */
export function rangeFromTo(a: Range, b: Range): Range {
  return { filename: a.filename, start: a.start, end: b.end };
}

/** The zero value of hcl.Range, which HCL leaves in a few fields after some syntax errors. */
const ZERO_POS: Pos = { line: 0, column: 0, byte: 0 };
const ZERO_RANGE: Range = { filename: "", start: ZERO_POS, end: ZERO_POS };

const DYNAMIC: StaticValue = { type: "unknown", of: "dynamic" };
const UNKNOWN_NUMBER: StaticValue = { type: "unknown", of: "number" };
const TRUE: StaticValue = { type: "bool", value: true };
const FALSE: StaticValue = { type: "bool", value: false };
const NULL: StaticValue = { type: "null" };

const NUMBER_RE = /^[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?$/;

function literal(value: StaticValue, r: Range): LiteralValueExpr {
  return { kind: "LiteralValue", value, srcRange: r, startRange: r };
}

/** Binary operator groups, lowest precedence first; operators in a group associate to the left. */
const BINARY_OPS: readonly (readonly [Tk, BinaryOp])[][] = [
  [[Tk.Or, "logicalOr"]],
  [[Tk.And, "logicalAnd"]],
  [
    [Tk.EqualOp, "equal"],
    [Tk.NotEqual, "notEqual"],
  ],
  [
    [Tk.GreaterThan, "greaterThan"],
    [Tk.GreaterThanEq, "greaterThanOrEqual"],
    [Tk.LessThan, "lessThan"],
    [Tk.LessThanEq, "lessThanOrEqual"],
  ],
  [
    [Tk.Plus, "add"],
    [Tk.Minus, "subtract"],
  ],
  [
    [Tk.Star, "multiply"],
    [Tk.Slash, "divide"],
    [Tk.Percent, "modulo"],
  ],
];
const OP_LEVELS = BINARY_OPS.length;

/** By token code: the precedence level of a binary operator (-1: not one), and the operation. */
const OP_LEVEL = new Int8Array(256).fill(-1);
const OP_NAME: (BinaryOp | undefined)[] = new Array(256).fill(undefined);
BINARY_OPS.forEach((ops, level) => {
  for (const [code, op] of ops) {
    OP_LEVEL[code] = level;
    OP_NAME[code] = op;
  }
});

/** By token code: the matching bracket (-1: none). Interpolation and control openers close with SeqEnd. */
const OPPOSITE = new Int8Array(256).fill(-1);
for (const [open, close] of [
  [Tk.OBrace, Tk.CBrace],
  [Tk.OBrack, Tk.CBrack],
  [Tk.OParen, Tk.CParen],
  [Tk.OQuote, Tk.CQuote],
  [Tk.OHeredoc, Tk.CHeredoc],
] as const) {
  OPPOSITE[open] = close;
  OPPOSITE[close] = open;
}
OPPOSITE[Tk.TemplateInterp] = Tk.TemplateSeqEnd;
OPPOSITE[Tk.TemplateControl] = Tk.TemplateSeqEnd;
OPPOSITE[Tk.TemplateSeqEnd] = Tk.TemplateInterp;

function makeBlock(
  type: string,
  labels: string[],
  body: Body,
  typeRange: Range,
  labelRanges: Range[],
  openBraceRange: Range,
  closeBraceRange: Range,
): Block {
  const lastHeader = labelRanges.length > 0 ? (labelRanges[labelRanges.length - 1] as Range) : typeRange;
  return {
    kind: "Block",
    type,
    labels,
    body,
    typeRange,
    labelRanges,
    openBraceRange,
    closeBraceRange,
    srcRange: rangeFromTo(typeRange, closeBraceRange),
    // Without labels the header is just the type name.
    defRange: lastHeader === typeRange ? typeRange : rangeFromTo(typeRange, lastHeader),
  };
}

function emptyBody(srcRange: Range, endRange: Range): Body {
  return { kind: "Body", attributes: new Map(), blocks: [], srcRange, endRange };
}

/**
 * Wraps `expr` with one more traversal step, extending it in place when it already is a traversal (with a new
 * array of exact size: traversals are short, and a pushed-to array would keep room for 16 more steps).
 */
function makeRelativeTraversal(expr: Expression, next: Traverser, r: Range): Expression {
  if (expr.kind === "ScopeTraversalExpr" || expr.kind === "RelativeTraversalExpr") {
    const steps = expr.traversal;
    const grown: Traversal = new Array(steps.length + 1);
    for (let k = 0; k < steps.length; k++) grown[k] = steps[k] as Traverser;
    grown[steps.length] = next;
    expr.traversal = grown;
    expr.srcRange = rangeFromTo(expr.srcRange, r);
    expr.startRange = expr.srcRange;
    return expr;
  }
  const srcRange = rangeFromTo(expr.srcRange, r);
  return { kind: "RelativeTraversalExpr", source: expr, traversal: [next], srcRange, startRange: srcRange };
}

/**
 * A scratch stack for building arrays of exact size: a construct notes `top`, pushes its items, and takes
 * them with take(base) before it returns; nested constructs push above it and have taken theirs by then.
 */
class Scratch<T> {
  private readonly items: T[] = [];
  top = 0;

  push(x: T): void {
    this.items[this.top++] = x;
  }

  take(base: number): T[] {
    const out = this.items.slice(base, this.top);
    this.top = base;
    return out;
  }
}

export class Parser {
  private readonly p: Peeker;
  private readonly buf: TokenBuffer;
  private readonly src: string;
  /** Set once any recovery was attempted: later "bad token" errors are suppressed to reduce noise. */
  recovery = false;
  /** Diagnostics of the last parsing call (returned beside its result, as HCL's parser does). */
  d: Diags = NO_DIAGS;
  /** The range of the string parsed by the last parseQuotedStringLiteral. */
  private quotedRange: Range = ZERO_RANGE;

  private readonly exprStack = new Scratch<Expression>();
  private readonly itemStack = new Scratch<ObjectConsItem>();
  private readonly blockStack = new Scratch<Block>();
  private readonly labelStack = new Scratch<string>();
  private readonly labelRangeStack = new Scratch<Range>();

  private ok<T>(value: T, diags: Diags): T {
    this.d = diags;
    return value;
  }

  constructor(tokens: TokenBuffer) {
    this.p = new Peeker(tokens);
    this.buf = tokens;
    this.src = tokens.src;
  }

  get peeker(): Peeker {
    return this.p;
  }

  /** The range of token i. */
  private r(i: number): Range {
    return this.buf.rangeAt(i);
  }

  /** From the start of token a to the end of token b, without making either token's own range. */
  private span(a: number, b: number): Range {
    return this.buf.spanOf(a, b);
  }

  /** From the start of range r to the end of token b. */
  private toEnd(r: Range, b: number): Range {
    return { filename: r.filename, start: r.start, end: this.buf.endPos(b) };
  }

  /** The source text of token i. */
  private text(i: number): string {
    return this.src.slice(this.buf.starts[i] as number, this.buf.ends[i] as number);
  }

  /** Whether token i (an identifier) is exactly `word`. */
  private isWord(i: number, word: string): boolean {
    const s = this.buf.starts[i] as number;
    return (this.buf.ends[i] as number) - s === word.length && this.src.startsWith(word, s);
  }

  /** Whether the next token is the identifier `word`. */
  private nextIsKeyword(word: string): boolean {
    return this.p.peekType() === Tk.Ident && this.isWord(this.p.peekIndex(), word);
  }

  /** Whether token i is exactly two characters starting with "~" (a "~}" that strips what follows). */
  private isStripClose(i: number): boolean {
    const s = this.buf.starts[i] as number;
    return (this.buf.ends[i] as number) - s === 2 && this.src.charCodeAt(s) === 126;
  }

  /**
   * The decoded text of a QuotedLit or StringLit token; its diagnostics go to `this.d`. Text with nothing
   * to decode (no "$", "%" or, quoted, backslash) is the source slice itself.
   */
  private literalText(i: number): string {
    const src = this.src;
    const s = this.buf.starts[i] as number;
    const e = this.buf.ends[i] as number;
    const quoted = this.buf.types[i] === Tk.QuotedLit;
    for (let k = s; k < e; k++) {
      const c = src.charCodeAt(k);
      if (c === 36 || c === 37 || (quoted && c === 92)) {
        const decoded = decodeStringLiteralToken(this.buf.token(i));
        this.d = decoded.diagnostics.length > 0 ? decoded.diagnostics : NO_DIAGS;
        return decoded.value;
      }
    }
    this.d = NO_DIAGS;
    return src.slice(s, e);
  }

  // --- structure ----------------------------------------------------------------------------------------

  /** A body up to the token `end` (CBrace or EOF). */
  parseBody(end: Tk): Body {
    const p = this.p;
    const attributes = new Map<string, Attribute>();
    const blockBase = this.blockStack.top;
    let diags: Diags = NO_DIAGS;
    // The body runs from the start of the token before it (its opening brace) to the end of endTok.
    const startTok = p.prevIndex();
    const start = this.buf.startPos(startTok);
    let endTok: number;

    for (;;) {
      const type = p.peekType();
      if (type === end) {
        endTok = p.read();
        break;
      }
      if (type === Tk.Newline) {
        p.read();
        continue;
      }
      if (type === Tk.Ident) {
        const item = this.parseBodyItem();
        diags = cat(diags, this.d);
        if (item === undefined) continue;
        if (item.kind === "Block") {
          this.blockStack.push(item);
        } else {
          const existing = attributes.get(item.name);
          if (existing !== undefined) {
            diags = cat(
              diags,
              one(
                "Attribute redefined",
                `The argument ${goQuote(item.name)} was already set at ${formatRange(existing.nameRange)}. Each argument may be set only once.`,
                item.nameRange,
              ),
            );
          } else {
            attributes.set(item.name, item);
          }
        }
        continue;
      }
      const bad = p.read();
      if (!this.recovery) {
        if (type === Tk.OQuote) {
          diags = cat(diags, one("Invalid argument name", "Argument names must not be quoted.", this.r(bad)));
        } else if (type === Tk.EOF) {
          if (end === Tk.CBrace) {
            diags = cat(
              diags,
              one(
                "Unclosed configuration block",
                "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                this.r(startTok),
              ),
            );
          } else {
            diags = cat(
              diags,
              one(
                "Unclosed configuration body",
                "Found end of file before the end of this configuration body.",
                this.r(startTok),
              ),
            );
          }
        } else {
          diags = cat(
            diags,
            one(
              "Argument or block definition required",
              "An argument or block definition is required here.",
              this.r(bad),
            ),
          );
        }
      }
      endTok = p.prevIndex();
      this.recover(end);
      break;
    }

    this.d = diags;
    const srcRange: Range = { filename: this.buf.filename, start, end: this.buf.endPos(endTok) };
    return {
      kind: "Body",
      attributes,
      blocks: this.blockStack.take(blockBase),
      srcRange,
      endRange: { filename: srcRange.filename, start: srcRange.end, end: srcRange.end },
    };
  }

  private parseBodyItem(): Attribute | Block | undefined {
    const p = this.p;
    const identType = p.peekType();
    const ident = p.read();
    if (identType !== Tk.Ident) {
      this.recoverAfterBodyItem();
      this.d = one(
        "Argument or block definition required",
        "An argument or block definition is required here.",
        this.r(ident),
      );
      return undefined;
    }
    switch (p.peekType()) {
      case Tk.Equal:
        return this.finishParsingBodyAttribute(ident, false);
      case Tk.OQuote:
      case Tk.OBrace:
      case Tk.Ident:
        return this.finishParsingBodyBlock(ident);
      default:
        this.recoverAfterBodyItem();
        this.d = one(
          "Argument or block definition required",
          'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
          this.r(ident),
        );
        return undefined;
    }
  }

  /** The body of a one-line block like `foo { bar = baz }`: a single attribute, then the end token. */
  private parseSingleAttrBody(): Body | undefined {
    const p = this.p;
    const identType = p.peekType();
    const ident = p.read();
    if (identType !== Tk.Ident) {
      this.recoverAfterBodyItem();
      this.d = one(
        "Argument or block definition required",
        "An argument or block definition is required here.",
        this.r(ident),
      );
      return undefined;
    }
    switch (p.peekType()) {
      case Tk.Equal: {
        const attr = this.finishParsingBodyAttribute(ident, true);
        const attributes = new Map<string, Attribute>([[attr.name, attr]]);
        const end = attr.srcRange.end;
        return {
          kind: "Body",
          attributes,
          blocks: [],
          srcRange: attr.srcRange,
          endRange: { filename: attr.srcRange.filename, start: end, end },
        };
      }
      case Tk.OQuote:
      case Tk.OBrace:
      case Tk.Ident: {
        const next = p.peekIndex();
        this.recoverAfterBodyItem();
        this.d = one(
          "Argument definition required",
          `A single-line block definition can contain only a single argument. If you meant to define argument ${goQuote(this.text(ident))}, use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.`,
          rangeFromTo(this.r(ident), this.r(next)),
        );
        return undefined;
      }
      default:
        this.recoverAfterBodyItem();
        this.d = one(
          "Argument or block definition required",
          'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
          this.r(ident),
        );
        return undefined;
    }
  }

  private finishParsingBodyAttribute(ident: number, singleLine: boolean): Attribute {
    const p = this.p;
    const nameRange = this.r(ident);
    const eq = p.read();
    const equalsRange = this.r(eq);
    const expr = this.parseExpression();
    let diags = this.d;
    // The attribute ends with the last token of its expression.
    const endTok = p.prevIndex();
    if (this.recovery && hasErrors(diags)) {
      this.recoverAfterBodyItem();
    } else if (!singleLine) {
      const endType = p.peekType();
      if (endType !== Tk.Newline && endType !== Tk.EOF) {
        if (!this.recovery) {
          const end = p.peekIndex();
          let summary = "Missing newline after argument";
          let detail = "An argument definition must end with a newline.";
          if (endType === Tk.Comma) {
            summary = "Unexpected comma after argument";
            detail = `Argument definitions must be separated by newlines, not commas. ${detail}`;
          }
          diags = cat(diags, one(summary, detail, this.r(end), rangeFromTo(nameRange, this.r(end))));
        }
        this.recoverAfterBodyItem();
      } else {
        p.read();
      }
    }
    this.d = diags;
    return {
      kind: "Attribute",
      name: this.text(ident),
      expr,
      srcRange: this.toEnd(nameRange, endTok),
      nameRange,
      equalsRange,
    };
  }

  private finishParsingBodyBlock(ident: number): Block {
    const p = this.p;
    const blockType = this.text(ident);
    const identRange = this.r(ident);
    let diags: Diags = NO_DIAGS;
    const labelBase = this.labelStack.top;
    const labelRangeBase = this.labelRangeStack.top;
    let oBrace: number;

    for (;;) {
      const type = p.peekType();
      if (type === Tk.OBrace) {
        oBrace = p.read();
        break;
      }
      if (type === Tk.OQuote) {
        const label = this.parseQuotedStringLiteral();
        diags = cat(diags, this.d);
        this.labelStack.push(label);
        this.labelRangeStack.push(this.quotedRange);
        continue;
      }
      if (type === Tk.Ident) {
        const tok = p.read();
        this.labelStack.push(this.text(tok));
        this.labelRangeStack.push(this.r(tok));
        continue;
      }
      const tokRange = this.r(p.peekIndex());
      if (type === Tk.Equal) {
        diags = cat(
          diags,
          one(
            "Invalid block definition",
            'The equals sign "=" indicates an argument definition, and must not be used when defining a block.',
            tokRange,
            rangeFromTo(identRange, tokRange),
          ),
        );
      } else if (type === Tk.Newline) {
        diags = cat(
          diags,
          one(
            "Invalid block definition",
            'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.',
            tokRange,
            rangeFromTo(identRange, tokRange),
          ),
        );
      } else if (!this.recovery) {
        diags = cat(
          diags,
          one(
            "Invalid block definition",
            'Either a quoted string block label or an opening brace ("{") is expected here.',
            tokRange,
            rangeFromTo(identRange, tokRange),
          ),
        );
      }
      this.recoverAfterBodyItem();
      this.d = diags;
      return makeBlock(
        blockType,
        this.labelStack.take(labelBase),
        emptyBody(identRange, identRange),
        identRange,
        this.labelRangeStack.take(labelRangeBase),
        identRange,
        identRange,
      );
    }
    const labels = this.labelStack.take(labelBase);
    const labelRanges = this.labelRangeStack.take(labelRangeBase);
    const oBraceRange = this.r(oBrace);

    let body: Body | undefined;
    let bodyDiags: Diags;
    const first = p.peekType();
    if (first === Tk.Newline || first === Tk.EOF || first === Tk.CBrace) {
      body = this.parseBody(Tk.CBrace);
      bodyDiags = this.d;
    } else {
      body = this.parseSingleAttrBody();
      bodyDiags = this.d;
      const afterType = p.peekType();
      const after = p.peekIndex();
      switch (afterType) {
        case Tk.CBrace:
          p.read();
          break;
        case Tk.Comma:
          diags = cat(
            diags,
            one(
              "Invalid single-argument block definition",
              "Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.",
              this.r(after),
            ),
          );
          this.recover(Tk.CBrace);
          break;
        case Tk.Newline:
          diags = cat(
            diags,
            one(
              "Invalid single-argument block definition",
              "An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line. Place the block's closing brace immediately after the argument definition.",
              this.r(after),
            ),
          );
          this.recover(Tk.CBrace);
          break;
        default:
          if (!this.recovery) {
            if (afterType === Tk.EOF) {
              diags = cat(
                diags,
                one(
                  "Unclosed configuration block",
                  "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                  oBraceRange,
                  rangeFromTo(identRange, oBraceRange),
                ),
              );
            } else {
              diags = cat(
                diags,
                one(
                  "Invalid single-argument block definition",
                  "A single-line block definition must end with a closing brace immediately after its single argument definition.",
                  this.r(after),
                ),
              );
            }
          }
          this.recover(Tk.CBrace);
      }
    }
    diags = cat(diags, bodyDiags);
    const cBraceRange = p.prevRange();

    const eolType = p.peekType();
    if (eolType === Tk.Newline || eolType === Tk.EOF) {
      p.read();
    } else {
      if (!this.recovery) {
        const eolRange = this.r(p.peekIndex());
        diags = cat(
          diags,
          one(
            "Missing newline after block definition",
            "A block definition must end with a newline.",
            eolRange,
            rangeFromTo(identRange, eolRange),
          ),
        );
      }
      this.recoverAfterBodyItem();
    }

    // Never produce a missing body, even after errors: callers may analyse the partial result.
    if (body === undefined) body = emptyBody(rangeFromTo(oBraceRange, cBraceRange), cBraceRange);

    this.d = diags;
    return makeBlock(blockType, labels, body, identRange, labelRanges, oBraceRange, cBraceRange);
  }

  // --- expressions --------------------------------------------------------------------------------------

  parseExpression(): Expression {
    return this.parseTernaryConditional();
  }

  private parseTernaryConditional(): Expression {
    const p = this.p;
    // The start token; its range is only made when needed.
    const startTok = p.peekIndex();
    const condExpr = this.parseBinaryOps(0);
    const condDiags = this.d;
    let diags = condDiags;
    if (this.recovery && hasErrors(condDiags)) return this.ok(condExpr, diags);

    if (p.peekType() !== Tk.Question) return this.ok(condExpr, diags);
    p.read();

    const trueExpr = this.parseExpression();
    const trueDiags = this.d;
    diags = cat(diags, trueDiags);
    if (this.recovery && hasErrors(trueDiags)) return this.ok(condExpr, diags);

    if (p.peekType() !== Tk.Colon) {
      const colonRange = this.r(p.peekIndex());
      diags = cat(
        diags,
        one(
          "Missing false expression in conditional",
          "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
          colonRange,
          rangeFromTo(this.r(startTok), colonRange),
        ),
      );
      return this.ok(condExpr, diags);
    }
    p.read();

    const falseExpr = this.parseExpression();
    const falseDiags = this.d;
    diags = cat(diags, falseDiags);
    if (this.recovery && hasErrors(falseDiags)) return this.ok(condExpr, diags);

    return this.ok(
      {
        kind: "ConditionalExpr",
        condition: condExpr,
        trueResult: trueExpr,
        falseResult: falseExpr,
        srcRange: rangeFromTo(this.r(startTok), falseExpr.srcRange),
        startRange: condExpr.startRange,
      },
      diags,
    );
  }

  /**
   * Operator precedence level `level` and tighter. The first operand is parsed once up front: when no
   * operator of these levels follows it, every level would return it unchanged, so that is done directly.
   */
  private parseBinaryOps(level: number): Expression {
    const first = this.parseExpressionWithTraversals();
    if ((OP_LEVEL[this.p.peekType()] as number) < level) return first;
    return this.parseBinaryOpsFrom(level, first, this.d);
  }

  /** HCL's recursive operator parsing for `level` and tighter, with its leftmost operand already parsed. */
  private parseBinaryOpsFrom(level: number, first: Expression, firstDiags: Diags): Expression {
    if (level >= OP_LEVELS) return this.ok(first, firstDiags);
    const p = this.p;

    let lhs = this.parseBinaryOpsFrom(level + 1, first, firstDiags);
    let diags = this.d;
    if (this.recovery && hasErrors(diags)) return this.ok(lhs, diags);

    let operation: BinaryOp | undefined;
    let rhs: Expression | undefined;
    for (;;) {
      const type = p.peekType();
      if (OP_LEVEL[type] !== level) break;
      const newOp = OP_NAME[type] as BinaryOp;
      if (operation !== undefined && rhs !== undefined) {
        lhs = {
          kind: "BinaryOpExpr",
          lhs,
          op: operation,
          rhs,
          srcRange: rangeFromTo(lhs.srcRange, rhs.srcRange),
          startRange: lhs.startRange,
        };
      }
      operation = newOp;
      p.read();
      rhs = this.parseBinaryOps(level + 1);
      const rhsDiags = this.d;
      diags = cat(diags, rhsDiags);
      if (this.recovery && hasErrors(rhsDiags)) return this.ok(lhs, diags);
    }
    if (operation === undefined || rhs === undefined) return this.ok(lhs, diags);
    return this.ok(
      {
        kind: "BinaryOpExpr",
        lhs,
        op: operation,
        rhs,
        srcRange: rangeFromTo(lhs.srcRange, rhs.srcRange),
        startRange: lhs.startRange,
      },
      diags,
    );
  }

  private parseExpressionWithTraversals(): Expression {
    const term = this.parseExpressionTerm();
    const diags = this.d;
    const type = this.p.peekType();
    // Most terms have no traversal steps after them.
    if (type !== Tk.Dot && type !== Tk.OBrack) return term;
    const ret = this.parseExpressionTraversals(term);
    return this.ok(ret, cat(diags, this.d));
  }

  private parseExpressionTraversals(from: Expression): Expression {
    const p = this.p;
    let diags: Diags = NO_DIAGS;
    let ret = from;

    traversal: for (;;) {
      const nextType = p.peekType();
      if (nextType === Tk.Dot) {
        const dot = p.read();
        const attrType = p.peekType();
        const attrTok = p.peekIndex();
        if (attrType === Tk.Ident) {
          p.read();
          const r = this.span(dot, attrTok);
          ret = makeRelativeTraversal(ret, { type: "attr", name: this.text(attrTok), srcRange: r }, r);
        } else if (attrType === Tk.NumberLit) {
          // Legacy HIL-style index: foo.0 means foo[0].
          const numTok = p.read();
          const numText = this.text(numTok);
          const dotIdx = numText.indexOf(".");
          const r = this.span(dot, numTok);
          if (dotIdx >= 0) {
            const first = numText.slice(0, dotIdx);
            const second = numText.slice(dotIdx + 1);
            diags = cat(
              diags,
              one(
                "Invalid legacy index syntax",
                `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [${first}][${second}].`,
                this.r(numTok),
              ),
            );
            ret = makeRelativeTraversal(ret, { type: "index", key: DYNAMIC, srcRange: r }, r);
          } else {
            const numVal = this.numberLitValue(numTok);
            const numDiags = this.d;
            diags = cat(diags, numDiags);
            ret = makeRelativeTraversal(ret, { type: "index", key: numVal, srcRange: r }, r);
          }
        } else if (attrType === Tk.Star) {
          // Attribute-only splat: foo.*.bar
          const marker = p.read();
          const trav: Traversal = [];
          const firstRange = p.nextRange();
          let lastRange = this.r(marker);
          while (p.peekType() === Tk.Dot) {
            const dot2 = p.read();
            if (p.peekType() === Tk.NumberLit) {
              const numTok = p.read();
              const numText = this.text(numTok);
              const dotIdx = numText.indexOf(".");
              if (dotIdx >= 0) {
                const first = numText.slice(0, dotIdx);
                const second = numText.slice(dotIdx + 1);
                diags = cat(
                  diags,
                  one(
                    "Invalid legacy index syntax",
                    `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax with a full splat expression [*] instead, like [${first}][${second}].`,
                    this.r(attrTok),
                  ),
                );
                trav.push({
                  type: "index",
                  key: DYNAMIC,
                  srcRange: rangeFromTo(this.r(dot2), this.r(numTok)),
                });
                lastRange = this.r(numTok);
                continue;
              }
              const numVal = this.numberLitValue(numTok);
              const numDiags = this.d;
              diags = cat(diags, numDiags);
              trav.push({ type: "index", key: numVal, srcRange: rangeFromTo(this.r(dot2), this.r(numTok)) });
              lastRange = this.r(numTok);
              continue;
            }
            if (p.peekType() !== Tk.Ident) {
              if (!this.recovery) {
                if (p.peekType() === Tk.Star) {
                  diags = cat(
                    diags,
                    one(
                      "Nested splat expression not allowed",
                      "A splat expression (*) cannot be used inside another attribute-only splat expression.",
                      p.nextRange(),
                    ),
                  );
                } else {
                  diags = cat(
                    diags,
                    one(
                      "Invalid attribute name",
                      "An attribute name is required after a dot.",
                      this.r(attrTok),
                    ),
                  );
                }
              }
              this.recovery = true;
              continue traversal;
            }
            const nameTok = p.read();
            trav.push({
              type: "attr",
              name: this.text(nameTok),
              srcRange: rangeFromTo(this.r(dot2), this.r(nameTok)),
            });
            lastRange = this.r(nameTok);
          }
          const itemRange = rangeFromTo(this.r(dot), this.r(marker));
          const item: AnonSymbolExpr = { kind: "AnonSymbolExpr", srcRange: itemRange, startRange: itemRange };
          let each: Expression = item;
          if (trav.length > 0) {
            const r = rangeFromTo(firstRange, lastRange);
            each = {
              kind: "RelativeTraversalExpr",
              source: item,
              traversal: trav.slice(),
              srcRange: r,
              startRange: r,
            };
          }
          ret = {
            kind: "SplatExpr",
            source: ret,
            each,
            item,
            srcRange: rangeFromTo(from.srcRange, lastRange),
            startRange: itemRange,
            markerRange: itemRange,
          };
        } else {
          const d = one(
            "Invalid attribute name",
            "An attribute name is required after a dot.",
            this.r(attrTok),
          );
          diags = cat(diags, d);
          // The peeker is now somewhere unhelpful; the placeholder keeps what was parsed for tooling.
          const r = rangeFromTo(from.srcRange, this.r(dot));
          ret = { kind: "ExprSyntaxError", parseDiags: [...diags], srcRange: r, startRange: r };
          this.recovery = true;
        }
        continue;
      }

      if (nextType === Tk.OBrack) {
        const open = p.read();
        if (p.peekType() === Tk.Star) {
          // Full splat: foo[*].bar[0] consumes all the following traversal steps.
          p.read();
          let close = p.read();
          if (p.readType() !== Tk.CBrack && !this.recovery) {
            // HCL's diagnostic points at the variable that then receives the recovered token, so the
            // subject is where recovery lands.
            close = this.recover(Tk.CBrack);
            diags = cat(
              diags,
              one(
                "Missing close bracket on splat index",
                'The star for a full splat operator must be immediately followed by a closing bracket ("]").',
                this.r(close),
              ),
            );
          }
          const itemRange = rangeFromTo(this.r(open), this.r(close));
          const item: AnonSymbolExpr = { kind: "AnonSymbolExpr", srcRange: itemRange, startRange: itemRange };
          const each = this.parseExpressionTraversals(item);
          const nestedDiags = this.d;
          diags = cat(diags, nestedDiags);
          ret = {
            kind: "SplatExpr",
            source: ret,
            each,
            item,
            srcRange: rangeFromTo(from.srcRange, each.srcRange),
            startRange: itemRange,
            markerRange: itemRange,
          };
          continue;
        }

        let close: number;
        p.pushIncludeNewlines(false);
        const keyExpr = this.parseExpression();
        const keyDiags = this.d;
        diags = cat(diags, keyDiags);
        if (this.recovery && hasErrors(keyDiags)) {
          close = this.recover(Tk.CBrack);
        } else {
          close = p.read();
          if (p.readType() !== Tk.CBrack && !this.recovery) {
            // As above: the subject is the token recovery lands on.
            close = this.recover(Tk.CBrack);
            diags = cat(
              diags,
              one(
                "Missing close bracket on index",
                'The index operator must end with a closing bracket ("]").',
                this.r(close),
              ),
            );
          }
        }
        p.popIncludeNewlines();

        const r = this.span(open, close);
        if (keyExpr.kind === "LiteralValue") {
          ret = makeRelativeTraversal(ret, { type: "index", key: keyExpr.value, srcRange: r }, r);
        } else if (isStringLiteralTemplate(keyExpr)) {
          const part = keyExpr.parts[0] as LiteralValueExpr;
          ret = makeRelativeTraversal(ret, { type: "index", key: part.value, srcRange: r }, r);
        } else {
          const openRange = this.r(open);
          ret = {
            kind: "IndexExpr",
            collection: ret,
            key: keyExpr,
            srcRange: rangeFromTo(from.srcRange, r),
            startRange: openRange,
            openRange,
            bracketRange: r,
          };
        }
        continue;
      }
      break;
    }
    return this.ok(ret, diags);
  }

  private parseExpressionTerm(): Expression {
    const p = this.p;
    const startType = p.peekType();
    switch (startType) {
      case Tk.OParen: {
        const oParen = p.read();
        p.pushIncludeNewlines(false);
        let expr = this.parseExpression();
        let diags = this.d;
        if (hasErrors(diags)) {
          // Try to land after the closing parenthesis so the next parse has a chance.
          this.recover(Tk.CParen);
          p.popIncludeNewlines();
          return this.ok(expr, diags);
        }
        if (p.peekType() !== Tk.CParen) {
          const closeRange = p.nextRange();
          diags = cat(
            diags,
            one(
              "Unbalanced parentheses",
              "Expected a closing parenthesis to terminate the expression.",
              closeRange,
              rangeFromTo(this.r(oParen), closeRange),
            ),
          );
          this.recovery = true;
        }
        const cParen = p.read();
        p.popIncludeNewlines();
        expr = {
          kind: "ParenthesesExpr",
          expression: expr,
          srcRange: this.span(oParen, cParen),
          startRange: expr.startRange,
        };
        return this.ok(expr, diags);
      }
      case Tk.NumberLit: {
        const tok = p.read();
        const value = this.numberLitValue(tok);
        return literal(value, this.r(tok));
      }
      case Tk.Ident: {
        const tok = p.read();
        const after = p.peekType();
        if (after === Tk.OParen || after === Tk.DoubleColon) return this.finishParsingFunctionCall(tok);
        const r = this.r(tok);
        const name = this.text(tok);
        this.d = NO_DIAGS;
        switch (name) {
          case "true":
            return literal(TRUE, r);
          case "false":
            return literal(FALSE, r);
          case "null":
            return literal(NULL, r);
          default:
            return {
              kind: "ScopeTraversalExpr",
              traversal: [{ type: "root", name, srcRange: r }],
              srcRange: r,
              startRange: r,
            };
        }
      }
      case Tk.OQuote:
      case Tk.OHeredoc: {
        if (startType === Tk.OQuote) {
          const simple = this.parseSimpleQuotedTemplate();
          if (simple !== undefined) return simple;
        }
        const open = p.read();
        const closer = OPPOSITE[startType] as Tk;
        // A flush heredoc opens with "<<-".
        const flush =
          startType === Tk.OHeredoc && this.src.charCodeAt((this.buf.starts[open] as number) + 2) === 45;
        const [exprs, passthru, , diags] = this.parseTemplateInner(closer, flush);
        const r = this.span(open, p.prevIndex());
        if (passthru) {
          return this.ok(
            { kind: "TemplateWrapExpr", wrapped: exprs[0] as Expression, srcRange: r, startRange: r },
            diags,
          );
        }
        return this.ok(templateExpr(exprs, r), diags);
      }
      case Tk.Minus:
      case Tk.Bang: {
        const tok = p.read();
        // Only the term and its traversals: -46+5 is (-46)+5.
        const operand = this.parseExpressionWithTraversals();
        const diags = this.d;
        const symbolRange = this.r(tok);
        return this.ok(
          {
            kind: "UnaryOpExpr",
            op: startType === Tk.Minus ? "negate" : "logicalNot",
            val: operand,
            srcRange: rangeFromTo(symbolRange, operand.srcRange),
            startRange: symbolRange,
            symbolRange,
          },
          diags,
        );
      }
      case Tk.OBrack:
        return this.parseTupleCons();
      case Tk.OBrace:
        return this.parseObjectCons();
      default: {
        const startRange = p.nextRange();
        let diags: Diags = NO_DIAGS;
        if (!this.recovery) {
          diags =
            startType === Tk.EOF
              ? one(
                  "Missing expression",
                  "Expected the start of an expression, but found the end of the file.",
                  startRange,
                )
              : one(
                  "Invalid expression",
                  "Expected the start of an expression, but found an invalid expression token.",
                  startRange,
                );
        }
        this.recovery = true;
        // A placeholder keeps the AST structurally sound.
        return this.ok(literal(DYNAMIC, startRange), diags);
      }
    }
  }

  /**
   * A quoted template made only of literal text (the common case), built directly; the result is the
   * same as the general template path gives. Returns undefined, consuming nothing, for anything else.
   */
  private parseSimpleQuotedTemplate(): Expression | undefined {
    const p = this.p;
    const types = this.buf.types;
    const n = this.buf.length;
    const open = p.peekIndex();
    let close = open + 1;
    while (close < n && types[close] === Tk.QuotedLit) close++;
    if (close >= n || types[close] !== Tk.CQuote) return undefined;
    // The literal tokens and the closing quote follow the opening quote directly: nothing is skipped.
    p.seek(close + 1);
    let diags: Diags = NO_DIAGS;
    let part: LiteralValueExpr;
    if (close === open + 1) {
      // An empty template has one empty literal, placed (as HCL places it) at the end of the token after
      // the opening quote.
      const e = this.buf.endPos(close);
      part = stringPart("", { filename: this.buf.filename, start: e, end: e });
    } else {
      let val = this.literalText(open + 1);
      diags = this.d;
      for (let i = open + 2; i < close; i++) {
        val += this.literalText(i);
        diags = cat(diags, this.d);
      }
      part = stringPart(val, close === open + 2 ? this.r(open + 1) : this.span(open + 1, close - 1));
    }
    return this.ok(templateExpr([part], this.span(open, close)), diags);
  }

  /** The value of a NumberLit token; diagnostics go to `this.d`. */
  private numberLitValue(tok: number): StaticValue {
    const text = this.text(tok);
    if (NUMBER_RE.test(text)) return this.ok({ type: "number", text }, NO_DIAGS);
    return this.ok(
      UNKNOWN_NUMBER,
      one("Invalid number literal", "Failed to recognize the value of this number literal.", this.r(tok)),
    );
  }

  private finishParsingFunctionCall(name: number): Expression {
    const p = this.p;
    let diags: Diags = NO_DIAGS;
    const nameTokRange = this.r(name);
    let openTok = p.read();
    let nameStr = this.text(name);
    let nameRange = nameTokRange;
    while (p.readType() === Tk.DoubleColon) {
      const nextName = p.read();
      if (p.readType() !== Tk.Ident) {
        const nextRange = this.r(nextName);
        const d = one(
          "Missing function name",
          "Function scope resolution symbol :: must be followed by a function name in this scope.",
          nextRange,
          rangeFromTo(nameTokRange, nextRange),
        );
        diags = cat(diags, d);
        this.recoverOver(Tk.OParen);
        const r = rangeFromTo(nameTokRange, nextRange);
        return this.ok({ kind: "ExprSyntaxError", parseDiags: [...d], srcRange: r, startRange: r }, diags);
      }
      // Namespaced functions are names with "::" separators, as in HCL.
      nameStr = `${nameStr}::${this.text(nextName)}`;
      nameRange = rangeFromTo(nameTokRange, this.r(nextName));
      openTok = p.read();
    }
    const openRange = this.r(openTok);

    if (p.readType() !== Tk.OParen) {
      const d = one(
        "Missing open parenthesis",
        "Function selector must be followed by an open parenthesis to begin the function call.",
        openRange,
        rangeFromTo(nameTokRange, openRange),
      );
      diags = cat(diags, d);
      this.recoverOver(Tk.OParen);
      const r = rangeFromTo(nameTokRange, openRange);
      return this.ok({ kind: "ExprSyntaxError", parseDiags: [...d], srcRange: r, startRange: r }, diags);
    }

    const argBase = this.exprStack.top;
    let expandFinal = false;
    let closeRange = ZERO_RANGE;

    p.pushIncludeNewlines(false);
    for (;;) {
      if (p.peekType() === Tk.CParen) {
        closeRange = this.r(p.read());
        break;
      }
      const arg = this.parseExpression();
      const argDiags = this.d;
      this.exprStack.push(arg);
      diags = cat(diags, argDiags);
      if (this.recovery && hasErrors(argDiags)) {
        // Probably lost somewhere in the token stream: bail out with a partial argument list.
        const recovered = this.recover(Tk.CParen);
        if (p.readType() === Tk.CParen) closeRange = this.r(recovered);
        break;
      }
      const sep = p.read();
      const sepType = p.readType();
      if (sepType === Tk.CParen) {
        closeRange = this.r(sep);
        break;
      }
      if (sepType === Tk.Ellipsis) {
        expandFinal = true;
        if (p.peekType() !== Tk.CParen) {
          if (!this.recovery) {
            const sepRange = this.r(sep);
            diags = cat(
              diags,
              one(
                "Missing closing parenthesis",
                "An expanded function argument (with ...) must be immediately followed by closing parentheses.",
                sepRange,
                rangeFromTo(nameTokRange, sepRange),
              ),
            );
          }
          closeRange = this.r(this.recover(Tk.CParen));
        } else {
          closeRange = this.r(p.read());
        }
        break;
      }
      if (sepType !== Tk.Comma) {
        if (sepType === Tk.EOF) {
          diags = cat(
            diags,
            one(
              "Unterminated function call",
              "There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file.",
              rangeFromTo(nameTokRange, openRange),
            ),
          );
        } else {
          const sepRange = this.r(sep);
          diags = cat(
            diags,
            one(
              "Missing argument separator",
              "A comma is required to separate each function argument from the next.",
              sepRange,
              rangeFromTo(nameTokRange, sepRange),
            ),
          );
        }
        closeRange = this.r(this.recover(Tk.CParen));
        break;
      }
      if (p.peekType() === Tk.CParen) {
        // A trailing comma after the last argument.
        closeRange = this.r(p.read());
        break;
      }
    }
    p.popIncludeNewlines();

    return this.ok(
      {
        kind: "FunctionCallExpr",
        name: nameStr,
        args: this.exprStack.take(argBase),
        expandFinal,
        nameRange,
        openParenRange: openRange,
        closeParenRange: closeRange,
        srcRange: rangeFromTo(nameRange, closeRange),
        startRange: rangeFromTo(nameRange, openRange),
      },
      diags,
    );
  }

  private parseTupleCons(): Expression {
    const p = this.p;
    const open = p.read();
    p.pushIncludeNewlines(false);
    try {
      if (this.nextIsKeyword("for")) return this.finishParsingForExpr(open);

      const openRange = this.r(open);
      let close: number;
      let diags: Diags = NO_DIAGS;
      const base = this.exprStack.top;
      for (;;) {
        if (p.peekType() === Tk.CBrack) {
          close = p.read();
          break;
        }
        const expr = this.parseExpression();
        const exprDiags = this.d;
        this.exprStack.push(expr);
        diags = cat(diags, exprDiags);
        if (this.recovery && hasErrors(exprDiags)) {
          close = this.recover(Tk.CBrack);
          break;
        }
        const nextType = p.peekType();
        if (nextType === Tk.CBrack) {
          close = p.read();
          break;
        }
        if (nextType !== Tk.Comma) {
          if (!this.recovery) {
            if (nextType === Tk.EOF) {
              diags = cat(
                diags,
                one(
                  "Unterminated tuple constructor expression",
                  "There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.",
                  openRange,
                ),
              );
            } else {
              const nextRange = p.nextRange();
              diags = cat(
                diags,
                one(
                  "Missing item separator",
                  "Expected a comma to mark the beginning of the next item.",
                  nextRange,
                  rangeFromTo(openRange, nextRange),
                ),
              );
            }
          }
          close = this.recover(Tk.CBrack);
          break;
        }
        p.read();
      }
      return this.ok(
        {
          kind: "TupleConsExpr",
          exprs: this.exprStack.take(base),
          srcRange: this.toEnd(openRange, close),
          startRange: openRange,
          openRange,
        },
        diags,
      );
    } finally {
      p.popIncludeNewlines();
    }
  }

  private parseObjectCons(): Expression {
    const p = this.p;
    const open = p.read();
    // "for" is looked for ignoring newlines, since for expressions are not newline-sensitive.
    p.pushIncludeNewlines(false);
    const isFor = this.nextIsKeyword("for");
    p.popIncludeNewlines();
    if (isFor) return this.finishParsingForExpr(open);

    const openRange = this.r(open);
    p.pushIncludeNewlines(true);
    try {
      let close: number;
      let diags: Diags = NO_DIAGS;
      const base = this.itemStack.top;
      for (;;) {
        let nextType = p.peekType();
        if (nextType === Tk.Newline) {
          p.read();
          continue;
        }
        if (nextType === Tk.CBrace) {
          close = p.read();
          break;
        }
        // Parentheses around a key force it to be an expression rather than a literal name.
        const forceNonLiteral = nextType === Tk.OParen;
        const keyInner = this.parseExpression();
        const keyDiags = this.d;
        diags = cat(diags, keyDiags);
        if (this.recovery && hasErrors(keyDiags)) {
          close = this.recover(Tk.CBrace);
          break;
        }
        const key: ObjectConsKeyExpr = {
          kind: "ObjectConsKeyExpr",
          wrapped: keyInner,
          forceNonLiteral,
          srcRange: keyInner.srcRange,
          startRange: keyInner.startRange,
        };

        nextType = p.peekType();
        if (nextType !== Tk.Equal && nextType !== Tk.Colon) {
          if (!this.recovery) {
            const nextRange = p.nextRange();
            switch (nextType) {
              case Tk.Newline:
              case Tk.Comma:
                diags = cat(
                  diags,
                  one(
                    "Missing attribute value",
                    'Expected an attribute value, introduced by an equals sign ("=").',
                    nextRange,
                    rangeFromTo(openRange, nextRange),
                  ),
                );
                break;
              case Tk.Ident:
                diags = cat(
                  diags,
                  one(
                    "Missing key/value separator",
                    'Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended to given an attribute name containing periods or spaces, write the name in quotes to create a string literal.',
                    nextRange,
                    rangeFromTo(openRange, nextRange),
                  ),
                );
                break;
              case Tk.EOF:
                diags = cat(
                  diags,
                  one(
                    "Unterminated object constructor expression",
                    "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                    openRange,
                  ),
                );
                break;
              default:
                diags = cat(
                  diags,
                  one(
                    "Missing key/value separator",
                    'Expected an equals sign ("=") to mark the beginning of the attribute value.',
                    nextRange,
                    rangeFromTo(openRange, nextRange),
                  ),
                );
            }
          }
          close = this.recover(Tk.CBrace);
          break;
        }
        p.read();

        const value = this.parseExpression();
        const valueDiags = this.d;
        diags = cat(diags, valueDiags);
        if (this.recovery && hasErrors(valueDiags)) {
          // Keep a broken first item for tooling, as HCL does.
          if (value.kind === "ExprSyntaxError") this.itemStack.push({ keyExpr: key, valueExpr: value });
          close = this.recover(Tk.CBrace);
          break;
        }
        this.itemStack.push({ keyExpr: key, valueExpr: value });

        nextType = p.peekType();
        if (nextType === Tk.CBrace) {
          close = p.read();
          break;
        }
        if (nextType !== Tk.Comma && nextType !== Tk.Newline) {
          if (!this.recovery) {
            if (nextType === Tk.EOF) {
              diags = cat(
                diags,
                one(
                  "Unterminated object constructor expression",
                  "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                  openRange,
                ),
              );
            } else {
              const nextRange = p.nextRange();
              diags = cat(
                diags,
                one(
                  "Missing attribute separator",
                  "Expected a newline or comma to mark the beginning of the next attribute.",
                  nextRange,
                  rangeFromTo(openRange, nextRange),
                ),
              );
            }
          }
          close = this.recover(Tk.CBrace);
          break;
        }
        p.read();
      }
      return this.ok(
        {
          kind: "ObjectConsExpr",
          items: this.itemStack.take(base),
          srcRange: this.toEnd(openRange, close),
          startRange: openRange,
          openRange,
        },
        diags,
      );
    } finally {
      p.popIncludeNewlines();
    }
  }

  private finishParsingForExpr(open: number): Expression {
    const p = this.p;
    p.pushIncludeNewlines(false);
    try {
      p.read(); // "for"
      const openRange = this.r(open);
      const makeObj = this.buf.types[open] === Tk.OBrace;
      const closeType = makeObj ? Tk.CBrace : Tk.CBrack;
      let diags: Diags = NO_DIAGS;
      let keyName = "";
      let valName: string;

      const bail = (detail: string): Expression => {
        if (!this.recovery) {
          const nextRange = p.nextRange();
          diags = cat(
            diags,
            one("Invalid 'for' expression", detail, nextRange, rangeFromTo(openRange, nextRange)),
          );
        }
        const close = this.recover(closeType);
        return this.ok(literal(DYNAMIC, rangeFromTo(openRange, this.r(close))), diags);
      };

      if (p.peekType() !== Tk.Ident) return bail("For expression requires variable name after 'for'.");
      valName = this.text(p.read());
      if (p.peekType() === Tk.Comma) {
        keyName = valName;
        p.read();
        if (p.peekType() !== Tk.Ident)
          return bail("For expression requires value variable name after comma.");
        valName = this.text(p.read());
      }
      if (!this.nextIsKeyword("in"))
        return bail("For expression requires the 'in' keyword after its name declarations.");
      p.read();

      const collExpr = this.parseExpression();
      const collDiags = this.d;
      diags = cat(diags, collDiags);
      if (this.recovery && hasErrors(collDiags)) {
        const close = this.recover(closeType);
        return this.ok(literal(DYNAMIC, rangeFromTo(openRange, this.r(close))), diags);
      }
      if (p.peekType() !== Tk.Colon)
        return bail("For expression requires a colon after the collection expression.");
      p.read();

      let keyExpr: Expression | undefined;
      let keyDiags: Diags = NO_DIAGS;
      let valExpr = this.parseExpression();
      let valDiags = this.d;
      if (p.peekType() === Tk.FatArrow) {
        p.read();
        keyExpr = valExpr;
        keyDiags = valDiags;
        valExpr = this.parseExpression();
        valDiags = this.d;
      }
      diags = cat(diags, keyDiags);
      diags = cat(diags, valDiags);
      if (this.recovery && (hasErrors(keyDiags) || hasErrors(valDiags))) {
        const close = this.recover(closeType);
        return this.ok(literal(DYNAMIC, rangeFromTo(openRange, this.r(close))), diags);
      }

      let group = false;
      let ellipsis = -1;
      if (p.peekType() === Tk.Ellipsis) {
        ellipsis = p.read();
        group = true;
      }

      let condExpr: Expression | undefined;
      if (this.nextIsKeyword("if")) {
        p.read();
        condExpr = this.parseExpression();
        const condDiags = this.d;
        diags = cat(diags, condDiags);
        if (this.recovery && hasErrors(condDiags)) {
          const close = this.recover(closeType);
          return this.ok(literal(DYNAMIC, rangeFromTo(openRange, this.r(close))), diags);
        }
      }

      let close: number;
      if (p.peekType() === closeType) {
        close = p.read();
      } else {
        if (!this.recovery) {
          const nextRange = p.nextRange();
          diags = cat(
            diags,
            one(
              "Invalid 'for' expression",
              "Extra characters after the end of the 'for' expression.",
              nextRange,
              rangeFromTo(openRange, nextRange),
            ),
          );
        }
        close = this.recover(closeType);
      }

      const closeRange = this.r(close);
      const whole = rangeFromTo(openRange, closeRange);
      if (!makeObj) {
        if (keyExpr !== undefined) {
          diags = cat(
            diags,
            one(
              "Invalid 'for' expression",
              "Key expression is not valid when building a tuple.",
              keyExpr.srcRange,
              whole,
            ),
          );
        }
        if (group && ellipsis >= 0) {
          diags = cat(
            diags,
            one(
              "Invalid 'for' expression",
              "Grouping ellipsis (...) cannot be used when building a tuple.",
              this.r(ellipsis),
              whole,
            ),
          );
        }
      } else if (keyExpr === undefined) {
        diags = cat(
          diags,
          one(
            "Invalid 'for' expression",
            "Key expression is required when building an object.",
            valExpr.srcRange,
            whole,
          ),
        );
      }

      const forExpr: ForExpr = {
        kind: "ForExpr",
        keyVar: keyName,
        valVar: valName,
        collExpr,
        keyExpr,
        valExpr,
        condExpr,
        group,
        srcRange: whole,
        startRange: openRange,
        openRange,
        closeRange,
      };
      return this.ok(forExpr, diags);
    } finally {
      p.popIncludeNewlines();
    }
  }

  /**
   * A quoted string that may not contain template sequences, such as a block label. Returns its value;
   * its range goes to `this.quotedRange` and its diagnostics to `this.d`.
   */
  private parseQuotedStringLiteral(): string {
    const p = this.p;
    const oQuote = p.read();
    if (p.readType() !== Tk.OQuote) {
      this.quotedRange = this.r(oQuote);
      this.d = one("Invalid string literal", "A quoted string is required here.", this.quotedRange);
      return "";
    }
    let diags: Diags = NO_DIAGS;
    let ret = "";
    let endTok: number;
    for (;;) {
      const tok = p.read();
      const type = p.readType();
      if (type === Tk.CQuote) {
        endTok = tok;
        break;
      }
      if (type === Tk.QuotedLit) {
        ret += this.literalText(tok);
        diags = cat(diags, this.d);
        continue;
      }
      const tokRange = this.r(tok);
      const context = this.span(oQuote, tok);
      if (type === Tk.TemplateControl || type === Tk.TemplateInterp) {
        const which = type === Tk.TemplateControl ? "%" : "$";
        diags = cat(
          diags,
          one(
            "Invalid string literal",
            `Template sequences are not allowed in this string. To include a literal ${goQuote(which)}, double it (as "${which}${which}") to escape it.`,
            tokRange,
            context,
          ),
        );
        // Leave a marker so a partial result is not mistaken for the real string.
        ret += `${which}{ ... }`;
        this.recover(Tk.TemplateSeqEnd);
        continue;
      }
      if (type === Tk.EOF) {
        diags = cat(
          diags,
          one(
            "Unterminated string literal",
            "Unable to find the closing quote mark before the end of the file.",
            tokRange,
            context,
          ),
        );
        endTok = tok;
        break;
      }
      diags = cat(
        diags,
        one("Invalid string literal", "This item is not valid in a string literal.", tokRange, context),
      );
      this.recover(Tk.CQuote);
      endTok = tok;
      break;
    }
    this.quotedRange = this.span(oQuote, endTok);
    this.d = diags;
    return ret;
  }

  // --- templates ----------------------------------------------------------------------------------------

  parseTemplate(end: Tk, flushHeredoc: boolean): [Expression, Diags] {
    const [exprs, passthru, r, diags] = this.parseTemplateInner(end, flushHeredoc);
    if (passthru)
      return [
        { kind: "TemplateWrapExpr", wrapped: exprs[0] as Expression, srcRange: r, startRange: r },
        diags,
      ];
    return [templateExpr(exprs, r), diags];
  }

  private parseTemplateInner(end: Tk, flushHeredoc: boolean): [Expression[], boolean, Range, Diags] {
    const [parts, srcRange, partsDiags] = this.parseTemplateParts(end);
    if (flushHeredoc) flushHeredocTemplateParts(parts);
    const melded = meldConsecutiveStringLiterals(parts);
    const [exprs, exprsDiags] = parseTemplateRoot(melded);
    // One real part plus the synthetic end part, and that part an interpolation: "${x}" alone.
    const passthru = melded.length === 2 && melded[0]?.t === "interp";
    return [exprs, passthru, srcRange, cat(partsDiags, exprsDiags)];
  }

  private parseTemplateParts(end: Tk): [TemplatePart[], Range, Diags] {
    const p = this.p;
    const parts: TemplatePart[] = [];
    let diags: Diags = NO_DIAGS;
    // The first token inside the template (its range is made only for diagnostics).
    const startTok = p.peekIndex();
    let ltrimNext = false;
    let nextCanTrimPrev = false;
    let endTok: number;

    for (;;) {
      const next = p.read();
      const nextType = p.readType();
      if (nextType === end) {
        endTok = next;
        break;
      }
      const ltrim = ltrimNext;
      ltrimNext = false;
      const canTrimPrev = nextCanTrimPrev;
      nextCanTrimPrev = false;

      if (nextType === Tk.StringLit || nextType === Tk.QuotedLit) {
        const val = this.literalText(next);
        diags = cat(diags, this.d);
        parts.push({ t: "literal", val: ltrim ? trimLeftGoSpace(val) : val, srcRange: this.r(next) });
        nextCanTrimPrev = true;
        continue;
      }

      if (nextType === Tk.TemplateInterp) {
        if (canTrimPrev) this.trimPrev(parts, next);
        p.pushIncludeNewlines(false);
        const expr = this.parseExpression();
        const exprDiags = this.d;
        diags = cat(diags, exprDiags);
        const closeType = p.peekType();
        const close = p.peekIndex();
        if (closeType !== Tk.TemplateSeqEnd) {
          if (!this.recovery) {
            if (closeType === Tk.EOF) {
              diags = cat(
                diags,
                one(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.",
                  this.r(startTok),
                ),
              );
            } else if (closeType === Tk.Colon) {
              diags = cat(
                diags,
                one(
                  "Extra characters after interpolation expression",
                  'Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".',
                  this.r(close),
                  rangeFromTo(this.r(startTok), this.r(close)),
                ),
              );
            } else if ((closeType === Tk.CQuote || closeType === Tk.OQuote) && end === Tk.CQuote) {
              diags = cat(
                diags,
                one(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the quoted template. This might be caused by incorrect nesting inside the given expression.",
                  this.r(startTok),
                ),
              );
            } else {
              diags = cat(
                diags,
                one(
                  "Extra characters after interpolation expression",
                  'Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${".',
                  this.r(close),
                  rangeFromTo(this.r(startTok), this.r(close)),
                ),
              );
            }
          }
          this.recover(Tk.TemplateSeqEnd);
        } else {
          p.read();
          if (this.isStripClose(close)) ltrimNext = true;
        }
        p.popIncludeNewlines();
        parts.push({ t: "interp", expr, srcRange: this.span(next, close) });
        continue;
      }

      if (nextType === Tk.TemplateControl) {
        if (canTrimPrev) this.trimPrev(parts, next);
        p.pushIncludeNewlines(false);
        const kw = p.peekIndex();
        if (p.peekType() !== Tk.Ident) {
          if (!this.recovery) {
            diags = cat(
              diags,
              one(
                "Invalid template directive",
                'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
                this.r(kw),
                rangeFromTo(this.r(next), this.r(kw)),
              ),
            );
          }
          this.recover(Tk.TemplateSeqEnd);
          p.popIncludeNewlines();
          continue;
        }
        p.read();

        let skip = false;
        const keyword = this.text(kw);
        switch (keyword) {
          case "if": {
            const condExpr = this.parseExpression();
            const exprDiags = this.d;
            diags = cat(diags, exprDiags);
            parts.push({ t: "if", condExpr, srcRange: rangeFromTo(this.r(next), p.nextRange()) });
            break;
          }
          case "else":
            parts.push({ t: "endCtrl", type: "else", srcRange: rangeFromTo(this.r(next), p.nextRange()) });
            break;
          case "endif":
            parts.push({ t: "endCtrl", type: "endif", srcRange: rangeFromTo(this.r(next), p.nextRange()) });
            break;
          case "for": {
            const forFail = (detail: string): void => {
              if (!this.recovery) diags = cat(diags, one("Invalid 'for' directive", detail, p.nextRange()));
              this.recover(Tk.TemplateSeqEnd);
              p.popIncludeNewlines();
              skip = true;
            };
            let keyName = "";
            if (p.peekType() !== Tk.Ident) {
              forFail("For directive requires variable name after 'for'.");
              break;
            }
            let valName = this.text(p.read());
            if (p.peekType() === Tk.Comma) {
              keyName = valName;
              p.read();
              if (p.peekType() !== Tk.Ident) {
                forFail("For directive requires value variable name after comma.");
                break;
              }
              valName = this.text(p.read());
            }
            if (!this.nextIsKeyword("in")) {
              forFail("For directive requires 'in' keyword after names.");
              break;
            }
            p.read();
            const collExpr = this.parseExpression();
            const collDiags = this.d;
            diags = cat(diags, collDiags);
            parts.push({
              t: "for",
              keyVar: keyName,
              valVar: valName,
              collExpr,
              srcRange: rangeFromTo(this.r(next), p.nextRange()),
            });
            break;
          }
          case "endfor":
            parts.push({ t: "endCtrl", type: "endfor", srcRange: rangeFromTo(this.r(next), p.nextRange()) });
            break;
          default: {
            if (!this.recovery) {
              const given = keyword;
              let suggestion = nameSuggestion(given, ["if", "for", "else", "endif", "endfor"]);
              if (suggestion !== "") suggestion = ` Did you mean ${goQuote(suggestion)}?`;
              diags = cat(
                diags,
                one(
                  "Invalid template control keyword",
                  `${goQuote(given)} is not a valid template control keyword.${suggestion}`,
                  this.r(kw),
                  rangeFromTo(this.r(next), this.r(kw)),
                ),
              );
            }
            this.recover(Tk.TemplateSeqEnd);
            p.popIncludeNewlines();
            skip = true;
          }
        }
        if (skip) continue;

        const closeType = p.peekType();
        const close = p.peekIndex();
        if (closeType !== Tk.TemplateSeqEnd) {
          if (!this.recovery) {
            diags = cat(
              diags,
              one(
                `Extra characters in ${keyword} marker`,
                "Expected a closing brace to end the sequence, but found extra characters.",
                this.r(close),
                rangeFromTo(this.r(startTok), this.r(close)),
              ),
            );
          }
          this.recover(Tk.TemplateSeqEnd);
        } else {
          p.read();
          if (this.isStripClose(close)) ltrimNext = true;
        }
        p.popIncludeNewlines();
        continue;
      }

      if (!this.recovery) {
        diags = cat(
          diags,
          one(
            "Unterminated template string",
            "No closing marker was found for the string.",
            this.r(next),
            rangeFromTo(this.r(startTok), this.r(next)),
          ),
        );
      }
      endTok = this.recover(end);
      break;
    }

    if (parts.length === 0) {
      const e = this.buf.endPos(startTok);
      parts.push({ t: "literal", val: "", srcRange: { filename: this.buf.filename, start: e, end: e } });
    }
    parts.push({ t: "end", srcRange: this.r(endTok) });
    return [parts, this.span(startTok, endTok), diags];
  }

  // --- traversals ---------------------------------------------------------------------------------------

  parseTraversal(allowSplats: boolean): [Traversal, Diags] {
    const p = this.p;
    const ret: Traversal = [];
    let diags: Diags = NO_DIAGS;
    const varTok = p.read();
    const varRange = this.r(varTok);
    if (p.readType() !== Tk.Ident) {
      return [ret, one("Variable name required", "Must begin with a variable name.", varRange)];
    }
    ret.push({ type: "root", name: this.text(varTok), srcRange: varRange });
    for (;;) {
      const nextType = p.peekType();
      if (nextType === Tk.EOF) return [ret, diags];
      if (nextType === Tk.Dot) {
        const dot = p.read();
        const nameTok = p.read();
        const nameType = p.readType();
        const nameRange = this.r(nameTok);
        if (nameType !== Tk.Ident) {
          diags = cat(
            diags,
            one(
              "Attribute name required",
              nameType === Tk.Star
                ? "Splat expressions (.*) may not be used here."
                : "Dot must be followed by attribute name.",
              nameRange,
              rangeFromTo(varRange, nameRange),
            ),
          );
          return [ret, diags];
        }
        ret.push({ type: "attr", name: this.text(nameTok), srcRange: rangeFromTo(this.r(dot), nameRange) });
        continue;
      }
      if (nextType === Tk.OBrack) {
        const openRange = this.r(p.read());
        const keyType = p.peekType();
        const keyTok = p.peekIndex();
        const closeCheck = (): Range => {
          const close = p.read();
          const closeRange = this.r(close);
          if (p.readType() !== Tk.CBrack) {
            diags = cat(
              diags,
              one(
                "Unclosed index brackets",
                "Index key must be followed by a closing bracket.",
                closeRange,
                rangeFromTo(openRange, closeRange),
              ),
            );
          }
          return rangeFromTo(openRange, closeRange);
        };
        if (keyType === Tk.NumberLit) {
          const tok = p.read();
          const numVal = this.numberLitValue(tok);
          const numDiags = this.d;
          diags = cat(diags, numDiags);
          const r = closeCheck();
          ret.push({ type: "index", key: numVal, srcRange: r });
          if (hasErrors(diags)) return [ret, diags];
          continue;
        }
        if (keyType === Tk.OQuote) {
          const str = this.parseQuotedStringLiteral();
          diags = cat(diags, this.d);
          const r = closeCheck();
          ret.push({ type: "index", key: { type: "string", value: nfc(str) }, srcRange: r });
          if (hasErrors(diags)) return [ret, diags];
          continue;
        }
        if (keyType === Tk.Star && allowSplats) {
          p.read();
          const r = closeCheck();
          ret.push({ type: "splat", srcRange: r });
          if (hasErrors(diags)) return [ret, diags];
          continue;
        }
        const keyRange = this.r(keyTok);
        diags = cat(
          diags,
          keyType === Tk.Star
            ? one(
                "Attribute name required",
                "Splat expressions ([*]) may not be used here.",
                keyRange,
                rangeFromTo(varRange, keyRange),
              )
            : one(
                "Index value required",
                "Index brackets must contain either a literal number or a literal string.",
                keyRange,
                rangeFromTo(varRange, keyRange),
              ),
        );
        return [ret, diags];
      }
      const nextRange = p.nextRange();
      diags = cat(
        diags,
        one(
          "Invalid character",
          "Expected an attribute access or an index operator.",
          nextRange,
          rangeFromTo(varRange, nextRange),
        ),
      );
      return [ret, diags];
    }
  }

  // --- recovery -----------------------------------------------------------------------------------------

  /**
   * Skips to just after the next `end` token, counting nested bracket pairs when `end` is a closing bracket.
   * Returns that token's index (or EOF's); its type is then the peeker's readType.
   */
  recover(end: Tk): number {
    const p = this.p;
    const start = OPPOSITE[end];
    this.recovery = true;
    let nest = 0;
    for (;;) {
      const tok = p.read();
      let ty = p.readType();
      // Interp and control sequences both end with TemplateSeqEnd: count both as openers.
      if (end === Tk.TemplateSeqEnd && ty === Tk.TemplateControl) ty = Tk.TemplateInterp;
      if (ty === start) {
        nest++;
      } else if (ty === end) {
        if (nest < 1) return tok;
        nest--;
      } else if (ty === Tk.EOF) {
        return tok;
      }
    }
  }

  /** Skips past the next bracketed group opened by `start` (or to EOF). */
  private recoverOver(start: Tk): void {
    const p = this.p;
    for (;;) {
      p.read();
      if (p.readType() === start || p.readType() === Tk.EOF) break;
    }
    this.recover(OPPOSITE[start] as Tk);
  }

  /** Skips to the newline that ends the current body item, respecting brackets. */
  private recoverAfterBodyItem(): void {
    const p = this.p;
    this.recovery = true;
    const open: Tk[] = [];
    for (;;) {
      p.read();
      const type = p.readType();
      switch (type) {
        case Tk.Newline:
          if (open.length === 0) return;
          break;
        case Tk.EOF:
          return;
        case Tk.OBrace:
        case Tk.OBrack:
        case Tk.OParen:
        case Tk.OQuote:
        case Tk.OHeredoc:
        case Tk.TemplateInterp:
        case Tk.TemplateControl:
          open.push(type);
          break;
        case Tk.CBrace:
        case Tk.CBrack:
        case Tk.CParen:
        case Tk.CQuote:
        case Tk.CHeredoc: {
          const opener = OPPOSITE[type];
          while (open.length > 0 && open[open.length - 1] !== opener) open.pop();
          if (open.length > 0) open.pop();
          break;
        }
        case Tk.TemplateSeqEnd:
          while (
            open.length > 0 &&
            open[open.length - 1] !== Tk.TemplateInterp &&
            open[open.length - 1] !== Tk.TemplateControl
          ) {
            open.pop();
          }
          if (open.length > 0) open.pop();
          break;
        default:
          break;
      }
    }
  }

  /** A `${~` or `%{~` opener (token i) strips trailing whitespace from the literal just before it. */
  private trimPrev(parts: TemplatePart[], i: number): void {
    const s = this.buf.starts[i] as number;
    if ((this.buf.ends[i] as number) - s === 3 && this.src.charCodeAt(s + 2) === 126 && parts.length > 0) {
      const prev = parts[parts.length - 1];
      if (prev !== undefined && prev.t === "literal") prev.val = trimRightGoSpace(prev.val);
    }
  }
}

function isStringLiteralTemplate(e: Expression): e is TemplateExpr {
  return e.kind === "TemplateExpr" && e.parts.length === 1 && e.parts[0]?.kind === "LiteralValue";
}

function stringPart(val: string, r: Range): LiteralValueExpr {
  return literal({ type: "string", value: nfc(val) }, r);
}

function templateExpr(parts: Expression[], r: Range): TemplateExpr {
  return { kind: "TemplateExpr", parts, srcRange: r, startRange: parts[0]?.startRange ?? r };
}

// ---------------------------------------------------------------------------------------------------------
// Public entry points

const DEFAULT_START: Pos = { line: 1, column: 1, byte: 0 };

export interface ParseConfigResult {
  body: Body;
  diagnostics: Diagnostic[];
}

export interface ParseExpressionResult {
  expression: Expression;
  diagnostics: Diagnostic[];
}

export interface ParseTraversalResult {
  traversal: Traversal;
  diagnostics: Diagnostic[];
}

/** Parses a whole configuration file in the native syntax (hclsyntax.ParseConfig). */
export function parseConfig(src: string, filename: string, start: Pos = DEFAULT_START): ParseConfigResult {
  try {
    return parseConfigUnguarded(src, filename, start);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    const at: Range = { filename, start, end: start };
    const body: Body = { kind: "Body", attributes: new Map(), blocks: [], srcRange: at, endRange: at };
    return { body, diagnostics: [nestingTooDeepDiag(at)] };
  }
}

function parseConfigUnguarded(src: string, filename: string, start: Pos): ParseConfigResult {
  const buf = scanTokens(src, filename, start, false);
  const lexDiags = checkInvalidTokenBuffer(buf);
  const parser = new Parser(buf);
  const body = parser.parseBody(Tk.EOF);
  return { body, diagnostics: [...lexDiags, ...parser.d] };
}

/** Parses a standalone expression (hclsyntax.ParseExpression). */
export function parseExpression(
  src: string,
  filename: string,
  start: Pos = DEFAULT_START,
): ParseExpressionResult {
  return guardExpression(filename, start, () => parseExpressionUnguarded(src, filename, start));
}

/** A parse that ran out of stack on deeply nested input becomes a diagnostic and a placeholder expression. */
function guardExpression(
  filename: string,
  start: Pos,
  parse: () => ParseExpressionResult,
): ParseExpressionResult {
  try {
    return parse();
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    const at: Range = { filename, start, end: start };
    const diagnostics = [nestingTooDeepDiag(at)];
    return {
      expression: { kind: "ExprSyntaxError", parseDiags: diagnostics, srcRange: at, startRange: at },
      diagnostics,
    };
  }
}

function parseExpressionUnguarded(src: string, filename: string, start: Pos): ParseExpressionResult {
  const buf = scanTokens(src, filename, start, false);
  const lexDiags = checkInvalidTokenBuffer(buf);
  const parser = new Parser(buf);
  parser.peeker.pushIncludeNewlines(false);
  const expression = parser.parseExpression();
  const diags = parser.d;
  const diagnostics = [...lexDiags, ...diags];
  if (parser.peeker.peekType() !== Tk.EOF && !parser.recovery) {
    diagnostics.push({
      severity: "error",
      summary: "Extra characters after expression",
      detail: "An expression was successfully parsed, but extra characters were found after it.",
      subject: parser.peeker.nextRange(),
    });
  }
  parser.peeker.popIncludeNewlines();
  return { expression, diagnostics };
}

/** Parses a bare template, as HCL's JSON syntax does for strings (hclsyntax.ParseTemplate). */
export function parseTemplate(
  src: string,
  filename: string,
  start: Pos = DEFAULT_START,
): ParseExpressionResult {
  return guardExpression(filename, start, () => {
    const buf = scanTokens(src, filename, start, true);
    const lexDiags = checkInvalidTokenBuffer(buf);
    const parser = new Parser(buf);
    const [expression, diags] = parser.parseTemplate(Tk.EOF, false);
    return { expression, diagnostics: [...lexDiags, ...diags] };
  });
}

/** Parses an absolute traversal like `var.foo[0]["bar"]` (hclsyntax.ParseTraversalAbs); no splats. */
export function parseTraversalAbs(
  src: string,
  filename: string,
  start: Pos = DEFAULT_START,
): ParseTraversalResult {
  return parseTraversalWith(src, filename, start, false);
}

/** Like parseTraversalAbs, but also accepts `[*]` splat steps (hclsyntax.ParseTraversalPartial). */
export function parseTraversalPartial(
  src: string,
  filename: string,
  start: Pos = DEFAULT_START,
): ParseTraversalResult {
  return parseTraversalWith(src, filename, start, true);
}

function parseTraversalWith(
  src: string,
  filename: string,
  start: Pos,
  allowSplats: boolean,
): ParseTraversalResult {
  const buf = scanTokens(src, filename, start, false);
  const lexDiags = checkInvalidTokenBuffer(buf);
  const parser = new Parser(buf);
  parser.peeker.pushIncludeNewlines(false);
  const [traversal, diags] = parser.parseTraversal(allowSplats);
  parser.peeker.popIncludeNewlines();
  return { traversal, diagnostics: [...lexDiags, ...diags] };
}
