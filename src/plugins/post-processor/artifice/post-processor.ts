/**
 * The `artifice` post-processor: replaces the artifact with the files named in `files` (globs expanded), for
 * example files a provisioner downloaded from the machine. The input is kept unless keep_input_artifact is
 * false.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { boolType, listType, stringType } from "../../../hcl/index.js";
import {
  type Artifact,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  KilnError,
  type PostProcessor,
  type PostProcessResult,
  type PrepareResult,
  type RunContext,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import { goErrnoText } from "../../provisioner/shell-local/config.js";
import {
  decodePluginConfig,
  notPrepared,
  PACKER_CONFIG_SPEC,
} from "../../provisioner/shell-local/plugin-config.js";
import { FilesArtifact } from "../checksum/artifact.js";
import { BadPatternError, goGlob } from "./go-glob.js";

export const ARTIFICE_BUILDER_ID = "packer.post-processor.artifice";

export const ARTIFICE_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  files: { kind: "attribute", type: listType(stringType) },
  keep_input_artifact: { kind: "attribute", type: boolType },
};

interface ArtificeConfig {
  readonly files: readonly string[];
  readonly cwd: string;
}

export class ArtificePostProcessor implements PostProcessor {
  private config: ArtificeConfig | undefined;

  configSpec(): ConfigSpec {
    return ARTIFICE_CONFIG_SPEC;
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, ARTIFICE_CONFIG_SPEC, info, { placeholders: true });
    if (failed) return { diagnostics: reader.diagnostics };
    const files = reader.stringList("files") ?? [];
    reader.bool("keep_input_artifact");
    if (reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics };
    if (files.length === 0) reader.error("No files specified in artifice configuration");
    else this.config = { files, cwd: info.cwd };
    return { diagnostics: reader.diagnostics };
  }

  async postProcess(
    ui: Ui,
    artifact: Artifact,
    _signal: AbortSignal,
    _context: RunContext,
  ): Promise<PostProcessResult> {
    const config = this.config;
    if (config === undefined) throw notPrepared("artifice post-processor");
    if (artifact.files().length > 0) ui.say(`Discarding files from artifact: ${artifact.files().join(", ")}`);
    const files: string[] = [];
    for (const pattern of config.files) {
      let matches: string[];
      try {
        matches = goGlob(pattern, config.cwd);
      } catch (err) {
        if (err instanceof BadPatternError) throw artificeError(err.message);
        throw err;
      }
      for (const match of matches) {
        try {
          statSync(isAbsolute(match) ? match : resolve(config.cwd, match));
        } catch (err) {
          throw artificeError(`stat ${match}: ${goErrnoText(err)}`);
        }
        files.push(match);
      }
    }
    const result = new FilesArtifact(ARTIFICE_BUILDER_ID, files, config.cwd);
    ui.say(`Using these artifact files: ${files.join(", ")}`);
    return { artifact: result, keep: true, forceOverride: false };
  }
}

function artificeError(message: string): KilnError {
  return new KilnError(ErrorCode.PostProcessor, message);
}
