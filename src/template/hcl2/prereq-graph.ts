/**
 * The dependency graph of data sources and locals (Packer's buildPrereqsDAG over its internal dag package):
 * each `data.<type>.<name>` and `local.<name>` a vertex, an edge for every reference to another one. The
 * graph is checked for missing references, cycles (strongly connected components) and self references, with
 * Packer's error texts, and yields an evaluation order where every vertex comes after what it depends on.
 */
import type { Diagnostic, HclExpression, Range, Traversal } from "../../hcl/index.js";
import { traversalRootName } from "../../hcl/index.js";

export interface PrereqVertex<T> {
  /** The reference other vertices use: `data.<type>.<name>` or `local.<name>`. */
  readonly ref: string;
  /** How cycles name it: `<type>.<name>` for data sources (Packer's DatasourceBlock.Name), `local.<name>`. */
  readonly displayName: string;
  /** References (`data.x.y` / `local.z`) this vertex depends on, in source order. */
  readonly dependencies: readonly string[];
  /** Where it is declared: what a diagnostic about it points at. */
  readonly range: Range;
  readonly item: T;
}

/** go-multierror's list format. */
export function formatMultiErrorList(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0]}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join("\n\t")}\n\n`;
}

/** Tarjan's strongly connected components, in the order the algorithm closes them. */
function stronglyConnected(
  vertices: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): string[][] {
  let next = 1;
  const index = new Map<string, number>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  const visit = (v: string): number => {
    const idx = next++;
    index.set(v, idx);
    stack.push(v);
    let min = idx;
    for (const w of edges.get(v) ?? []) {
      const wi = index.get(w);
      if (wi === undefined) min = Math.min(min, visit(w));
      else if (stack.includes(w)) min = Math.min(min, wi);
    }
    if (idx === min) {
      const scc: string[] = [];
      for (;;) {
        const top = stack.pop()!;
        scc.push(top);
        if (top === v) break;
      }
      sccs.push(scc);
    }
    return min;
  };
  for (const v of vertices) if (!index.has(v)) visit(v);
  return sccs;
}

export type GraphResult<T> =
  | { readonly ok: true; readonly order: readonly PrereqVertex<T>[] }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

/** Orders the vertices so that dependencies come first, or explains why the graph is not acyclic. */
export function orderPrereqs<T>(vertices: readonly PrereqVertex<T>[]): GraphResult<T> {
  const byRef = new Map(vertices.map((v) => [v.ref, v] as const));
  const errors: string[] = [];
  // Packer's diagnostic has no range; kiln points at the first vertex involved.
  let subject: Range | undefined;
  const edges = new Map<string, string[]>();
  for (const v of vertices) {
    const out: string[] = [];
    for (const dep of v.dependencies) {
      if (!byRef.has(dep)) {
        errors.push(`could not get dependency "${dep}" for "${v.ref}", "${dep}" missing in template`);
        subject ??= v.range;
        continue;
      }
      if (!out.includes(dep)) out.push(dep);
    }
    edges.set(v.ref, out);
  }
  const name = (ref: string) => byRef.get(ref)!.displayName;
  const graphErrors: string[] = [];
  for (const scc of stronglyConnected(
    vertices.map((v) => v.ref),
    edges,
  )) {
    if (scc.length > 1) {
      graphErrors.push(`Cycle: ${scc.map(name).join(", ")}`);
      const first = vertices.find((v) => scc.includes(v.ref))!;
      subject ??= first.range;
    }
  }
  for (const v of vertices) {
    if ((edges.get(v.ref) ?? []).includes(v.ref)) {
      graphErrors.push(`Self reference: ${v.displayName}`);
      subject ??= v.range;
    }
  }
  // The cycle and self-reference errors are joined into one (errors.Join) before joining the others.
  if (graphErrors.length > 0) errors.push(graphErrors.join("\n"));
  if (errors.length > 0) {
    return {
      ok: false,
      diagnostic: {
        severity: "error",
        summary: "failed to prepare execution graph",
        detail: `An error occurred while building the graph for datasources/locals: ${formatMultiErrorList(errors)}`,
        ...(subject !== undefined ? { subject } : {}),
      },
    };
  }

  const order: PrereqVertex<T>[] = [];
  const done = new Set<string>();
  const visit = (ref: string): void => {
    if (done.has(ref)) return;
    done.add(ref);
    for (const dep of edges.get(ref) ?? []) visit(dep);
    order.push(byRef.get(ref)!);
  };
  for (const v of vertices) visit(v.ref);
  return { ok: true, order };
}

/**
 * The `data.<type>.<name>` and `local.<name>` references among `traversals` (Packer's
 * FilterTraversalsByType + NewRefStringFromDep); `var` references need no ordering.
 */
export function prereqReferences(traversals: readonly Traversal[]): string[] {
  const out: string[] = [];
  for (const t of traversals) {
    const root = traversalRootName(t);
    if (root === "local") {
      const a = t[1];
      if (a?.type === "attr") out.push(`local.${a.name}`);
    } else if (root === "data") {
      const a = t[1];
      const b = t[2];
      if (a?.type === "attr" && b?.type === "attr") out.push(`data.${a.name}.${b.name}`);
    }
  }
  return out;
}

/** Every traversal of the expressions (helper for bodies read as attribute lists). */
export function expressionTraversals(exprs: Iterable<HclExpression>): Traversal[] {
  const out: Traversal[] = [];
  for (const e of exprs) out.push(...e.variables());
  return out;
}
