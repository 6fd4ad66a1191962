// Types for properties.mjs.
import type { Engine } from "./engine.mjs";

export interface Failure {
  kind: string;
  message: string;
}
export interface CheckOptions {
  slowMs?: number;
  mustParse?: boolean;
}
export function checkInput(engine: Engine, text: string, options?: CheckOptions): Failure | undefined;
export function firstTokenDifference(
  a: readonly { type: string; bytes: string }[],
  b: readonly { type: string; bytes: string }[],
): string | undefined;
export function evalContext(engine: Engine): unknown;
export function describeError(err: unknown): string;
export function spacedDotAfterNumber(
  tokens: readonly { type: string; range: { start: { byte: number }; end: { byte: number } } }[],
): boolean;
