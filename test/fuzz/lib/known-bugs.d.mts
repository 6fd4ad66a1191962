// Types for known-bugs.mjs.
export interface KnownBug {
  readonly id: string;
  readonly kind: string;
  readonly note: string;
  readonly matches: (text: string, message: string) => boolean;
}
export const KNOWN_BUGS: readonly KnownBug[];
export function knownBugFor(failure: { kind: string; message: string }, text: string): KnownBug | undefined;
