/**
 * The file builder's artifact: the one file it wrote. Destroying it removes the file.
 */
import { rm } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { Artifact } from "../../../sdk/index.js";

export const FILE_BUILDER_ID = "packer.file";

export class FileArtifact implements Artifact {
  /**
   * @param filename the target as the template gave it (what files() and string() show)
   * @param cwd the directory a relative filename is relative to
   */
  constructor(
    readonly filename: string,
    private readonly cwd: string,
  ) {}

  builderId(): string {
    return FILE_BUILDER_ID;
  }
  files(): readonly string[] {
    return [this.filename];
  }
  id(): string {
    return "File";
  }
  string(): string {
    return `Stored file: ${this.filename}`;
  }
  state(): unknown {
    return undefined;
  }
  async destroy(): Promise<void> {
    await rm(isAbsolute(this.filename) ? this.filename : resolve(this.cwd, this.filename));
  }
}
