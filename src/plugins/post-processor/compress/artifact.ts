/**
 * The artifact of `compress`: the archive it wrote. Destroying it removes the file.
 */
import { rm } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { Artifact } from "../../../sdk/index.js";

export const COMPRESS_BUILDER_ID = "packer.post-processor.compress";

export class CompressArtifact implements Artifact {
  constructor(
    readonly path: string,
    private readonly cwd: string,
  ) {}

  builderId(): string {
    return COMPRESS_BUILDER_ID;
  }
  files(): readonly string[] {
    return [this.path];
  }
  id(): string {
    return "";
  }
  string(): string {
    return `compressed artifacts in: ${this.path}`;
  }
  state(): unknown {
    return undefined;
  }
  async destroy(): Promise<void> {
    await rm(isAbsolute(this.path) ? this.path : resolve(this.cwd, this.path));
  }
}
