/**
 * Input variables (Packer's types.variables.go): `variable` blocks and `variables` entries, the values
 * assigned to them from every source in precedence order (default < PKR_VAR_* < var files < -var), and
 * their `validation` rules. A variable's value is its last assignment; a sensitive variable's value carries
 * the sensitive mark, so everything computed from it does too.
 */
import {
  applyDefaults,
  type Body,
  boolType,
  convert,
  type Diagnostic,
  dynamicType,
  dynamicVal,
  type EvalContext,
  emptyObjectType,
  emptyTupleType,
  type FunctionTable,
  formatRange,
  type HclAttribute,
  type HclBlock,
  type HclExpression,
  hasErrors,
  isValidIdentifier,
  nativeExpression,
  objectVal,
  parseExpression,
  parseTypeConstraint,
  SENSITIVE,
  stringVal,
  type Traversal,
  type Type,
  traversalRootName,
  typeEquals,
  unknownVal,
  type Value,
} from "../../hcl/index.js";
import { decodeExpression } from "./struct-decode.js";
import type { InputVariable, ValueSource, VariableAssignment, VariableValidation } from "./types.js";

export const BAD_IDENTIFIER_DETAIL =
  "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.";

const VARIABLE_BLOCK_SCHEMA = {
  attributes: [{ name: "description" }, { name: "default" }, { name: "type" }, { name: "sensitive" }],
  blocks: [{ type: "validation" }],
};

const VALIDATION_SCHEMA = {
  attributes: [
    { name: "condition", required: true },
    { name: "error_message", required: true },
  ],
};

export type Variables = Map<string, InputVariable>;

/** The value a variable has now: its last assignment (unknown when it has none), marked when sensitive. */
export function variableValue(v: InputVariable): Value {
  const last = v.values[v.values.length - 1];
  const value = last === undefined ? unknownVal(v.type) : last.value;
  return v.sensitive ? value.mark(SENSITIVE) : value;
}

/** Every variable's value, by name. */
export function variableValues(variables: Variables): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [name, v] of variables) out.set(name, variableValue(v));
  return out;
}

function applyTypeDefaults(v: InputVariable, value: Value): Value {
  if (v.defaults === undefined || value.isNull()) return value;
  return applyDefaults(v.defaults, value);
}

/** Converts a value to the variable's type (after optional() defaults), or explains why it can't. */
function convertToVariableType(
  v: InputVariable,
  value: Value,
): { ok: true; value: Value } | { ok: false; message: string } {
  const r = convert(applyTypeDefaults(v, value), v.type);
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.error.message };
}

function duplicateVariable(name: string): Omit<Diagnostic, "subject"> {
  return {
    severity: "error",
    summary: "Duplicate variable",
    detail: `Duplicate ${name} variable definition found.`,
  };
}

/** An entry `name = default` of a `variables` block. */
export function decodeVariablesEntry(
  variables: Variables,
  attr: HclAttribute,
  ctx: EvalContext,
): Diagnostic[] {
  if (variables.has(attr.name)) return [{ ...duplicateVariable(attr.name), subject: attr.nameRange }];
  const r = attr.expr.value(ctx);
  if (hasErrors(r.diagnostics)) return r.diagnostics;
  variables.set(attr.name, {
    name: attr.name,
    description: "",
    sensitive: false,
    type: r.value.type,
    defaults: undefined,
    range: attr.range,
    values: [{ from: "default", value: r.value, expr: attr.expr }],
    validations: [],
  });
  return r.diagnostics;
}

/** A `variable "<name>" { ... }` block; its default is evaluated in `ctx` (env() only). */
export function decodeVariableBlock(variables: Variables, block: HclBlock, ctx: EvalContext): Diagnostic[] {
  const name = block.labels[0]!;
  // Packer gives this one only a context range; a subject makes the renderer show where it is.
  if (variables.has(name)) return [{ ...duplicateVariable(name), subject: block.defRange }];

  const { content, diagnostics } = block.body.content(VARIABLE_BLOCK_SCHEMA);
  if (!isValidIdentifier(name)) {
    diagnostics.push({
      severity: "error",
      summary: "Invalid variable name",
      detail: BAD_IDENTIFIER_DETAIL,
      subject: block.labelRanges[0]!,
    });
  }

  const v: InputVariable = {
    name,
    description: "",
    sensitive: false,
    type: dynamicType,
    defaults: undefined,
    range: block.defRange,
    values: [],
    validations: [],
  };

  const description = content.attributes.get("description");
  if (description !== undefined) {
    const r = decodeExpression(description.expr, undefined, "string");
    diagnostics.push(...r.diagnostics);
    if (typeof r.value === "string") v.description = r.value;
  }

  const typeAttr = content.attributes.get("type");
  if (typeAttr !== undefined) {
    const native = typeAttr.expr.asNativeSyntax();
    if (native === undefined) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid type specification",
        detail:
          "A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
        subject: typeAttr.expr.range,
      });
      return diagnostics;
    }
    const t = parseTypeConstraint(native);
    diagnostics.push(...t.diagnostics);
    if (hasErrors(t.diagnostics)) return diagnostics;
    v.type = t.constraint.type;
    v.defaults = t.constraint.defaults;
  }

  const sensitive = content.attributes.get("sensitive");
  if (sensitive !== undefined) {
    const r = decodeExpression(sensitive.expr, undefined, "bool");
    diagnostics.push(...r.diagnostics);
    if (typeof r.value === "boolean") v.sensitive = r.value;
  }

  const def = content.attributes.get("default");
  if (def !== undefined) {
    const r = def.expr.value(ctx);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) return diagnostics;
    let value = r.value;
    const converted = convertToVariableType(v, value);
    if (converted.ok) {
      value = converted.value;
    } else {
      diagnostics.push({
        severity: "error",
        summary: "Invalid default value for variable",
        detail: `This default value is not compatible with the variable's type constraint: ${converted.message}.`,
        subject: def.expr.range,
      });
      value = dynamicVal;
    }
    v.values.push({ from: "default", value, expr: def.expr });
    // Without a type, the default's type is the variable's (empty object and tuple say too little).
    if (
      v.type.kind === "dynamic" &&
      !typeEquals(value.type, emptyObjectType) &&
      !typeEquals(value.type, emptyTupleType)
    ) {
      v.type = value.type;
    }
  }

  for (const vb of content.blocks) {
    if (vb.type !== "validation") continue;
    const r = decodeValidationBlock(name, vb);
    diagnostics.push(...r.diagnostics);
    v.validations.push(r.validation);
  }

  variables.set(name, v);
  return diagnostics;
}

/** Whether a traversal is `var.<name>` (addrs.ParseRef accepting only input variables). */
function refersToVariable(t: Traversal, name: string): boolean {
  if (traversalRootName(t) !== "var") return false;
  const step = t[1];
  return step !== undefined && step.type === "attr" && step.name === name;
}

/** looksLikeSentences: starts with an uppercase letter (if a letter) and ends with `.`, `?` or `!`. */
function looksLikeSentences(s: string): boolean {
  const text = s.trim();
  if (text.length < 1) return false;
  const runes = [...text];
  const first = runes[0]!;
  const last = runes[runes.length - 1]!;
  if (/\p{L}/u.test(first) && !/\p{Lu}|\p{Lt}/u.test(first)) return false;
  return last === "." || last === "?" || last === "!";
}

function decodeValidationBlock(
  varName: string,
  block: HclBlock,
): { validation: VariableValidation; diagnostics: Diagnostic[] } {
  const { content, diagnostics } = block.body.content(VALIDATION_SCHEMA);
  let condition: HclExpression | undefined;
  let errorMessage = "";
  const cond = content.attributes.get("condition");
  if (cond !== undefined) {
    condition = cond.expr;
    let goodRefs = 0;
    for (const t of condition.variables()) {
      if (refersToVariable(t, varName)) {
        goodRefs++;
        continue;
      }
      const first = t[0]!.srcRange;
      const last = t[t.length - 1]!.srcRange;
      diagnostics.push({
        severity: "error",
        summary: "Invalid reference in variable validation",
        detail: `The condition for variable "${varName}" can only refer to the variable itself, using var.${varName}.`,
        subject: { filename: first.filename, start: first.start, end: last.end },
      });
    }
    if (goodRefs < 1) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid variable validation condition",
        detail: `The condition for variable "${varName}" must refer to var.${varName} in order to test incoming values.`,
        subject: cond.expr.range,
      });
    }
  }
  const msg = content.attributes.get("error_message");
  if (msg !== undefined) {
    const r = decodeExpression(msg.expr, undefined, "string");
    diagnostics.push(...r.diagnostics);
    if (!hasErrors(r.diagnostics) && typeof r.value === "string") {
      errorMessage = r.value;
      if (errorMessage === "") {
        diagnostics.push({
          severity: "error",
          summary: "Invalid validation error message",
          detail: "An empty string is not a valid nor useful error message.",
          subject: msg.expr.range,
        });
      } else if (!looksLikeSentences(errorMessage)) {
        diagnostics.push({
          severity: "error",
          summary: "Invalid validation error message",
          detail:
            "Validation error message must be at least one full sentence starting with an uppercase letter ( if the alphabet permits it ) and ending with a period or question mark.",
          subject: msg.expr.range,
        });
      }
    }
  }
  return { validation: { condition, errorMessage, declRange: block.defRange }, diagnostics };
}

/** expressionFromVariableDefinition: a -var or PKR_VAR_ value as an expression for the variable's type. */
function expressionFromDefinition(
  filename: string,
  text: string,
  type: Type,
): { expr: HclExpression | undefined; literal: Value | undefined; diagnostics: Diagnostic[] } {
  const k = type.kind;
  if (k === "string" || k === "number" || k === "dynamic") {
    return { expr: undefined, literal: stringVal(text), diagnostics: [] };
  }
  const r = parseExpression(text, filename);
  return { expr: nativeExpression(r.expression), literal: undefined, diagnostics: r.diagnostics };
}

export interface CollectValuesOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The bodies of the var files, in precedence order (auto files first, then -var-file in order). */
  readonly varFiles: readonly Body[];
  /** -var values, in the order given (a later one for the same name replaced the earlier). */
  readonly argVars: ReadonlyMap<string, string>;
  readonly warnOnUndeclaredVar: boolean;
}

/** collectInputVariableValues: appends the env, var file and -var values to the declared variables. */
export function collectInputVariableValues(
  variables: Variables,
  options: CollectValuesOptions,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];

  const assignText = (
    name: string,
    text: string,
    from: ValueSource,
    filename: string,
    onConvertError: (v: InputVariable, message: string, expr: HclExpression | undefined) => Diagnostic,
  ): void => {
    const v = variables.get(name)!;
    const d = expressionFromDefinition(filename, text, v.type);
    diagnostics.push(...d.diagnostics);
    if (hasErrors(d.diagnostics)) return;
    let value: Value;
    if (d.literal !== undefined) {
      value = d.literal;
    } else {
      const r = d.expr!.value(undefined);
      diagnostics.push(...r.diagnostics);
      value = r.value;
    }
    const converted = convertToVariableType(v, value);
    if (converted.ok) {
      value = converted.value;
    } else {
      diagnostics.push(onConvertError(v, converted.message, d.expr));
      value = dynamicVal;
    }
    const assignment: VariableAssignment =
      d.expr !== undefined ? { from, value, expr: d.expr } : { from, value };
    v.values.push(assignment);
  };

  for (const [key, text] of Object.entries(options.env)) {
    if (!key.startsWith("PKR_VAR_") || text === undefined) continue;
    const name = key.slice("PKR_VAR_".length);
    if (!variables.has(name)) continue;
    assignText(name, text, "env", `<value for var.${name} from env>`, (_v, message, expr) => ({
      severity: "error",
      summary: "Invalid value for variable",
      detail: `The value for ${name} is not compatible with the variable's type constraint: ${message}.`,
      ...(expr !== undefined ? { subject: expr.range } : {}),
    }));
  }

  for (const file of options.varFiles) {
    // A `variable` block in a var file is a common mistake; say so plainly.
    const probe = file.partialContent({ blocks: [{ type: "variable", labelNames: ["name"] }] });
    for (const block of probe.content.blocks) {
      const name = block.labels[0]!;
      diagnostics.push({
        severity: "error",
        summary: "Variable declaration in a .pkrvar file",
        detail: `A .pkrvar file is used to assign values to variables that have already been declared in .pkr files, not to declare new variables. To declare variable "${name}", place this block in one of your .pkr files, such as variables.pkr.hcl\n\nTo set a value for this variable in ${block.typeRange.filename}, use the definition syntax instead:\n    ${name} = <value>`,
        subject: block.typeRange,
      });
    }
    if (hasErrors(diagnostics)) return diagnostics;

    const { attributes, diagnostics: attrDiags } = file.justAttributes();
    diagnostics.push(...attrDiags);
    for (const [name, attr] of attributes) {
      const v = variables.get(name);
      if (v === undefined) {
        if (!options.warnOnUndeclaredVar) continue;
        diagnostics.push({
          severity: "warning",
          summary: "Undefined variable",
          detail: `The variable "${name}" was set but was not declared as an input variable.\nTo declare variable "${name}" place this block in one of your .pkr.hcl files, such as variables.pkr.hcl\n\nvariable "${name}" {\n  type    = string\n  default = null\n}`,
          subject: attr.range,
        });
        continue;
      }
      const r = attr.expr.value(undefined);
      diagnostics.push(...r.diagnostics);
      let value = r.value;
      const converted = convertToVariableType(v, value);
      if (converted.ok) {
        value = converted.value;
      } else {
        diagnostics.push({
          severity: "error",
          summary: "Invalid value for variable",
          detail: `The value for ${name} is not compatible with the variable's type constraint: ${converted.message}.`,
          subject: attr.expr.range,
        });
        value = dynamicVal;
      }
      v.values.push({ from: "varfile", value, expr: attr.expr });
    }
  }

  for (const [name, text] of options.argVars) {
    if (!variables.has(name)) {
      diagnostics.push({
        severity: "error",
        summary: "Undefined -var variable",
        detail: `A "${name}" variable was passed in the command line but was not found in known variables. To declare variable "${name}", place this block in one of your .pkr files, such as variables.pkr.hcl`,
      });
      continue;
    }
    assignText(name, text, "cmd", `<value for var.${name} from arguments>`, (_v, message) => ({
      severity: "error",
      summary: "Invalid argument value for -var variable",
      detail: `The received arg value for ${name} is not compatible with the variable's type constraint: ${message}.`,
    }));
  }

  return diagnostics;
}

/** Variable.ValidateValue: the variable must have a value, and it must pass every validation rule. */
export function validateVariable(v: InputVariable, functions: FunctionTable): Diagnostic[] {
  const last = v.values[v.values.length - 1];
  if (last === undefined) {
    return [
      {
        severity: "error",
        summary: `Unset variable "${v.name}"`,
        detail:
          "A used variable must be set or have a default value; see https://packer.io/docs/templates/hcl_templates/syntax for details.",
        subject: v.range,
      },
    ];
  }
  const diagnostics: Diagnostic[] = [];
  if (v.validations.length === 0) return diagnostics;
  const value = v.sensitive ? last.value.mark(SENSITIVE) : last.value;
  const ctx: EvalContext = {
    variables: new Map([["var", objectVal({ [v.name]: value })]]),
    functions,
  };
  for (const validation of v.validations) {
    if (validation.condition === undefined) continue;
    const r = validation.condition.value(ctx);
    diagnostics.push(...r.diagnostics);
    const [result] = r.value.unmarkDeep();
    if (!result.isKnown()) continue;
    if (result.isNull()) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid variable validation result",
        detail: "Validation condition expression must return either true or false, not null.",
        subject: validation.condition.range,
      });
      continue;
    }
    const asBool = convert(result, boolType);
    if (!asBool.ok) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid variable validation result",
        detail: `Invalid validation condition result value: ${asBool.error.message}.`,
        subject: validation.condition.range,
      });
      continue;
    }
    if (asBool.value.isFalse()) {
      diagnostics.push({
        severity: "error",
        summary: `Invalid value for ${last.from} variable`,
        detail: `${validation.errorMessage}\n\nThis was checked by the validation rule at ${formatRange(validation.declRange)}.`,
        ...(last.expr !== undefined ? { subject: last.expr.range } : { subject: validation.declRange }),
      });
    }
  }
  return diagnostics;
}
