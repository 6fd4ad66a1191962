/**
 * The flags Packer adds to most commands (its MetaArgs): -only, -except, -var, -var-file, -config-type.
 */
import { commaListFlag, type Flag, type FlagValues, keyValueFlag, stringListFlag } from "./flags.js";

/** How a template that is neither `*.pkr.hcl`, `*.pkr.json` nor a directory is read. */
export type ConfigType = "json" | "hcl2";

export interface MetaOptions {
  /** `-only`, comma-split and repeatable, in order. */
  readonly only: readonly string[];
  /** `-except`, comma-split and repeatable, in order. */
  readonly except: readonly string[];
  /** `-var k=v`; a later value for the same key wins. */
  readonly vars: ReadonlyMap<string, string>;
  /** `-var-file`, every value in order. */
  readonly varFiles: readonly string[];
  /** `-config-type`, default `json`. */
  readonly configType: ConfigType;
}

/** Packer's generated enum parser: exact or case-insensitive `json`/`hcl2`. */
function configTypeFlag(): Flag<ConfigType> {
  return {
    isBool: false,
    initial: () => "json",
    set: (_, raw) => {
      const lower = raw.toLowerCase();
      if (lower === "json" || lower === "hcl2") return { value: lower };
      return { error: `${raw} does not belong to configType values` };
    },
  };
}

export const metaFlags = {
  only: commaListFlag(),
  except: commaListFlag(),
  var: keyValueFlag(),
  "var-file": stringListFlag(),
  "config-type": configTypeFlag(),
};

export function metaOptions(values: FlagValues<typeof metaFlags>): MetaOptions {
  return {
    only: values.only,
    except: values.except,
    vars: values.var,
    varFiles: values["var-file"],
    configType: values["config-type"],
  };
}
