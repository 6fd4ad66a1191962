/**
 * The artifact of post-processors that produce a list of files (checksum, artifice): its id is empty and
 * destroying it removes every file, recursively.
 */
import { rm } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { Artifact } from "../../../sdk/index.js";

export class FilesArtifact implements Artifact {
  constructor(
    private readonly builder: string,
    private readonly paths: readonly string[],
    private readonly cwd: string,
  ) {}

  builderId(): string {
    return this.builder;
  }
  files(): readonly string[] {
    return this.paths;
  }
  id(): string {
    return "";
  }
  string(): string {
    return `Created artifact from files: ${this.paths.join(", ")}`;
  }
  state(): unknown {
    return undefined;
  }
  async destroy(): Promise<void> {
    for (const f of this.paths)
      await rm(isAbsolute(f) ? f : resolve(this.cwd, f), { recursive: true, force: true });
  }
}
