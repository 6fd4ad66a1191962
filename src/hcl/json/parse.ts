/**
 * Entry points of HCL's JSON syntax (hcl/json's Parse, ParseWithStartPos, ParseExpression), and
 * parseHCLFile, which picks the syntax of a configuration file by its name as Packer and hcldec do.
 */

import type { Body, HclExpression } from "../decode/body.js";
import { nativeBody } from "../decode/native-body.js";
import { type Diagnostic, isStackOverflow, nestingTooDeepDiag, type Pos, type Range } from "../diagnostic.js";
import { parseConfig } from "../syntax/parser.js";
import { JSONBody } from "./body.js";
import { JSONExpression } from "./expression.js";
import { type Node, nodeStartRange, parseDocument } from "./parser.js";
import { scan } from "./scanner.js";

const FILE_START: Pos = { line: 1, column: 1, byte: 0 };

export interface ParseBodyResult {
  body: Body;
  diagnostics: Diagnostic[];
}

export interface ParseJSONExpressionResult {
  expression: HclExpression;
  diagnostics: Diagnostic[];
}

/** Parses a JSON configuration file: its root must be an object or an array of objects. */
export function parseJSON(src: string, filename: string, start: Pos = FILE_START): ParseBodyResult {
  const [root, diagnostics, outOfStack] = parseDocumentGuarded(src, filename, start);
  let node: Node = root;
  if (root.kind !== "object" && root.kind !== "array") {
    // Not said again when the parser ran out of stack: its "Nesting too deep" is the whole story.
    if (!outOfStack) {
      diagnostics.push({
        severity: "error",
        summary: "Root value must be object",
        detail:
          "The root value in a JSON-based configuration must be either a JSON object or a JSON array of objects.",
        subject: nodeStartRange(root),
      });
    }
    // An empty stand-in, so that reading the body does not repeat the error in vaguer words. (HCL leaves
    // its closing-brace range unset.)
    const fakePos: Pos = { line: 1, column: 1, byte: 0 };
    const fakeRange: Range = { filename, start: fakePos, end: fakePos };
    const zero: Pos = { line: 0, column: 0, byte: 0 };
    node = {
      kind: "object",
      attrs: [],
      srcRange: fakeRange,
      openRange: fakeRange,
      closeRange: { filename: "", start: zero, end: zero },
    };
  }
  return { body: new JSONBody(node), diagnostics };
}

/** Parses a standalone JSON value as an expression. */
export function parseJSONExpression(
  src: string,
  filename: string,
  start: Pos = FILE_START,
): ParseJSONExpressionResult {
  const [node, diagnostics] = parseDocumentGuarded(src, filename, start);
  return { expression: new JSONExpression(node), diagnostics };
}

/**
 * parseDocument, with running out of stack reported instead of thrown (the third element is then true).
 * The parser's own nesting limit normally comes first; this is for a caller that left it too little stack.
 */
function parseDocumentGuarded(src: string, filename: string, start: Pos): [Node, Diagnostic[], boolean] {
  try {
    const [node, diagnostics] = parseDocument(scan(src, filename, start));
    return [node, diagnostics, false];
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    const at: Range = { filename, start, end: start };
    return [{ kind: "invalid", srcRange: at }, [nestingTooDeepDiag(at)], true];
  }
}

/** Parses a native-syntax configuration file into a Body. */
export function parseNativeFile(src: string, filename: string, start: Pos = FILE_START): ParseBodyResult {
  const r = parseConfig(src, filename, start);
  return { body: nativeBody(r.body), diagnostics: r.diagnostics };
}

/** Parses a configuration file in the syntax its name implies: JSON for `*.json`, native otherwise. */
export function parseHCLFile(src: string, filename: string): ParseBodyResult {
  return filename.endsWith(".json") ? parseJSON(src, filename) : parseNativeFile(src, filename);
}
