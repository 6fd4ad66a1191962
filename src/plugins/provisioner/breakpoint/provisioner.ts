/**
 * The `breakpoint` provisioner: pauses the build until the user presses enter (`note` says why), or says that
 * it is disabled and goes on.
 */
import { boolType, stringType } from "../../../hcl/index.js";
import {
  type BuildInfo,
  type Communicator,
  type ConfigSpec,
  ErrorCode,
  errorMessage,
  type GeneratedData,
  KilnError,
  type PrepareResult,
  type Provisioner,
  type RunContext,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import { decodePluginConfig, notPrepared, PACKER_CONFIG_SPEC } from "../shell-local/plugin-config.js";

export const BREAKPOINT_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  note: { kind: "attribute", type: stringType },
  disable: { kind: "attribute", type: boolType },
};

interface BreakpointConfig {
  readonly note: string;
  readonly disable: boolean;
}

export class BreakpointProvisioner implements Provisioner {
  private config: BreakpointConfig | undefined;

  configSpec(): ConfigSpec {
    return BREAKPOINT_CONFIG_SPEC;
  }

  prepare(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, BREAKPOINT_CONFIG_SPEC, info, {
      placeholders: true,
    });
    if (failed) return { diagnostics: reader.diagnostics };
    const note = reader.string("note") ?? "";
    const disable = reader.bool("disable") ?? false;
    if (reader.diagnostics.length === 0) this.config = { note, disable };
    return { diagnostics: reader.diagnostics };
  }

  async provision(
    ui: Ui,
    _communicator: Communicator,
    _generatedData: GeneratedData,
    signal: AbortSignal,
    _context: RunContext,
  ): Promise<void> {
    const config = this.config;
    if (config === undefined) throw notPrepared("breakpoint provisioner");
    if (config.disable) {
      ui.say(
        config.note !== ""
          ? `Breakpoint provisioner with note "${config.note}" disabled; continuing...`
          : "Breakpoint provisioner disabled; continuing...",
      );
      return;
    }
    ui.say(
      config.note !== ""
        ? `Pausing at breakpoint provisioner with note "${config.note}".`
        : "Pausing at breakpoint provisioner.",
    );
    try {
      await ui.ask("Press enter to continue.", signal);
    } catch (err) {
      throw new KilnError(ErrorCode.Provisioner, `Error asking for input: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
}
