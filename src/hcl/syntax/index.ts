// Public surface of the native-syntax front end: tokens, lexer, AST, parser and traversal helpers.
export type * from "./ast.js";
export { formatRange, goQuote, isGoSpace, nameSuggestion, nfc } from "./go-compat.js";
export {
  checkInvalidTokens,
  isValidIdentifier,
  type LexResult,
  lexConfig,
  lexExpression,
  lexTemplate,
} from "./lexer.js";
export {
  type ParseConfigResult,
  type ParseExpressionResult,
  type ParseTraversalResult,
  parseConfig,
  parseExpression,
  parseTemplate,
  parseTraversalAbs,
  parseTraversalPartial,
  rangeFromTo,
} from "./parser.js";
export { type DecodedString, decodeStringLiteralToken } from "./string-lit.js";
export type * from "./token.js";
export {
  absTraversalForExpr,
  childExpressions,
  exprAsKeyword,
  exprAsTraversal,
  traversalRootName,
  variables,
} from "./variables.js";
