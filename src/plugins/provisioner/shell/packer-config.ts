/**
 * The hidden keys every component's schema has (Packer's common.PackerConfig). Core passes their values as
 * BuildInfo; they are in the schema so that a body setting them decodes as in Packer.
 */
import { boolType, listType, mapType, stringType } from "../../../hcl/index.js";
import type { AttributeSpec, ConfigSpec } from "../../../sdk/index.js";

const str: AttributeSpec = { kind: "attribute", type: stringType };
const bool: AttributeSpec = { kind: "attribute", type: boolType };

export const PACKER_COMMON_CONFIG_SPEC: ConfigSpec = {
  packer_build_name: str,
  packer_builder_type: str,
  packer_core_version: str,
  packer_debug: bool,
  packer_force: bool,
  packer_on_error: str,
  packer_user_variables: { kind: "attribute", type: mapType(stringType) },
  packer_sensitive_variables: { kind: "attribute", type: listType(stringType) },
};
