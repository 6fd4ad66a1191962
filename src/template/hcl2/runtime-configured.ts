/**
 * Provisioners and post-processors configured again just before they run. Both template syntaxes prepare a
 * component at build preparation with placeholder build data, and must hand it the data the builder really
 * generated when it runs: a provisioner gets that data through the provision hook, a post-processor from its
 * input artifact's `generated_data`. These wrappers make a fresh instance, configure it for that data and
 * run it; how a configuration is made for the data is what the syntax supplies (`RuntimeConfiguration`).
 */
import type { Diagnostic, Value } from "../../hcl/index.js";
import {
  type Artifact,
  artifactGeneratedData,
  type BuildInfo,
  type Communicator,
  type ConfigSpec,
  ErrorCode,
  type GeneratedData,
  KilnError,
  type PostProcessor,
  type PostProcessResult,
  type PrepareResult,
  type Provisioner,
  type RunContext,
  type Ui,
} from "../../sdk/index.js";

/** What a template syntax supplies to configure a component again at run time. */
export interface RuntimeConfiguration {
  readonly info: BuildInfo;
  /** The component's configuration for `data`; throws a KilnError with `code` when it cannot be made. */
  configFor(spec: ConfigSpec, data: GeneratedData | undefined, code: string): Value;
  /** The error text of the component's own prepare/configure problems, or undefined when there are none. */
  errorText(diagnostics: readonly Diagnostic[]): string | undefined;
}

/** A provisioner that is configured again with the builder's generated data before it runs. */
export class RuntimeConfiguredProvisioner implements Provisioner {
  constructor(
    /** The instance prepared at build preparation (for its schema). */
    private readonly prepared: Provisioner,
    /** Makes the instance that runs. */
    private readonly start: () => Provisioner,
    private readonly runtime: RuntimeConfiguration,
  ) {}

  configSpec(): ConfigSpec {
    return this.prepared.configSpec();
  }

  prepare(config: Value, info: BuildInfo): PrepareResult {
    return this.prepared.prepare(config, info);
  }

  async provision(
    ui: Ui,
    communicator: Communicator,
    generatedData: GeneratedData,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<void> {
    const p = this.start();
    const config = this.runtime.configFor(p.configSpec(), generatedData, ErrorCode.Provisioner);
    const error = this.runtime.errorText(p.prepare(config, this.runtime.info).diagnostics);
    if (error !== undefined) throw new KilnError(ErrorCode.Provisioner, error);
    await p.provision(ui, communicator, generatedData, signal, context);
  }
}

/** A post-processor that is configured again with its input artifact's generated data before it runs. */
export class RuntimeConfiguredPostProcessor implements PostProcessor {
  constructor(
    /** The instance configured at build preparation (for its schema). */
    private readonly configured: PostProcessor,
    /** Makes the instance that runs. */
    private readonly start: () => PostProcessor,
    private readonly runtime: RuntimeConfiguration,
  ) {}

  configSpec(): ConfigSpec {
    return this.configured.configSpec();
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    return this.configured.configure(config, info);
  }

  async postProcess(
    ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult> {
    const pp = this.start();
    const config = this.runtime.configFor(
      pp.configSpec(),
      artifactGeneratedData(artifact),
      ErrorCode.PostProcessor,
    );
    const error = this.runtime.errorText(pp.configure(config, this.runtime.info).diagnostics);
    if (error !== undefined) throw new KilnError(ErrorCode.PostProcessor, error);
    return pp.postProcess(ui, artifact, signal, context);
  }
}
