/**
 * The legacy JSON template model (the SDK's template.Template) and its Validate: builders by name,
 * provisioners with their meta-arguments, post-processor chains, variables. Error texts are Packer's.
 */
import type { Range } from "../../hcl/index.js";
import type { Duration } from "../../sdk/index.js";
import { multiError } from "./go-decode.js";
import type { JSONPositions, JSONValue } from "./json-syntax.js";

export type JSONConfigMap = Record<string, JSONValue>;

export interface TemplateVariable {
  readonly key: string;
  /** The default (the empty string for a required variable). */
  readonly default: string;
  /** Declared with a `null` default. */
  readonly required: boolean;
}

export interface OnlyExcept {
  readonly only: readonly string[];
  readonly except: readonly string[];
}

export interface TemplateBuilder {
  /** The `name`, defaulting to the type. */
  readonly name: string;
  readonly type: string;
  /** The builder's own keys (`name` and `type` removed); undefined when there are none. */
  readonly config: JSONConfigMap | undefined;
  readonly range?: Range;
}

export interface TemplateProvisioner extends OnlyExcept {
  readonly type: string;
  /** The provisioner's own keys (meta-arguments removed); undefined when there are none. */
  readonly config: JSONConfigMap | undefined;
  /** `override`: builder name => keys merged over config for that build. */
  readonly override: Readonly<Record<string, JSONValue>> | undefined;
  readonly pauseBefore: Duration;
  /** `max_retries` as written (it is interpolated, then read as an integer, when builds are made). */
  readonly maxRetries: string;
  readonly timeout: Duration;
  readonly range?: Range;
}

export interface TemplatePostProcessor extends OnlyExcept {
  readonly type: string;
  /** The `name`, defaulting to the type. */
  readonly name: string;
  readonly keepInputArtifact?: boolean;
  readonly config: JSONConfigMap | undefined;
  readonly range?: Range;
}

export interface Template {
  /** Absolute path of the template file ("" when parsed from text). */
  readonly path: string;
  readonly description: string;
  readonly minVersion: string;
  /** Root keys starting with `_`. */
  readonly comments: ReadonlyMap<string, string>;
  readonly variables: ReadonlyMap<string, TemplateVariable>;
  readonly sensitiveVariables: readonly TemplateVariable[];
  /** Builders by name, in file order. */
  readonly builders: ReadonlyMap<string, TemplateBuilder>;
  readonly provisioners: readonly TemplateProvisioner[];
  readonly cleanupProvisioner?: TemplateProvisioner;
  readonly postProcessors: readonly (readonly TemplatePostProcessor[])[];
  /** The file's text. */
  readonly rawContents: string;
  /** Where each object of the file is. */
  readonly positions?: JSONPositions;
}

/** OnlyExcept.Skip: whether the component is left out of the build named `name`. */
export function skipFor(o: OnlyExcept, name: string): boolean {
  if (o.only.length > 0) return !o.only.includes(name);
  if (o.except.length > 0) return o.except.includes(name);
  return false;
}

function validateOnlyExcept(o: OnlyExcept, t: Template): string[] {
  if (o.only.length > 0 && o.except.length > 0) return ["only one of 'only' or 'except' may be specified"];
  const errs: string[] = [];
  for (const n of o.only) if (!t.builders.has(n)) errs.push(`'only' specified builder '${n}' not found`);
  for (const n of o.except) if (!t.builders.has(n)) errs.push(`'except' specified builder '${n}' not found`);
  return errs;
}

/** Template.Validate's errors, in Packer's order (empty when valid). */
export function validateTemplateErrors(t: Template): string[] {
  const errs: string[] = [];
  if (t.builders.size === 0) errs.push("at least one builder must be defined");
  t.provisioners.forEach((p, i) => {
    for (const e of validateOnlyExcept(p, t)) errs.push(`provisioner ${i + 1}: ${e}`);
    for (const name of Object.keys(p.override ?? {})) {
      if (!t.builders.has(name)) errs.push(`provisioner ${i + 1}: override '${name}' doesn't exist`);
    }
  });
  t.postProcessors.forEach((chain, i) => {
    chain.forEach((pp, j) => {
      for (const e of validateOnlyExcept(pp, t)) errs.push(`post-processor ${i + 1}.${j + 1}: ${e}`);
    });
  });
  return errs;
}

/** Template.Validate: the multi-error text, or undefined when the template is valid. */
export function validateTemplate(t: Template): string | undefined {
  const errs = validateTemplateErrors(t);
  return errs.length > 0 ? multiError(errs) : undefined;
}
