/**
 * The components templates may use: kiln's built-in builders, provisioners, post-processors and data
 * sources (the plugins layer's registry), as the template loader's ComponentCatalog.
 */
import { builtinComponents, type ComponentRegistry } from "../plugins/index.js";
import type { ComponentCatalog, ComponentSet } from "../template/index.js";

function setOf<T>(factories: ReadonlyMap<string, () => T>): ComponentSet<T> {
  return {
    get: (type) => factories.get(type),
    types: () => [...factories.keys()].sort(),
  };
}

/** A registry as a catalog. */
export function catalogOf(registry: ComponentRegistry): ComponentCatalog {
  return {
    builders: setOf(registry.builders),
    provisioners: setOf(registry.provisioners),
    postProcessors: setOf(registry.postProcessors),
    datasources: setOf(registry.datasources),
  };
}

/** The built-in components. */
export function builtinCatalog(): ComponentCatalog {
  return catalogOf(builtinComponents);
}
