/**
 * The `file` builder: writes one file (a copy of `source`, or `content`) to `target`, runs the provisioners
 * with a communicator that reaches no machine, and returns the file as its artifact. Fast, for tests.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { stringType } from "../../../hcl/index.js";
import {
  type Artifact,
  type Builder,
  type BuilderPrepareResult,
  type BuilderRunContext,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  HOOK_PROVISION,
  type Hook,
  KilnError,
  throwIfAborted,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import { goErrnoText } from "../../provisioner/shell-local/config.js";
import {
  decodePluginConfig,
  notPrepared,
  PACKER_CONFIG_SPEC,
} from "../../provisioner/shell-local/plugin-config.js";
import { FileArtifact } from "./artifact.js";
import { MockCommunicator } from "./mock-communicator.js";

const str = { kind: "attribute", type: stringType } as const;

export const FILE_BUILDER_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  source: str,
  target: str,
  content: str,
};

interface FileConfig {
  readonly source: string;
  readonly target: string;
  readonly content: string;
  readonly cwd: string;
}

export class FileBuilder implements Builder {
  private config: FileConfig | undefined;

  configSpec(): ConfigSpec {
    return FILE_BUILDER_CONFIG_SPEC;
  }

  prepare(config: Value, info: BuildInfo): BuilderPrepareResult {
    const { reader, failed } = decodePluginConfig(config, FILE_BUILDER_CONFIG_SPEC, info);
    if (failed) return { diagnostics: reader.diagnostics, generatedDataKeys: [] };
    const source = reader.string("source") ?? "";
    const target = reader.string("target") ?? "";
    const content = reader.string("content") ?? "";
    if (reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics, generatedDataKeys: [] };
    if (target === "") reader.error("target required");
    if (content === "" && source === "") {
      reader.warning("Both source file and contents are blank; target will have no content");
    }
    if (content !== "" && source !== "") reader.error("Cannot specify source file AND content");
    if (!reader.diagnostics.some((d) => d.severity === "error")) {
      this.config = { source, target, content, cwd: info.cwd };
    }
    return { diagnostics: reader.diagnostics, generatedDataKeys: [] };
  }

  async run(
    ui: Ui,
    hook: Hook,
    signal: AbortSignal,
    _context: BuilderRunContext,
  ): Promise<Artifact | undefined> {
    const config = this.config;
    if (config === undefined) throw notPrepared("file builder");
    throwIfAborted(signal);
    const local = (p: string): string => (isAbsolute(p) ? p : resolve(config.cwd, p));
    const target = local(config.target);
    const dir = dirname(config.target);
    if (dir !== ".") {
      await fsStep("mkdir", dir, () => mkdir(local(dir), { recursive: true, mode: 0o755 }));
    }

    if (config.source !== "") {
      const source = createReadStream(local(config.source));
      await fsStep("open", config.source, () => opened(source));
      const out = createWriteStream(target);
      try {
        await fsStep("open", config.target, () => opened(out));
      } catch (err) {
        source.destroy();
        throw err;
      }
      ui.say(`Copying ${config.source} to ${config.target}`);
      try {
        await pipeline(source, out, { signal });
      } catch (err) {
        if (signal.aborted) throw err;
        throw fsError("write", config.target, err);
      }
      ui.say(`Copied ${out.bytesWritten} bytes`);
    } else {
      // An empty content makes an empty file.
      await fsStep("open", config.target, () => writeFile(target, config.content, { mode: 0o600 }));
    }

    await hook.run(HOOK_PROVISION, ui, new MockCommunicator(), {}, signal);
    return new FileArtifact(config.target, config.cwd);
  }
}

/** Resolves when a file stream has opened its file; rejects with the open error. */
function opened(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
}

async function fsStep(op: string, path: string, f: () => Promise<unknown>): Promise<void> {
  try {
    await f();
  } catch (err) {
    throw fsError(op, path, err);
  }
}

/** Go's *PathError text: `open x: no such file or directory`. */
function fsError(op: string, path: string, err: unknown): KilnError {
  return new KilnError(ErrorCode.Builder, `${op} ${path}: ${goErrnoText(err)}`, { cause: err });
}
