/**
 * The `manifest` post-processor: records each build's artifact (name, builder type, time, files with their
 * sizes, artifact id, run UUID, custom data) in a JSON file that every build of a run appends to. With
 * -force, a file left by another run is started afresh. The input artifact is passed on, always kept.
 */
import { open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, isAbsolute, resolve } from "node:path";
import { boolType, mapType, stringType } from "../../../hcl/index.js";
import {
  type Artifact,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  errorMessage,
  KilnError,
  type PostProcessor,
  type PostProcessResult,
  type PrepareResult,
  type RunContext,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import { renderOnce, validate } from "../../../template/index.js";
import { goErrnoText } from "../../provisioner/shell-local/config.js";
import {
  artifactGeneratedData,
  decodePluginConfig,
  interpolateContext,
  notPrepared,
  PACKER_CONFIG_SPEC,
} from "../../provisioner/shell-local/plugin-config.js";
import { emptyManifest, type ManifestArtifact, marshalManifest, parseManifest } from "./manifest-file.js";

export const MANIFEST_BUILDER_ID = "packer.post-processor.manifest";

export const MANIFEST_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  output: { kind: "attribute", type: stringType },
  strip_path: { kind: "attribute", type: boolType },
  strip_time: { kind: "attribute", type: boolType },
  custom_data: { kind: "attribute", type: mapType(stringType) },
};

interface ManifestConfig {
  readonly output: string;
  readonly stripPath: boolean;
  readonly stripTime: boolean;
  readonly customData: Readonly<Record<string, string>> | undefined;
  readonly info: BuildInfo;
}

/** How long to wait before each try to take the lock file (Packer: 3 tries, 0, 200 and 400 ms). */
const LOCK_DELAYS_MS = [0, 200, 400];

export class ManifestPostProcessor implements PostProcessor {
  private config: ManifestConfig | undefined;
  /** The clock, in seconds since the epoch (tests replace it). */
  now: () => number = () => Math.floor(Date.now() / 1000);

  configSpec(): ConfigSpec {
    return MANIFEST_CONFIG_SPEC;
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, MANIFEST_CONFIG_SPEC, info, { placeholders: true });
    if (failed) return { diagnostics: reader.diagnostics };
    const output = reader.string("output") || "packer-manifest.json";
    const stripPath = reader.bool("strip_path") ?? false;
    const stripTime = reader.bool("strip_time") ?? false;
    const customData = reader.stringMap("custom_data");
    if (reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics };
    const invalid = validate(output, interpolateContext(info));
    if (invalid !== null) {
      reader.error(`Error parsing target template: ${invalid}`);
      return { diagnostics: reader.diagnostics };
    }
    this.config = { output, stripPath, stripTime, customData, info };
    return { diagnostics: reader.diagnostics };
  }

  async postProcess(
    _ui: Ui,
    source: Artifact,
    _signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult> {
    const config = this.config;
    if (config === undefined) throw notPrepared("manifest post-processor");
    const { info } = config;
    const ctx = interpolateContext(info, { ...(artifactGeneratedData(source) ?? {}) });

    let customData: Record<string, string> | null = null;
    if (config.customData !== undefined) {
      customData = {};
      for (const [key, text] of Object.entries(config.customData)) {
        const rendered = renderOnce(text, ctx);
        if ("error" in rendered) throw manifestError(`Error interpolating custom data: ${rendered.error}`);
        Object.defineProperty(customData, key, {
          value: rendered.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }

    const local = (p: string): string => (isAbsolute(p) ? p : resolve(info.cwd, p));
    const files = source.files();
    const entry: ManifestArtifact = {
      name: info.buildName,
      builder_type: info.builderType,
      build_time: config.stripTime ? 0 : this.now(),
      files:
        files.length === 0
          ? null
          : await Promise.all(
              files.map(async (name) => {
                let size = 0;
                try {
                  size = (await stat(local(name))).size;
                } catch {
                  // Packer records 0 for a file it cannot stat.
                }
                return { name: config.stripPath ? basename(name) : name, size };
              }),
            ),
      artifact_id: source.id(),
      packer_run_uuid: info.runUuid,
      custom_data: customData,
    };

    const output = local(config.output);
    const lock = `${output}.lock`;
    await takeLock(lock, context);
    try {
      let contents = "";
      try {
        contents = await readFile(output, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
          throw manifestError(
            `Unable to open ${config.output} for reading: open ${config.output}: ${goErrnoText(err)}`,
            err,
          );
        }
      }
      let manifest = emptyManifest();
      if (contents.length > 0) {
        const parsed = parseManifest(contents);
        if ("error" in parsed)
          throw manifestError(`Unable to parse content from ${config.output}: ${parsed.error}`);
        manifest = parsed.manifest;
      }
      if (info.force && info.runUuid !== manifest.last_run_uuid) manifest = emptyManifest();
      manifest.builds = [...(manifest.builds ?? []), entry];
      manifest.last_run_uuid = info.runUuid;
      try {
        await writeFile(output, marshalManifest(manifest), { mode: 0o664 });
      } catch (err) {
        throw manifestError(
          `Unable to write ${config.output}: open ${config.output}: ${goErrnoText(err)}`,
          err,
        );
      }
    } finally {
      await rm(lock, { force: true });
    }
    return { artifact: source, keep: true, forceOverride: true };
  }
}

/**
 * Packer's lock: the file `<output>.lock` created exclusively, tried three times; the manifest is written
 * even when the lock could not be taken, as Packer does.
 */
async function takeLock(path: string, context: RunContext): Promise<void> {
  for (const delay of LOCK_DELAYS_MS) {
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.close();
      return;
    } catch (err) {
      context.log.log(
        `Error locking manifest file for reading and writing. Will sleep and retry. ${errorMessage(err)}`,
      );
    }
  }
}

function manifestError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.PostProcessor, message, cause !== undefined ? { cause } : {});
}
