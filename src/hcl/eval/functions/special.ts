/**
 * The functions that need the evaluator itself:
 *
 * - try(expressions...) and can(expression) (HCL's ext/tryfunc): expression functions that evaluate their
 *   arguments themselves and catch the errors;
 * - convert(value, type) (HCL's typeexpr.ConvertFunc): its second argument is a type expression
 *   (`convert(x, list(string))`), decoded statically;
 * - templatefile(path, vars) (Packer's MakeTemplateFileFunc): renders a file as a template with only the given
 *   variables and the other functions in scope.
 *
 * try, can and convert are ExpressionFunctionSpecs (see ../expression-function.ts): the evaluator hands them
 * their argument expressions. templatefile is an ordinary FunctionSpec built by a factory that knows the
 * base directory and the function table.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, normalize, sep } from "node:path";
import type { Diagnostic } from "../../diagnostic.js";
import {
  formatRange,
  goQuote,
  isValidIdentifier,
  parseTemplate,
  traversalRootName,
  variables,
} from "../../syntax/index.js";
import {
  boolType,
  convert,
  dynamicType,
  dynamicVal,
  falseVal,
  stringType,
  type Type,
  trueVal,
  unknownVal,
  type Value,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { evaluate } from "../evaluate.js";
import type { ExpressionFunctionSpec } from "../expression-function.js";
import {
  FunctionArgError,
  FunctionError,
  type FunctionSpec,
  type FunctionTable,
  type Parameter,
} from "../function.js";
import { anyErrors } from "../result.js";
import { parseTypeConstraintWithoutDefaults } from "../type-expr.js";

function onlyInExpressions(name: string): never {
  throw new FunctionError(`the ${name} function can only be called from an HCL expression`);
}

/** How HCL renders diagnostics used as a Go error (hcl.Diagnostics.Error()). */
export function diagnosticsErrorString(diags: readonly Diagnostic[]): string {
  const one = (d: Diagnostic) =>
    `${d.subject !== undefined ? formatRange(d.subject) : "<nil>"}: ${d.summary}; ${d.detail ?? ""}`;
  if (diags.length === 0) return "no diagnostics";
  if (diags.length === 1) return one(diags[0]!);
  return `${one(diags[0]!)}, and ${diags.length - 1} other diagnostic(s)`;
}

// ---------------------------------------------------------------------------------------------------------
// try / can

/**
 * try(expressions...): the value of the first argument that evaluates without errors. A result that is not
 * wholly known gives DynamicVal (a later, known value might fail). When every argument fails, the error
 * lists every diagnostic encountered.
 */
export const tryFunction: ExpressionFunctionSpec = {
  description:
    "Tries to evaluate each of its arguments in turn, and returns the result of the first one that succeeds.",
  params: [],
  varParam: { name: "expressions", type: dynamicType },
  type: () => onlyInExpressions("try"),
  impl: () => onlyInExpressions("try"),
  callExpressions({ args }) {
    if (args.length === 0) throw new FunctionError("at least one argument is required");
    const diags: Diagnostic[] = [];
    for (const arg of args) {
      const r = arg.evaluate();
      diags.push(...r.diagnostics);
      if (anyErrors(r.diagnostics)) continue;
      if (!r.value.isWhollyKnown()) return { value: dynamicVal, diagnostics: [] };
      return { value: r.value, diagnostics: [] };
    }
    let msg = "no expression succeeded:\n";
    for (const d of diags) {
      msg +=
        d.subject !== undefined
          ? `- ${d.summary} (at ${formatRange(d.subject)})\n  ${d.detail ?? ""}\n`
          : `- ${d.summary}\n  ${d.detail ?? ""}\n`;
    }
    msg += "\nAt least one expression must produce a successful result";
    throw new FunctionError(msg);
  },
};

/** can(expression): whether the argument evaluates without errors (unknown if its value isn't wholly known). */
export const canFunction: ExpressionFunctionSpec = {
  description:
    "Tries to evaluate the expression given in its first argument, returning true if it succeeds or false if it fails.",
  params: [{ name: "expression", type: dynamicType }],
  type: () => onlyInExpressions("can"),
  impl: () => onlyInExpressions("can"),
  callExpressions({ args }) {
    const r = args[0]!.evaluate();
    if (anyErrors(r.diagnostics)) return { value: falseVal, diagnostics: [] };
    if (!r.value.isWhollyKnown()) return { value: unknownVal(boolType), diagnostics: [] };
    return { value: trueVal, diagnostics: [] };
  },
};

// ---------------------------------------------------------------------------------------------------------
// convert

const convertValueParam: Parameter = {
  name: "value",
  type: dynamicType,
  allowNull: true,
  allowDynamicType: true,
};

/** The cty part of convert, for a decoded target type. */
function convertTo(want: Type): FunctionSpec {
  return {
    params: [convertValueParam],
    type: ([v]) => {
      const c = convert(v!, want);
      if (!c.ok) throw new FunctionArgError(0, c.error.message);
      return c.value.type;
    },
    impl: ([v], retType) => {
      const c = convert(v!, retType);
      if (!c.ok) throw new FunctionArgError(0, c.error.message);
      return c.value;
    },
  };
}

/** Turns a failed callFunction result back into the exception the evaluator reports. */
function valueOrThrow(r: ReturnType<typeof callFunction>): Value {
  if (r.ok) return r.value;
  if (r.kind === "arg") throw new FunctionArgError(r.argIndex, r.message);
  if (r.kind === "call") throw new FunctionError(r.message);
  throw new FunctionError("wrong number of arguments");
}

/** convert(value, type): converts a value to a type constraint written as a type expression. */
export const convertFunction: ExpressionFunctionSpec = {
  description: "Converts a value to a given type constraint.",
  params: [convertValueParam, { name: "type", type: dynamicType }],
  type: () => onlyInExpressions("convert"),
  impl: () => onlyInExpressions("convert"),
  callExpressions({ args }) {
    const v = args[0]!.evaluate();
    const t = parseTypeConstraintWithoutDefaults(args[1]!.expr);
    const diagnostics = [...v.diagnostics, ...t.diagnostics];
    if (anyErrors(diagnostics)) return { value: dynamicVal, diagnostics };
    return { value: valueOrThrow(callFunction(convertTo(t.type), [v.value])), diagnostics };
  },
};

// ---------------------------------------------------------------------------------------------------------
// templatefile

/** go-homedir's Expand: a leading "~" or "~/" is the home directory; "~user" is not supported. */
function expandHome(path: string): string {
  if (!path.startsWith("~")) return path;
  if (path.length > 1 && path[1] !== "/" && path[1] !== "\\") {
    throw new FunctionError("failed to expand ~: cannot expand user-specific home dir");
  }
  return homedir() + path.slice(1);
}

/** go-cty-funcs' File(baseDir, path): a file's contents as a string, with its error messages. */
export function readFileFunctionStyle(baseDir: string, path: string): string {
  let full = expandHome(path);
  if (!isAbsolute(full)) full = join(baseDir, full);
  // Go's filepath.Clean: no trailing separator.
  full = normalize(full);
  if (full.length > 1 && full.endsWith(sep)) full = full.slice(0, -1);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new FunctionError(`no file exists at ${full}`);
    throw new FunctionError(`failed to read ${full}`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FunctionError(
      `contents of ${path} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`,
    );
  }
}

const templateFileParams: Parameter[] = [
  { name: "path", type: stringType },
  { name: "vars", type: dynamicType },
];

/** Stands in for templatefile inside a template, so a template can't include itself. */
const recursiveTemplateFile: FunctionSpec = {
  params: templateFileParams,
  type: () => {
    throw new FunctionError("cannot recursively call templatefile from inside templatefile call");
  },
  impl: () => {
    throw new FunctionError("cannot recursively call templatefile from inside templatefile call");
  },
};

/**
 * templatefile(path, vars): reads `path` (relative to `baseDir`), parses it as a template and evaluates it
 * with only `vars` (a map or object whose keys are identifiers) as variables and the functions returned by
 * `functions` (called at render time, so the table may include this function) except templatefile itself.
 */
export function makeTemplateFileFunction(baseDir: string, functions: () => FunctionTable): FunctionSpec {
  const load = (path: string) => {
    const src = readFileFunctionStyle(baseDir, path);
    const parsed = parseTemplate(src, path);
    if (anyErrors(parsed.diagnostics)) throw new FunctionError(diagnosticsErrorString(parsed.diagnostics));
    return parsed.expression;
  };

  const render = (path: string, varsVal: Value): Value => {
    const expr = load(path);
    const kind = varsVal.type.kind;
    if (kind !== "map" && kind !== "object") {
      throw new FunctionArgError(1, "invalid vars value: must be a map");
    }
    const vars = varsVal.asValueMap();
    for (const name of vars.keys()) {
      if (!isValidIdentifier(name)) {
        throw new FunctionArgError(
          1,
          `invalid template variable name ${goQuote(name)}: must start with a letter, followed by zero or more letters, digits, and underscores`,
        );
      }
    }
    // A missing variable is reported here, naming the templatefile call, rather than as an unknown variable.
    for (const traversal of variables(expr)) {
      const root = traversalRootName(traversal);
      if (!vars.has(root)) {
        throw new FunctionArgError(
          1,
          `vars map does not contain key ${goQuote(root)}, referenced at ${formatRange(traversal[0]!.srcRange)}`,
        );
      }
    }
    const funcs = new Map(functions());
    if (funcs.has("templatefile")) funcs.set("templatefile", recursiveTemplateFile);
    const r = evaluate(expr, { variables: vars, functions: funcs });
    if (anyErrors(r.diagnostics)) throw new FunctionError(diagnosticsErrorString(r.diagnostics));
    return r.value;
  };

  return {
    description:
      "Reads the file at the given path and renders its content as a template using the supplied variables.",
    params: templateFileParams,
    type: ([path, vars]) => {
      if (!path!.isKnown() || !vars!.isKnown()) return dynamicType;
      return render(path!.asString(), vars!).type;
    },
    impl: ([path, vars]) => render(path!.asString(), vars!),
  };
}
