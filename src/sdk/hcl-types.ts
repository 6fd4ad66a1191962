/**
 * The value-system types components receive their configuration in. Only types are imported, so the sdk has no
 * runtime dependency on the language engine.
 */
export type { Type, Value } from "../hcl/index.js";
