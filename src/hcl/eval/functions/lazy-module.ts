/**
 * Loads a Node built-in or a package on first use instead of at import.
 *
 * Contract: `lazyModule<T>(id)` returns a getter; the first call requires `id` (relative to this file, so from
 * the project's node_modules) and later calls return the same module. Only ids that can be required (built-ins,
 * packages with a CommonJS entry) may be given.
 *
 * Why: the functions' heavy dependencies (yaml, re2js, bcryptjs, iconv-lite, node:crypto) are needed only when
 * a template calls the function, and importing them all at start-up costs tens of milliseconds on every run of
 * every command.
 */
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireHere(id) as T;
    return loaded;
  };
}
