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
