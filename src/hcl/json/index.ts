// Public surface of HCL's JSON syntax: parsing JSON configuration files and values into the syntax-agnostic
// Body and HclExpression of ../decode, and choosing the syntax of a file by its name.
export { isJSONBody, JSONBody } from "./body.js";
export { isJSONExpression, JSONExpression } from "./expression.js";
export {
  type ParseBodyResult,
  type ParseJSONExpressionResult,
  parseHCLFile,
  parseJSON,
  parseJSONExpression,
  parseNativeFile,
} from "./parse.js";
