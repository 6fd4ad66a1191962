/**
 * Helpers for the function families' tests: building values the way HCL literals would produce them and
 * rendering call outcomes the way `packer console` shows them, so expectations read like console sessions.
 */

import {
  boolVal,
  dynamicType,
  formatValueHCL,
  nullVal,
  objectVal,
  parseNumberVal,
  stringVal,
  tupleVal,
  Value,
  valueToJSON,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import type { FunctionSpec } from "../function.js";

/** A number literal (parsed at 512 bits, as HCL parses literals). */
export class NumberLiteral {
  constructor(readonly text: string) {}
}

export type Literal =
  | string
  | number
  | boolean
  | null
  | Value
  | NumberLiteral
  | readonly Literal[]
  | { readonly [k: string]: Literal };

/** The value an HCL literal would evaluate to: arrays are tuples, objects are objects, null is untyped. */
export function hv(x: Literal): Value {
  if (x === null) return nullVal(dynamicType);
  if (typeof x === "string") return stringVal(x);
  if (typeof x === "boolean") return boolVal(x);
  if (typeof x === "number" || x instanceof NumberLiteral) {
    const text = typeof x === "number" ? String(x) : x.text;
    const r = parseNumberVal(text);
    if (!r.ok) throw new Error(`bad number literal ${text}`);
    return r.value;
  }
  if (Array.isArray(x)) return tupleVal(x.map(hv));
  if (x instanceof Value) return x;
  return objectVal(
    Object.entries(x as Record<string, Literal>).map(([k, v]) => [k, hv(v)] as [string, Value]),
  );
}

/** A number literal given as text (for values a JavaScript number can't spell exactly). */
export function N(text: string): NumberLiteral {
  return new NumberLiteral(text);
}

/** Outcome of calling `name` from `table`, as the console shows it (error texts as their detail line). */
export function consoleResult(
  table: Record<string, FunctionSpec>,
  name: string,
  args: readonly Literal[],
): string {
  const r = callFunction(table[name]!, args.map(hv));
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return r.given < r.expected
    ? `Function "${name}" expects${r.variadic ? " at least" : ""} ${r.expected} argument(s). Missing value for "${r.missing}".`
    : `Function "${name}" expects only ${r.expected} argument(s).`;
}

/** The result value of a successful call (throws otherwise). */
export function resultValue(
  table: Record<string, FunctionSpec>,
  name: string,
  args: readonly Literal[],
): Value {
  const r = callFunction(table[name]!, args.map(hv));
  if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r)}`);
  return r.value;
}

/** The result as `jsonencode` would show it. */
export function resultJSON(
  table: Record<string, FunctionSpec>,
  name: string,
  args: readonly Literal[],
): string {
  const j = valueToJSON(resultValue(table, name, args));
  if (!j.ok) throw new Error(j.error.message);
  return j.json;
}
