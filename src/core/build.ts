/**
 * One build (Packer's CoreBuild.Run, §8.5): the builder runs with a hook that runs the provisioners; its
 * artifact then goes through each post-processor chain, with keep_input_artifact deciding which intermediate
 * artifacts are kept and which are destroyed.
 */
import {
  type Artifact,
  type Builder,
  ErrorCode,
  errorMessage,
  HOOK_CLEANUP_PROVISION,
  HOOK_PROVISION,
  type Hook,
  KilnError,
  type Logger,
  MultiError,
  type OnErrorMode,
  type PostProcessor,
  type RunContext,
  type SecretFilter,
  type Ui,
} from "../sdk/index.js";
import { type CoreProvisioner, DispatchHook, ProvisionHook, wrapProvisioner } from "./provision-hook.js";
import { createStepRunner } from "./step-runner.js";
import { TargetedUi } from "./ui.js";

/** A post-processor of a chain, configured, with its meta-arguments. */
export interface CorePostProcessor {
  /** The post-processor type, e.g. `shell-local`. */
  readonly type: string;
  /**
   * The name printed in `Running post-processor: ...`. JSON templates default it to the type; an unnamed HCL
   * post-processor has "" (printing `Running post-processor:  (type X)`, §3.6).
   */
  readonly name: string;
  readonly postProcessor: PostProcessor;
  /** `keep_input_artifact`; undefined when the user did not set it. */
  readonly keepInputArtifact?: boolean;
}

/** A build ready to run: every component prepared or configured without errors. */
export interface CoreBuild {
  /** The build name shown everywhere: `null.one`, `mybuild.docker.ubuntu`, or `null` for JSON. */
  readonly name: string;
  /** The builder type, e.g. `null`. */
  readonly type: string;
  readonly builder: Builder;
  readonly provisioners: readonly CoreProvisioner[];
  /** The `error-cleanup-provisioner`, if any. */
  readonly cleanupProvisioner?: CoreProvisioner;
  /** Post-processor chains; each chain starts from the builder's artifact. */
  readonly postProcessors: readonly (readonly CorePostProcessor[])[];
}

export interface RunBuildOptions {
  readonly debug: boolean;
  readonly onError: OnErrorMode | "";
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly secrets: SecretFilter;
  readonly cleanupTimeoutMs?: number;
}

export interface BuildOutcome {
  /**
   * The artifacts to report: the builder's first if kept, then each chain's result. Undefined when the
   * builder produced none (or the build was cancelled before post-processing).
   */
  readonly artifacts: readonly Artifact[] | undefined;
  /** The build's failure: the builder's error, or the post-processor errors as one MultiError. */
  readonly error?: unknown;
}

function componentContext(log: Logger, kind: string, type: string, secrets: SecretFilter): RunContext {
  return { log: log.child(`packer-${kind}-${type} plugin: `), secrets };
}

/** Runs `build` with `ui` (the build's colored/timestamped UI; the builder sees it targeted). */
export async function runBuild(build: CoreBuild, ui: Ui, options: RunBuildOptions): Promise<BuildOutcome> {
  const { log, signal, secrets } = options;
  const hooks = new Map<string, Hook[]>();
  if (build.provisioners.length > 0) {
    const fns = build.provisioners.map((p) =>
      wrapProvisioner(p, {
        debug: options.debug,
        context: componentContext(log, "provisioner", p.type, secrets),
      }),
    );
    hooks.set(HOOK_PROVISION, [new ProvisionHook(fns)]);
  }
  if (build.cleanupProvisioner !== undefined) {
    const p = build.cleanupProvisioner;
    // The cleanup provisioner runs without the -debug pause and meta-argument wrappers, as in Packer.
    const fn = wrapProvisioner(
      { type: p.type, provisioner: p.provisioner },
      { debug: false, context: componentContext(log, "provisioner", p.type, secrets) },
    );
    hooks.set(HOOK_CLEANUP_PROVISION, [new ProvisionHook([fn])]);
  }
  const hook = new DispatchHook(hooks);
  const builderUi = new TargetedUi(ui, build.name);

  log.log(`Running builder: ${build.type}`);
  let builderArtifact: Artifact | undefined;
  try {
    const builderLog = log.child(`packer-builder-${build.type} plugin: `);
    builderArtifact = await build.builder.run(builderUi, hook, signal, {
      log: builderLog,
      secrets,
      runner: createStepRunner({
        onError: options.onError,
        debug: options.debug,
        log: builderLog,
        ...(options.cleanupTimeoutMs !== undefined ? { cleanupTimeoutMs: options.cleanupTimeoutMs } : {}),
      }),
    });
  } catch (err) {
    return { artifacts: undefined, error: err };
  }

  // Nothing to post-process.
  if (builderArtifact === undefined) return { artifacts: undefined };

  if (signal.aborted) {
    log.log("Build was cancelled. Skipping post-processors.");
    return { artifacts: undefined };
  }

  const artifacts: Artifact[] = [];
  const errors: unknown[] = [];
  let keepOriginal = build.postProcessors.length === 0;

  for (const chain of build.postProcessors) {
    let prior: Artifact = builderArtifact;
    let completed = true;
    for (const [i, pp] of chain.entries()) {
      const ppUi = new TargetedUi(ui, `${build.name} (${pp.type})`);
      if (pp.name === pp.type) builderUi.say(`Running post-processor: ${pp.type}`);
      else builderUi.say(`Running post-processor: ${pp.name} (type ${pp.type})`);
      let result: Awaited<ReturnType<PostProcessor["postProcess"]>>;
      try {
        result = await pp.postProcessor.postProcess(
          ppUi,
          prior,
          signal,
          componentContext(log, "post-processor", pp.type, secrets),
        );
      } catch (err) {
        errors.push(
          new KilnError(ErrorCode.PostProcessor, `Post-processor failed: ${errorMessage(err)}`, {
            cause: err,
          }),
        );
        completed = false;
        break;
      }
      if (result.artifact === undefined) {
        log.log("Nil artifact, halting post-processor chain.");
        completed = false;
        break;
      }
      let keep = result.keep;
      if (pp.keepInputArtifact !== undefined) {
        if (result.keep && !pp.keepInputArtifact && result.forceOverride) {
          log.log(
            `The ${pp.type} post-processor forces keep_input_artifact=true to preserve integrity of the ` +
              "build chain. User-set keep_input_artifact=false will be ignored.",
          );
        } else {
          keep = pp.keepInputArtifact;
        }
      }
      if (i === 0) {
        // Several chains may need the builder's artifact: it is destroyed only after all of them.
        if (!keepOriginal && keep) {
          log.log(`Flagging to keep original artifact from post-processor '${pp.type}'`);
          keepOriginal = true;
        }
      } else if (keep) {
        artifacts.push(prior);
      } else {
        log.log(`Deleting prior artifact from post-processor '${pp.type}'`);
        try {
          await prior.destroy(signal);
        } catch (err) {
          errors.push(
            new KilnError(
              ErrorCode.PostProcessor,
              `Failed cleaning up prior artifact: ${errorMessage(err)}; pp is ${pp.type}`,
              { cause: err },
            ),
          );
        }
      }
      prior = result.artifact;
    }
    if (completed) artifacts.push(prior);
  }

  if (keepOriginal) {
    artifacts.unshift(builderArtifact);
  } else {
    log.log(`Deleting original artifact for build '${build.type}'`);
    try {
      await builderArtifact.destroy(signal);
    } catch (err) {
      errors.push(
        new KilnError(
          ErrorCode.Builder,
          `Error destroying builder artifact: ${errorMessage(err)}; bad artifact: [${builderArtifact.files().join(" ")}]`,
          { cause: err },
        ),
      );
    }
  }

  if (errors.length > 0) return { artifacts, error: new MultiError(errors) };
  return { artifacts };
}
