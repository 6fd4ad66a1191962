/**
 * Several bodies read as one (hcl.MergeBodies / hcl.MergeFiles / hcl.EmptyBody): the files of a
 * configuration directory, or a `source` block's body overlaid with the overrides of a build's
 * `source "..." { ... }` block. Blocks are concatenated in order; an argument defined by two of the bodies
 * is a "Duplicate argument" error.
 */
import type { Diagnostic, Range } from "../diagnostic.js";
import { formatRange, goQuote } from "../syntax/go-compat.js";
import type {
  AttributeSchema,
  Body,
  BodySchema,
  ContentResult,
  HclAttribute,
  HclBlock,
  JustAttributesResult,
  PartialContentResult,
} from "./body.js";

function duplicateArgument(name: string, existing: HclAttribute, attr: HclAttribute): Diagnostic {
  return {
    severity: "error",
    summary: "Duplicate argument",
    detail: `Argument ${goQuote(name)} was already set at ${formatRange(existing.nameRange)}`,
    subject: attr.nameRange,
  };
}

export class MergedBodies implements Body {
  constructor(readonly bodies: readonly Body[]) {}

  content(schema: BodySchema): ContentResult {
    const { content, diagnostics } = this.mergedContent(schema, false);
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): PartialContentResult {
    return this.mergedContent(schema, true);
  }

  justAttributes(): JustAttributesResult {
    const attributes = new Map<string, HclAttribute>();
    const diagnostics: Diagnostic[] = [];
    for (const body of this.bodies) {
      const r = body.justAttributes();
      diagnostics.push(...r.diagnostics);
      for (const [name, attr] of r.attributes) {
        const existing = attributes.get(name);
        if (existing !== undefined) {
          diagnostics.push(duplicateArgument(name, existing, attr));
          continue;
        }
        attributes.set(name, attr);
      }
    }
    return { attributes, diagnostics };
  }

  missingItemRange(): Range {
    const first = this.bodies[0];
    if (first === undefined) {
      // HCL has nothing useful to return here either.
      const zero = { line: 0, column: 0, byte: 0 };
      return { filename: "<empty>", start: zero, end: zero };
    }
    return first.missingItemRange();
  }

  private mergedContent(schema: BodySchema, partial: boolean): PartialContentResult {
    // Any one body may provide a required attribute, so the bodies are read with nothing required and
    // the requirement is checked over the merged result.
    const mergedSchema: BodySchema = {
      attributes: (schema.attributes ?? []).map((a): AttributeSchema => ({ name: a.name })),
      blocks: schema.blocks ?? [],
    };
    const attributes = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    const leftovers: Body[] = [];
    const diagnostics: Diagnostic[] = [];

    for (const body of this.bodies) {
      let r: { content: PartialContentResult["content"]; diagnostics: Diagnostic[] };
      if (partial) {
        const p = body.partialContent(mergedSchema);
        leftovers.push(p.remain);
        r = p;
      } else {
        r = body.content(mergedSchema);
      }
      diagnostics.push(...r.diagnostics);
      for (const [name, attr] of r.content.attributes) {
        const existing = attributes.get(name);
        if (existing !== undefined) {
          diagnostics.push(duplicateArgument(name, existing, attr));
          continue;
        }
        attributes.set(name, attr);
      }
      blocks.push(...r.content.blocks);
    }

    for (const attrS of schema.attributes ?? []) {
      if (attrS.required !== true || attributes.has(attrS.name)) continue;
      // No single body is to blame, so (as in HCL) this diagnostic has no source range.
      diagnostics.push({
        severity: "error",
        summary: "Missing required argument",
        detail: `The argument ${goQuote(attrS.name)} is required, but was not set.`,
      });
    }

    return {
      content: { attributes, blocks, missingItemRange: this.missingItemRange() },
      remain: mergeBodies(leftovers),
      diagnostics,
    };
  }
}

const EMPTY = new MergedBodies([]);

/** A body with no content (hcl.EmptyBody). */
export function emptyBody(): Body {
  return EMPTY;
}

/** hcl.MergeBodies: nested merged bodies are flattened; no bodies gives the empty body. */
export function mergeBodies(bodies: readonly Body[]): Body {
  if (bodies.length === 0) return EMPTY;
  if (!bodies.some((b) => b instanceof MergedBodies)) return new MergedBodies([...bodies]);
  const flat: Body[] = [];
  for (const b of bodies) {
    if (b instanceof MergedBodies) flat.push(...b.bodies);
    else flat.push(b);
  }
  return flat.length === 0 ? EMPTY : new MergedBodies(flat);
}
