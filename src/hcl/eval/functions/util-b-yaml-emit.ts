/**
 * yamlencode's YAML writer: the output of go-cty-yaml's Marshal, which drives the libyaml emitter (as ported
 * to Go in go-yaml v2) with block-style collections, double-quoted strings (literal block style for strings
 * holding a line feed), plain numbers, bools and nulls, and implicit document markers.
 *
 * Only the emitter behaviour those events reach is reproduced, but that part is reproduced state for state:
 * column and indentation tracking, the 80-column folding of double-quoted strings, escapes, the analysis that
 * downgrades a literal block to a double-quoted string, explicit "? " keys for long or multi-line keys, empty
 * collections in flow style, and the "..." end marker after a plain scalar at the root.
 */
import type { Value } from "../../value/index.js";

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

type Style = "plain" | "double" | "literal";

interface Analysis {
  readonly multiline: boolean;
  readonly flowPlainAllowed: boolean;
  readonly blockPlainAllowed: boolean;
  readonly blockAllowed: boolean;
}

const isBreak = (c: number | undefined) =>
  c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
const isSpace = (c: number | undefined) => c === 0x20;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;
const isBlankz = (c: number | undefined) => c === undefined || c === 0 || isBlank(c) || isBreak(c);
/** libyaml's printable set (it works on UTF-8 bytes: 4-byte characters count as unprintable). */
const isPrintable = (c: number) =>
  c === 0x0a ||
  (c >= 0x20 && c <= 0x7e) ||
  (c >= 0xa0 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);

function utf8Length(cps: readonly number[]): number {
  let n = 0;
  for (const c of cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  return n;
}

function analyze(cps: readonly number[]): Analysis {
  if (cps.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;

  if (
    cps.length >= 3 &&
    ((cps[0] === 0x2d && cps[1] === 0x2d && cps[2] === 0x2d) ||
      (cps[0] === 0x2e && cps[1] === 0x2e && cps[2] === 0x2e))
  ) {
    blockIndicators = true;
    flowIndicators = true;
  }
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    const followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (ch === "?" || ch === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (",?[]{}".includes(ch)) {
      flowIndicators = true;
    } else if (ch === ":") {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (ch === "#" && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }

    if (!isPrintable(c)) special = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }

  let flowPlainAllowed = true;
  let blockPlainAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
  }
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
  }
  if (spaceBreak || special) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) {
    flowPlainAllowed = false;
    blockPlainAllowed = false;
  }
  if (flowIndicators) flowPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, flowPlainAllowed, blockPlainAllowed, blockAllowed };
}

interface Ctx {
  readonly root: boolean;
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}

class Emitter {
  private out = "";
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;

  render(v: Value): string {
    this.emitNode(v, { root: true, mapping: false, simpleKey: false });
    // Implicit document end, then stream end.
    this.writeIndent();
    if (this.openEnded) {
      this.writeIndicator("...", true, false, false);
      this.writeIndent();
    }
    return this.out;
  }

  // ---- low-level writing ----

  private put(s: string): void {
    this.out += s;
    this.column++;
  }

  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) {
      this.putBreak();
    } else {
      this.out += String.fromCodePoint(c);
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    for (const ch of indicator) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  // ---- nodes ----

  private emitNode(v: Value, ctx: Ctx): void {
    if (v.isNull()) {
      this.emitScalar("null", "plain", ctx);
      return;
    }
    const t = v.type;
    switch (t.kind) {
      case "string": {
        const s = v.asString();
        this.emitScalar(s, s.includes("\n") ? "literal" : "double", ctx);
        return;
      }
      case "number":
        this.emitScalar(v.asBigFloat().text("f", -1), "plain", ctx);
        return;
      case "bool":
        this.emitScalar(v.isTrue() ? "true" : "false", "plain", ctx);
        return;
      case "list":
      case "set":
      case "tuple":
        this.emitSequence(
          v.elements().map(([, e]) => e),
          ctx,
        );
        return;
      case "map":
      case "object":
        this.emitMapping(
          v.elements().map(([k, e]) => [k.asString(), e] as const),
          ctx,
        );
        return;
      default:
        throw new Error(`can't marshal ${t.kind} as YAML`);
    }
  }

  private emitSequence(items: readonly Value[], ctx: Ctx): void {
    if (this.flowLevel > 0 || items.length === 0) {
      this.writeIndicator("[", true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
      // Only empty collections are written in flow style.
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator("]", false, false, false);
      return;
    }
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.emitNode(item, { root: false, mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private emitMapping(entries: readonly (readonly [string, Value])[], _ctx: Ctx): void {
    if (this.flowLevel > 0 || entries.length === 0) {
      this.writeIndicator("{", true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator("}", false, false, false);
      return;
    }
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.writeIndent();
      const keyCps = Array.from(key, (ch) => ch.codePointAt(0)!);
      const a = analyze(keyCps);
      const simple = !a.multiline && utf8Length(keyCps) <= 128;
      if (simple) {
        this.emitScalar(key, "double", { root: false, mapping: true, simpleKey: true });
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.emitScalar(key, key.includes("\n") ? "literal" : "double", {
          root: false,
          mapping: true,
          simpleKey: false,
        });
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.emitNode(value, { root: false, mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private emitScalar(s: string, requested: Style, ctx: Ctx): void {
    const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
    const a = analyze(cps);
    let style = requested;
    if (ctx.simpleKey && a.multiline) style = "double";
    if (style === "plain") {
      // Plain scalars here are numbers, bools and null, which the analysis always allows; a quoted fallback
      // would need a tag-free single-quoted writer that these values never reach.
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed))
        style = "double";
    }
    if (style === "literal" && (!a.blockAllowed || this.flowLevel > 0 || ctx.simpleKey)) style = "double";

    this.increaseIndent(true, false);
    switch (style) {
      case "plain":
        this.writePlain(cps, ctx);
        break;
      case "double":
        this.writeDoubleQuoted(cps, !ctx.simpleKey);
        break;
      case "literal":
        this.writeLiteral(cps);
        break;
    }
    this.popIndent();
  }

  private writePlain(cps: readonly number[], ctx: Ctx): void {
    if (!this.whitespace) this.put(" ");
    for (const c of cps) this.put(String.fromCodePoint(c));
    this.whitespace = false;
    this.indention = false;
    if (ctx.root) this.openEnded = true;
  }

  private writeDoubleQuoted(cps: readonly number[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    // libyaml's BOM test looks at the start of the value, not at the current character.
    const startsWithBOM = cps[0] === 0xfeff;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (!isPrintable(c) || startsWithBOM || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put("\\");
        const simple: Record<number, string> = {
          0: "0",
          7: "a",
          8: "b",
          9: "t",
          10: "n",
          11: "v",
          12: "f",
          13: "r",
          27: "e",
          34: '"',
          92: "\\",
          133: "N",
          160: "_",
          8232: "L",
          8233: "P",
        };
        const esc = simple[c];
        if (esc !== undefined) {
          this.put(esc);
        } else {
          const [letter, width] = c <= 0xff ? ["x", 2] : c <= 0xffff ? ["u", 4] : ["U", 8];
          this.put(letter);
          for (const d of c.toString(16).toUpperCase().padStart(width, "0")) this.put(d);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (isSpace(cps[i + 1])) this.put("\\");
        } else {
          this.put(" ");
        }
        spaces = true;
      } else {
        this.put(String.fromCodePoint(c));
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(cps: readonly number[]): void {
    this.writeIndicator("|", true, false, false);
    // Block scalar hints: an indentation indicator when the text starts with a space or a break, and the
    // chomping indicator from its trailing breaks.
    if (isSpace(cps[0]) || isBreak(cps[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    let chomp = "";
    const last = cps.length - 1;
    if (cps.length === 0 || !isBreak(cps[last])) chomp = "-";
    else if (last === 0 || isBreak(cps[last - 1])) {
      chomp = "+";
      this.openEnded = true;
    }
    if (chomp !== "") this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(String.fromCodePoint(c));
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** go-cty-yaml's Marshal of a wholly known value (nulls allowed anywhere). */
export function yamlEncode(v: Value): string {
  return new Emitter().render(v);
}
