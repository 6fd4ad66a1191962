/**
 * The `shell-local` provisioner: runs scripts on the machine running the build, not on the one being built
 * (the communicator is not used).
 */
import type {
  BuildInfo,
  Communicator,
  ConfigSpec,
  GeneratedData,
  PrepareResult,
  Provisioner,
  RunContext,
  Ui,
  Value,
} from "../../../sdk/index.js";
import { decodeShellLocalConfig, SHELL_LOCAL_CONFIG_SPEC, type ShellLocalConfig } from "./config.js";
import { notPrepared } from "./plugin-config.js";
import { runShellLocal } from "./run.js";

export class ShellLocalProvisioner implements Provisioner {
  private config: ShellLocalConfig | undefined;

  configSpec(): ConfigSpec {
    return SHELL_LOCAL_CONFIG_SPEC;
  }

  prepare(config: Value, info: BuildInfo): PrepareResult {
    const result = decodeShellLocalConfig(config, info);
    this.config = result.config;
    return { diagnostics: result.diagnostics };
  }

  async provision(
    ui: Ui,
    _communicator: Communicator,
    generatedData: GeneratedData,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<void> {
    if (this.config === undefined) throw notPrepared("shell-local provisioner");
    await runShellLocal(ui, this.config, generatedData, signal, context);
  }
}
