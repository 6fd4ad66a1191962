/**
 * The `null` data source: returns its `input` as `output`. It does nothing useful; it shows how data sources
 * work and serves tests.
 */
import { objectVal, stringType, stringVal } from "../../../hcl/index.js";
import {
  type ConfigSpec,
  type Datasource,
  type PrepareResult,
  type RunContext,
  throwIfAborted,
  type Value,
} from "../../../sdk/index.js";
import {
  decodePluginConfig,
  notPrepared,
  PACKER_CONFIG_SPEC,
} from "../../provisioner/shell-local/plugin-config.js";

export const NULL_DATASOURCE_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  input: { kind: "attribute", type: stringType },
};

export const NULL_DATASOURCE_OUTPUT_SPEC: ConfigSpec = {
  output: { kind: "attribute", type: stringType },
};

export class NullDatasource implements Datasource {
  private input: string | undefined;

  configSpec(): ConfigSpec {
    return NULL_DATASOURCE_CONFIG_SPEC;
  }

  configure(config: Value): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, NULL_DATASOURCE_CONFIG_SPEC, undefined);
    if (failed) return { diagnostics: reader.diagnostics };
    const input = reader.string("input") ?? "";
    if (reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics };
    if (input === "") reader.error("The `input` must be specified");
    else this.input = input;
    return { diagnostics: reader.diagnostics };
  }

  outputSpec(): ConfigSpec {
    return NULL_DATASOURCE_OUTPUT_SPEC;
  }

  async execute(signal: AbortSignal, _context: RunContext): Promise<Value> {
    throwIfAborted(signal);
    if (this.input === undefined) throw notPrepared("null data source");
    return objectVal({ output: stringVal(this.input) });
  }
}
