// Public surface of the syntax-agnostic structure layer: the Body / HclExpression interfaces and schemas,
// the native syntax behind them, merged bodies, static analysis of expressions, and spec-driven decoding
// (hcldec), including hcldec's spec-file language.
export type {
  AttributeSchema,
  BlockHeaderSchema,
  Body,
  BodyContent,
  BodySchema,
  ContentResult,
  ExpressionValueResult,
  HclAttribute,
  HclAttributes,
  HclBlock,
  HclExpression,
  HclKeyValuePair,
  HclStaticCall,
  JustAttributesResult,
  PartialContentResult,
} from "./body.js";
export { blocksByType, blocksOfType } from "./body.js";
export {
  childBlockTypes,
  type DecodeResult,
  decode,
  impliedSchema,
  impliedType,
  type PartialDecodeResult,
  partialDecode,
  specSourceRange,
  specVariables,
} from "./decode.js";
export { emptyBody, MergedBodies, mergeBodies } from "./merged.js";
export { NativeBody, NativeExpression, nativeBody, nativeExpression, nativeSyntaxOf } from "./native-body.js";
export type {
  AttrSpec,
  BlockAttrsSpec,
  BlockLabelSpec,
  BlockListSpec,
  BlockMapSpec,
  BlockObjectSpec,
  BlockSetSpec,
  BlockSpec,
  BlockTupleSpec,
  DefaultSpec,
  ExprSpec,
  LiteralSpec,
  ObjectSpec,
  Spec,
  SpecKind,
  TransformExprSpec,
  TransformSpec,
  TupleSpec,
  ValidateSpec,
} from "./spec.js";
export { loadSpecFile, type SpecFileResult, specTypeFromExpr } from "./spec-file.js";
export {
  hclAbsTraversalForExpr,
  hclExprAsKeyword,
  hclExprCall,
  hclExprList,
  hclExprMap,
  hclRelTraversalForExpr,
} from "./static.js";
