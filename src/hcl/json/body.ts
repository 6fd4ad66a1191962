/**
 * JSON values as bodies (hcl/json's body), per HCL's JSON specification:
 * - a body is an object, or an array of objects whose properties are read in order as one body;
 * - the schema decides what a property is: an argument, or one or more blocks of that type;
 * - a block's labels are the property names of one nested object (or array of objects) per label, and after
 *   the labels an object is one block body, an array of objects several blocks with the same labels;
 * - a property named "//" is a comment and ignored in bodies (not in expressions);
 * - repeated property names are kept: the same block type may appear several times; an argument set twice
 *   is a "Duplicate argument" error.
 */

import type {
  BlockHeaderSchema,
  Body,
  BodySchema,
  ContentResult,
  HclAttribute,
  HclBlock,
  JustAttributesResult,
  PartialContentResult,
} from "../decode/body.js";
import type { Diagnostic, Range } from "../diagnostic.js";
import { rangeBetween } from "../diagnostic.js";
import { formatRange, goQuote, nameSuggestion } from "../syntax/go-compat.js";
import { JSONExpression } from "./expression.js";
import { type Node, nodeRange, nodeStartRange, type ObjectAttr } from "./parser.js";

function incorrectType(detail: string, subject: Range): Diagnostic {
  return { severity: "error", summary: "Incorrect JSON value type", detail, subject };
}

function attributeOf(name: string, jsonAttr: ObjectAttr): HclAttribute {
  return {
    name,
    expr: new JSONExpression(jsonAttr.value),
    range: rangeBetween(jsonAttr.nameRange, nodeRange(jsonAttr.value)),
    nameRange: jsonAttr.nameRange,
  };
}

/**
 * The properties of an object, or of every object in an array, in order (hcl/json's collectDeepAttrs).
 * `labelName` only tailors the messages to label levels.
 */
function collectDeepAttrs(v: Node, labelName: string | undefined): [ObjectAttr[], Diagnostic[]] {
  const diags: Diagnostic[] = [];
  const attrs: ObjectAttr[] = [];
  switch (v.kind) {
    case "null":
      break;
    case "object":
      attrs.push(...v.attrs);
      break;
    case "array":
      for (const ev of v.values) {
        if (ev.kind === "object") {
          attrs.push(...ev.attrs);
        } else if (labelName !== undefined) {
          diags.push(
            incorrectType(
              `A JSON object is required here, to specify ${labelName} labels for this block.`,
              nodeStartRange(ev),
            ),
          );
        } else {
          diags.push(
            incorrectType(
              "A JSON object is required here, to define arguments and child blocks.",
              nodeStartRange(ev),
            ),
          );
        }
      }
      break;
    default:
      diags.push(
        incorrectType(
          labelName !== undefined
            ? `Either a JSON object or JSON array of objects is required here, to specify ${labelName} labels for this block.`
            : "Either a JSON object or JSON array of objects is required here, to define arguments and child blocks.",
          nodeStartRange(v),
        ),
      );
  }
  return [attrs, diags];
}

/** A JSON value read as a body. `hiddenAttrs` are the names used by earlier partialContent calls. */
export class JSONBody implements Body {
  constructor(
    readonly node: Node,
    private readonly hiddenAttrs: ReadonlySet<string> = new Set(),
  ) {}

  missingItemRange(): Range {
    const v = this.node;
    if (v.kind === "object") return v.closeRange;
    if (v.kind === "array") return v.openRange;
    // Only for broken input read in part.
    return nodeStartRange(v);
  }

  partialContent(schema: BodySchema): PartialContentResult {
    const [jsonAttrs, diagnostics] = collectDeepAttrs(this.node, undefined);
    const usedNames = new Set(this.hiddenAttrs);
    const attributes = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];

    const attrSchemas = new Map((schema.attributes ?? []).map((a) => [a.name, a] as const));
    const blockSchemas = new Map((schema.blocks ?? []).map((b) => [b.type, b] as const));

    for (const jsonAttr of jsonAttrs) {
      const attrName = jsonAttr.name;
      if (this.hiddenAttrs.has(attrName)) continue;
      const attrS = attrSchemas.get(attrName);
      if (attrS !== undefined) {
        const existing = attributes.get(attrName);
        if (existing !== undefined) {
          diagnostics.push({
            severity: "error",
            summary: "Duplicate argument",
            detail: `The argument ${goQuote(attrName)} was already set at ${formatRange(existing.range)}.`,
            subject: jsonAttr.nameRange,
            // HCL's objectAttr.Range() is the name's range.
            context: jsonAttr.nameRange,
          });
          continue;
        }
        attributes.set(attrS.name, attributeOf(attrS.name, jsonAttr));
        usedNames.add(attrName);
        continue;
      }
      const blockS = blockSchemas.get(attrName);
      if (blockS !== undefined) {
        diagnostics.push(...unpackBlock(jsonAttr.value, blockS, jsonAttr.nameRange, blocks));
        usedNames.add(attrName);
      }
      // Anything else is left for a later schema; content() reports what is left over.
    }

    for (const attrS of schema.attributes ?? []) {
      if (attrS.required !== true || attributes.has(attrS.name)) continue;
      diagnostics.push({
        severity: "error",
        summary: "Missing required argument",
        detail: `The argument ${goQuote(attrS.name)} is required, but no definition was found.`,
        subject: this.missingItemRange(),
      });
    }

    return {
      content: { attributes, blocks, missingItemRange: this.missingItemRange() },
      remain: new JSONBody(this.node, usedNames),
      diagnostics,
    };
  }

  content(schema: BodySchema): ContentResult {
    const { content, remain, diagnostics } = this.partialContent(schema);
    const hidden = (remain as JSONBody).hiddenAttrs;

    const suggestions: string[] = [];
    for (const attrS of schema.attributes ?? []) {
      // Only names not used already; block types may repeat, so they are always suggested.
      if (!hidden.has(attrS.name)) suggestions.push(attrS.name);
    }
    for (const blockS of schema.blocks ?? []) suggestions.push(blockS.type);

    // HCL collects the properties a second time here, so type errors in the body are reported twice.
    const [jsonAttrs, attrDiags] = collectDeepAttrs(this.node, undefined);
    diagnostics.push(...attrDiags);
    for (const attr of jsonAttrs) {
      const k = attr.name;
      if (k === "//" || hidden.has(k)) continue;
      const suggestion = nameSuggestion(k, suggestions);
      diagnostics.push({
        severity: "error",
        summary: "Extraneous JSON object property",
        detail: `No argument or block type is named ${goQuote(k)}.${suggestion !== "" ? ` Did you mean ${goQuote(suggestion)}?` : ""}`,
        subject: attr.nameRange,
        context: attr.nameRange,
      });
    }
    return { content, diagnostics };
  }

  justAttributes(): JustAttributesResult {
    const attributes = new Map<string, HclAttribute>();
    const diagnostics: Diagnostic[] = [];
    const v = this.node;
    if (v.kind !== "object") {
      diagnostics.push(
        incorrectType(
          "A JSON object is required here, setting the arguments for this block.",
          nodeStartRange(v),
        ),
      );
      return { attributes, diagnostics };
    }
    for (const jsonAttr of v.attrs) {
      const name = jsonAttr.name;
      if (name === "//" || this.hiddenAttrs.has(name)) continue;
      const existing = attributes.get(name);
      if (existing !== undefined) {
        diagnostics.push({
          severity: "error",
          summary: "Duplicate attribute definition",
          detail: `The argument ${goQuote(name)} was already set at ${formatRange(existing.range)}.`,
          subject: jsonAttr.nameRange,
        });
        continue;
      }
      attributes.set(name, attributeOf(name, jsonAttr));
    }
    return { attributes, diagnostics };
  }
}

/** Reads the blocks a property defines, peeling one object level per label (hcl/json's unpackBlock). */
function unpackBlock(
  value: Node,
  blockS: BlockHeaderSchema,
  typeRange: Range,
  out: HclBlock[],
): Diagnostic[] {
  const typeName = blockS.type;
  const labelNames = blockS.labelNames ?? [];
  const diags: Diagnostic[] = [];

  const visit = (v: Node, labels: readonly string[], labelRanges: readonly Range[]): void => {
    const level = labels.length;
    if (level < labelNames.length) {
      const labelName = labelNames[level] as string;
      const [jsonAttrs, attrDiags] = collectDeepAttrs(v, labelName);
      diags.push(...attrDiags);
      if (jsonAttrs.length === 0) {
        diags.push({
          severity: "error",
          summary: "Missing block label",
          detail: `At least one object property is required, whose name represents the ${typeName} block's ${labelName}.`,
          subject: nodeStartRange(v),
        });
        return;
      }
      for (const p of jsonAttrs) visit(p.value, [...labels, p.name], [...labelRanges, p.nameRange]);
      return;
    }

    switch (v.kind) {
      case "null":
        // No block at all.
        return;
      case "object":
        out.push({
          type: typeName,
          labels,
          body: new JSONBody(v),
          defRange: v.openRange,
          typeRange,
          labelRanges,
        });
        return;
      case "array":
        for (const av of v.values) {
          // An element that is not an object is reported when the block's content is read.
          out.push({
            type: typeName,
            labels,
            body: new JSONBody(av),
            defRange: v.openRange,
            typeRange,
            labelRanges,
          });
        }
        return;
      default:
        diags.push(
          incorrectType(
            `Either a JSON object or a JSON array is required, representing the contents of one or more ${goQuote(typeName)} blocks.`,
            nodeStartRange(v),
          ),
        );
    }
  };

  visit(value, [], []);
  return diags;
}

/** Whether a body came from the JSON syntax (hcl/json's IsJSONBody). */
export function isJSONBody(body: Body): boolean {
  return body instanceof JSONBody;
}
