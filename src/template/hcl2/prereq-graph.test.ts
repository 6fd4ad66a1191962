import { describe, expect, it } from "vitest";
import type { Range } from "../../hcl/index.js";
import { orderPrereqs, type PrereqVertex } from "./prereq-graph.js";

const at = (line: number): Range => ({
  filename: "a.pkr.hcl",
  start: { line, column: 1, byte: 0 },
  end: { line, column: 2, byte: 1 },
});

function v(ref: string, deps: string[], line = 1): PrereqVertex<string> {
  const displayName = ref.startsWith("data.") ? ref.slice(5) : ref;
  return { ref, displayName, dependencies: deps, range: at(line), item: ref };
}

describe("orderPrereqs", () => {
  it("puts dependencies first", () => {
    const r = orderPrereqs([
      v("local.a", ["local.b", "data.null.d"]),
      v("local.b", []),
      v("data.null.d", ["local.b"]),
    ]);
    expect(r.ok && r.order.map((x) => x.ref)).toEqual(["local.b", "data.null.d", "local.a"]);
  });

  it("reports cycles, self references and missing references like Packer", () => {
    const cycle = orderPrereqs([v("local.a", ["local.b"], 2), v("local.b", ["local.a"], 3)]);
    expect(cycle.ok).toBe(false);
    if (cycle.ok) return;
    expect(cycle.diagnostic.summary).toBe("failed to prepare execution graph");
    expect(cycle.diagnostic.detail).toBe(
      "An error occurred while building the graph for datasources/locals: 1 error occurred:\n\t* Cycle: local.b, local.a\n\n",
    );
    expect(cycle.diagnostic.subject?.start.line).toBe(2);

    const self = orderPrereqs([v("data.null.d", ["data.null.d"])]);
    expect(!self.ok && self.diagnostic.detail).toContain("* Self reference: null.d");

    const missing = orderPrereqs([v("local.a", ["local.nope"]), v("local.x", ["local.x"])]);
    expect(!missing.ok && missing.diagnostic.detail).toBe(
      'An error occurred while building the graph for datasources/locals: 2 errors occurred:\n\t* could not get dependency "local.nope" for "local.a", "local.nope" missing in template\n\t* Self reference: local.x\n\n',
    );
  });
});
