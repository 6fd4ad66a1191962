/**
 * Executor for parsed Go text/template trees (Go 1.19's text/template exec.go semantics): pipelines,
 * variables, if/with/range (with break/continue), template invocation, Go's argument conversion rules and
 * its error texts, e.g.
 *   template: root:1:2: executing "root" at <split "a" "-" 3>: error calling split: ...
 */

import { goQuote } from "../../hcl/index.js";
import { formatTyped } from "./go-fmt.js";
import { utf8Length } from "./go-strconv.js";
import {
  canBeNil,
  type GoMap,
  type GoSlice,
  type GoStruct,
  type GoValue,
  IFACE,
  indirect,
  indirectInterface,
  isTrue,
  kindOf,
  type RV,
  sortedKeys,
  typeName,
  valOf,
  zeroOf,
} from "./go-value.js";
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from "./nodes.js";
import { nodeString } from "./nodes.js";

/**
 * Parameter and result types understood by the executor: Go's basic types, `interface {}` (any value)
 * and `reflect.Value` (the raw value, possibly invalid, as Go's built-ins such as `index` receive it).
 */
export type GoType = "string" | "int" | "bool" | "float64" | "interface {}" | "reflect.Value";

/** An error returned by a template function (the `error` result of a Go function). */
export class GoFuncError extends Error {
  override readonly name = "GoFuncError";
}

/** A function callable from templates, described by its Go signature. */
export interface GoFunc {
  /** Fixed parameter types. */
  readonly params: readonly GoType[];
  /** Element type of a trailing variadic parameter, if any. */
  readonly variadic?: GoType;
  /** Static result type; `reflect.Value` results are returned as-is (RV). */
  readonly result: GoType;
  /**
   * Calls the function. Arguments arrive converted to the parameter types (RV for `reflect.Value`
   * parameters, Val otherwise; `interface {}` arguments may hold nil). Throw GoFuncError (or any Error)
   * to report a Go error; it surfaces as `error calling NAME: MESSAGE`.
   */
  readonly call: (args: readonly RV[]) => GoValue | RV;
  /** Marks Go's short-circuit `and` / `or`, handled by the executor itself. */
  readonly shortCircuit?: "and" | "or";
}

/** An execution failure; `message` is Go's full error text (`template: root:1:2: executing ...`). */
export class TemplateExecError extends Error {
  override readonly name = "TemplateExecError";
}

/** Go's Option("missingkey=..."): what a missing map key yields. Packer leaves the default. */
export type MissingKey = "default" | "zero" | "error";

export interface ExecOptions {
  readonly funcs: ReadonlyMap<string, GoFunc>;
  readonly missingKey?: MissingKey;
}

const MISSING = Symbol("missingVal");
type Final = RV | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

const MAX_EXEC_DEPTH = 100000;

interface Variable {
  readonly name: string;
  value: RV;
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === "0" && (s[1] === "x" || s[1] === "X") && !/[pP]/.test(s);
}

/** Converts a function result to an RV of its declared type. */
function resultVal(fn: GoFunc, out: GoValue | RV): RV {
  if (fn.result === "reflect.Value") return out as RV;
  const v = out as GoValue;
  if (fn.result === IFACE) return { v, t: IFACE };
  return { v, t: typeName(v) ?? fn.result };
}

class State {
  node: Node | null = null;
  vars: Variable[];
  readonly out: string[];

  constructor(
    readonly trees: ReadonlyMap<string, Tree>,
    readonly tree: Tree,
    readonly opts: ExecOptions,
    dot: RV,
    out: string[],
    readonly depth: number,
  ) {
    this.vars = [{ name: "$", value: dot }];
    this.out = out;
  }

  // --- variables ---

  private push(name: string, value: RV): void {
    this.vars.push({ name, value });
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: RV): void {
    const v = this.vars[this.vars.length - n];
    if (v !== undefined) v.value = value;
  }

  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- errors ---

  private at(node: Node): void {
    this.node = node;
  }

  errorf(msg: string): never {
    const name = this.tree.name;
    if (this.node === null) throw new TemplateExecError(`template: ${name}: ${msg}`);
    const pos = this.node.pos;
    const text = this.tree.text.slice(0, pos);
    const nl = text.lastIndexOf("\n");
    const byteNum = utf8Length(nl === -1 ? text : text.slice(nl + 1));
    let line = 1;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    const location = `${this.tree.parseName}:${line}:${byteNum}`;
    throw new TemplateExecError(
      `template: ${location}: executing ${goQuote(name)} at <${nodeString(this.node)}>: ${msg}`,
    );
  }

  // --- walking ---

  walk(dot: RV, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "break":
        throw BREAK;
      case "comment":
        return;
      case "continue":
        throw CONTINUE;
      case "if":
      case "with":
        this.walkIfOrWith(node, dot);
        return;
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        this.walkRange(dot, node);
        return;
      case "template":
        this.walkTemplate(dot, node);
        return;
      case "text":
        this.out.push(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: RV): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const { truth, ok } = isTrue(indirectInterface(val));
      if (!ok)
        this.errorf(
          `if/with can't use ${val === undefined ? "<invalid reflect.Value>" : formatTyped(val.v, val.t)}`,
        );
      if (truth) this.walk(node.type === "with" ? val : dot, node.list);
      else if (node.elseList !== null) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: RV, r: BranchNode): void {
    this.at(r);
    const outerMark = this.mark();
    try {
      const val = indirect(this.evalPipeline(dot, r.pipe)).rv;
      const mark = this.mark();
      const oneIteration = (index: RV, elem: RV): void => {
        if (r.pipe.decl.length > 0) this.setTopVar(1, elem);
        if (r.pipe.decl.length > 1) this.setTopVar(2, index);
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      const k = kindOf(val);
      if (k === "slice" && val !== undefined) {
        const s = val.v as GoSlice;
        if (s.items.length > 0) {
          s.items.forEach((item, i) => {
            oneIteration({ v: BigInt(i), t: "int" }, { v: item, t: s.elemType });
          });
          return;
        }
      } else if (k === "map" && val !== undefined) {
        const m = val.v as GoMap;
        if (m.entries.size > 0) {
          for (const key of sortedKeys(m)) {
            oneIteration({ v: key, t: "string" }, { v: m.entries.get(key) ?? null, t: m.elemType });
          }
          return;
        }
      } else if (k !== "invalid") {
        this.errorf(`range can't iterate over ${val === undefined ? "<nil>" : formatTyped(val.v, val.t)}`);
      }
      if (r.elseList !== null) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outerMark);
    }
  }

  private walkTemplate(dot0: RV, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.trees.get(t.name);
    if (tmpl === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const dot = this.evalPipeline(dot0, t.pipe);
    const sub = new State(this.trees, tmpl, this.opts, dot, this.out, this.depth + 1);
    try {
      sub.walk(dot, tmpl.root);
    } catch (e) {
      if (e instanceof RangeError) this.depthExceeded(e);
      throw e;
    }
  }

  /**
   * Reports a stack overflow met below this template. Reporting needs stack too: when it fails here (any
   * error but the report itself), the overflow goes on up to an outer template, which reports it.
   */
  private depthExceeded(overflow: RangeError): never {
    try {
      this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    } catch (e) {
      throw e instanceof TemplateExecError ? e : overflow;
    }
  }

  // --- evaluation ---

  private evalPipeline(dot: RV, pipe: PipeNode | null): RV {
    if (pipe === null) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A value of empty-interface type is replaced by its concrete value ("lovely!" in Go's source).
      if (kindOf(value) === "interface") value = value === undefined ? undefined : valOf(value.v);
    }
    const result = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      const name = variable.ident[0] ?? "$";
      if (pipe.isAssign) this.setVar(name, result);
      else this.push(name, result);
    }
    return result;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      const first = args[0];
      this.errorf(`can't give argument to non-function ${first === undefined ? "" : nodeString(first)}`);
    }
  }

  private evalCommand(dot: RV, cmd: CommandNode, final: Final): RV {
    const first = cmd.args[0];
    if (first === undefined) this.errorf("empty command");
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        // Parenthesized pipeline. The arguments are all inside the pipeline; final must be absent.
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return { v: first.value, t: "bool" };
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return { v: first.text, t: "string" };
    }
    return this.errorf(`can't evaluate command ${goQuote(nodeString(first as ArgNode))}`);
  }

  private idealConstant(constant: NumberNode): RV {
    this.at(constant);
    if (constant.isComplex) {
      this.errorf(`complex constant ${constant.text} is not supported`);
    }
    if (
      constant.isFloat &&
      !isHexInt(constant.text) &&
      constant.text[0] !== "'" &&
      /[.eEpP]/.test(constant.text)
    ) {
      return { v: constant.float64, t: "float64" };
    }
    if (constant.isInt) return { v: constant.int64, t: "int" };
    if (constant.isUint) this.errorf(`${constant.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: RV, field: FieldNode, args: readonly ArgNode[] | null, final: Final): RV {
    this.at(field);
    return this.evalFieldChain(dot, field.ident, args, final);
  }

  private evalChainNode(dot: RV, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): RV {
    this.at(chain);
    if (chain.field.length === 0) this.errorf("internal error: no fields in evalChainNode");
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    // (pipe).Field1.Field2 has pipe as .Node, fields as .Field. Eval the pipeline, then the fields.
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(pipe, chain.field, args, final);
  }

  private evalVariableNode(variable: VariableNode, args: readonly ArgNode[] | null, final: Final): RV {
    // $x.Field has $x as the first ident, Field as the second. Eval the var, then the fields.
    this.at(variable);
    const value = this.varValue(variable.ident[0] ?? "$");
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [], final);
      return value;
    }
    return this.evalFieldChain(value, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(
    receiver0: RV,
    ident: readonly string[],
    args: readonly ArgNode[] | null,
    final: Final,
  ): RV {
    let receiver = receiver0;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(ident[i] ?? "", null, MISSING, receiver);
    // Now if it's a method, it gets the arguments.
    return this.evalField(ident[n - 1] ?? "", args, final, receiver);
  }

  private evalFunction(
    dot: RV,
    node: IdentifierNode,
    cmd: Node,
    args: readonly ArgNode[] | null,
    final: Final,
  ): RV {
    this.at(node);
    const name = node.ident;
    const fn = this.opts.funcs.get(name);
    if (fn === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  private evalField(fieldName: string, args: readonly ArgNode[] | null, final: Final, receiver0: RV): RV {
    if (receiver0 === undefined) {
      if (this.opts.missingKey === "error") this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = receiver0.t;
    const { rv: receiver, isNil } = indirect(receiver0);
    if (kindOf(receiver) === "interface" && isNil) {
      // Calling a method on a nil interface can't work. The MissingKey option doesn't apply here.
      this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const k = kindOf(receiver);
    if (k === "struct" && receiver !== undefined) {
      const st = receiver.v as GoStruct;
      if (st.fields.has(fieldName)) {
        const first = fieldName.codePointAt(0) ?? 0;
        const exported = String.fromCodePoint(first) !== String.fromCodePoint(first).toLowerCase();
        if (!exported) this.errorf(`${fieldName} is an unexported field of struct type ${typ}`);
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        const fv = st.fields.get(fieldName) ?? null;
        const ft = st.fieldTypes.get(fieldName) ?? typeName(fv) ?? IFACE;
        return { v: fv, t: ft };
      }
    } else if (k === "map" && receiver !== undefined) {
      const m = receiver.v as GoMap;
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (m.entries.has(fieldName)) return { v: m.entries.get(fieldName) ?? null, t: m.elemType };
      switch (this.opts.missingKey ?? "default") {
        case "zero":
          return zeroOf(m.elemType);
        case "error":
          this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
          break;
        default:
          return undefined;
      }
    } else if (k === "ptr" && isNil) {
      this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(
    dot: RV,
    fn: GoFunc,
    node: Node,
    name: string,
    args0: readonly ArgNode[] | null,
    final: Final,
  ): RV {
    const args = args0 === null ? [] : args0.slice(1); // Zeroth arg is the function name/node.
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    if (fn.variadic !== undefined) {
      numFixed = fn.params.length;
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
      }
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }

    // Special case for the "and" and "or" built-ins, which short-circuit.
    if (fn.shortCircuit !== undefined) {
      let v: RV;
      for (const arg of args) {
        v = this.evalArg(dot, "reflect.Value", arg);
        if (isTrue(indirectInterface(v)).truth === (fn.shortCircuit === "or")) return v;
      }
      if (final !== MISSING) v = this.validateType(final, "reflect.Value");
      return v;
    }

    const argv: RV[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) {
      argv.push(this.evalArg(dot, fn.params[i] ?? IFACE, args[i] as ArgNode));
    }
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i] as ArgNode));
    }
    if (final !== MISSING) {
      let t: GoType = fn.params[fn.params.length - 1] ?? IFACE;
      if (fn.variadic !== undefined) {
        t = numIn - 1 < numFixed ? (fn.params[numIn - 1] ?? IFACE) : fn.variadic;
      }
      argv.push(this.validateType(final, t));
    }
    let out: GoValue | RV;
    try {
      out = fn.call(argv);
    } catch (e) {
      // Non-Error throwables are control signals for the caller (e.g. a pending secret lookup).
      if (e instanceof TemplateExecError || !(e instanceof Error)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e.message}`);
    }
    return resultVal(fn, out);
  }

  /** Go's validateType: checks and converts a value for a parameter of type typ (null: no constraint). */
  private validateType(value: RV, typ: GoType | null): RV {
    if (value === undefined) {
      if (typ === null) return undefined;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === "reflect.Value") return value;
    if (typ !== null && typ !== IFACE && value.t !== typ) {
      let v = value;
      if (kindOf(v) === "interface" && v.v !== null) {
        const inner = valOf(v.v);
        if (inner !== undefined && inner.t === typ) return inner;
        if (inner !== undefined) v = inner;
      }
      if (kindOf(v) === "ptr" && v.t.slice(1) === typ) return { v: v.v, t: typ };
      this.errorf(`wrong type for value; expected ${typ}; got ${v.t}`);
    }
    return value;
  }

  private evalArg(dot: RV, typ: GoType | null, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ !== null && canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ ?? "<nil>"}`);
        break;
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(n, null, MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case "bool":
        this.at(n);
        if (n.type === "bool") return { v: n.value, t: "bool" };
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case "float64":
        this.at(n);
        if (n.type === "number" && n.isFloat) return { v: n.float64, t: "float64" };
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case "int":
        this.at(n);
        if (n.type === "number" && n.isInt) return { v: n.int64, t: "int" };
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case IFACE:
      case "reflect.Value":
        return this.evalEmptyInterface(dot, n);
      case "string":
        this.at(n);
        if (n.type === "string") return { v: n.text, t: "string" };
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ ?? "<nil>"}`);
  }

  private evalEmptyInterface(dot: RV, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case "bool":
        return { v: n.value, t: "bool" };
      case "dot":
        return dot;
      case "field":
        return this.evalFieldNode(dot, n, null, MISSING);
      case "identifier":
        return this.evalFunction(dot, n, n, null, MISSING);
      case "nil":
        // NilNode is handled in evalArg, the only place that calls here.
        this.errorf("evalEmptyInterface: nil (can't happen)");
        break;
      case "number":
        return this.idealConstant(n);
      case "string":
        return { v: n.text, t: "string" };
      case "variable":
        return this.evalVariableNode(n, null, MISSING);
      case "pipe":
        return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v0: RV): void {
    this.at(n);
    let v = v0;
    if (kindOf(v) === "ptr") v = indirect(v).rv;
    if (v === undefined) {
      this.out.push("<no value>");
      return;
    }
    this.out.push(formatTyped(v.v, v.t));
  }
}

/**
 * Executes the template `name` from a parsed tree set with `data` as dot. Returns the output; throws
 * TemplateExecError with Go's message on failure.
 */
export function executeTemplate(
  trees: ReadonlyMap<string, Tree>,
  name: string,
  data: RV,
  opts: ExecOptions,
): string {
  const tree = trees.get(name);
  const out: string[] = [];
  if (tree === undefined) {
    throw new TemplateExecError(`template: ${name}: ${goQuote(name)} is an incomplete or empty template`);
  }
  const state = new State(trees, tree, opts, data, out, 0);
  try {
    state.walk(data, tree.root);
  } catch (e) {
    if (e instanceof RangeError) state.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    if (e === BREAK || e === CONTINUE) return out.join("");
    throw e;
  }
  return out.join("");
}
