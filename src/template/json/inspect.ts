/**
 * `inspect` for legacy JSON templates (Core.InspectConfig): the description, required and optional
 * variables, builders and provisioners, as UI messages and machine-readable lines.
 */
import { compareGo } from "./parse-template.js";
import type { Template } from "./template.js";

/** One UI call of the inspect output, in order. */
export type InspectLine =
  | { readonly kind: "say"; readonly text: string }
  | { readonly kind: "machine"; readonly type: string; readonly args: readonly string[] };

/**
 * The inspect output. Sensitive defaults show as `<sensitive>` (Packer compares each variable's default with
 * every sensitive variable's default, so a variable sharing a sensitive default is hidden too).
 */
export function inspectJSONTemplate(t: Template): InspectLine[] {
  const out: InspectLine[] = [];
  const say = (text: string) => out.push({ kind: "say", text });
  const machine = (type: string, ...args: string[]) => out.push({ kind: "machine", type, args });
  say("Packer Inspect: JSON mode");
  if (t.description !== "") {
    say("Description:\n");
    say(`${t.description}\n`);
  }
  const sensitiveDefaults = t.sensitiveVariables.map((v) => v.default);
  const shown = (d: string) => (sensitiveDefaults.includes(d) ? "<sensitive>" : d);
  const keys = [...t.variables.keys()].sort(compareGo);
  if (keys.length === 0) {
    say("Variables:\n");
    say("  <No variables>");
  } else {
    let requiredHeader = false;
    for (const k of keys) {
      const v = t.variables.get(k)!;
      if (!v.required) continue;
      if (!requiredHeader) {
        requiredHeader = true;
        say("Required variables:\n");
      }
      machine("template-variable", k, shown(v.default), "1");
      say(`  ${k}`);
    }
    if (requiredHeader) say("");
    say("Optional variables and their defaults:\n");
    const max = Math.max(...keys.map((k) => k.length));
    for (const k of keys) {
      const v = t.variables.get(k)!;
      if (v.required) continue;
      const d = shown(v.default);
      machine("template-variable", k, d, "0");
      say(`  ${k}${" ".repeat(max - k.length)} = ${d}`);
    }
  }
  say("");
  say("Builders:\n");
  const names = [...t.builders.keys()].sort(compareGo);
  if (names.length === 0) say("  <No builders>");
  else {
    const max = Math.max(...names.map((k) => k.length));
    for (const k of names) {
      const b = t.builders.get(k)!;
      let line = `  ${k}${" ".repeat(max - k.length)}`;
      if (b.name !== b.type) line = `${line} (${b.type})`;
      machine("template-builder", k, b.type);
      say(line);
    }
  }
  say("");
  say("Provisioners:\n");
  if (t.provisioners.length === 0) say("  <No provisioners>");
  else {
    for (const p of t.provisioners) {
      machine("template-provisioner", p.type);
      say(`  ${p.type}`);
    }
  }
  say(
    "\nNote: If your build names contain user variables or template\n" +
      "functions such as 'timestamp', these are processed at build time,\n" +
      "and therefore only show in their raw form here.",
  );
  return out;
}
