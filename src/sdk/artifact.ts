import type { GeneratedData } from "./hook.js";

/**
 * What a build produces (Packer's packersdk.Artifact): a builder's output, or a post-processor's.
 */
export interface Artifact {
  /** Identifies the component that made it (e.g. `fnoeding.null`, `packer.file`); post-processors check it. */
  builderId(): string;
  /** Local files that make up the artifact (may be empty). */
  files(): readonly string[];
  /** A machine-friendly identifier (an image id, `Null`, ...). */
  id(): string;
  /** The human-readable description printed in the build summary (`--> build: <string>`). */
  string(): string;
  /**
   * Builder-specific state by name; `generated_data` holds the builder's generated data (a GeneratedData
   * record) for post-processors. Undefined when unknown.
   */
  state(name: string): unknown;
  /** Deletes what the artifact refers to; called when no one keeps it (§8.5). */
  destroy(signal?: AbortSignal): Promise<void>;
}

export interface BasicArtifactInit {
  readonly builderId: string;
  readonly id: string;
  readonly string: string;
  readonly files?: readonly string[];
  readonly state?: Readonly<Record<string, unknown>>;
  readonly destroy?: (signal?: AbortSignal) => Promise<void>;
}

/** An Artifact from plain data; destroy() does nothing unless given. */
export function basicArtifact(init: BasicArtifactInit): Artifact {
  const files = Object.freeze([...(init.files ?? [])]);
  const state = init.state ?? {};
  return {
    builderId: () => init.builderId,
    files: () => files,
    id: () => init.id,
    string: () => init.string,
    state: (name) => (Object.hasOwn(state, name) ? state[name] : undefined),
    destroy: init.destroy ?? (async () => {}),
  };
}

/**
 * The generated data an artifact carries for post-processors (its `generated_data` state), as a GeneratedData
 * record: a plain object or a Map, keeping its string, number and boolean values. Undefined when the artifact
 * carries none.
 */
export function artifactGeneratedData(artifact: Artifact): GeneratedData | undefined {
  const data = artifact.state("generated_data");
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const entries = data instanceof Map ? [...data.entries()] : Object.entries(data as Record<string, unknown>);
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of entries) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[String(k)] = v;
  }
  return out;
}
