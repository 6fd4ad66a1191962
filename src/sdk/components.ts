/**
 * The four component kinds a template names: builders (`source`), provisioners, post-processors and data
 * sources. Each gets its configuration as an already-evaluated object value (decoded with its ConfigSpec), and
 * reports problems in it as diagnostics (user input never throws). Runtime failures reject with KilnError.
 */
import type { Diagnostic } from "../hcl/index.js";
import type { Artifact } from "./artifact.js";
import type { Communicator } from "./communicator.js";
import type { ConfigSpec } from "./config-spec.js";
import type { Value } from "./hcl-types.js";
import type { GeneratedData, Hook } from "./hook.js";
import type { Logger } from "./logger.js";
import type { StepRunner } from "./step.js";
import type { Ui } from "./ui.js";

export type OnErrorMode = "cleanup" | "abort" | "ask" | "run-cleanup-provisioner";

/**
 * What Packer passes every component as hidden `packer_*` config keys, as a typed record.
 */
export interface BuildInfo {
  /** packer_build_name: the source's label name (not the rename, not the build block's name; §3.4). */
  readonly buildName: string;
  /** packer_builder_type: the source's type, e.g. `null`. */
  readonly builderType: string;
  /** packer_core_version, e.g. `1.6.6`. */
  readonly coreVersion: string;
  /** packer_debug (-debug). */
  readonly debug: boolean;
  /** packer_force (-force). */
  readonly force: boolean;
  /** packer_on_error (-on-error; "" is passed as "cleanup"). */
  readonly onError: OnErrorMode;
  /** packer_template_path (JSON templates). */
  readonly templatePath?: string;
  /** packer_user_variables (JSON templates): variable values as strings. */
  readonly userVariables: Readonly<Record<string, string>>;
  /** packer_sensitive_variables: names of sensitive variables. */
  readonly sensitiveVariables: readonly string[];
  /** PACKER_RUN_UUID: one UUID per run (manifest `packer_run_uuid`, build.PackerRunUUID). */
  readonly runUuid: string;
  /** The environment of the run (components read it instead of the process's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
}

/** Lets a component add values it creates at run time (passwords, keys) to the secrets that are redacted. */
export interface SecretFilter {
  add(...secrets: string[]): void;
}

/** What core gives a component beside its own arguments while it runs. */
export interface RunContext {
  /** The debug log, prefixed for this component. */
  readonly log: Logger;
  readonly secrets: SecretFilter;
}

/** What core gives a builder's run(). */
export interface BuilderRunContext extends RunContext {
  /** Runs the builder's steps with the -on-error and -debug behaviour the user chose. */
  readonly runner: StepRunner;
}

export interface PrepareResult {
  /** Errors and warnings about the configuration; an error diagnostic means the component cannot run. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface BuilderPrepareResult extends PrepareResult {
  /**
   * Keys of generated data the builder provides beyond the common ones (Packer's generatedVars), e.g.
   * `ImageSha256` for docker; templates may reference them as `build.<Key>`.
   */
  readonly generatedDataKeys: readonly string[];
}

export interface Builder {
  configSpec(): ConfigSpec;
  /** Validates and stores the configuration; called once, before run. */
  prepare(config: Value, info: BuildInfo): BuilderPrepareResult;
  /**
   * Builds. Runs HOOK_PROVISION through `hook` (normally with StepProvision) so provisioners run. Resolves to
   * the artifact, or undefined when there is nothing to post-process; rejects with the build's error.
   */
  run(ui: Ui, hook: Hook, signal: AbortSignal, context: BuilderRunContext): Promise<Artifact | undefined>;
}

export interface Provisioner {
  configSpec(): ConfigSpec;
  prepare(config: Value, info: BuildInfo): PrepareResult;
  /** Provisions through `communicator`; `generatedData` is the builder's (§5.1). Rejects on failure. */
  provision(
    ui: Ui,
    communicator: Communicator,
    generatedData: GeneratedData,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<void>;
}

export interface PostProcessResult {
  /** The new artifact; undefined halts the chain silently (§8.5). */
  readonly artifact: Artifact | undefined;
  /** Whether the input artifact should be kept by default. */
  readonly keep: boolean;
  /** With keep: ignore a user's `keep_input_artifact = false` (the chain would break without the input). */
  readonly forceOverride: boolean;
}

export interface PostProcessor {
  configSpec(): ConfigSpec;
  configure(config: Value, info: BuildInfo): PrepareResult;
  /** Post-processes `artifact`; the builder's generated data is `artifact.state("generated_data")`. */
  postProcess(
    ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult>;
}

export interface Datasource {
  configSpec(): ConfigSpec;
  configure(config: Value): PrepareResult;
  /** The shape of execute()'s result; validate uses it to make an unknown placeholder of the right type. */
  outputSpec(): ConfigSpec;
  /** Fetches the data; resolves to an object value matching outputSpec(). */
  execute(signal: AbortSignal, context: RunContext): Promise<Value>;
}
