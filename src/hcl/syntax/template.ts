/**
 * The second stage of template parsing (hclsyntax's templateParser): the parser first turns a template's
 * tokens into parts (literals, interpolations, directive openers and closers), then this module applies
 * flush-heredoc indentation, joins adjacent literals and nests the directives into expressions.
 */
import type { Diagnostic, Range } from "../diagnostic.js";
import type {
  ConditionalExpr,
  Expression,
  ForExpr,
  LiteralValueExpr,
  TemplateExpr,
  TemplateJoinExpr,
} from "./ast.js";
import { formatRange, isGoSpace, nfc } from "./go-compat.js";

export type TemplatePart =
  | { t: "literal"; val: string; srcRange: Range }
  | { t: "interp"; expr: Expression; srcRange: Range }
  | { t: "if"; condExpr: Expression; srcRange: Range }
  | { t: "for"; keyVar: string; valVar: string; collExpr: Expression; srcRange: Range }
  | { t: "endCtrl"; type: "else" | "endif" | "endfor"; srcRange: Range }
  | { t: "end"; srcRange: Range };

type LiteralPart = Extract<TemplatePart, { t: "literal" }>;

let segmenter: Intl.Segmenter | undefined;

function graphemes(s: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const out: string[] = [];
  for (const seg of segmenter.segment(s)) out.push(seg.segment);
  return out;
}

function leadingSpaceLength(s: string): number {
  let i = 0;
  while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Removes the common leading whitespace (counted in grapheme clusters) from the lines of a `<<-` heredoc.
 * Lines holding only whitespace do not count towards the minimum.
 */
export function flushHeredocTemplateParts(parts: TemplatePart[]): void {
  let minSpaces = Number.MAX_SAFE_INTEGER;
  let newline = true;
  const adjust: LiteralPart[] = [];
  for (const part of parts) {
    if (newline) {
      newline = false;
      let spaces = 0;
      if (part.t === "literal") {
        const orig = part.val;
        const lead = leadingSpaceLength(orig);
        if (lead === orig.length && orig.endsWith("\n")) {
          spaces = Number.MAX_SAFE_INTEGER;
        } else {
          spaces = ascii(orig, lead) ? lead : graphemes(orig.slice(0, lead)).length;
          adjust.push(part);
        }
      } else if (part.t === "end") {
        break;
      }
      if (spaces < minSpaces) minSpaces = spaces;
    }
    if (part.t === "literal" && part.val.endsWith("\n")) newline = true;
  }
  if (minSpaces === 0) return;
  for (const lit of adjust) {
    const val = lit.val;
    let cut: number;
    let bytes: number;
    if (ascii(val, Math.min(val.length, minSpaces + 1))) {
      cut = Math.min(minSpaces, val.length);
      bytes = cut;
    } else {
      const gs = graphemes(val);
      cut = 0;
      bytes = 0;
      for (let k = 0; k < minSpaces && k < gs.length; k++) {
        const g = gs[k] as string;
        cut += g.length;
        bytes += Buffer.byteLength(g, "utf8");
      }
    }
    lit.val = val.slice(cut);
    const s = lit.srcRange.start;
    lit.srcRange = {
      filename: lit.srcRange.filename,
      start: { line: s.line, column: s.column + minSpaces, byte: s.byte + bytes },
      end: lit.srcRange.end,
    };
  }
}

/** Whether s[0, n) is plain ASCII other than "\r" (so each character is one grapheme cluster). */
function ascii(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 13) return false;
  }
  return true;
}

/** Joins runs of adjacent literal parts into one part covering all of them. */
export function meldConsecutiveStringLiterals(parts: TemplatePart[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  for (const part of parts) {
    const prev = out[out.length - 1];
    if (part.t === "literal" && prev !== undefined && prev.t === "literal") {
      prev.val += part.val;
      prev.srcRange = {
        filename: prev.srcRange.filename,
        start: prev.srcRange.start,
        end: part.srcRange.end,
      };
      continue;
    }
    out.push(part.t === "literal" ? { t: "literal", val: part.val, srcRange: part.srcRange } : part);
  }
  return out;
}

type Diags = readonly Diagnostic[];

function err(summary: string, detail: string, subject: Range): Diagnostic {
  return { severity: "error", summary, detail, subject };
}

function placeholder(r: Range): LiteralValueExpr {
  return { kind: "LiteralValue", value: { type: "unknown", of: "dynamic" }, srcRange: r, startRange: r };
}

/** A literal string part; like a cty string, its text is NFC-normalized. */
function stringLiteral(val: string, r: Range): LiteralValueExpr {
  return { kind: "LiteralValue", value: { type: "string", value: nfc(val) }, srcRange: r, startRange: r };
}

function partsTemplate(exprs: Expression[]): TemplateExpr {
  const first = exprs[0] as Expression;
  const last = exprs[exprs.length - 1] as Expression;
  const srcRange: Range = {
    filename: first.srcRange.filename,
    start: first.srcRange.start,
    end: last.srcRange.end,
  };
  return { kind: "TemplateExpr", parts: exprs, srcRange, startRange: first.startRange };
}

class TemplateParser {
  private pos = 0;
  readonly diags: Diagnostic[] = [];

  constructor(private readonly parts: readonly TemplatePart[]) {}

  private peek(): TemplatePart {
    return this.parts[this.pos] as TemplatePart;
  }

  private read(): TemplatePart {
    const ret = this.peek();
    if (ret.t !== "end") this.pos++;
    return ret;
  }

  parseRoot(): Expression[] {
    const exprs: Expression[] = [];
    while (this.peek().t !== "end") exprs.push(this.parseExpr());
    // An exact-size copy: the AST keeps this array, and a pushed-to one has room for 16 more.
    return exprs.slice();
  }

  private parseExpr(): Expression {
    const next = this.peek();
    switch (next.t) {
      case "literal":
        this.read();
        return stringLiteral(next.val, next.srcRange);
      case "interp":
        this.read();
        return next.expr;
      case "if":
        return this.parseIf();
      case "for":
        return this.parseFor();
      case "end":
        this.read();
        this.diags.push(
          err(
            "Unexpected end of template",
            "The control directives within this template are unbalanced.",
            next.srcRange,
          ),
        );
        return placeholder(next.srcRange);
      case "endCtrl":
        this.read();
        this.diags.push(
          err(
            `Unexpected ${next.type} directive`,
            "The control directives within this template are unbalanced.",
            next.srcRange,
          ),
        );
        return placeholder(next.srcRange);
    }
  }

  private parseIf(): Expression {
    const openIf = this.read() as Extract<TemplatePart, { t: "if" }>;
    const ifExprs: Expression[] = [];
    const elseExprs: Expression[] = [];
    let current = ifExprs;
    let endifRange: Range;
    for (;;) {
      const next = this.peek();
      if (next.t === "end") {
        this.diags.push(
          err(
            "Unexpected end of template",
            `The if directive at ${formatRange(openIf.srcRange)} is missing its corresponding endif directive.`,
            next.srcRange,
          ),
        );
        return placeholder(next.srcRange);
      }
      if (next.t === "endCtrl") {
        this.read();
        if (next.type === "else") {
          if (current === ifExprs) {
            current = elseExprs;
            continue;
          }
          this.diags.push(
            err(
              "Unexpected else directive",
              `Already in the else clause for the if started at ${formatRange(openIf.srcRange)}.`,
              next.srcRange,
            ),
          );
        } else if (next.type === "endif") {
          endifRange = next.srcRange;
          break;
        } else {
          this.diags.push(
            err(
              `Unexpected ${next.type} directive`,
              `Expecting an endif directive for the if started at ${formatRange(openIf.srcRange)}.`,
              next.srcRange,
            ),
          );
        }
        return placeholder(next.srcRange);
      }
      current.push(this.parseExpr());
    }
    if (ifExprs.length === 0) {
      const e = openIf.srcRange.end;
      ifExprs.push(stringLiteral("", { filename: openIf.srcRange.filename, start: e, end: e }));
    }
    if (elseExprs.length === 0) {
      const s = endifRange.start;
      elseExprs.push(stringLiteral("", { filename: endifRange.filename, start: s, end: s }));
    }
    const cond: ConditionalExpr = {
      kind: "ConditionalExpr",
      condition: openIf.condExpr,
      trueResult: partsTemplate(ifExprs),
      falseResult: partsTemplate(elseExprs),
      srcRange: { filename: openIf.srcRange.filename, start: openIf.srcRange.start, end: endifRange.end },
      startRange: openIf.condExpr.startRange,
    };
    return cond;
  }

  private parseFor(): Expression {
    const openFor = this.read() as Extract<TemplatePart, { t: "for" }>;
    const contentExprs: Expression[] = [];
    let endforRange: Range;
    for (;;) {
      const next = this.peek();
      if (next.t === "end") {
        this.diags.push(
          err(
            "Unexpected end of template",
            `The for directive at ${formatRange(openFor.srcRange)} is missing its corresponding endfor directive.`,
            next.srcRange,
          ),
        );
        return placeholder(next.srcRange);
      }
      if (next.t === "endCtrl") {
        this.read();
        if (next.type === "else") {
          this.diags.push(
            err(
              "Unexpected else directive",
              "An else clause is not expected for a for directive.",
              next.srcRange,
            ),
          );
        } else if (next.type === "endfor") {
          endforRange = next.srcRange;
          break;
        } else {
          this.diags.push(
            err(
              `Unexpected ${next.type} directive`,
              `Expecting an endfor directive corresponding to the for directive at ${formatRange(openFor.srcRange)}.`,
              next.srcRange,
            ),
          );
        }
        return placeholder(next.srcRange);
      }
      contentExprs.push(this.parseExpr());
    }
    if (contentExprs.length === 0) {
      const e = openFor.srcRange.end;
      contentExprs.push(stringLiteral("", { filename: openFor.srcRange.filename, start: e, end: e }));
    }
    const srcRange: Range = {
      filename: openFor.srcRange.filename,
      start: openFor.srcRange.start,
      end: endforRange.end,
    };
    const forExpr: ForExpr = {
      kind: "ForExpr",
      keyVar: openFor.keyVar,
      valVar: openFor.valVar,
      collExpr: openFor.collExpr,
      keyExpr: undefined,
      valExpr: partsTemplate(contentExprs),
      condExpr: undefined,
      group: false,
      srcRange,
      startRange: openFor.srcRange,
      openRange: openFor.srcRange,
      closeRange: endforRange,
    };
    const join: TemplateJoinExpr = {
      kind: "TemplateJoinExpr",
      tuple: forExpr,
      srcRange,
      startRange: openFor.srcRange,
    };
    return join;
  }
}

/** Nests template parts (ending with the synthetic "end" part) into expressions. */
export function parseTemplateRoot(parts: readonly TemplatePart[]): [Expression[], Diags] {
  const tp = new TemplateParser(parts);
  const exprs = tp.parseRoot();
  return [exprs, tp.diags];
}
