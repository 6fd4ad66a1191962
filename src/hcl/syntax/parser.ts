/**
 * The native-syntax parser: a port of hclsyntax's recursive-descent parser, including its error recovery,
 * so that a broken file yields the same diagnostics (summaries, details, ranges and their order) as HCL.
 *
 * Entry points: parseConfig (a whole file), parseExpression, parseTemplate (a bare template, as strings in
 * HCL's JSON syntax are), parseTraversalAbs and parseTraversalPartial.
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
import type { Token, TokenType } from "./token.js";
import type { TokenBuffer } from "./token-buffer.js";

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
const BINARY_OPS: ReadonlyMap<TokenType, BinaryOp>[] = [
  new Map([["Or", "logicalOr"]]),
  new Map([["And", "logicalAnd"]]),
  new Map([
    ["EqualOp", "equal"],
    ["NotEqual", "notEqual"],
  ]),
  new Map([
    ["GreaterThan", "greaterThan"],
    ["GreaterThanEq", "greaterThanOrEqual"],
    ["LessThan", "lessThan"],
    ["LessThanEq", "lessThanOrEqual"],
  ]),
  new Map([
    ["Plus", "add"],
    ["Minus", "subtract"],
  ]),
  new Map([
    ["Star", "multiply"],
    ["Slash", "divide"],
    ["Percent", "modulo"],
  ]),
];

/** The precedence level of each binary operator token. */
const OP_LEVEL: ReadonlyMap<TokenType, number> = new Map(
  BINARY_OPS.flatMap((ops, level) => [...ops.keys()].map((t): [TokenType, number] => [t, level])),
);

function isKeyword(tok: Token, kw: string): boolean {
  return tok.type === "Ident" && tok.bytes === kw;
}

function oppositeBracket(t: TokenType): TokenType | undefined {
  switch (t) {
    case "OBrace":
      return "CBrace";
    case "OBrack":
      return "CBrack";
    case "OParen":
      return "CParen";
    case "OQuote":
      return "CQuote";
    case "OHeredoc":
      return "CHeredoc";
    case "CBrace":
      return "OBrace";
    case "CBrack":
      return "OBrack";
    case "CParen":
      return "OParen";
    case "CQuote":
      return "OQuote";
    case "CHeredoc":
      return "OHeredoc";
    case "TemplateControl":
    case "TemplateInterp":
      return "TemplateSeqEnd";
    case "TemplateSeqEnd":
      return "TemplateInterp";
    default:
      return undefined;
  }
}

function tokenOpensFlushHeredoc(tok: Token): boolean {
  return tok.type === "OHeredoc" && tok.bytes.startsWith("<<-");
}

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
    defRange: rangeFromTo(typeRange, lastHeader),
  };
}

function emptyBody(srcRange: Range, endRange: Range): Body {
  return { kind: "Body", attributes: new Map(), blocks: [], srcRange, endRange };
}

/** Wraps `expr` with one more traversal step, extending it in place when it already is a traversal. */
function makeRelativeTraversal(expr: Expression, next: Traverser, r: Range): Expression {
  if (expr.kind === "ScopeTraversalExpr" || expr.kind === "RelativeTraversalExpr") {
    expr.traversal.push(next);
    expr.srcRange = rangeFromTo(expr.srcRange, r);
    expr.startRange = expr.srcRange;
    return expr;
  }
  const srcRange = rangeFromTo(expr.srcRange, r);
  return { kind: "RelativeTraversalExpr", source: expr, traversal: [next], srcRange, startRange: srcRange };
}

export class Parser {
  private readonly p: Peeker;
  /** Set once any recovery was attempted: later "bad token" errors are suppressed to reduce noise. */
  recovery = false;
  /** Diagnostics of the last expression-parsing call (returned beside its result, as HCL's parser does). */
  d: Diags = NO_DIAGS;

  private ok<T>(value: T, diags: Diags): T {
    this.d = diags;
    return value;
  }

  constructor(tokens: TokenBuffer) {
    this.p = new Peeker(tokens);
  }

  get peeker(): Peeker {
    return this.p;
  }

  // --- structure ----------------------------------------------------------------------------------------

  parseBody(end: TokenType): [Body, Diags] {
    const p = this.p;
    const attributes = new Map<string, Attribute>();
    const blocks: Block[] = [];
    let diags: Diags = NO_DIAGS;
    const startRange = p.prevRange();
    let endRange: Range;

    for (;;) {
      const next = p.peek();
      if (next.type === end) {
        endRange = p.nextRange();
        p.read();
        break;
      }
      if (next.type === "Newline") {
        p.read();
        continue;
      }
      if (next.type === "Ident") {
        const [item, itemDiags] = this.parseBodyItem();
        diags = cat(diags, itemDiags);
        if (item === undefined) continue;
        if (item.kind === "Block") {
          blocks.push(item);
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
        if (bad.type === "OQuote") {
          diags = cat(diags, one("Invalid argument name", "Argument names must not be quoted.", bad.range));
        } else if (bad.type === "EOF") {
          if (end === "CBrace") {
            diags = cat(
              diags,
              one(
                "Unclosed configuration block",
                "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                startRange,
              ),
            );
          } else {
            diags = cat(
              diags,
              one(
                "Unclosed configuration body",
                "Found end of file before the end of this configuration body.",
                startRange,
              ),
            );
          }
        } else {
          diags = cat(
            diags,
            one(
              "Argument or block definition required",
              "An argument or block definition is required here.",
              bad.range,
            ),
          );
        }
      }
      endRange = p.prevRange();
      this.recover(end);
      break;
    }

    return [
      {
        kind: "Body",
        attributes,
        blocks,
        srcRange: rangeFromTo(startRange, endRange),
        endRange: { filename: endRange.filename, start: endRange.end, end: endRange.end },
      },
      diags,
    ];
  }

  private parseBodyItem(): [Attribute | Block | undefined, Diags] {
    const p = this.p;
    const ident = p.read();
    if (ident.type !== "Ident") {
      this.recoverAfterBodyItem();
      return [
        undefined,
        one(
          "Argument or block definition required",
          "An argument or block definition is required here.",
          ident.range,
        ),
      ];
    }
    const next = p.peek();
    switch (next.type) {
      case "Equal":
        return this.finishParsingBodyAttribute(ident, false);
      case "OQuote":
      case "OBrace":
      case "Ident":
        return this.finishParsingBodyBlock(ident);
      default:
        this.recoverAfterBodyItem();
        return [
          undefined,
          one(
            "Argument or block definition required",
            'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
            ident.range,
          ),
        ];
    }
  }

  /** The body of a one-line block like `foo { bar = baz }`: a single attribute, then the end token. */
  private parseSingleAttrBody(): [Body | undefined, Diags] {
    const p = this.p;
    const ident = p.read();
    if (ident.type !== "Ident") {
      this.recoverAfterBodyItem();
      return [
        undefined,
        one(
          "Argument or block definition required",
          "An argument or block definition is required here.",
          ident.range,
        ),
      ];
    }
    const next = p.peek();
    switch (next.type) {
      case "Equal": {
        const [attr, diags] = this.finishParsingBodyAttribute(ident, true);
        const attributes = new Map<string, Attribute>([[ident.bytes, attr]]);
        const end = attr.srcRange.end;
        return [
          {
            kind: "Body",
            attributes,
            blocks: [],
            srcRange: attr.srcRange,
            endRange: { filename: attr.srcRange.filename, start: end, end },
          },
          diags,
        ];
      }
      case "OQuote":
      case "OBrace":
      case "Ident":
        this.recoverAfterBodyItem();
        return [
          undefined,
          one(
            "Argument definition required",
            `A single-line block definition can contain only a single argument. If you meant to define argument ${goQuote(ident.bytes)}, use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.`,
            rangeFromTo(ident.range, next.range),
          ),
        ];
      default:
        this.recoverAfterBodyItem();
        return [
          undefined,
          one(
            "Argument or block definition required",
            'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
            ident.range,
          ),
        ];
    }
  }

  private finishParsingBodyAttribute(ident: Token, singleLine: boolean): [Attribute, Diags] {
    const p = this.p;
    const eqTok = p.read();
    let endRange: Range;
    const expr = this.parseExpression();
    let diags = this.d;
    if (this.recovery && hasErrors(diags)) {
      endRange = p.prevRange();
      this.recoverAfterBodyItem();
    } else {
      endRange = p.prevRange();
      if (!singleLine) {
        const end = p.peek();
        if (end.type !== "Newline" && end.type !== "EOF") {
          if (!this.recovery) {
            let summary = "Missing newline after argument";
            let detail = "An argument definition must end with a newline.";
            if (end.type === "Comma") {
              summary = "Unexpected comma after argument";
              detail = `Argument definitions must be separated by newlines, not commas. ${detail}`;
            }
            diags = cat(diags, one(summary, detail, end.range, rangeFromTo(ident.range, end.range)));
          }
          endRange = p.prevRange();
          this.recoverAfterBodyItem();
        } else {
          endRange = p.prevRange();
          p.read();
        }
      }
    }
    return [
      {
        kind: "Attribute",
        name: ident.bytes,
        expr,
        srcRange: rangeFromTo(ident.range, endRange),
        nameRange: ident.range,
        equalsRange: eqTok.range,
      },
      diags,
    ];
  }

  private finishParsingBodyBlock(ident: Token): [Block, Diags] {
    const p = this.p;
    const blockType = ident.bytes;
    let diags: Diags = NO_DIAGS;
    const labels: string[] = [];
    const labelRanges: Range[] = [];
    let oBrace: Token;

    for (;;) {
      const tok = p.peek();
      if (tok.type === "OBrace") {
        oBrace = p.read();
        break;
      }
      if (tok.type === "OQuote") {
        const [label, labelRange, labelDiags] = this.parseQuotedStringLiteral();
        diags = cat(diags, labelDiags);
        labels.push(label);
        labelRanges.push(labelRange);
        continue;
      }
      if (tok.type === "Ident") {
        p.read();
        labels.push(tok.bytes);
        labelRanges.push(tok.range);
        continue;
      }
      if (tok.type === "Equal") {
        diags = cat(
          diags,
          one(
            "Invalid block definition",
            'The equals sign "=" indicates an argument definition, and must not be used when defining a block.',
            tok.range,
            rangeFromTo(ident.range, tok.range),
          ),
        );
      } else if (tok.type === "Newline") {
        diags = cat(
          diags,
          one(
            "Invalid block definition",
            'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.',
            tok.range,
            rangeFromTo(ident.range, tok.range),
          ),
        );
      } else if (!this.recovery) {
        diags = cat(
          diags,
          one(
            "Invalid block definition",
            'Either a quoted string block label or an opening brace ("{") is expected here.',
            tok.range,
            rangeFromTo(ident.range, tok.range),
          ),
        );
      }
      this.recoverAfterBodyItem();
      return [
        makeBlock(
          blockType,
          labels,
          emptyBody(ident.range, ident.range),
          ident.range,
          labelRanges,
          ident.range,
          ident.range,
        ),
        diags,
      ];
    }

    let body: Body | undefined;
    let bodyDiags: Diags;
    const first = p.peek().type;
    if (first === "Newline" || first === "EOF" || first === "CBrace") {
      [body, bodyDiags] = this.parseBody("CBrace");
    } else {
      [body, bodyDiags] = this.parseSingleAttrBody();
      const after = p.peek();
      switch (after.type) {
        case "CBrace":
          p.read();
          break;
        case "Comma":
          diags = cat(
            diags,
            one(
              "Invalid single-argument block definition",
              "Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.",
              after.range,
            ),
          );
          this.recover("CBrace");
          break;
        case "Newline":
          diags = cat(
            diags,
            one(
              "Invalid single-argument block definition",
              "An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line. Place the block's closing brace immediately after the argument definition.",
              after.range,
            ),
          );
          this.recover("CBrace");
          break;
        default:
          if (!this.recovery) {
            if (after.type === "EOF") {
              diags = cat(
                diags,
                one(
                  "Unclosed configuration block",
                  "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                  oBrace.range,
                  rangeFromTo(ident.range, oBrace.range),
                ),
              );
            } else {
              diags = cat(
                diags,
                one(
                  "Invalid single-argument block definition",
                  "A single-line block definition must end with a closing brace immediately after its single argument definition.",
                  after.range,
                ),
              );
            }
          }
          this.recover("CBrace");
      }
    }
    diags = cat(diags, bodyDiags);
    const cBraceRange = p.prevRange();

    const eol = p.peek();
    if (eol.type === "Newline" || eol.type === "EOF") {
      p.read();
    } else {
      if (!this.recovery) {
        diags = cat(
          diags,
          one(
            "Missing newline after block definition",
            "A block definition must end with a newline.",
            eol.range,
            rangeFromTo(ident.range, eol.range),
          ),
        );
      }
      this.recoverAfterBodyItem();
    }

    // Never produce a missing body, even after errors: callers may analyse the partial result.
    if (body === undefined) body = emptyBody(rangeFromTo(oBrace.range, cBraceRange), cBraceRange);

    return [makeBlock(blockType, labels, body, ident.range, labelRanges, oBrace.range, cBraceRange), diags];
  }

  // --- expressions --------------------------------------------------------------------------------------

  parseExpression(): Expression {
    return this.parseTernaryConditional();
  }

  private parseTernaryConditional(): Expression {
    const p = this.p;
    // The start token; its range is only made when needed.
    const startTok = p.peek();
    const condExpr = this.parseBinaryOps(0);
    const condDiags = this.d;
    let diags = condDiags;
    if (this.recovery && hasErrors(condDiags)) return this.ok(condExpr, diags);

    const questionMark = p.peek();
    if (questionMark.type !== "Question") return this.ok(condExpr, diags);
    p.read();

    const trueExpr = this.parseExpression();
    const trueDiags = this.d;
    diags = cat(diags, trueDiags);
    if (this.recovery && hasErrors(trueDiags)) return this.ok(condExpr, diags);

    const colon = p.peek();
    if (colon.type !== "Colon") {
      diags = cat(
        diags,
        one(
          "Missing false expression in conditional",
          "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
          colon.range,
          rangeFromTo(startTok.range, colon.range),
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
        srcRange: rangeFromTo(startTok.range, falseExpr.srcRange),
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
    if ((OP_LEVEL.get(this.p.peek().type) ?? -1) < level) return first;
    return this.parseBinaryOpsFrom(level, first, this.d);
  }

  /** HCL's recursive operator parsing for `level` and tighter, with its leftmost operand already parsed. */
  private parseBinaryOpsFrom(level: number, first: Expression, firstDiags: Diags): Expression {
    if (level >= BINARY_OPS.length) return this.ok(first, firstDiags);
    const p = this.p;
    const thisLevel = BINARY_OPS[level] as ReadonlyMap<TokenType, BinaryOp>;

    let lhs = this.parseBinaryOpsFrom(level + 1, first, firstDiags);
    let diags = this.d;
    if (this.recovery && hasErrors(diags)) return this.ok(lhs, diags);

    let operation: BinaryOp | undefined;
    let rhs: Expression | undefined;
    for (;;) {
      const next = p.peek();
      const newOp = thisLevel.get(next.type);
      if (newOp === undefined) break;
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
    const ret = this.parseExpressionTraversals(term);
    const moreDiags = this.d;
    return this.ok(ret, cat(diags, moreDiags));
  }

  private parseExpressionTraversals(from: Expression): Expression {
    const p = this.p;
    let diags: Diags = NO_DIAGS;
    let ret = from;

    traversal: for (;;) {
      const next = p.peek();
      if (next.type === "Dot") {
        const dot = p.read();
        const attrTok = p.peek();
        if (attrTok.type === "Ident") {
          p.read();
          const r = rangeFromTo(dot.range, attrTok.range);
          ret = makeRelativeTraversal(ret, { type: "attr", name: attrTok.bytes, srcRange: r }, r);
        } else if (attrTok.type === "NumberLit") {
          // Legacy HIL-style index: foo.0 means foo[0].
          const numTok = p.read();
          const dotIdx = numTok.bytes.indexOf(".");
          const r = rangeFromTo(dot.range, numTok.range);
          if (dotIdx >= 0) {
            const first = numTok.bytes.slice(0, dotIdx);
            const second = numTok.bytes.slice(dotIdx + 1);
            diags = cat(
              diags,
              one(
                "Invalid legacy index syntax",
                `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [${first}][${second}].`,
                numTok.range,
              ),
            );
            ret = makeRelativeTraversal(ret, { type: "index", key: DYNAMIC, srcRange: r }, r);
          } else {
            const numVal = this.numberLitValue(numTok);
            const numDiags = this.d;
            diags = cat(diags, numDiags);
            ret = makeRelativeTraversal(ret, { type: "index", key: numVal, srcRange: r }, r);
          }
        } else if (attrTok.type === "Star") {
          // Attribute-only splat: foo.*.bar
          const marker = p.read();
          const trav: Traversal = [];
          const firstRange = p.nextRange();
          let lastRange = marker.range;
          while (p.peek().type === "Dot") {
            const dot2 = p.read();
            if (p.peek().type === "NumberLit") {
              const numTok = p.read();
              const dotIdx = numTok.bytes.indexOf(".");
              if (dotIdx >= 0) {
                const first = numTok.bytes.slice(0, dotIdx);
                const second = numTok.bytes.slice(dotIdx + 1);
                diags = cat(
                  diags,
                  one(
                    "Invalid legacy index syntax",
                    `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax with a full splat expression [*] instead, like [${first}][${second}].`,
                    attrTok.range,
                  ),
                );
                trav.push({ type: "index", key: DYNAMIC, srcRange: rangeFromTo(dot2.range, numTok.range) });
                lastRange = numTok.range;
                continue;
              }
              const numVal = this.numberLitValue(numTok);
              const numDiags = this.d;
              diags = cat(diags, numDiags);
              trav.push({ type: "index", key: numVal, srcRange: rangeFromTo(dot2.range, numTok.range) });
              lastRange = numTok.range;
              continue;
            }
            if (p.peek().type !== "Ident") {
              if (!this.recovery) {
                if (p.peek().type === "Star") {
                  diags = cat(
                    diags,
                    one(
                      "Nested splat expression not allowed",
                      "A splat expression (*) cannot be used inside another attribute-only splat expression.",
                      p.peek().range,
                    ),
                  );
                } else {
                  diags = cat(
                    diags,
                    one(
                      "Invalid attribute name",
                      "An attribute name is required after a dot.",
                      attrTok.range,
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
              name: nameTok.bytes,
              srcRange: rangeFromTo(dot2.range, nameTok.range),
            });
            lastRange = nameTok.range;
          }
          const itemRange = rangeFromTo(dot.range, marker.range);
          const item: AnonSymbolExpr = { kind: "AnonSymbolExpr", srcRange: itemRange, startRange: itemRange };
          let each: Expression = item;
          if (trav.length > 0) {
            const r = rangeFromTo(firstRange, lastRange);
            each = {
              kind: "RelativeTraversalExpr",
              source: item,
              traversal: trav,
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
            attrTok.range,
          );
          diags = cat(diags, d);
          // The peeker is now somewhere unhelpful; the placeholder keeps what was parsed for tooling.
          const r = rangeFromTo(from.srcRange, dot.range);
          ret = { kind: "ExprSyntaxError", parseDiags: [...diags], srcRange: r, startRange: r };
          this.recovery = true;
        }
        continue;
      }

      if (next.type === "OBrack") {
        const open = p.read();
        if (p.peek().type === "Star") {
          // Full splat: foo[*].bar[0] consumes all the following traversal steps.
          p.read();
          let close = p.read();
          if (close.type !== "CBrack" && !this.recovery) {
            // HCL's diagnostic points at the variable that then receives the recovered token, so the
            // subject is where recovery lands.
            close = this.recover("CBrack");
            diags = cat(
              diags,
              one(
                "Missing close bracket on splat index",
                'The star for a full splat operator must be immediately followed by a closing bracket ("]").',
                close.range,
              ),
            );
          }
          const itemRange = rangeFromTo(open.range, close.range);
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

        let close: Token;
        p.pushIncludeNewlines(false);
        const keyExpr = this.parseExpression();
        const keyDiags = this.d;
        diags = cat(diags, keyDiags);
        if (this.recovery && hasErrors(keyDiags)) {
          close = this.recover("CBrack");
        } else {
          close = p.read();
          if (close.type !== "CBrack" && !this.recovery) {
            // As above: the subject is the token recovery lands on.
            close = this.recover("CBrack");
            diags = cat(
              diags,
              one(
                "Missing close bracket on index",
                'The index operator must end with a closing bracket ("]").',
                close.range,
              ),
            );
          }
        }
        p.popIncludeNewlines();

        const r = rangeFromTo(open.range, close.range);
        if (keyExpr.kind === "LiteralValue") {
          ret = makeRelativeTraversal(ret, { type: "index", key: keyExpr.value, srcRange: r }, r);
        } else if (isStringLiteralTemplate(keyExpr)) {
          const part = keyExpr.parts[0] as LiteralValueExpr;
          ret = makeRelativeTraversal(ret, { type: "index", key: part.value, srcRange: r }, r);
        } else {
          ret = {
            kind: "IndexExpr",
            collection: ret,
            key: keyExpr,
            srcRange: rangeFromTo(from.srcRange, r),
            startRange: open.range,
            openRange: open.range,
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
    const start = p.peek();
    switch (start.type) {
      case "OParen": {
        const oParen = p.read();
        p.pushIncludeNewlines(false);
        let expr = this.parseExpression();
        let diags = this.d;
        if (hasErrors(diags)) {
          // Try to land after the closing parenthesis so the next parse has a chance.
          this.recover("CParen");
          p.popIncludeNewlines();
          return this.ok(expr, diags);
        }
        const close = p.peek();
        if (close.type !== "CParen") {
          diags = cat(
            diags,
            one(
              "Unbalanced parentheses",
              "Expected a closing parenthesis to terminate the expression.",
              close.range,
              rangeFromTo(start.range, close.range),
            ),
          );
          this.recovery = true;
        }
        const cParen = p.read();
        p.popIncludeNewlines();
        expr = {
          kind: "ParenthesesExpr",
          expression: expr,
          srcRange: rangeFromTo(oParen.range, cParen.range),
          startRange: expr.startRange,
        };
        return this.ok(expr, diags);
      }
      case "NumberLit": {
        const tok = p.read();
        const value = this.numberLitValue(tok);
        const diags = this.d;
        return this.ok(literal(value, tok.range), diags);
      }
      case "Ident": {
        const tok = p.read();
        const after = p.peek().type;
        if (after === "OParen" || after === "DoubleColon") return this.finishParsingFunctionCall(tok);
        switch (tok.bytes) {
          case "true":
            return this.ok(literal(TRUE, tok.range), NO_DIAGS);
          case "false":
            return this.ok(literal(FALSE, tok.range), NO_DIAGS);
          case "null":
            return this.ok(literal(NULL, tok.range), NO_DIAGS);
          default:
            return this.ok(
              {
                kind: "ScopeTraversalExpr",
                traversal: [{ type: "root", name: tok.bytes, srcRange: tok.range }],
                srcRange: tok.range,
                startRange: tok.range,
              },
              NO_DIAGS,
            );
        }
      }
      case "OQuote":
      case "OHeredoc": {
        if (start.type === "OQuote") {
          const simple = this.parseSimpleQuotedTemplate();
          if (simple !== undefined) return simple;
        }
        const open = p.read();
        const closer = oppositeBracket(open.type) as TokenType;
        const [exprs, passthru, , diags] = this.parseTemplateInner(closer, tokenOpensFlushHeredoc(open));
        const closeRange = p.prevRange();
        const r = rangeFromTo(open.range, closeRange);
        if (passthru) {
          return this.ok(
            { kind: "TemplateWrapExpr", wrapped: exprs[0] as Expression, srcRange: r, startRange: r },
            diags,
          );
        }
        return this.ok(templateExpr(exprs, r), diags);
      }
      case "Minus":
      case "Bang": {
        const tok = p.read();
        // Only the term and its traversals: -46+5 is (-46)+5.
        const operand = this.parseExpressionWithTraversals();
        const diags = this.d;
        return this.ok(
          {
            kind: "UnaryOpExpr",
            op: start.type === "Minus" ? "negate" : "logicalNot",
            val: operand,
            srcRange: rangeFromTo(tok.range, operand.srcRange),
            startRange: tok.range,
            symbolRange: tok.range,
          },
          diags,
        );
      }
      case "OBrack":
        return this.parseTupleCons();
      case "OBrace":
        return this.parseObjectCons();
      default: {
        let diags: Diags = NO_DIAGS;
        if (!this.recovery) {
          diags =
            start.type === "EOF"
              ? one(
                  "Missing expression",
                  "Expected the start of an expression, but found the end of the file.",
                  start.range,
                )
              : one(
                  "Invalid expression",
                  "Expected the start of an expression, but found an invalid expression token.",
                  start.range,
                );
        }
        this.recovery = true;
        // A placeholder keeps the AST structurally sound.
        return this.ok(literal(DYNAMIC, start.range), diags);
      }
    }
  }

  /**
   * A quoted template made only of literal text (the common case), built directly; the result is the
   * same as the general template path gives. Returns undefined, consuming nothing, for anything else.
   */
  private parseSimpleQuotedTemplate(): Expression | undefined {
    const p = this.p;
    let i = p.peekIndex() + 1;
    while (p.rawTypeAt(i) === "QuotedLit") i++;
    if (p.rawTypeAt(i) !== "CQuote") return undefined;
    const open = p.read();
    let diags: Diags = NO_DIAGS;
    let val = "";
    let first: Range | undefined;
    let last: Range | undefined;
    for (;;) {
      const tok = p.read();
      if (tok.type === "CQuote") {
        let part: LiteralValueExpr;
        if (first === undefined || last === undefined) {
          // An empty template has one empty literal, placed (as HCL places it) at the end of the token after
          // the opening quote.
          const e = tok.range.end;
          part = stringPart("", { filename: tok.range.filename, start: e, end: e });
        } else {
          part = stringPart(val, first === last ? first : rangeFromTo(first, last));
        }
        return this.ok(templateExpr([part], rangeFromTo(open.range, tok.range)), diags);
      }
      const s = decodeStringLiteralToken(tok);
      if (s.diagnostics.length > 0) diags = cat(diags, s.diagnostics);
      val += s.value;
      if (first === undefined) first = tok.range;
      last = tok.range;
    }
  }

  private numberLitValue(tok: Token): StaticValue {
    if (NUMBER_RE.test(tok.bytes)) return this.ok({ type: "number", text: tok.bytes }, NO_DIAGS);
    return this.ok(
      UNKNOWN_NUMBER,
      one("Invalid number literal", "Failed to recognize the value of this number literal.", tok.range),
    );
  }

  private finishParsingFunctionCall(name: Token): Expression {
    const p = this.p;
    let diags: Diags = NO_DIAGS;
    let openTok = p.read();
    let nameStr = name.bytes;
    let nameEnd = name.range.end;
    while (openTok.type === "DoubleColon") {
      const nextName = p.read();
      if (nextName.type !== "Ident") {
        const d = one(
          "Missing function name",
          "Function scope resolution symbol :: must be followed by a function name in this scope.",
          nextName.range,
          rangeFromTo(name.range, nextName.range),
        );
        diags = cat(diags, d);
        this.recoverOver("OParen");
        const r = rangeFromTo(name.range, nextName.range);
        return this.ok({ kind: "ExprSyntaxError", parseDiags: [...d], srcRange: r, startRange: r }, diags);
      }
      // Namespaced functions are names with "::" separators, as in HCL.
      nameStr = `${nameStr}::${nextName.bytes}`;
      nameEnd = nextName.range.end;
      openTok = p.read();
    }
    const nameRange: Range = { filename: name.range.filename, start: name.range.start, end: nameEnd };

    if (openTok.type !== "OParen") {
      const d = one(
        "Missing open parenthesis",
        "Function selector must be followed by an open parenthesis to begin the function call.",
        openTok.range,
        rangeFromTo(name.range, openTok.range),
      );
      diags = cat(diags, d);
      this.recoverOver("OParen");
      const r = rangeFromTo(name.range, openTok.range);
      return this.ok({ kind: "ExprSyntaxError", parseDiags: [...d], srcRange: r, startRange: r }, diags);
    }

    const args: Expression[] = [];
    let expandFinal = false;
    let closeRange = ZERO_RANGE;

    p.pushIncludeNewlines(false);
    for (;;) {
      const tok = p.peek();
      if (tok.type === "CParen") {
        closeRange = p.read().range;
        break;
      }
      const arg = this.parseExpression();
      const argDiags = this.d;
      args.push(arg);
      diags = cat(diags, argDiags);
      if (this.recovery && hasErrors(argDiags)) {
        // Probably lost somewhere in the token stream: bail out with a partial argument list.
        const recovered = this.recover("CParen");
        if (recovered.type === "CParen") closeRange = recovered.range;
        break;
      }
      const sep = p.read();
      if (sep.type === "CParen") {
        closeRange = sep.range;
        break;
      }
      if (sep.type === "Ellipsis") {
        expandFinal = true;
        if (p.peek().type !== "CParen") {
          if (!this.recovery) {
            diags = cat(
              diags,
              one(
                "Missing closing parenthesis",
                "An expanded function argument (with ...) must be immediately followed by closing parentheses.",
                sep.range,
                rangeFromTo(name.range, sep.range),
              ),
            );
          }
          closeRange = this.recover("CParen").range;
        } else {
          closeRange = p.read().range;
        }
        break;
      }
      if (sep.type !== "Comma") {
        if (sep.type === "EOF") {
          diags = cat(
            diags,
            one(
              "Unterminated function call",
              "There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file.",
              rangeFromTo(name.range, openTok.range),
            ),
          );
        } else {
          diags = cat(
            diags,
            one(
              "Missing argument separator",
              "A comma is required to separate each function argument from the next.",
              sep.range,
              rangeFromTo(name.range, sep.range),
            ),
          );
        }
        closeRange = this.recover("CParen").range;
        break;
      }
      if (p.peek().type === "CParen") {
        // A trailing comma after the last argument.
        closeRange = p.read().range;
        break;
      }
    }
    p.popIncludeNewlines();

    return this.ok(
      {
        kind: "FunctionCallExpr",
        name: nameStr,
        args,
        expandFinal,
        nameRange,
        openParenRange: openTok.range,
        closeParenRange: closeRange,
        srcRange: rangeFromTo(nameRange, closeRange),
        startRange: rangeFromTo(nameRange, openTok.range),
      },
      diags,
    );
  }

  private parseTupleCons(): Expression {
    const p = this.p;
    const open = p.read();
    p.pushIncludeNewlines(false);
    try {
      if (isKeyword(p.peek(), "for")) return this.finishParsingForExpr(open);

      let close: Token;
      let diags: Diags = NO_DIAGS;
      const exprs: Expression[] = [];
      for (;;) {
        let next = p.peek();
        if (next.type === "CBrack") {
          close = p.read();
          break;
        }
        const expr = this.parseExpression();
        const exprDiags = this.d;
        exprs.push(expr);
        diags = cat(diags, exprDiags);
        if (this.recovery && hasErrors(exprDiags)) {
          close = this.recover("CBrack");
          break;
        }
        next = p.peek();
        if (next.type === "CBrack") {
          close = p.read();
          break;
        }
        if (next.type !== "Comma") {
          if (!this.recovery) {
            if (next.type === "EOF") {
              diags = cat(
                diags,
                one(
                  "Unterminated tuple constructor expression",
                  "There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.",
                  open.range,
                ),
              );
            } else {
              diags = cat(
                diags,
                one(
                  "Missing item separator",
                  "Expected a comma to mark the beginning of the next item.",
                  next.range,
                  rangeFromTo(open.range, next.range),
                ),
              );
            }
          }
          close = this.recover("CBrack");
          break;
        }
        p.read();
      }
      return this.ok(
        {
          kind: "TupleConsExpr",
          exprs,
          srcRange: rangeFromTo(open.range, close.range),
          startRange: open.range,
          openRange: open.range,
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
    const isFor = isKeyword(p.peek(), "for");
    p.popIncludeNewlines();
    if (isFor) return this.finishParsingForExpr(open);

    p.pushIncludeNewlines(true);
    try {
      let close: Token;
      let diags: Diags = NO_DIAGS;
      const items: ObjectConsItem[] = [];
      for (;;) {
        let next = p.peek();
        if (next.type === "Newline") {
          p.read();
          continue;
        }
        if (next.type === "CBrace") {
          close = p.read();
          break;
        }
        // Parentheses around a key force it to be an expression rather than a literal name.
        const forceNonLiteral = p.peek().type === "OParen";
        const keyInner = this.parseExpression();
        const keyDiags = this.d;
        diags = cat(diags, keyDiags);
        if (this.recovery && hasErrors(keyDiags)) {
          close = this.recover("CBrace");
          break;
        }
        const key: ObjectConsKeyExpr = {
          kind: "ObjectConsKeyExpr",
          wrapped: keyInner,
          forceNonLiteral,
          srcRange: keyInner.srcRange,
          startRange: keyInner.startRange,
        };

        next = p.peek();
        if (next.type !== "Equal" && next.type !== "Colon") {
          if (!this.recovery) {
            switch (next.type) {
              case "Newline":
              case "Comma":
                diags = cat(
                  diags,
                  one(
                    "Missing attribute value",
                    'Expected an attribute value, introduced by an equals sign ("=").',
                    next.range,
                    rangeFromTo(open.range, next.range),
                  ),
                );
                break;
              case "Ident":
                diags = cat(
                  diags,
                  one(
                    "Missing key/value separator",
                    'Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended to given an attribute name containing periods or spaces, write the name in quotes to create a string literal.',
                    next.range,
                    rangeFromTo(open.range, next.range),
                  ),
                );
                break;
              case "EOF":
                diags = cat(
                  diags,
                  one(
                    "Unterminated object constructor expression",
                    "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                    open.range,
                  ),
                );
                break;
              default:
                diags = cat(
                  diags,
                  one(
                    "Missing key/value separator",
                    'Expected an equals sign ("=") to mark the beginning of the attribute value.',
                    next.range,
                    rangeFromTo(open.range, next.range),
                  ),
                );
            }
          }
          close = this.recover("CBrace");
          break;
        }
        p.read();

        const value = this.parseExpression();
        const valueDiags = this.d;
        diags = cat(diags, valueDiags);
        if (this.recovery && hasErrors(valueDiags)) {
          // Keep a broken first item for tooling, as HCL does.
          if (value.kind === "ExprSyntaxError") items.push({ keyExpr: key, valueExpr: value });
          close = this.recover("CBrace");
          break;
        }
        items.push({ keyExpr: key, valueExpr: value });

        next = p.peek();
        if (next.type === "CBrace") {
          close = p.read();
          break;
        }
        if (next.type !== "Comma" && next.type !== "Newline") {
          if (!this.recovery) {
            if (next.type === "EOF") {
              diags = cat(
                diags,
                one(
                  "Unterminated object constructor expression",
                  "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                  open.range,
                ),
              );
            } else {
              diags = cat(
                diags,
                one(
                  "Missing attribute separator",
                  "Expected a newline or comma to mark the beginning of the next attribute.",
                  next.range,
                  rangeFromTo(open.range, next.range),
                ),
              );
            }
          }
          close = this.recover("CBrace");
          break;
        }
        p.read();
      }
      return this.ok(
        {
          kind: "ObjectConsExpr",
          items,
          srcRange: rangeFromTo(open.range, close.range),
          startRange: open.range,
          openRange: open.range,
        },
        diags,
      );
    } finally {
      p.popIncludeNewlines();
    }
  }

  private finishParsingForExpr(open: Token): Expression {
    const p = this.p;
    p.pushIncludeNewlines(false);
    try {
      p.read(); // "for"
      const makeObj = open.type === "OBrace";
      const closeType: TokenType = makeObj ? "CBrace" : "CBrack";
      let diags: Diags = NO_DIAGS;
      let keyName = "";
      let valName: string;

      const bail = (detail: string): Expression => {
        if (!this.recovery) {
          const next = p.peek();
          diags = cat(
            diags,
            one("Invalid 'for' expression", detail, next.range, rangeFromTo(open.range, next.range)),
          );
        }
        const close = this.recover(closeType);
        return this.ok(literal(DYNAMIC, rangeFromTo(open.range, close.range)), diags);
      };

      if (p.peek().type !== "Ident") return bail("For expression requires variable name after 'for'.");
      valName = p.read().bytes;
      if (p.peek().type === "Comma") {
        keyName = valName;
        p.read();
        if (p.peek().type !== "Ident")
          return bail("For expression requires value variable name after comma.");
        valName = p.read().bytes;
      }
      if (!isKeyword(p.peek(), "in"))
        return bail("For expression requires the 'in' keyword after its name declarations.");
      p.read();

      const collExpr = this.parseExpression();
      const collDiags = this.d;
      diags = cat(diags, collDiags);
      if (this.recovery && hasErrors(collDiags)) {
        const close = this.recover(closeType);
        return this.ok(literal(DYNAMIC, rangeFromTo(open.range, close.range)), diags);
      }
      if (p.peek().type !== "Colon")
        return bail("For expression requires a colon after the collection expression.");
      p.read();

      let keyExpr: Expression | undefined;
      let keyDiags: Diags = NO_DIAGS;
      let valExpr = this.parseExpression();
      let valDiags = this.d;
      if (p.peek().type === "FatArrow") {
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
        return this.ok(literal(DYNAMIC, rangeFromTo(open.range, close.range)), diags);
      }

      let group = false;
      let ellipsis: Token | undefined;
      if (p.peek().type === "Ellipsis") {
        ellipsis = p.read();
        group = true;
      }

      let condExpr: Expression | undefined;
      if (isKeyword(p.peek(), "if")) {
        p.read();
        condExpr = this.parseExpression();
        const condDiags = this.d;
        diags = cat(diags, condDiags);
        if (this.recovery && hasErrors(condDiags)) {
          const close = this.recover(closeType);
          return this.ok(literal(DYNAMIC, rangeFromTo(open.range, close.range)), diags);
        }
      }

      let close: Token;
      if (p.peek().type === closeType) {
        close = p.read();
      } else {
        if (!this.recovery) {
          const next = p.peek();
          diags = cat(
            diags,
            one(
              "Invalid 'for' expression",
              "Extra characters after the end of the 'for' expression.",
              next.range,
              rangeFromTo(open.range, next.range),
            ),
          );
        }
        close = this.recover(closeType);
      }

      const whole = rangeFromTo(open.range, close.range);
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
        if (group && ellipsis !== undefined) {
          diags = cat(
            diags,
            one(
              "Invalid 'for' expression",
              "Grouping ellipsis (...) cannot be used when building a tuple.",
              ellipsis.range,
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
        startRange: open.range,
        openRange: open.range,
        closeRange: close.range,
      };
      return this.ok(forExpr, diags);
    } finally {
      p.popIncludeNewlines();
    }
  }

  /** A quoted string that may not contain template sequences, such as a block label. */
  private parseQuotedStringLiteral(): [string, Range, Diags] {
    const p = this.p;
    const oQuote = p.read();
    if (oQuote.type !== "OQuote") {
      return [
        "",
        oQuote.range,
        one("Invalid string literal", "A quoted string is required here.", oQuote.range),
      ];
    }
    let diags: Diags = NO_DIAGS;
    let ret = "";
    let endRange: Range;
    for (;;) {
      const tok = p.read();
      if (tok.type === "CQuote") {
        endRange = tok.range;
        break;
      }
      if (tok.type === "QuotedLit") {
        const s = decodeStringLiteralToken(tok);
        diags = cat(diags, s.diagnostics);
        ret += s.value;
        continue;
      }
      if (tok.type === "TemplateControl" || tok.type === "TemplateInterp") {
        const which = tok.type === "TemplateControl" ? "%" : "$";
        diags = cat(
          diags,
          one(
            "Invalid string literal",
            `Template sequences are not allowed in this string. To include a literal ${goQuote(which)}, double it (as "${which}${which}") to escape it.`,
            tok.range,
            rangeFromTo(oQuote.range, tok.range),
          ),
        );
        // Leave a marker so a partial result is not mistaken for the real string.
        ret += `${which}{ ... }`;
        this.recover("TemplateSeqEnd");
        continue;
      }
      if (tok.type === "EOF") {
        diags = cat(
          diags,
          one(
            "Unterminated string literal",
            "Unable to find the closing quote mark before the end of the file.",
            tok.range,
            rangeFromTo(oQuote.range, tok.range),
          ),
        );
        endRange = tok.range;
        break;
      }
      diags = cat(
        diags,
        one(
          "Invalid string literal",
          "This item is not valid in a string literal.",
          tok.range,
          rangeFromTo(oQuote.range, tok.range),
        ),
      );
      this.recover("CQuote");
      endRange = tok.range;
      break;
    }
    return [ret, rangeFromTo(oQuote.range, endRange), diags];
  }

  // --- templates ----------------------------------------------------------------------------------------

  parseTemplate(end: TokenType, flushHeredoc: boolean): [Expression, Diags] {
    const [exprs, passthru, r, diags] = this.parseTemplateInner(end, flushHeredoc);
    if (passthru)
      return [
        { kind: "TemplateWrapExpr", wrapped: exprs[0] as Expression, srcRange: r, startRange: r },
        diags,
      ];
    return [templateExpr(exprs, r), diags];
  }

  private parseTemplateInner(end: TokenType, flushHeredoc: boolean): [Expression[], boolean, Range, Diags] {
    const [parts, srcRange, partsDiags] = this.parseTemplateParts(end);
    if (flushHeredoc) flushHeredocTemplateParts(parts);
    const melded = meldConsecutiveStringLiterals(parts);
    const [exprs, exprsDiags] = parseTemplateRoot(melded);
    // One real part plus the synthetic end part, and that part an interpolation: "${x}" alone.
    const passthru = melded.length === 2 && melded[0]?.t === "interp";
    return [exprs, passthru, srcRange, cat(partsDiags, exprsDiags)];
  }

  private parseTemplateParts(end: TokenType): [TemplatePart[], Range, Diags] {
    const p = this.p;
    const parts: TemplatePart[] = [];
    let diags: Diags = NO_DIAGS;
    const startRange = p.nextRange();
    let ltrimNext = false;
    let nextCanTrimPrev = false;
    let endRange: Range;

    for (;;) {
      const next = p.read();
      if (next.type === end) {
        endRange = next.range;
        break;
      }
      const ltrim = ltrimNext;
      ltrimNext = false;
      const canTrimPrev = nextCanTrimPrev;
      nextCanTrimPrev = false;

      if (next.type === "StringLit" || next.type === "QuotedLit") {
        const s = decodeStringLiteralToken(next);
        diags = cat(diags, s.diagnostics);
        parts.push({ t: "literal", val: ltrim ? trimLeftGoSpace(s.value) : s.value, srcRange: next.range });
        nextCanTrimPrev = true;
        continue;
      }

      if (next.type === "TemplateInterp") {
        trimPrev(parts, canTrimPrev, next);
        p.pushIncludeNewlines(false);
        const expr = this.parseExpression();
        const exprDiags = this.d;
        diags = cat(diags, exprDiags);
        const close = p.peek();
        if (close.type !== "TemplateSeqEnd") {
          if (!this.recovery) {
            if (close.type === "EOF") {
              diags = cat(
                diags,
                one(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.",
                  startRange,
                ),
              );
            } else if (close.type === "Colon") {
              diags = cat(
                diags,
                one(
                  "Extra characters after interpolation expression",
                  'Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".',
                  close.range,
                  rangeFromTo(startRange, close.range),
                ),
              );
            } else if ((close.type === "CQuote" || close.type === "OQuote") && end === "CQuote") {
              diags = cat(
                diags,
                one(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the quoted template. This might be caused by incorrect nesting inside the given expression.",
                  startRange,
                ),
              );
            } else {
              diags = cat(
                diags,
                one(
                  "Extra characters after interpolation expression",
                  'Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${".',
                  close.range,
                  rangeFromTo(startRange, close.range),
                ),
              );
            }
          }
          this.recover("TemplateSeqEnd");
        } else {
          p.read();
          if (close.bytes.length === 2 && close.bytes.charCodeAt(0) === 126) ltrimNext = true;
        }
        p.popIncludeNewlines();
        parts.push({ t: "interp", expr, srcRange: rangeFromTo(next.range, close.range) });
        continue;
      }

      if (next.type === "TemplateControl") {
        trimPrev(parts, canTrimPrev, next);
        p.pushIncludeNewlines(false);
        const kw = p.peek();
        if (kw.type !== "Ident") {
          if (!this.recovery) {
            diags = cat(
              diags,
              one(
                "Invalid template directive",
                'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
                kw.range,
                rangeFromTo(next.range, kw.range),
              ),
            );
          }
          this.recover("TemplateSeqEnd");
          p.popIncludeNewlines();
          continue;
        }
        p.read();

        let skip = false;
        switch (kw.bytes) {
          case "if": {
            const condExpr = this.parseExpression();
            const exprDiags = this.d;
            diags = cat(diags, exprDiags);
            parts.push({ t: "if", condExpr, srcRange: rangeFromTo(next.range, p.nextRange()) });
            break;
          }
          case "else":
            parts.push({ t: "endCtrl", type: "else", srcRange: rangeFromTo(next.range, p.nextRange()) });
            break;
          case "endif":
            parts.push({ t: "endCtrl", type: "endif", srcRange: rangeFromTo(next.range, p.nextRange()) });
            break;
          case "for": {
            const forFail = (detail: string): void => {
              if (!this.recovery) diags = cat(diags, one("Invalid 'for' directive", detail, p.peek().range));
              this.recover("TemplateSeqEnd");
              p.popIncludeNewlines();
              skip = true;
            };
            let keyName = "";
            if (p.peek().type !== "Ident") {
              forFail("For directive requires variable name after 'for'.");
              break;
            }
            let valName = p.read().bytes;
            if (p.peek().type === "Comma") {
              keyName = valName;
              p.read();
              if (p.peek().type !== "Ident") {
                forFail("For directive requires value variable name after comma.");
                break;
              }
              valName = p.read().bytes;
            }
            if (!isKeyword(p.peek(), "in")) {
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
              srcRange: rangeFromTo(next.range, p.nextRange()),
            });
            break;
          }
          case "endfor":
            parts.push({ t: "endCtrl", type: "endfor", srcRange: rangeFromTo(next.range, p.nextRange()) });
            break;
          default: {
            if (!this.recovery) {
              const given = kw.bytes;
              let suggestion = nameSuggestion(given, ["if", "for", "else", "endif", "endfor"]);
              if (suggestion !== "") suggestion = ` Did you mean ${goQuote(suggestion)}?`;
              diags = cat(
                diags,
                one(
                  "Invalid template control keyword",
                  `${goQuote(given)} is not a valid template control keyword.${suggestion}`,
                  kw.range,
                  rangeFromTo(next.range, kw.range),
                ),
              );
            }
            this.recover("TemplateSeqEnd");
            p.popIncludeNewlines();
            skip = true;
          }
        }
        if (skip) continue;

        const close = p.peek();
        if (close.type !== "TemplateSeqEnd") {
          if (!this.recovery) {
            diags = cat(
              diags,
              one(
                `Extra characters in ${kw.bytes} marker`,
                "Expected a closing brace to end the sequence, but found extra characters.",
                close.range,
                rangeFromTo(startRange, close.range),
              ),
            );
          }
          this.recover("TemplateSeqEnd");
        } else {
          p.read();
          if (close.bytes.length === 2 && close.bytes.charCodeAt(0) === 126) ltrimNext = true;
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
            next.range,
            rangeFromTo(startRange, next.range),
          ),
        );
      }
      endRange = this.recover(end).range;
      break;
    }

    if (parts.length === 0) {
      parts.push({
        t: "literal",
        val: "",
        srcRange: { filename: startRange.filename, start: startRange.end, end: startRange.end },
      });
    }
    parts.push({ t: "end", srcRange: endRange });
    return [parts, rangeFromTo(startRange, endRange), diags];
  }

  // --- traversals ---------------------------------------------------------------------------------------

  parseTraversal(allowSplats: boolean): [Traversal, Diags] {
    const p = this.p;
    const ret: Traversal = [];
    let diags: Diags = NO_DIAGS;
    const varTok = p.read();
    if (varTok.type !== "Ident") {
      return [ret, one("Variable name required", "Must begin with a variable name.", varTok.range)];
    }
    ret.push({ type: "root", name: varTok.bytes, srcRange: varTok.range });
    for (;;) {
      const next = p.peek();
      if (next.type === "EOF") return [ret, diags];
      if (next.type === "Dot") {
        const dot = p.read();
        const nameTok = p.read();
        if (nameTok.type !== "Ident") {
          diags = cat(
            diags,
            one(
              "Attribute name required",
              nameTok.type === "Star"
                ? "Splat expressions (.*) may not be used here."
                : "Dot must be followed by attribute name.",
              nameTok.range,
              rangeFromTo(varTok.range, nameTok.range),
            ),
          );
          return [ret, diags];
        }
        ret.push({ type: "attr", name: nameTok.bytes, srcRange: rangeFromTo(dot.range, nameTok.range) });
        continue;
      }
      if (next.type === "OBrack") {
        const open = p.read();
        const keyTok = p.peek();
        const closeCheck = (): Range => {
          const close = p.read();
          if (close.type !== "CBrack") {
            diags = cat(
              diags,
              one(
                "Unclosed index brackets",
                "Index key must be followed by a closing bracket.",
                close.range,
                rangeFromTo(open.range, close.range),
              ),
            );
          }
          return rangeFromTo(open.range, close.range);
        };
        if (keyTok.type === "NumberLit") {
          const tok = p.read();
          const numVal = this.numberLitValue(tok);
          const numDiags = this.d;
          diags = cat(diags, numDiags);
          const r = closeCheck();
          ret.push({ type: "index", key: numVal, srcRange: r });
          if (hasErrors(diags)) return [ret, diags];
          continue;
        }
        if (keyTok.type === "OQuote") {
          const [str, , strDiags] = this.parseQuotedStringLiteral();
          diags = cat(diags, strDiags);
          const r = closeCheck();
          ret.push({ type: "index", key: { type: "string", value: nfc(str) }, srcRange: r });
          if (hasErrors(diags)) return [ret, diags];
          continue;
        }
        if (keyTok.type === "Star" && allowSplats) {
          p.read();
          const r = closeCheck();
          ret.push({ type: "splat", srcRange: r });
          if (hasErrors(diags)) return [ret, diags];
          continue;
        }
        diags = cat(
          diags,
          keyTok.type === "Star"
            ? one(
                "Attribute name required",
                "Splat expressions ([*]) may not be used here.",
                keyTok.range,
                rangeFromTo(varTok.range, keyTok.range),
              )
            : one(
                "Index value required",
                "Index brackets must contain either a literal number or a literal string.",
                keyTok.range,
                rangeFromTo(varTok.range, keyTok.range),
              ),
        );
        return [ret, diags];
      }
      diags = cat(
        diags,
        one(
          "Invalid character",
          "Expected an attribute access or an index operator.",
          next.range,
          rangeFromTo(varTok.range, next.range),
        ),
      );
      return [ret, diags];
    }
  }

  // --- recovery -----------------------------------------------------------------------------------------

  /**
   * Skips to just after the next `end` token, counting nested bracket pairs when `end` is a closing bracket.
   * Returns that token (or EOF).
   */
  recover(end: TokenType): Token {
    const p = this.p;
    const start = oppositeBracket(end);
    this.recovery = true;
    let nest = 0;
    for (;;) {
      const tok = p.read();
      let ty = tok.type;
      // Interp and control sequences both end with TemplateSeqEnd: count both as openers.
      if (end === "TemplateSeqEnd" && ty === "TemplateControl") ty = "TemplateInterp";
      if (ty === start) {
        nest++;
      } else if (ty === end) {
        if (nest < 1) return tok;
        nest--;
      } else if (ty === "EOF") {
        return tok;
      }
    }
  }

  /** Skips past the next bracketed group opened by `start` (or to EOF). */
  private recoverOver(start: TokenType): void {
    const p = this.p;
    for (;;) {
      const tok = p.read();
      if (tok.type === start || tok.type === "EOF") break;
    }
    this.recover(oppositeBracket(start) as TokenType);
  }

  /** Skips to the newline that ends the current body item, respecting brackets. */
  private recoverAfterBodyItem(): void {
    const p = this.p;
    this.recovery = true;
    const open: TokenType[] = [];
    for (;;) {
      const tok = p.read();
      switch (tok.type) {
        case "Newline":
          if (open.length === 0) return;
          break;
        case "EOF":
          return;
        case "OBrace":
        case "OBrack":
        case "OParen":
        case "OQuote":
        case "OHeredoc":
        case "TemplateInterp":
        case "TemplateControl":
          open.push(tok.type);
          break;
        case "CBrace":
        case "CBrack":
        case "CParen":
        case "CQuote":
        case "CHeredoc": {
          const opener = oppositeBracket(tok.type);
          while (open.length > 0 && open[open.length - 1] !== opener) open.pop();
          if (open.length > 0) open.pop();
          break;
        }
        case "TemplateSeqEnd":
          while (
            open.length > 0 &&
            open[open.length - 1] !== "TemplateInterp" &&
            open[open.length - 1] !== "TemplateControl"
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
}

/** A `${~` or `%{~` opener strips trailing whitespace from the literal just before it. */
function trimPrev(parts: TemplatePart[], canTrimPrev: boolean, next: Token): void {
  if (canTrimPrev && next.bytes.length === 3 && next.bytes.charCodeAt(2) === 126 && parts.length > 0) {
    const prev = parts[parts.length - 1];
    if (prev !== undefined && prev.t === "literal") prev.val = trimRightGoSpace(prev.val);
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
  const [body, diags] = parser.parseBody("EOF");
  return { body, diagnostics: [...lexDiags, ...diags] };
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
  const next = parser.peeker.peek();
  if (next.type !== "EOF" && !parser.recovery) {
    diagnostics.push({
      severity: "error",
      summary: "Extra characters after expression",
      detail: "An expression was successfully parsed, but extra characters were found after it.",
      subject: next.range,
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
    const [expression, diags] = parser.parseTemplate("EOF", false);
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
