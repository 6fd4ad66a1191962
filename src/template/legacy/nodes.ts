/**
 * Parse tree of Go's text/template (package text/template/parse), with the same String() forms, since
 * execution errors quote the failing node: `executing "root" at <split "a" "-" 3>: ...`.
 */

import { goQuote } from "../../hcl/index.js";

interface NodeBase {
  /** UTF-16 offset in the template text. */
  readonly pos: number;
}

export interface TextNode extends NodeBase {
  readonly type: "text";
  readonly text: string;
}

export interface CommentNode extends NodeBase {
  readonly type: "comment";
  readonly text: string;
}

export interface ActionNode extends NodeBase {
  readonly type: "action";
  readonly line: number;
  readonly pipe: PipeNode;
}

export interface PipeNode extends NodeBase {
  readonly type: "pipe";
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}

export interface CommandNode extends NodeBase {
  readonly type: "command";
  readonly args: ArgNode[];
}

export interface IdentifierNode extends NodeBase {
  readonly type: "identifier";
  readonly ident: string;
}

export interface VariableNode extends NodeBase {
  readonly type: "variable";
  /** Variable name (with `$`) followed by field names. */
  readonly ident: string[];
}

export interface DotNode extends NodeBase {
  readonly type: "dot";
}

export interface NilNode extends NodeBase {
  readonly type: "nil";
}

export interface FieldNode extends NodeBase {
  readonly type: "field";
  /** Field names without their leading dots. */
  readonly ident: string[];
}

export interface ChainNode extends NodeBase {
  readonly type: "chain";
  readonly node: ArgNode;
  readonly field: string[];
}

export interface BoolNode extends NodeBase {
  readonly type: "bool";
  readonly value: boolean;
}

export interface NumberNode extends NodeBase {
  readonly type: "number";
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: bigint;
  readonly uint64: bigint;
  readonly float64: number;
  readonly text: string;
}

export interface StringNode extends NodeBase {
  readonly type: "string";
  readonly quoted: string;
  readonly text: string;
}

export interface EndNode extends NodeBase {
  readonly type: "end";
}

export interface ElseNode extends NodeBase {
  readonly type: "else";
  readonly line: number;
}

export interface BranchNode extends NodeBase {
  readonly type: "if" | "range" | "with";
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}

export interface BreakNode extends NodeBase {
  readonly type: "break";
  readonly line: number;
}

export interface ContinueNode extends NodeBase {
  readonly type: "continue";
  readonly line: number;
}

export interface TemplateNode extends NodeBase {
  readonly type: "template";
  readonly line: number;
  readonly name: string;
  readonly pipe: PipeNode | null;
}

export interface ListNode extends NodeBase {
  readonly type: "list";
  readonly nodes: Node[];
}

/** Nodes that can appear as command arguments. */
export type ArgNode =
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node =
  | TextNode
  | CommentNode
  | ActionNode
  | CommandNode
  | ListNode
  | EndNode
  | ElseNode
  | BranchNode
  | BreakNode
  | ContinueNode
  | TemplateNode
  | ArgNode;

/** One named template: the root and each `define` / `block` produce one. */
export interface Tree {
  readonly name: string;
  /** Name of the top-level template being parsed, used as the location prefix in errors. */
  readonly parseName: string;
  readonly root: ListNode;
  /** The full text the tree was parsed from (for line/column computation). */
  readonly text: string;
}

/** Go's Node.String(): the source-like form quoted in execution errors. */
export function nodeString(n: Node): string {
  switch (n.type) {
    case "text":
      return n.text;
    case "comment":
      return `{{${n.text}}}`;
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(", ")} := `;
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "identifier":
      return n.ident;
    case "variable":
      return n.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return n.ident.map((f) => `.${f}`).join("");
    case "chain": {
      const head = n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join("");
    }
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
    case "if":
    case "range":
    case "with": {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList !== null) s += `{{else}}${nodeString(n.elseList)}`;
      return `${s}{{end}}`;
    }
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "template":
      return `{{template ${goQuote(n.name)}${n.pipe !== null ? ` ${nodeString(n.pipe)}` : ""}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
  }
}
