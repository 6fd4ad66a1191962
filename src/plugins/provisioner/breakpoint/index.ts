// The `breakpoint` provisioner.
export { BREAKPOINT_CONFIG_SPEC, BreakpointProvisioner } from "./provisioner.js";
