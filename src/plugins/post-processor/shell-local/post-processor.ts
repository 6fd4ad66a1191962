/**
 * The `shell-local` post-processor: runs scripts on this machine with the builder's generated data, and
 * passes its input artifact on unchanged (always kept: use `artifice` to replace it).
 */
import type {
  Artifact,
  BuildInfo,
  ConfigSpec,
  PostProcessor,
  PostProcessResult,
  PrepareResult,
  RunContext,
  Ui,
  Value,
} from "../../../sdk/index.js";
import {
  decodeShellLocalConfig,
  SHELL_LOCAL_CONFIG_SPEC,
  type ShellLocalConfig,
} from "../../provisioner/shell-local/config.js";
import { artifactGeneratedData, notPrepared } from "../../provisioner/shell-local/plugin-config.js";
import { runShellLocal } from "../../provisioner/shell-local/run.js";

export class ShellLocalPostProcessor implements PostProcessor {
  private config: ShellLocalConfig | undefined;

  configSpec(): ConfigSpec {
    return SHELL_LOCAL_CONFIG_SPEC;
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const result = decodeShellLocalConfig(config, info, { postProcessor: true });
    this.config = result.config;
    return { diagnostics: result.diagnostics };
  }

  async postProcess(
    ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult> {
    if (this.config === undefined) throw notPrepared("shell-local post-processor");
    await runShellLocal(ui, this.config, artifactGeneratedData(artifact), signal, context);
    return { artifact, keep: true, forceOverride: true };
  }
}
