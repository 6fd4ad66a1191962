// The HCL formatter (`fmt`).

export type { FormatOptions, FormatResult } from "./format.js";
export { formatHCL, formatSource } from "./format.js";
export type { FormatStyle, WriterToken } from "./format-tokens.js";
export { formatTokens, PACKER_166_STYLE, spaceAfterToken, tokensToString } from "./format-tokens.js";
