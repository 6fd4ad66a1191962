/**
 * The components templates may use: kiln's built-in builders, provisioners, post-processors and data
 * sources (the plugins layer's registry), as the template loader's ComponentCatalog.
 */
import type { ComponentRegistry } from "../plugins/index.js";
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

/**
 * The built-in components. Loaded on first use rather than imported: the plugin modules pull in most of Node's
 * networking, crypto and compression modules, which commands that never prepare a component (`validate
 * -syntax-only`, `fmt`, `version`) should not pay for at start-up.
 */
export async function loadBuiltinCatalog(): Promise<ComponentCatalog> {
  const { builtinComponents } = await import("../plugins/index.js");
  return catalogOf(builtinComponents);
}
