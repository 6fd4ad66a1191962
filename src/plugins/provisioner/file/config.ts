/**
 * The `file` provisioner's configuration (Packer's provisioner/file Config and Prepare, §9.9).
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ConfigReader } from "../../../communicator/index.js";
import { boolType, type Diagnostic, listType, stringType } from "../../../hcl/index.js";
import type { AttributeSpec, BuildInfo, ConfigSpec, Value } from "../../../sdk/index.js";
import { PACKER_COMMON_CONFIG_SPEC } from "../shell/index.js";

const str: AttributeSpec = { kind: "attribute", type: stringType };

export const FILE_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_COMMON_CONFIG_SPEC,
  content: str,
  source: str,
  sources: { kind: "attribute", type: listType(stringType) },
  destination: str,
  direction: str,
  generated: { kind: "attribute", type: boolType },
};

export type FileDirection = "upload" | "download";

export interface FileConfig {
  readonly content: string;
  /** `sources` followed by `source`, as Packer appends it. */
  readonly sources: readonly string[];
  readonly destination: string;
  readonly direction: FileDirection;
  readonly generated: boolean;
}

export interface DecodeFileResult {
  readonly config: FileConfig | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** A local path as the user wrote it, resolved against the working directory. */
export function localPath(path: string, cwd: string): string {
  if (isAbsolute(path)) return path;
  const resolved = resolve(cwd, path);
  // resolve() drops a trailing slash, which means "the directory's contents" here.
  return path.endsWith("/") && !resolved.endsWith("/") ? `${resolved}/` : resolved;
}

export function decodeFileConfig(value: Value | undefined, info: BuildInfo): DecodeFileResult {
  const r = new ConfigReader(value);
  const content = r.string("content") ?? "";
  const source = r.string("source") ?? "";
  const sources = [...(r.stringList("sources") ?? [])];
  const destination = r.string("destination") ?? "";
  const direction = r.string("direction") || "upload";
  const generated = r.bool("generated") ?? false;
  if (r.diagnostics.length > 0) return { config: undefined, diagnostics: r.diagnostics };

  if (direction !== "download" && direction !== "upload")
    r.error("Direction must be one of: download, upload.");
  if (source !== "") sources.push(source);
  if (direction === "upload" && !generated) {
    for (const src of sources) {
      try {
        statSync(localPath(src, info.cwd));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        r.error(
          `Bad source '${src}': stat ${src}: ${code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
        );
      }
    }
  }
  if (sources.length > 0 && content !== "") r.error("source(s) conflicts with content.");
  if (destination === "") r.error("Destination must be specified.");
  if (r.diagnostics.some((d) => d.severity === "error"))
    return { config: undefined, diagnostics: r.diagnostics };
  return {
    config: { content, sources, destination, direction: direction as FileDirection, generated },
    diagnostics: r.diagnostics,
  };
}
