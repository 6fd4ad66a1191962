/**
 * The `checksum` post-processor: for each checksum type, hashes every file of the artifact and appends
 * `<hex digest>\t<file name>` lines to a checksum file named by the `output` template. Its artifact is the
 * input's files plus the checksum files it created; the input is always kept.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { appendFile, mkdir, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { listType, stringType } from "../../../hcl/index.js";
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
import { FilesArtifact } from "./artifact.js";

export const CHECKSUM_BUILDER_ID = "packer.post-processor.checksum";

export const CHECKSUM_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  checksum_types: { kind: "attribute", type: listType(stringType) },
  output: { kind: "attribute", type: stringType },
};

/** Packer's checksum types and the digests Node.js names them by. */
export const CHECKSUM_TYPES: ReadonlyMap<string, string> = new Map([
  ["md5", "md5"],
  ["sha1", "sha1"],
  ["sha224", "sha224"],
  ["sha256", "sha256"],
  ["sha384", "sha384"],
  ["sha512", "sha512"],
]);

export const DEFAULT_CHECKSUM_OUTPUT = "packer_{{.BuildName}}_{{.BuilderType}}_{{.ChecksumType}}.checksum";

interface ChecksumConfig {
  readonly types: readonly string[];
  readonly output: string;
  readonly info: BuildInfo;
}

export class ChecksumPostProcessor implements PostProcessor {
  private config: ChecksumConfig | undefined;

  configSpec(): ConfigSpec {
    return CHECKSUM_CONFIG_SPEC;
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    const { reader, failed } = decodePluginConfig(config, CHECKSUM_CONFIG_SPEC, info, {
      exclude: ["output"],
      placeholders: true,
    });
    if (failed) return { diagnostics: reader.diagnostics };
    // An absent list means md5; an empty one means no checksum at all, as in Packer.
    const types = reader.has("checksum_types") ? (reader.stringList("checksum_types") ?? []) : ["md5"];
    const output = reader.string("output") || DEFAULT_CHECKSUM_OUTPUT;
    if (reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics };
    for (const t of types) {
      if (!CHECKSUM_TYPES.has(t)) reader.error(`Unrecognized checksum type: ${t}`);
    }
    const invalid = validate(output, interpolateContext(info));
    if (invalid !== null) reader.error(`Error parsing target template: ${invalid}`);
    if (reader.diagnostics.length === 0) this.config = { types, output, info };
    return { diagnostics: reader.diagnostics };
  }

  async postProcess(
    _ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    _context: RunContext,
  ): Promise<PostProcessResult> {
    const config = this.config;
    if (config === undefined) throw notPrepared("checksum post-processor");
    const { info } = config;
    const local = (p: string): string => (isAbsolute(p) ? p : resolve(info.cwd, p));
    const files = [...artifact.files()];
    const created: string[] = [];
    const data: Record<string, unknown> = {
      ...(artifactGeneratedData(artifact) ?? {}),
      BuildName: info.buildName,
      BuilderType: info.builderType,
    };

    for (const type of config.types) {
      data.ChecksumType = type;
      for (const file of files) {
        throwIfAborted(signal);
        const rendered = renderOnce(config.output, interpolateContext(info, data));
        if ("error" in rendered) throw checksumError(rendered.error);
        const checksumFile = rendered.value;
        const target = local(checksumFile);
        if (!(await exists(target))) created.push(checksumFile);
        try {
          await mkdir(dirname(target), { recursive: true, mode: 0o755 });
        } catch (err) {
          throw checksumError(
            `unable to create dir: mkdir ${dirname(checksumFile)}: ${goErrnoText(err)}`,
            err,
          );
        }
        const digest = await hashFile(local(file), file, CHECKSUM_TYPES.get(type)!, signal);
        try {
          await appendFile(target, `${digest}\t${basename(file)}\n`, { mode: 0o644 });
        } catch (err) {
          throw checksumError(
            `unable to create file ${checksumFile}: open ${checksumFile}: ${goErrnoText(err)}`,
            err,
          );
        }
      }
    }
    return {
      artifact: new FilesArtifact(CHECKSUM_BUILDER_ID, [...files, ...created], info.cwd),
      keep: true,
      forceOverride: true,
    };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function hashFile(path: string, name: string, algorithm: string, signal: AbortSignal): Promise<string> {
  const hash = createHash(algorithm);
  const input = createReadStream(path);
  try {
    await new Promise<void>((resolveOpen, reject) => {
      input.once("open", () => resolveOpen());
      input.once("error", reject);
    });
  } catch (err) {
    throw checksumError(`unable to open file ${name}: open ${name}: ${goErrnoText(err)}`, err);
  }
  try {
    await pipeline(input, hash, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw checksumError(`unable to compute ${algorithm} hash for ${name}`, err);
  }
  return hash.digest("hex");
}

function checksumError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.PostProcessor, message, cause !== undefined ? { cause } : {});
}
