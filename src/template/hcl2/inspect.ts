/**
 * `inspect` output for HCL2 templates (Packer's InspectConfig): the input variables and locals with their
 * values, then each build block with its sources, provisioners and post-processor chains.
 */
import { compareStrings, formatValueHCL, goQuote, type Value } from "../../hcl/index.js";
import type { HCL2Config } from "./config.js";
import { sourceUseName } from "./types.js";
import { variableValue } from "./variables.js";

function printable(v: Value): string {
  return goQuote(formatValueHCL(v));
}

/** printVariables: `> input-variables:` and `> local-variables:` sections, sorted by name. */
export function printVariables(config: HCL2Config): string {
  let out = "> input-variables:\n\n";
  const inputs = [...config.variables.keys()].sort(compareStrings);
  for (const key of inputs) {
    const v = config.variables.get(key)!;
    out += `var.${v.name}: ${printable(variableValue(v))}\n`;
  }
  out += "\n> local-variables:\n\n";
  const locals = [...config.localValues.keys()].sort(compareStrings);
  for (const key of locals) out += `local.${key}: ${printable(config.localValues.get(key)!.value)}\n`;
  return out;
}

/** printBuilds: the `> builds:` section. */
export function printBuilds(config: HCL2Config): string {
  let out = "> builds:\n";
  for (const [i, build] of config.builds.entries()) {
    const name = build.name !== "" ? build.name : `<unnamed build ${i}>`;
    out += `\n  > ${name}:\n`;
    if (build.description !== "") out += `\n  > Description: ${build.description}\n`;
    out += "\n    sources:\n";
    if (build.sources.length === 0) out += "\n      <no source>\n";
    for (const s of build.sources) out += `\n      ${sourceUseName(s)}\n`;
    out += "\n    provisioners:\n\n";
    if (build.provisioners.length === 0) out += "      <no provisioner>\n";
    for (const p of build.provisioners) out += `      ${p.name !== "" ? `${p.type}.${p.name}` : p.type}\n`;
    out += "\n    post-processors:\n";
    if (build.postProcessorLists.length === 0) out += "\n      <no post-processor>\n";
    for (const [j, chain] of build.postProcessorLists.entries()) {
      out += `\n      ${j}:\n`;
      for (const pp of chain) out += `        ${pp.name !== "" ? `${pp.type}.${pp.name}` : pp.type}\n`;
    }
  }
  return out;
}

/** The three messages `inspect` says, in order. */
export function inspectMessages(config: HCL2Config): string[] {
  return ["Packer Inspect: HCL2 mode\n", printVariables(config), printBuilds(config)];
}
