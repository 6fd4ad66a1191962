// Public surface of the hcl layer: other layers import only from here.

// `Body` is the syntax-agnostic body of ./decode (HCL's hcl.Body); the native AST's body is `SyntaxBody`.
export type { Body } from "./decode/index.js";
export * from "./decode/index.js";
export * from "./diagnostic.js";
export * from "./diagnostic-render.js";
export * from "./eval/index.js";
// Go's time layouts, strconv and unicode.IsSpace (./syntax re-exports goQuote and isGoSpace from here).
export * from "./go/index.js";
export * from "./json/index.js";
export type { Body as SyntaxBody } from "./syntax/index.js";
export * from "./syntax/index.js";
export * from "./value/index.js";
export * from "./write/index.js";
