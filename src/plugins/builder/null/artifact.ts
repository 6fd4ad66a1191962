/**
 * The null builder's artifact: nothing was exported; it carries the generated data `{ID: "Null"}`.
 */
import type { Artifact } from "../../../sdk/index.js";

export const NULL_BUILDER_ID = "fnoeding.null";

export class NullArtifact implements Artifact {
  builderId(): string {
    return NULL_BUILDER_ID;
  }
  files(): readonly string[] {
    return [];
  }
  id(): string {
    return "Null";
  }
  string(): string {
    return "Did not export anything. This is the null builder";
  }
  state(name: string): unknown {
    return name === "generated_data" ? { ID: "Null" } : undefined;
  }
  async destroy(): Promise<void> {}
}
