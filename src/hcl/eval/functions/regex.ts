/**
 * Packer's regular-expression functions (RE2 syntax, Go's regexp semantics):
 *
 *   regex(pattern, string)      first match: a string (no groups), a tuple of the unnamed groups, or an
 *                               object of the named groups (groups that did not participate are null)
 *   regexall(pattern, string)   every match, as a list of what regex would return
 *   regex_replace(str, pattern, replace)
 *                               Go's ReplaceAllString: $1 / ${1} / $name / ${name} / $$ in `replace`
 *
 * Mixing named and unnamed groups is an error, as are patterns Go's parser rejects (cty's texts).
 */

import {
  dynamicType,
  dynamicVal,
  listType,
  listValEmpty,
  listValOf,
  nullVal,
  objectType,
  objectVal,
  stringType,
  stringVal,
  type Type,
  tupleType,
  tupleVal,
  type Value,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";
import { compileGoRegexp, type GoRegexp, replaceAllString } from "./util-a-regexp.js";
import { withinStringLimit } from "./util-a-text.js";

/** The result type for a pattern (cty's regexPatternResultType); throws FunctionArgError for bad patterns. */
function patternResultType(pattern: string): Type {
  const c = compileGoRegexp(pattern);
  if (!c.ok) {
    if (c.syntax)
      throw new FunctionArgError(0, `invalid regexp pattern: ${c.syntax.code} in ${c.syntax.expr}`);
    throw new FunctionArgError(0, `error parsing pattern: ${c.message}`);
  }
  const names = c.re.subexpNames.slice(1);
  const named = names.filter((n) => n !== "");
  const unnamed = names.length - named.length;
  if (unnamed === 0 && named.length === 0) return stringType;
  if (unnamed > 0 && named.length > 0) {
    throw new FunctionArgError(0, "invalid regexp pattern: cannot mix both named and unnamed capture groups");
  }
  if (unnamed > 0) return tupleType(names.map(() => stringType));
  return objectType(named.map((n) => [n, stringType] as [string, Type]));
}

function compileOrThrow(pattern: string): GoRegexp {
  const c = compileGoRegexp(pattern);
  if (!c.ok) throw new FunctionArgError(0, `error parsing pattern: ${c.message}`);
  return c.re;
}

/** cty's regexPatternResult: one match as the value of the pattern's result type. */
function matchResult(re: GoRegexp, str: string, idx: readonly number[], retType: Type): Value {
  const group = (i: number): Value => {
    const start = idx[2 * i]!;
    const end = idx[2 * i + 1]!;
    return start < 0 || end < 0 ? nullVal(stringType) : stringVal(str.slice(start, end));
  };
  switch (retType.kind) {
    case "string":
      return stringVal(str.slice(idx[0], idx[1]));
    case "tuple":
      return tupleVal(retType.elementTypes.map((_, i) => group(i + 1)));
    case "object":
      return objectVal(re.subexpNames.slice(1).map((name, i) => [name, group(i + 1)] as [string, Value]));
    default:
      throw new Error(`regex: invalid return type ${retType.kind}`);
  }
}

const regex: FunctionSpec = {
  description:
    "Applies the given regular expression pattern to the given string and returns information about a single match.",
  params: [
    { name: "pattern", type: stringType },
    { name: "string", type: stringType },
  ],
  type: ([pattern]) => (pattern!.isKnown() ? patternResultType(pattern!.asString()) : dynamicType),
  impl: ([pattern, str], retType) => {
    if (retType.kind === "dynamic") return dynamicVal;
    const re = compileOrThrow(pattern!.asString());
    const s = str!.asString();
    const idx = re.findSubmatchIndex(s);
    if (idx === undefined) throw new FunctionError("pattern did not match any part of the given string");
    return matchResult(re, s, idx, retType);
  },
};

const regexall: FunctionSpec = {
  description:
    "Applies the given regular expression pattern to the given string and returns a list of information about all non-overlapping matches.",
  params: [
    { name: "pattern", type: stringType },
    { name: "string", type: stringType },
  ],
  type: ([pattern]) => listType(pattern!.isKnown() ? patternResultType(pattern!.asString()) : dynamicType),
  impl: ([pattern, str], retType) => {
    const ety = (retType as ReturnType<typeof listType>).elementType;
    if (ety.kind === "dynamic") return dynamicVal;
    const re = compileOrThrow(pattern!.asString());
    const s = str!.asString();
    const all = re.findAllSubmatchIndex(s);
    if (all.length === 0) return listValEmpty(ety);
    return listValOf(
      ety,
      all.map((idx) => matchResult(re, s, idx, ety)),
    );
  },
};

const regexReplace: FunctionSpec = {
  description:
    "Applies the given regular expression pattern to the given string and replaces all matches with the given replacement string.",
  params: [
    { name: "str", type: stringType },
    { name: "pattern", type: stringType },
    { name: "replace", type: stringType },
  ],
  type: () => stringType,
  impl: ([str, pattern, replace]) => {
    const c = compileGoRegexp(pattern!.asString());
    if (!c.ok) throw new FunctionError(c.message);
    const [re, src, template] = [c.re, str!.asString(), replace!.asString()];
    return withinStringLimit(() => stringVal(replaceAllString(re, src, template)));
  },
};

export const regexFunctions: Record<string, FunctionSpec> = {
  regex,
  regexall,
  regex_replace: regexReplace,
};
