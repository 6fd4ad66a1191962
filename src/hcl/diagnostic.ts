/**
 * Source positions, ranges and diagnostics, shaped like HCL's (hcl.Pos, hcl.Range, hcl.Diagnostic).
 *
 * Contract: user input never throws. Parsing, decoding and evaluation return diagnostics; a Diagnostic with
 * severity "error" means the result is incomplete. Ranges are what renderers underline and what conformance
 * tests compare, so they must match HCL's exactly.
 */

/** A position in a source file. */
export interface Pos {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counted in characters (Unicode grapheme clusters, as HCL does) from the line start. */
  readonly column: number;
  /** 0-based offset in UTF-8 bytes from the start of the file. */
  readonly byte: number;
}

/** A half-open span [start, end) of a named source file. */
export interface Range {
  readonly filename: string;
  readonly start: Pos;
  readonly end: Pos;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  readonly severity: Severity;
  /** One short sentence, e.g. "Unsupported argument". */
  readonly summary: string;
  /** Longer explanation, often with a hint ("Did you mean ...?"). */
  readonly detail?: string;
  /** The part of the source the diagnostic is about (underlined when rendered). */
  readonly subject?: Range;
  /** A wider range that gives context to the subject (e.g. the whole expression). */
  readonly context?: Range;
}

/** An ordered list of diagnostics, as returned beside every result computed from user input. */
export type Diagnostics = Diagnostic[];

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

export function errorDiag(summary: string, detail?: string, subject?: Range, context?: Range): Diagnostic {
  return {
    severity: "error",
    summary,
    ...(detail !== undefined ? { detail } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(context !== undefined ? { context } : {}),
  };
}

export function warningDiag(summary: string, detail?: string, subject?: Range): Diagnostic {
  return {
    severity: "warning",
    summary,
    ...(detail !== undefined ? { detail } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

/** The smallest range covering both a and b (which must be in the same file). */
export function rangeBetween(a: Range, b: Range): Range {
  const start = a.start.byte <= b.start.byte ? a.start : b.start;
  const end = a.end.byte >= b.end.byte ? a.end : b.end;
  return { filename: a.filename, start, end };
}

/** An empty range at a position, as HCL uses for "missing X here" diagnostics. */
export function rangeAt(filename: string, pos: Pos): Range {
  return { filename, start: pos, end: pos };
}

/**
 * Input nested so deeply (thousands of brackets, or a chain of thousands of operators) that the recursive
 * parser or evaluator runs out of stack. Every public entry point of the engine catches that and returns
 * this diagnostic instead of throwing: user input never throws.
 */
export function isStackOverflow(err: unknown): boolean {
  // Kept to builtins that need next to no stack: this runs right at the limit. (If it overflows itself, that
  // RangeError reaches the next enclosing guard, which has more room.)
  return err instanceof RangeError && err.message.includes("call stack");
}

export function nestingTooDeepDiag(subject?: Range): Diagnostic {
  return errorDiag(
    "Nesting too deep",
    "This expression or block is nested too deeply for kiln to process. Split it into smaller parts, for example with locals.",
    subject,
  );
}
