// Public surface of expression evaluation: evaluate, contexts, the function contract and call machinery,
// expression functions, type expressions, static analysis helpers and the functions that need the evaluator.
export { type CallResult, callFunction } from "./call.js";
export { childContext, type EvalContext, lookupFunctions, lookupVariable } from "./context.js";
export { evaluate, staticValueToValue, traverseAbs, traverseRel } from "./evaluate.js";
export {
  type ExpressionArgument,
  type ExpressionCall,
  type ExpressionFunctionSpec,
  isExpressionFunction,
} from "./expression-function.js";
export {
  FunctionArgError,
  FunctionError,
  type FunctionSpec,
  type FunctionTable,
  type Parameter,
} from "./function.js";
export {
  envFunction,
  type PackerFunctionsContext,
  packerFunctions,
  variableDefaultFunctions,
} from "./functions/index.js";
export {
  canFunction,
  convertFunction,
  diagnosticsErrorString,
  makeTemplateFileFunction,
  tryFunction,
} from "./functions/special.js";
export type { EvalResult, SubEval } from "./result.js";
export {
  exprCall,
  exprList,
  exprMap,
  type KeyValuePair,
  relTraversalForExpr,
  type StaticCall,
} from "./static-expr.js";
export {
  parseType,
  parseTypeConstraint,
  parseTypeConstraintWithoutDefaults,
  type TypeConstraintResult,
  type TypeExprResult,
} from "./type-expr.js";
