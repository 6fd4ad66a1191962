/**
 * The components a template may name, as the loader sees them: for each kind, a factory per type name. The
 * template layer knows no registry of its own (it may depend only on hcl and sdk); the caller passes the
 * built-in components (and, later, the ones external plugins provide) through this interface.
 */
import type { Builder, Datasource, PostProcessor, Provisioner } from "../../sdk/index.js";

/** The components of one kind, by type name (`null`, `shell-local`, ...). */
export interface ComponentSet<T> {
  /** A factory for a new instance of `type`, or undefined when the type is unknown. */
  get(type: string): (() => T) | undefined;
  /** Every known type name (for "Did you mean" suggestions and "known data sources" lists). */
  types(): readonly string[];
}

export interface ComponentCatalog {
  readonly builders: ComponentSet<Builder>;
  readonly provisioners: ComponentSet<Provisioner>;
  readonly postProcessors: ComponentSet<PostProcessor>;
  readonly datasources: ComponentSet<Datasource>;
}

/** A ComponentSet over a plain record of factories. */
export function componentSet<T>(factories: Readonly<Record<string, () => T>>): ComponentSet<T> {
  return {
    get: (type) => (Object.hasOwn(factories, type) ? factories[type] : undefined),
    types: () => Object.keys(factories).sort(),
  };
}

const EMPTY: ComponentSet<never> = { get: () => undefined, types: () => [] };

/** A catalog with nothing in it (for syntax-only checks, which never start a component). */
export function emptyCatalog(): ComponentCatalog {
  return { builders: EMPTY, provisioners: EMPTY, postProcessors: EMPTY, datasources: EMPTY };
}
