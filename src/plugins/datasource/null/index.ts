// The `null` data source.
export { NULL_DATASOURCE_CONFIG_SPEC, NULL_DATASOURCE_OUTPUT_SPEC, NullDatasource } from "./datasource.js";
