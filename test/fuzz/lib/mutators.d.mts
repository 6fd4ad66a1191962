// Types for mutators.mjs.
import type { Arbitrary } from "fast-check";

export interface Edit {
  op: string;
  pos: number;
  len: number;
  arg: number;
}
export const REPO_ROOT: string;
export const SEED_DIRS: readonly string[];
export const DICTIONARY: readonly string[];
export function loadSeeds(dirs?: readonly string[], ending?: string): { path: string; text: string }[];
export function roughTokens(text: string): string[];
export function applyEdits(text: string, edits: readonly Edit[], donors: readonly string[]): string;
export function mutated(base: Arbitrary<string>, donors: readonly string[]): Arbitrary<string>;
