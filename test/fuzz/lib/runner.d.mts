// Types for runner.mjs.
import type { Arbitrary } from "fast-check";
import type { Engine } from "./engine.mjs";

export interface FuzzInput {
  text: string;
  origin: string;
  mustParse: boolean;
}
export interface FuzzFailure {
  kind: string;
  message: string;
  input: string;
  minimized: string;
  origin: string;
  path?: string;
}
export interface FuzzReport {
  runs: number;
  seed: number;
  elapsedMs: number;
  origins: Record<string, number>;
  knownBugHits: Record<string, number>;
  failure?: FuzzFailure;
}
export interface FuzzOptions {
  engine: Engine;
  runs: number;
  seed: number;
  seedTexts: readonly string[];
  jsonSeedTexts?: readonly string[];
  path?: string;
  slowMs?: number;
  strict?: boolean;
  minimizeMs?: number;
  onCase?: (input: FuzzInput) => void;
  onProgress?: (done: number) => void;
}
export function inputArbitrary(
  seedTexts: readonly string[],
  jsonSeedTexts?: readonly string[],
): Arbitrary<FuzzInput>;
export function runFuzz(opts: FuzzOptions): FuzzReport;
export function describeFailure(report: FuzzReport): string;
