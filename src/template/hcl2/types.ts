/**
 * The model of a loaded HCL2 configuration (Packer's PackerConfig and its block types), before any component
 * is started: variables with every value assigned to them, locals and data blocks awaiting evaluation,
 * sources, and build blocks with their provisioner and post-processor blocks still as unevaluated bodies.
 */
import type { Body, HclBlock, HclExpression, Range, Type, TypeDefaults, Value } from "../../hcl/index.js";
import type { Duration } from "../../sdk/index.js";
import type { Constraint } from "./version-constraint.js";

/** Where a variable's value came from, as Packer names it in "Invalid value for <from> variable". */
export type ValueSource = "default" | "env" | "varfile" | "cmd";

export interface VariableAssignment {
  readonly from: ValueSource;
  readonly value: Value;
  /** The expression that set it (undefined for plain-string -var / env values). */
  readonly expr?: HclExpression;
}

export interface VariableValidation {
  readonly condition: HclExpression | undefined;
  readonly errorMessage: string;
  readonly declRange: Range;
}

/** A `variable` block or an entry of a `variables` block. */
export interface InputVariable {
  readonly name: string;
  description: string;
  sensitive: boolean;
  /** The type constraint (dynamic when none was given and the default does not imply one). */
  type: Type;
  /** optional() defaults of the type constraint, applied before conversion. */
  defaults: TypeDefaults | undefined;
  readonly range: Range;
  /** Every assignment in precedence order; the last one wins. */
  readonly values: VariableAssignment[];
  readonly validations: VariableValidation[];
}

/** A `local` block or an entry of a `locals` block. */
export interface LocalBlock {
  readonly name: string;
  readonly expr: HclExpression | undefined;
  readonly sensitive: boolean;
  /** The block's header (local blocks) or the attribute (locals entries). */
  readonly range: Range;
}

/** A `data "<type>" "<name>"` block. */
export interface DatasourceBlock {
  readonly type: string;
  readonly name: string;
  readonly block: HclBlock;
}

/** A `source "<type>" "<name>"` block. */
export interface SourceBlock {
  readonly type: string;
  readonly name: string;
  readonly block: HclBlock;
}

/** A source used by a build: from `sources = [...]`, or a `source "<type>.<name>" { ... }` block. */
export interface SourceUse {
  readonly type: string;
  readonly name: string;
  /** The `name = "..."` rename of a build-level source block ("" when none). */
  readonly localName: string;
  /** The build-level block's other arguments, merged over the source definition. */
  readonly body: Body | undefined;
  /** The build-level source block, when the use comes from one. */
  readonly range: Range | undefined;
}

/** `type.name` with the rename applied: what provisioner `only`/`except` and build names use. */
export function sourceUseName(use: SourceUse): string {
  return `${use.type}.${use.localName !== "" ? use.localName : use.name}`;
}

/** The source's name after the rename: what `source.name` and provisioner `override` keys use. */
export function sourceUseLocalName(use: SourceUse): string {
  return use.localName !== "" ? use.localName : use.name;
}

export interface OnlyExcept {
  readonly only: readonly string[];
  readonly except: readonly string[];
}

/** Whether a block with these `only`/`except` lists is skipped for the source `name` (`type.name`). */
export function skipFor(oe: OnlyExcept, name: string): boolean {
  if (oe.only.length > 0) return !oe.only.includes(name);
  if (oe.except.length > 0) return oe.except.includes(name);
  return false;
}

/** One override entry: `override = { <source> = { <arg> = <value> } }`. */
export interface OverrideArgument {
  readonly value: Value;
  readonly range: Range;
}

export interface ProvisionerBlock extends OnlyExcept {
  readonly type: string;
  readonly name: string;
  readonly pauseBefore: Duration | undefined;
  readonly timeout: Duration | undefined;
  readonly maxRetries: number;
  readonly continueOnError: boolean;
  /** Arguments to override per source name. */
  readonly override: ReadonlyMap<string, ReadonlyMap<string, OverrideArgument>> | undefined;
  /** The body without the meta-arguments: the provisioner's own configuration. */
  readonly rest: Body;
  readonly defRange: Range;
  readonly typeRange: Range;
  readonly labelRanges: readonly Range[];
}

export interface PostProcessorBlock extends OnlyExcept {
  readonly type: string;
  readonly name: string;
  readonly keepInputArtifact: boolean | undefined;
  readonly rest: Body;
  readonly defRange: Range;
  readonly typeRange: Range;
}

export interface BuildBlock {
  readonly name: string;
  readonly description: string;
  readonly sources: SourceUse[];
  readonly provisioners: ProvisionerBlock[];
  errorCleanupProvisioner: ProvisionerBlock | undefined;
  readonly postProcessorLists: PostProcessorBlock[][];
  readonly defRange: Range;
}

export interface RequiredVersion {
  readonly constraints: readonly Constraint[];
  readonly declRange: Range;
}

/** One `required_plugins` entry. */
export interface RequiredPlugin {
  readonly accessor: string;
  readonly source: string;
  readonly versionConstraints: readonly Constraint[];
  /** The constraint as written. */
  readonly version: string;
  readonly declRange: Range;
}
