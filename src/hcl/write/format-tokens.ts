/**
 * The token-level formatter behind `packer fmt` (hclwrite.Format): it changes only the spaces before tokens,
 * never the tokens themselves. It works line by line on the whole-file token stream (no syntax tree), so it
 * also copes with fragments.
 *
 * Each line is split into up to three cells: `lead` (everything up to the others), `assign` (from the first
 * `=` of an attribute to the end, when that part is bracket-balanced) and `comment` (a trailing single-line
 * comment). Then three passes run:
 *   1. indentation: two spaces per open bracket level, tracked with a stack of per-line opener counts;
 *   2. spacing: a space or none between each pair of neighbouring tokens within a cell (spaceAfterToken);
 *   3. alignment: the `=` of consecutive attribute lines, and then the trailing comments of consecutive
 *      commented lines, are aligned to one column.
 */
import type { TokenType } from "../syntax/token.js";
import { graphemeColumns } from "./columns.js";

/** A token as the formatter sees it: its kind, its exact text and how many spaces precede it. */
export interface WriterToken {
  readonly type: TokenType | "Nil";
  readonly bytes: string;
  spacesBefore: number;
}

/** Choices where Packer releases differ. */
export interface FormatStyle {
  /**
   * Whether a space follows the logical NOT operator (`! true`). Packer 1.6.6 (HCL before v2.8.0) writes one;
   * newer Packer writes `!true`.
   */
  readonly spaceAfterBang: boolean;
}

/** The style of Packer 1.6.6, the reference the golden files were made with. */
export const PACKER_166_STYLE: FormatStyle = { spaceAfterBang: true };

type Cell = WriterToken[];

interface FormatLine {
  lead: Cell;
  assign: Cell | undefined;
  comment: Cell | undefined;
}

/** Rewrites the spacing of `tokens` in place. `tokens` may end with an EOF token, which belongs to no line. */
export function formatTokens(tokens: WriterToken[], style: FormatStyle = PACKER_166_STYLE): void {
  const lines = linesForFormat(tokens);
  formatIndent(lines);
  formatSpaces(lines, style);
  formatCells(lines);
}

/** Concatenates the tokens with their spaces. */
export function tokensToString(tokens: readonly WriterToken[]): string {
  let out = "";
  for (const t of tokens) {
    if (t.spacesBefore > 0) out += " ".repeat(t.spacesBefore);
    out += t.bytes;
  }
  return out;
}

function isNewline(tok: WriterToken): boolean {
  // Single-line comments (`#`, `//`) include the newline that ends them, so they end a line too.
  return tok.type === "Newline" || (tok.type === "Comment" && tok.bytes.endsWith("\n"));
}

function bracketChange(tok: WriterToken): number {
  switch (tok.type) {
    case "OBrace":
    case "OBrack":
    case "OParen":
    case "TemplateControl":
    case "TemplateInterp":
      return 1;
    case "CBrace":
    case "CBrack":
    case "CParen":
    case "TemplateSeqEnd":
      return -1;
    default:
      return 0;
  }
}

function netBrackets(cell: readonly WriterToken[], from = 0): number {
  let n = 0;
  for (let i = from; i < cell.length; i++) n += bracketChange(cell[i]!);
  return n;
}

function columns(cell: readonly WriterToken[] | undefined): number {
  if (cell === undefined) return 0;
  let n = 0;
  for (const t of cell) n += t.spacesBefore + graphemeColumns(t.bytes);
  return n;
}

function linesForFormat(tokens: readonly WriterToken[]): FormatLine[] {
  const lines: FormatLine[] = [];
  let current: WriterToken[] = [];
  for (const tok of tokens) {
    if (tok.type === "EOF") break; // EOF belongs to no line and ends the sequence
    current.push(tok);
    if (isNewline(tok)) {
      lines.push({ lead: current, assign: undefined, comment: undefined });
      current = [];
    }
  }
  // The last line: whatever follows the final newline (often nothing).
  lines.push({ lead: current, assign: undefined, comment: undefined });

  for (const line of lines) {
    const lead = line.lead;
    if (lead.length === 0) continue;
    if (lead.length > 1 && lead[lead.length - 1]!.type === "Comment") {
      line.comment = lead.slice(lead.length - 1);
      line.lead = lead.slice(0, lead.length - 1);
    }
    // Only the first `=` on the line is considered; it starts the "assign" cell if the rest of the line is
    // bracket-balanced (an unbalanced rest opens a multi-line expression).
    for (let i = 1; i < line.lead.length; i++) {
      if (line.lead[i]!.type !== "Equal") continue;
      if (netBrackets(line.lead, i) === 0) {
        line.assign = line.lead.slice(i);
        line.lead = line.lead.slice(0, i);
      }
      break;
    }
  }
  return lines;
}

function formatIndent(lines: FormatLine[]): void {
  // Each line with a net increase of open brackets pushes its opener count; a line with a net decrease pops
  // as many levels as it closes. Lopsided lines (more closers than the last level opened) thus unwind several
  // levels without pushing the rest too far left or right.
  const indents: number[] = [];
  for (const line of lines) {
    const first = line.lead[0];
    if (first === undefined) continue;
    if (first.type === "Newline") {
      first.spacesBefore = 0; // never spaces before a newline (blank lines lose trailing whitespace)
      continue;
    }
    let net = 0;
    for (const tok of line.lead) {
      net += bracketChange(tok);
      if (tok.type === "OHeredoc") break; // heredoc content is not counted
    }
    if (line.assign !== undefined) net += netBrackets(line.assign);

    if (net > 0) {
      first.spacesBefore = 2 * indents.length;
      indents.push(net);
    } else {
      let closed = -net;
      while (closed > 0 && indents.length > 0) {
        const top = indents[indents.length - 1]!;
        if (closed > top) {
          closed -= top;
          indents.pop();
        } else if (closed < top) {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        } else {
          indents.pop();
          closed = 0;
        }
      }
      first.spacesBefore = 2 * indents.length;
    }
  }
}

const NIL: WriterToken = { type: "Nil", bytes: "", spacesBefore: 0 };

function formatSpaces(lines: readonly FormatLine[], style: FormatStyle): void {
  for (const line of lines) {
    spaceCell(line.lead, style);
    if (line.assign !== undefined) {
      // The first token of "assign" (the `=`) is separated from what it assigns; formatCells may widen it.
      line.assign[0]!.spacesBefore = 1;
      spaceCell(line.assign, style);
    }
  }
}

function spaceCell(cell: readonly WriterToken[], style: FormatStyle): void {
  for (let i = 0; i + 1 < cell.length; i++) {
    const before = i > 0 ? cell[i - 1]! : NIL;
    const after = cell[i + 1]!;
    after.spacesBefore = spaceAfterToken(cell[i]!, before, after, style) ? 1 : 0;
  }
}

function formatCells(lines: readonly FormatLine[]): void {
  // The "assign" cells first, since moving them also moves the comments.
  alignChains(
    lines,
    (l) => l.assign,
    (l) => columns(l.lead),
  );
  alignChains(
    lines,
    (l) => l.comment,
    (l) => columns(l.lead) + columns(l.assign),
  );
}

/** Aligns the first token of `cell` over each run of consecutive lines that have that cell. */
function alignChains(
  lines: readonly FormatLine[],
  cell: (line: FormatLine) => Cell | undefined,
  width: (line: FormatLine) => number,
): void {
  let start = -1;
  let max = 0;
  const close = (end: number): void => {
    for (let j = start; j < end; j++) {
      const line = lines[j]!;
      cell(line)![0]!.spacesBefore = max - width(line) + 1;
    }
    start = -1;
    max = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (cell(line) === undefined) {
      if (start !== -1) close(i);
      continue;
    }
    if (start === -1) start = i;
    max = Math.max(max, width(line));
  }
  if (start !== -1) close(lines.length);
}

function isTemplateLiteralEdge(subject: WriterToken, after: WriterToken): boolean {
  return (
    subject.type === "QuotedLit" ||
    subject.type === "StringLit" ||
    subject.type === "OQuote" ||
    subject.type === "OHeredoc" ||
    after.type === "QuotedLit" ||
    after.type === "StringLit" ||
    after.type === "CQuote" ||
    after.type === "CHeredoc"
  );
}

/** Token kinds after which a `-` must be a negation rather than a subtraction. */
const NEGATION_CONTEXT: ReadonlySet<WriterToken["type"]> = new Set<WriterToken["type"]>([
  "Nil",
  "OParen",
  "OBrace",
  "OBrack",
  "Equal",
  "Colon",
  "Comma",
  "Question",
  "Plus",
  "Star",
  "Slash",
  "Percent",
  "Minus",
  "EqualOp",
  "NotEqual",
  "GreaterThan",
  "GreaterThanEq",
  "LessThan",
  "LessThanEq",
  "And",
  "Or",
  "Bang",
]);

/**
 * Whether `subject` is followed by a space, given its neighbours. `before` is the Nil token at the start of a
 * cell. The order of the cases matters: earlier rules win.
 */
export function spaceAfterToken(
  subject: WriterToken,
  before: WriterToken,
  after: WriterToken,
  style: FormatStyle = PACKER_166_STYLE,
): boolean {
  // Never a space before a newline or at the end of a cell.
  if (after.type === "Newline" || after.type === "Nil") return false;
  // A function name stays attached to its open paren.
  if (subject.type === "Ident" && after.type === "OParen") return false;
  // The `::` between the segments of a namespaced function name (`provider::ns::fn`) is not spaced.
  if (
    (subject.type === "Ident" && after.type === "DoubleColon") ||
    (subject.type === "DoubleColon" && after.type === "Ident")
  ) {
    return false;
  }
  // No spaces around attribute-access dots.
  if (subject.type === "Dot" || after.type === "Dot") return false;
  // No space before a comma or the `...` of an expanded argument; always one after a comma.
  if (after.type === "Comma" || after.type === "Ellipsis") return false;
  if (subject.type === "Comma") return true;
  // Template literals keep their exact text: no spaces added inside them.
  if (isTemplateLiteralEdge(subject, after)) return false;
  // `in` of a for expression (`[for x in [foo]: x]`) is a keyword, not a value being indexed.
  if (subject.type === "Ident" && subject.bytes === "in" && before.type === "Ident") return true;
  // Index brackets stay attached to what they index.
  if (
    after.type === "OBrack" &&
    (subject.type === "Ident" || subject.type === "NumberLit" || bracketChange(subject) < 0)
  ) {
    return false;
  }
  // A minus is a negation (no space after) when what precedes it cannot end an expression.
  if (subject.type === "Minus") return !NEGATION_CONTEXT.has(before.type);
  if (subject.type === "Bang" && !style.spaceAfterBang) return false;
  // Braces are spaced on both sides (`foo { bar = baz }`), except an empty pair `{}`.
  if (subject.type === "OBrace" || after.type === "CBrace") {
    return !(subject.type === "OBrace" && after.type === "CBrace");
  }
  // An interpolation holding just an object constructor: `${ {a = b} }`.
  if ((subject.type === "TemplateInterp" || subject.type === "TemplateControl") && after.type === "OBrace") {
    return true;
  }
  if (subject.type === "CBrace" && after.type === "TemplateSeqEnd") return true;
  // Consecutive interpolations and directives stay attached.
  if (
    subject.type === "TemplateSeqEnd" &&
    (after.type === "TemplateInterp" || after.type === "TemplateControl")
  ) {
    return false;
  }
  // No spaces just inside brackets.
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  // Most tokens are space-separated.
  return true;
}
