// Types for engine.mjs (the harness is plain JavaScript so scripts/fuzz-hcl.mjs runs it without a build).
export interface Target {
  readonly name: string;
  readonly module: string;
  readonly export: string;
  readonly optional?: boolean;
  readonly data?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: whatever the module exports
  readonly table?: (exported: any) => Record<string, unknown>;
}
export interface Engine {
  // biome-ignore lint/suspicious/noExplicitAny: the entry points of whichever engine build is loaded
  fn: Record<string, any>;
  modules: Record<string, unknown>;
  active: string[];
  missing: string[];
  functions: Map<string, unknown>;
}
export const TARGETS: readonly Target[];
export function loadEngine(importModule: (rel: string) => Promise<Record<string, unknown>>): Promise<Engine>;
