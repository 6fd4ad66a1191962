/**
 * The `compress` post-processor: packs the artifact's files into one archive named by the `output` template
 * (tar or zip, and/or gzip, BGZF, lz4, xz or bzip2, chosen by the name's extensions or `format`). The archive
 * replaces the artifact; the input is not kept by default.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { PassThrough, Readable } from "node:stream";
import yazl from "yazl";
import { numberType, stringType } from "../../../hcl/index.js";
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
  throwIfAborted,
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
import { CompressArtifact } from "./artifact.js";
import { makeCompressor } from "./compressors.js";
import { type Detected, detectFromFilename } from "./detect-format.js";
import { gnuTarStream, TarFileError } from "./gnu-tar.js";

const str = { kind: "attribute", type: stringType } as const;

export const COMPRESS_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  output: str,
  format: str,
  compression_level: { kind: "attribute", type: numberType },
  archive: str,
  algorithm: str,
};

export const DEFAULT_COMPRESS_OUTPUT = "packer_{{.BuildName}}_{{.BuilderType}}";

interface CompressConfig extends Detected {
  readonly output: string;
  /** After Packer's rules: above 9 is 9, 0 and -1 are the default (-1). */
  readonly level: number;
  readonly info: BuildInfo;
}

export class CompressPostProcessor implements PostProcessor {
  private config: CompressConfig | undefined;

  configSpec(): ConfigSpec {
    return COMPRESS_CONFIG_SPEC;
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, COMPRESS_CONFIG_SPEC, info, {
      exclude: ["output"],
      placeholders: true,
    });
    if (failed) return { diagnostics: reader.diagnostics };
    const output = reader.string("output") || DEFAULT_COMPRESS_OUTPUT;
    const format = reader.string("format") ?? "";
    let level = reader.int("compression_level") ?? 0;
    const given = { archive: reader.string("archive") ?? "", algorithm: reader.string("algorithm") ?? "" };
    if (reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics };
    if (level > 9) level = 9;
    // 0 would mean "store"; Packer cannot tell it from unset, so both mean the default.
    if (level === -1 || level === 0) level = -1;
    const invalid = validate(output, interpolateContext(info));
    if (invalid !== null) reader.error(`Error parsing target template: ${invalid}`);
    if (reader.diagnostics.length === 0) {
      this.config = { output, level, info, ...detectFromFilename(output, format, given) };
    }
    return { diagnostics: reader.diagnostics };
  }

  async postProcess(
    ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult> {
    const config = this.config;
    if (config === undefined) throw notPrepared("compress post-processor");
    throwIfAborted(signal);
    const { info } = config;
    const local = (p: string): string => (isAbsolute(p) ? p : resolve(info.cwd, p));
    const data = {
      ...(artifactGeneratedData(artifact) ?? {}),
      BuildName: info.buildName,
      BuilderType: info.builderType,
    };
    const rendered = renderOnce(config.output, interpolateContext(info, data));
    if ("error" in rendered) throw compressError(`Error interpolating output value: ${rendered.error}`);
    const target = rendered.value;
    context.log.log(target);

    try {
      await mkdir(local(dirname(target)), { recursive: true, mode: 0o755 });
    } catch (err) {
      throw compressError(
        `Unable to create dir for archive ${target}: mkdir ${dirname(target)}: ${goErrnoText(err)}`,
      );
    }
    const out = createWriteStream(local(target));
    try {
      await new Promise<void>((resolveOpen, reject) => {
        out.once("open", () => resolveOpen());
        out.once("error", reject);
      });
    } catch (err) {
      throw compressError(`Unable to create archive ${target}: open ${target}: ${goErrnoText(err)}`, err);
    }

    let done = false;
    try {
      const compressor = makeCompressor(config.algorithm, config.level, target, info.env, context.log);
      if (compressor.announcement !== undefined) ui.say(compressor.announcement);
      const compression = config.algorithm === "" ? "no compression" : config.algorithm;
      const files = artifact.files();
      switch (config.archive) {
        case "tar": {
          ui.say(`Tarring ${target} with ${compression}`);
          const tar = Readable.from(gnuTarStream(files, local, goErrnoText), { objectMode: false });
          await compressor.compress(tar, out, signal).catch((err: unknown) => {
            if (err instanceof TarFileError) throw compressError(`Error creating tar: ${err.message}`, err);
            throw err;
          });
          break;
        }
        case "zip": {
          ui.say(`Zipping ${target}`);
          await compressor.compress(zipStream(files, local), out, signal).catch((err: unknown) => {
            if (err instanceof TarFileError) throw compressError(`Error creating zip: ${err.message}`, err);
            throw err;
          });
          break;
        }
        default: {
          if (files.length !== 1) {
            throw compressError(
              `Can only have 1 input file when not using tar/zip. Found ${files.length} files: [${files.join(" ")}]`,
            );
          }
          const file = files[0]!;
          ui.say(`Archiving ${file} with ${compression}`);
          const source = createReadStream(local(file));
          try {
            await new Promise<void>((resolveOpen, reject) => {
              source.once("open", () => resolveOpen());
              source.once("error", reject);
            });
          } catch (err) {
            throw compressError(
              `Failed to open source file ${file} for reading: open ${file}: ${goErrnoText(err)}`,
              err,
            );
          }
          await compressor.compress(source, out, signal).catch((err: unknown) => {
            if (signal.aborted || err instanceof KilnError) throw err;
            throw compressError(`Failed to compress ${file}: ${goErrnoText(err)}`, err);
          });
        }
      }
      done = true;
    } finally {
      if (!done) out.destroy();
    }
    if (!out.closed) await new Promise<void>((r) => out.once("close", () => r()));
    ui.say(`Archive ${target} completed`);
    return { artifact: new CompressArtifact(target, info.cwd), keep: false, forceOverride: false };
  }
}

/**
 * A zip of `files` as Packer's compress makes it: each entry named by the path as given (with `/`),
 * deflated at Go's zip level 5, no timestamps.
 */
function zipStream(files: readonly string[], local: (path: string) => string): Readable {
  const zip = new yazl.ZipFile();
  const output = new PassThrough();
  zip.outputStream.pipe(output);
  (async () => {
    for (const path of files) {
      const source = createReadStream(local(path));
      try {
        await new Promise<void>((resolveOpen, reject) => {
          source.once("open", () => resolveOpen());
          source.once("error", reject);
        });
      } catch (err) {
        throw new TarFileError(`Unable to read file ${path}: open ${path}: ${goErrnoText(err)}`);
      }
      zip.addReadStream(source, path.replaceAll("\\", "/"), {
        compressionLevel: 5,
        mtime: new Date(0),
        forceDosTimestamp: true,
      });
    }
    zip.end();
  })().catch((err: unknown) => output.destroy(err as Error));
  return output;
}

function compressError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.PostProcessor, message, cause !== undefined ? { cause } : {});
}
