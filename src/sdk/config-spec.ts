/**
 * A component's configuration schema: which arguments and nested blocks its body accepts, with their types.
 * The template loader decodes a `source`/`provisioner`/`post-processor`/`data` body with it (giving Packer's
 * "An argument named X is not expected here" diagnostics at the right range) and hands the component the
 * resulting object value. It mirrors the hcldec specs Packer's generated `*.hcl2spec.go` files use.
 */
import type { Type } from "./hcl-types.js";

/** Keys are the HCL names (`ssh_username`, `launch_block_device_mappings`). */
export type ConfigSpec = Readonly<Record<string, FieldSpec>>;

export type FieldSpec = AttributeSpec | BlockSpec | BlockListSpec | BlockAttrsSpec;

/** `name = value`, converted to `type` (use the dynamic type to accept anything). */
export interface AttributeSpec {
  readonly kind: "attribute";
  readonly type: Type;
  readonly required?: boolean;
}

/** At most one nested block `name { ... }`; decodes to an object, or null when absent. */
export interface BlockSpec {
  readonly kind: "block";
  readonly spec: ConfigSpec;
  readonly required?: boolean;
}

/** Repeated nested blocks `name { ... }`; decodes to a list of objects. */
export interface BlockListSpec {
  readonly kind: "block-list";
  readonly spec: ConfigSpec;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** One nested block whose arbitrary attributes form a map `name { k = v }` of `elementType`. */
export interface BlockAttrsSpec {
  readonly kind: "block-attrs";
  readonly elementType: Type;
  readonly required?: boolean;
}
