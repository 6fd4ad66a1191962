/**
 * Display width of token text for alignment, counted as HCL does: one column per Unicode grapheme cluster
 * (so "\r\n", a letter with combining marks, or an emoji sequence each count once).
 */
// Created on first need: building a Segmenter loads ICU data, which every start-up would otherwise pay for.
let segmenter: Intl.Segmenter | undefined;

// Printable ASCII plus tab and LF: every character is its own grapheme cluster.
const SIMPLE_ASCII = /^[\t\n\x20-\x7e]*$/;

export function graphemeColumns(text: string): number {
  if (SIMPLE_ASCII.test(text)) return text.length;
  let n = 0;
  segmenter ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  for (const _ of segmenter.segment(text)) n++;
  return n;
}
