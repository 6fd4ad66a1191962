/**
 * Packer's string functions: cty's stdlib ones (chomp format formatlist indent join lower replace split
 * strrev substr title trim trimprefix trimspace trimsuffix upper) and Packer's own (startswith endswith
 * strcontains). Character counts are grapheme clusters where cty counts them (strrev, substr, format
 * widths); case mapping and trimming follow Go's per-rune rules. `replace` is a plain substring
 * replacement: Packer uses cty's ReplaceFunc, which gives "/.../" no regular-expression meaning.
 */

import {
  boolType,
  boolVal,
  dynamicType,
  length,
  listType,
  listValEmpty,
  listValOf,
  numberType,
  stringType,
  stringVal,
  unknownVal,
  type Value,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";
import { toGoInt } from "./numeric.js";
import { formatValues } from "./util-a-format.js";
import {
  goTitle,
  goToLower,
  goToUpper,
  goTrim,
  goTrimSpace,
  graphemes,
  withinStringLimit,
} from "./util-a-text.js";

const stringReturn = (): typeof stringType => stringType;

/** A function of one string argument returning a string. */
function stringToString(
  description: string,
  f: (s: string) => string,
  allowDynamicType = false,
): FunctionSpec {
  return {
    description,
    params: [{ name: "str", type: stringType, ...(allowDynamicType ? { allowDynamicType } : {}) }],
    type: stringReturn,
    impl: ([s]) => stringVal(f(s!.asString())),
  };
}

/** A function of two strings (`str` and `second`) returning a string or bool. */
function twoStrings(
  description: string,
  second: string,
  ret: typeof stringType | typeof boolType,
  f: (a: string, b: string) => Value,
): FunctionSpec {
  return {
    description,
    params: [
      { name: "str", type: stringType },
      { name: second, type: stringType },
    ],
    type: () => ret,
    impl: ([a, b]) => f(a!.asString(), b!.asString()),
  };
}

const upper = stringToString(
  "Returns the given string with all Unicode letters translated to their uppercase equivalents.",
  goToUpper,
  true,
);
const lower = stringToString(
  "Returns the given string with all Unicode letters translated to their lowercase equivalents.",
  goToLower,
  true,
);
const strrev = stringToString(
  "Returns the given string with all of its Unicode characters in reverse order.",
  (s) => graphemes(s).reverse().join(""),
  true,
);
const chomp = stringToString(
  "Removes one or more newline characters from the end of the given string.",
  (s) => s.replace(/(?:\r\n?|\n)*$/, ""),
);
const title = stringToString(
  "Replaces one letter after each non-letter and non-digit character with its uppercase equivalent.",
  goTitle,
);
const trimspace = stringToString(
  "Removes any consecutive space characters (as defined by Unicode) from the start and end of the given string.",
  goTrimSpace,
);

const trim = twoStrings(
  'Removes consecutive sequences of characters in "cutset" from the start and end of the given string.',
  "cutset",
  stringType,
  (s, cutset) => stringVal(goTrim(s, cutset)),
);
const trimprefix = twoStrings(
  "Removes the given prefix from the start of the given string, if present.",
  "prefix",
  stringType,
  (s, p) => stringVal(s.startsWith(p) ? s.slice(p.length) : s),
);
const trimsuffix = twoStrings(
  "Removes the given suffix from the start of the given string, if present.",
  "suffix",
  stringType,
  (s, p) => stringVal(p !== "" && s.endsWith(p) ? s.slice(0, s.length - p.length) : s),
);
const startswith = twoStrings(
  "Determines if the input string starts with the prefix.",
  "prefix",
  boolType,
  (s, p) => boolVal(s.startsWith(p)),
);
const endswith = twoStrings(
  "Determines if the input string ends with the suffix.",
  "suffix",
  boolType,
  (s, p) => boolVal(s.endsWith(p)),
);
const strcontains = twoStrings(
  "Determines if the input string contains the substring.",
  "substr",
  boolType,
  (s, p) => boolVal(s.includes(p)),
);

/** strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every character (code point). */
function goReplaceAll(s: string, old: string, repl: string): string {
  if (old === "") {
    const cps = Array.from(s);
    return repl + cps.map((c) => c + repl).join("");
  }
  return s.split(old).join(repl);
}

const replace: FunctionSpec = {
  description:
    "Replaces all instances of the given substring in the given string with the given replacement string.",
  params: [
    { name: "str", type: stringType },
    { name: "substr", type: stringType },
    { name: "replace", type: stringType },
  ],
  type: stringReturn,
  impl: ([s, sub, repl]) =>
    withinStringLimit(() => stringVal(goReplaceAll(s!.asString(), sub!.asString(), repl!.asString()))),
};

const split: FunctionSpec = {
  description:
    "Produces a list of one or more strings by splitting the given string at all instances of a given separator substring.",
  params: [
    { name: "separator", type: stringType },
    { name: "str", type: stringType },
  ],
  type: () => listType(stringType),
  impl: ([sep, str]) => {
    const s = str!.asString();
    const sp = sep!.asString();
    const parts = sp === "" ? Array.from(s) : s.split(sp);
    return listValOf(
      stringType,
      parts.map((p) => stringVal(p)),
    );
  },
};

const join: FunctionSpec = {
  description:
    "Concatenates together the elements of all given lists with a delimiter, producing a single string.",
  params: [{ name: "separator", type: stringType }],
  varParam: { name: "lists", type: listType(stringType) },
  type: stringReturn,
  impl: ([sep, ...lists]) => {
    if (lists.length < 1) throw new FunctionError("at least one list is required");
    if (lists.some((l) => !l.isWhollyKnown())) return unknownVal(stringType);
    const items: string[] = [];
    lists.forEach((list, ai) => {
      list.asValueSlice().forEach((v, ei) => {
        if (v.isNull()) {
          throw new FunctionArgError(
            ai + 1,
            lists.length > 1
              ? `element ${ei} of list ${ai + 1} is null; cannot concatenate null values`
              : `element ${ei} is null; cannot concatenate null values`,
          );
        }
        items.push(v.asString());
      });
    });
    return withinStringLimit(() => stringVal(items.join(sep!.asString())));
  },
};

const indent: FunctionSpec = {
  description: "Adds a given number of spaces after each newline character in the given string.",
  params: [
    { name: "spaces", type: numberType },
    { name: "str", type: stringType },
  ],
  type: stringReturn,
  impl: ([spaces, str]) => {
    const n = toGoInt(spaces!);
    if (n < 0) throw new FunctionError("panic in function implementation: strings: negative Repeat count");
    return withinStringLimit(() => stringVal(str!.asString().replaceAll("\n", `\n${" ".repeat(n)}`)));
  },
};

/** cty's substr, clusters instead of bytes but the same loops (and the same corner cases). */
function substring(s: string, offsetIn: number, lengthIn: number): string {
  const all = graphemes(s);
  let offset = offsetIn;
  if (offset < 0) offset += all.length;
  else if (lengthIn === 0) return "";
  let sub = all;
  if (offset > 0) {
    let i = 0;
    let pos = 0;
    while (i < all.length) {
      i++;
      pos++;
      if (pos === offset) break;
      if (i >= all.length) return "";
    }
    sub = all.slice(i);
  }
  if (lengthIn < 0) return sub.join("");
  let i = 0;
  let pos = 0;
  while (i < sub.length) {
    i++;
    pos++;
    if (pos === lengthIn) break;
  }
  return sub.slice(0, i).join("");
}

const substr: FunctionSpec = {
  description: "Extracts a substring from the given string.",
  params: [
    { name: "str", type: stringType, allowDynamicType: true },
    { name: "offset", type: numberType, allowDynamicType: true },
    { name: "length", type: numberType, allowDynamicType: true },
  ],
  type: stringReturn,
  impl: ([str, offset, len]) => stringVal(substring(str!.asString(), toGoInt(offset!), toGoInt(len!))),
};

const format: FunctionSpec = {
  description:
    'Constructs a string by applying formatting verbs to a series of arguments, using a similar syntax to the C function "printf".',
  params: [{ name: "format", type: stringType }],
  varParam: { name: "args", type: dynamicType, allowNull: true, allowUnknown: true },
  type: stringReturn,
  impl: ([fmt, ...args]) => {
    if (args.some((a) => !a.isWhollyKnown())) return unknownVal(stringType);
    return withinStringLimit(() => stringVal(formatValues(fmt!.asString(), args)));
  },
};

function isSequence(v: Value): boolean {
  const k = v.type.kind;
  return k === "list" || k === "set" || k === "tuple";
}

const formatlist: FunctionSpec = {
  description:
    'Constructs a list of strings by applying formatting verbs to a series of arguments, using a similar syntax to the C function "printf".',
  params: [{ name: "format", type: stringType }],
  varParam: { name: "args", type: dynamicType, allowNull: true, allowUnknown: true },
  type: () => listType(stringType),
  impl: ([fmtVal, ...args], retType) => {
    const fmt = fmtVal!.asString();
    if (args.length === 0) {
      return listValOf(stringType, [withinStringLimit(() => stringVal(formatValues(fmt, [])))]);
    }

    let iterLen = -1;
    let lenChooser = -1;
    const sequences: (Value[] | undefined)[] = [];
    let unknown = false;
    args.forEach((arg, i) => {
      sequences.push(undefined);
      if (isSequence(arg) && !arg.isNull()) {
        if (arg.type.kind !== "tuple" && !(arg.isKnown() && length(arg).isKnown())) {
          unknown = true;
          return;
        }
        const thisLen = arg.lengthInt();
        if (iterLen === -1) {
          iterLen = thisLen;
          lenChooser = i;
        } else if (thisLen !== iterLen) {
          throw new FunctionArgError(
            i + 1,
            `argument ${i + 1} has length ${thisLen}, which is inconsistent with argument ${lenChooser + 1} of length ${iterLen}`,
          );
        }
        if (!arg.isKnown()) {
          unknown = true;
          return;
        }
        sequences[i] = arg.asValueSlice();
      } else if (arg.type.kind === "dynamic" && !arg.isKnown()) {
        unknown = true;
      }
    });
    if (unknown) return unknownVal(retType);
    if (iterLen === 0) return listValEmpty(stringType);
    if (iterLen === -1) iterLen = 1;

    const out: Value[] = [];
    for (let it = 0; it < iterLen; it++) {
      const fmtArgs = args.map((a, i) => sequences[i]?.[it] ?? a);
      if (fmtArgs.some((a) => !a.isWhollyKnown())) {
        out.push(unknownVal(stringType));
        continue;
      }
      try {
        out.push(withinStringLimit(() => stringVal(formatValues(fmt, fmtArgs))));
      } catch (e) {
        if (e instanceof FunctionError || e instanceof FunctionArgError) {
          throw new FunctionError(`error on format iteration ${it}: ${e.message}`);
        }
        throw e;
      }
    }
    return listValOf(stringType, out);
  },
};

export const stringFunctions: Record<string, FunctionSpec> = {
  chomp,
  endswith,
  format,
  formatlist,
  indent,
  join,
  lower,
  replace,
  split,
  startswith,
  strcontains,
  strrev,
  substr,
  title,
  trim,
  trimprefix,
  trimspace,
  trimsuffix,
  upper,
};
