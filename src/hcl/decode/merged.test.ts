import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostic.js";
import { formatRange } from "../syntax/go-compat.js";
import { parseConfig } from "../syntax/parser.js";
import type { Body } from "./body.js";
import { emptyBody, MergedBodies, mergeBodies } from "./merged.js";
import { nativeBody } from "./native-body.js";

function body(src: string, filename: string): Body {
  const { body, diagnostics } = parseConfig(src, filename);
  expect(diagnostics).toEqual([]);
  return nativeBody(body);
}

function summarize(diags: readonly Diagnostic[]): string[] {
  return diags.map(
    (d) => `${d.summary} | ${d.detail} | ${d.subject === undefined ? "none" : formatRange(d.subject)}`,
  );
}

const base = body('communicator = "ssh"\nimage = "a"\nprovisioner "shell" {}\n', "base.pkr.hcl");
const override = body('image = "b"\nname = "n"\nprovisioner "file" {}\n', "build.pkr.hcl");

describe("mergeBodies", () => {
  it("concatenates blocks and reports an argument set by two bodies", () => {
    const merged = mergeBodies([base, override]);
    const { content, diagnostics } = merged.content({
      attributes: [{ name: "communicator" }, { name: "image" }, { name: "name" }],
      blocks: [{ type: "provisioner", labelNames: ["type"] }],
    });
    expect(summarize(diagnostics)).toEqual([
      'Duplicate argument | Argument "image" was already set at base.pkr.hcl:2,1-6 | build.pkr.hcl:1,1-6',
    ]);
    expect(content.attributes.get("image")?.nameRange.filename).toBe("base.pkr.hcl");
    expect([...content.attributes.keys()]).toEqual(["communicator", "image", "name"]);
    expect(content.blocks.map((b) => b.labels[0])).toEqual(["shell", "file"]);
  });

  it("checks required arguments over all bodies, without a source range", () => {
    const merged = mergeBodies([base, override]);
    expect(
      merged.content({ attributes: [{ name: "name", required: true }] }).diagnostics.map((d) => d.summary),
    ).not.toContain("Missing required argument");
    const { diagnostics } = merged.partialContent({ attributes: [{ name: "missing", required: true }] });
    expect(summarize(diagnostics)).toEqual([
      'Missing required argument | The argument "missing" is required, but was not set. | none',
    ]);
  });

  it("merges what partialContent leaves", () => {
    const merged = mergeBodies([base, override]);
    const first = merged.partialContent({ attributes: [{ name: "image" }] });
    expect(first.diagnostics.map((d) => d.summary)).toEqual(["Duplicate argument"]);
    const rest = first.remain.justAttributes();
    expect([...rest.attributes.keys()]).toEqual(["communicator", "name"]);
    expect(rest.diagnostics.map((d) => d.summary)).toEqual([
      'Unexpected "provisioner" block',
      'Unexpected "provisioner" block',
    ]);
  });

  it("reports duplicates from justAttributes", () => {
    const { attributes, diagnostics } = mergeBodies([
      body("a = 1\n", "x.hcl"),
      body("b = 1\na = 2\n", "y.hcl"),
    ]).justAttributes();
    expect([...attributes.keys()]).toEqual(["a", "b"]);
    expect(summarize(diagnostics)).toEqual([
      'Duplicate argument | Argument "a" was already set at x.hcl:1,1-2 | y.hcl:2,1-2',
    ]);
  });

  it("flattens nested merges and gives the empty body for nothing", () => {
    const m = mergeBodies([mergeBodies([base]), emptyBody(), override]);
    expect(m).toBeInstanceOf(MergedBodies);
    expect((m as MergedBodies).bodies).toEqual([base, override]);
    expect(mergeBodies([])).toBe(emptyBody());
    expect(mergeBodies([emptyBody(), emptyBody()])).toBe(emptyBody());
    expect(emptyBody().missingItemRange().filename).toBe("<empty>");
    expect(m.missingItemRange().filename).toBe("base.pkr.hcl");
  });
});
