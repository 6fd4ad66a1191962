/**
 * Parser for Go's text/template language (Go 1.19's text/template/parse), producing the trees that
 * exec.ts runs. Parse errors carry Go's exact texts, e.g. `template: root:1: function "foo" not defined`
 * or `template: root:1: unexpected "}" in operand`.
 */

import { goQuote, parseGoInt64, parseGoUint64 } from "../../hcl/index.js";
import { goUnquote, parseGoFloat, unquoteChar } from "./go-strconv.js";
import { type Item, type ItemType, itemString, lex } from "./lexer.js";
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ElseNode,
  EndNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from "./nodes.js";
import { nodeString } from "./nodes.js";

/** A parse failure; `message` is Go's full error text (`template: root:1: ...`). */
export class TemplateParseError extends Error {
  override readonly name = "TemplateParseError";
}

/** The shared item cursor (Go's lexer channel): sub-trees for `define` and `block` read from it too. */
class ItemSource {
  private idx = 0;
  constructor(private readonly items: readonly Item[]) {}
  nextItem(): Item {
    const it = this.items[this.idx];
    if (it === undefined) return { typ: "error", pos: 0, val: "", line: 0 }; // A closed channel's zero item.
    this.idx++;
    return it;
  }
}

/** Text made only of what Go's unicode.IsSpace accepts (bytes.TrimSpace leaves nothing). */
const GO_SPACE_ONLY = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case "comment":
      return true;
    case "list":
      return n.nodes.every(isEmptyTree);
    case "text":
      return GO_SPACE_ONLY.test(n.text);
    default:
      return false;
  }
}

interface Shared {
  readonly text: string;
  readonly parseName: string;
  readonly funcs: ReadonlySet<string>;
  readonly source: ItemSource;
  readonly treeSet: Map<string, Tree>;
}

class TreeParser {
  name: string;
  root: ListNode | null = null;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ["$"];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(
    name: string,
    private readonly shared: Shared,
  ) {
    this.name = name;
  }

  // --- token buffer (three-token lookahead, exactly as Go's parser) ---

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.shared.source.nextItem();
    return this.tok(this.peekCount);
  }

  private tok(i: number): Item {
    const t = this.token[i];
    if (t === undefined) throw new Error("internal error: empty token buffer");
    return t;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.tok(this.peekCount - 1);
    this.peekCount = 1;
    this.token[0] = this.shared.source.nextItem();
    return this.tok(0);
  }

  private nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.typ !== "space") return t;
    }
  }

  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors ---

  errorf(msg: string): never {
    const line = this.token[0]?.line ?? 0;
    throw new TemplateParseError(`template: ${this.shared.parseName}:${line}: ${msg}`);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== e1 && token.typ !== e2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.shared.parseName}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  private unquote(quoted: string): string {
    const s = goUnquote(quoted);
    if (s === null) this.errorf("invalid syntax");
    return s;
  }

  // --- top level ---

  parse(): void {
    this.root = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== "eof") {
      if (this.peek().typ === "leftDelim") {
        const delim = this.next();
        if (this.nextNonSpace().typ === "define") {
          const sub = new TreeParser("definition", this.shared);
          sub.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  add(): void {
    const root = this.root ?? { type: "list", pos: 0, nodes: [] };
    const existing = this.shared.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.shared.treeSet.set(this.name, {
        name: this.name,
        parseName: this.shared.parseName,
        root,
        text: this.shared.text,
      });
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private parseDefinition(): void {
    const context = "define clause";
    const name = this.expectOneOf("string", "rawString", context);
    this.name = this.unquote(name.val);
    this.expect("rightDelim", context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "text":
        return { type: "text", pos: token.pos, text: token.val };
      case "leftDelim": {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case "comment":
        return { type: "comment", pos: token.pos, text: token.val };
      default:
        this.unexpected(token, "input");
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "block":
        return this.blockControl();
      case "break":
        return this.breakControl(token.pos, token.line);
      case "continue":
        return this.continueControl(token.pos, token.line);
      case "else":
        return this.elseControl();
      case "end":
        return this.endControl();
      case "if":
        return this.branch("if", true);
      case "range":
        return this.branch("range", false);
      case "template":
        return this.templateControl();
      case "with":
        return this.branch("with", false);
    }
    this.backup();
    const t = this.peek();
    return { type: "action", pos: t.pos, line: t.line, pipe: this.pipeline("command", "rightDelim") };
  }

  private breakControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== "rightDelim") this.unexpected(token, "{{break}}");
    if (this.rangeDepth === 0) this.errorf("{{break}} outside {{range}}");
    return { type: "break", pos, line };
  }

  private continueControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== "rightDelim") this.unexpected(token, "{{continue}}");
    if (this.rangeDepth === 0) this.errorf("{{continue}} outside {{range}}");
    return { type: "continue", pos, line };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = {
      type: "pipe",
      pos: first.pos,
      line: first.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === "variable") {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === "assign" || next.typ === "declare") {
          pipe.isAssign = next.typ === "assign";
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === "char" && next.val === ",") {
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === "range" && pipe.decl.length < 2) {
            const t = this.peekNonSpace().typ;
            if (t === "variable" || t === "rightDelim" || t === "rightParen") continue;
            this.errorf("range can only initialize variables");
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === "space") {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.typ) {
        case "bool":
        case "charConstant":
        case "complex":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private branch(kind: "if" | "range" | "with", allowElseIf: boolean): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, "rightDelim");
      if (kind === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (kind === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === "else") {
        if (allowElseIf && this.peek().typ === "if") {
          // "{{else if ...}}" is sugar for "{{else}}{{if ...}}...{{end}}{{end}}".
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.branch("if", true)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private endControl(): EndNode {
    return { type: "end", pos: this.expect("rightDelim", "end").pos };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === "if") return { type: "else", pos: peek.pos, line: peek.line };
    const token = this.expect("rightDelim", "else");
    return { type: "else", pos: token.pos, line: token.line };
  }

  private blockControl(): Node {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, "rightDelim");
    const block = new TreeParser(name, this.shared);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    const node: TemplateNode = { type: "template", pos: token.pos, line: token.line, name, pipe };
    return node;
  }

  private templateControl(): Node {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: token.pos, line: token.line, name, pipe };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === "string" || token.typ === "rawString") return this.unquote(token.val);
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace(); // Skip leading spaces.
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === "space") continue;
      if (token.typ === "rightDelim" || token.typ === "rightParen") this.backup();
      else if (token.typ !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ === "field") {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === "field") fields.push(this.next().val.slice(1));
      switch (node.type) {
        case "field":
          return { type: "field", pos: chainPos, ident: [...node.ident, ...fields] };
        case "variable":
          return { type: "variable", pos: chainPos, ident: [...node.ident, ...fields] };
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          return { type: "chain", pos: chainPos, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "identifier":
        if (!this.shared.funcs.has(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: "identifier", pos: token.pos, ident: token.val };
      case "dot":
        return { type: "dot", pos: token.pos };
      case "nil":
        return { type: "nil", pos: token.pos };
      case "variable":
        return this.useVar(token.pos, token.val);
      case "field":
        return { type: "field", pos: token.pos, ident: token.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return this.newNumber(token.pos, token.val, token.typ);
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return { type: "string", pos: token.pos, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, ident: string): VariableNode {
    return { type: "variable", pos, ident: ident.split(".") };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    const head = v.ident[0] ?? "";
    if (this.vars.includes(head)) return v;
    this.errorf(`undefined variable ${goQuote(head)}`);
  }

  private newNumber(pos: number, text: string, typ: ItemType): NumberNode {
    const base = { type: "number" as const, pos, text };
    if (typ === "charConstant") {
      const q = text[0] ?? "'";
      const body = text.slice(1);
      const r = unquoteChar(body, q);
      if (r === null) this.errorf("invalid syntax");
      if (r.tail !== "'") this.errorf(`malformed character constant: ${text}`);
      const v = BigInt(r.value);
      return {
        ...base,
        isInt: true,
        isUint: true,
        isFloat: true,
        isComplex: false,
        int64: v,
        uint64: v,
        float64: r.value,
      };
    }
    if (typ === "complex") {
      const parts = splitComplex(text);
      const re = parts === null ? null : parseGoFloat(parts[0]);
      const im = parts === null ? null : parseGoFloat(parts[1]);
      if (re === null || im === null) this.errorf(`illegal number syntax: ${goQuote(text)}`);
      return simplifyComplex(base, re, im);
    }
    if (text.endsWith("i")) {
      const f = parseGoFloat(text.slice(0, -1));
      if (f !== null) return simplifyComplex(base, 0, f);
    }
    let isInt = false;
    let isUint = false;
    let isFloat = false;
    let int64 = 0n;
    let uint64 = 0n;
    let float64 = 0;
    const u = parseGoUint64(text);
    if (typeof u === "bigint") {
      isUint = true;
      uint64 = u;
    }
    const i = parseGoInt64(text);
    if (typeof i === "bigint") {
      isInt = true;
      int64 = i;
      if (i === 0n) {
        isUint = true; // In case of -0.
        uint64 = typeof u === "bigint" ? u : 0n;
      }
    }
    if (isInt) {
      isFloat = true;
      float64 = Number(int64);
    } else if (isUint) {
      isFloat = true;
      float64 = Number(uint64);
    } else {
      const f = parseGoFloat(text);
      if (f !== null) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${goQuote(text)}`);
        isFloat = true;
        float64 = f;
        if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
          isInt = true;
          int64 = BigInt(f);
        }
        if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
          isUint = true;
          uint64 = BigInt(f);
        }
      }
    }
    if (!isInt && !isUint && !isFloat) this.errorf(`illegal number syntax: ${goQuote(text)}`);
    return { ...base, isInt, isUint, isFloat, isComplex: false, int64, uint64, float64 };
  }
}

/** Splits a complex literal `re±imi` into its real and imaginary texts. */
function splitComplex(text: string): [string, string] | null {
  if (!text.endsWith("i")) return null;
  for (let i = text.length - 2; i > 0; i--) {
    const c = text[i];
    const prev = text[i - 1] ?? "";
    if ((c === "+" || c === "-") && !/[eEpP]/.test(prev)) return [text.slice(0, i), text.slice(i, -1)];
  }
  return null;
}

function simplifyComplex(
  base: { type: "number"; pos: number; text: string },
  re: number,
  im: number,
): NumberNode {
  const isFloat = im === 0;
  const isInt = isFloat && Number.isInteger(re) && Math.abs(re) < 2 ** 63;
  const isUint = isFloat && Number.isInteger(re) && re >= 0 && re < 2 ** 64;
  return {
    ...base,
    isInt,
    isUint,
    isFloat,
    isComplex: true,
    int64: isInt ? BigInt(re) : 0n,
    uint64: isUint ? BigInt(re) : 0n,
    float64: isFloat ? re : 0,
  };
}

export interface ParseOptions {
  /** Template name; Packer always uses "root". */
  readonly name?: string;
  /** Names of all callable functions (Packer's and Go's built-ins). */
  readonly funcs: ReadonlySet<string>;
}

/**
 * Parses a template. Returns the set of named trees (the root under `name`, plus each `define`/`block`).
 * Throws TemplateParseError with Go's message on a syntax error.
 */
export function parseTemplate(text: string, opts: ParseOptions): Map<string, Tree> {
  const name = opts.name ?? "root";
  const items = lex(text, { breakOK: !opts.funcs.has("break"), continueOK: !opts.funcs.has("continue") });
  const shared: Shared = {
    text,
    parseName: name,
    funcs: opts.funcs,
    source: new ItemSource(items),
    treeSet: new Map(),
  };
  const t = new TreeParser(name, shared);
  t.parse();
  t.add();
  return shared.treeSet;
}
