/**
 * The top-level `packer` block: `required_version` (checked against kiln's Packer compatibility version
 * before anything else is read, so a template written for a newer Packer fails with a version error rather
 * than confusing ones) and `required_plugins`.
 */
import {
  type Body,
  type BodySchema,
  convert,
  type Diagnostic,
  type HclAttribute,
  hasErrors,
  stringType,
} from "../../hcl/index.js";
import type { RequiredPlugin, RequiredVersion } from "./types.js";
import { checkConstraints, parseConstraints, parseVersion } from "./version-constraint.js";

export const PACKER_BLOCK_SCHEMA: BodySchema = {
  attributes: [{ name: "required_version" }],
  blocks: [{ type: "required_plugins" }],
};

const CONSTRAINT_DOCS = "https://packer.io/docs/templates/hcl_templates/blocks/packer#version-constraints";

/** decodeVersionConstraint: the constraint of a `required_version` argument. */
function decodeVersionConstraint(attr: HclAttribute): {
  constraint: RequiredVersion | undefined;
  diagnostics: Diagnostic[];
} {
  const r = attr.expr.value(undefined);
  const diagnostics = [...r.diagnostics];
  if (hasErrors(diagnostics)) return { constraint: undefined, diagnostics };
  const converted = convert(r.value, stringType);
  if (!converted.ok) {
    diagnostics.push({
      severity: "error",
      summary: "Invalid version constraint",
      detail: `A string value is required for ${attr.name}.`,
      subject: attr.expr.range,
    });
    return { constraint: undefined, diagnostics };
  }
  const v = converted.value;
  if (v.isNull() || !v.isWhollyKnown()) return { constraint: undefined, diagnostics };
  const parsed = parseConstraints(v.unmarkDeep()[0].asString());
  if (!parsed.ok) {
    diagnostics.push({
      severity: "error",
      summary: "Invalid version constraint",
      detail: `This string does not use correct version constraint syntax. Check out the docs: ${CONSTRAINT_DOCS}`,
      subject: attr.expr.range,
    });
    return { constraint: undefined, diagnostics };
  }
  return { constraint: { constraints: parsed.constraints, declRange: attr.range }, diagnostics };
}

/** sniffCoreVersionRequirements: the `required_version` constraints of a file, read leniently. */
export function sniffCoreVersionRequirements(body: Body): {
  constraints: RequiredVersion[];
  diagnostics: Diagnostic[];
} {
  const root = body.partialContent({ blocks: [{ type: "packer" }] });
  const diagnostics = [...root.diagnostics];
  const constraints: RequiredVersion[] = [];
  for (const block of root.content.blocks) {
    const content = block.body.content(PACKER_BLOCK_SCHEMA);
    diagnostics.push(...content.diagnostics);
    const attr = content.content.attributes.get("required_version");
    if (attr === undefined) continue;
    const r = decodeVersionConstraint(attr);
    diagnostics.push(...r.diagnostics);
    if (r.constraint !== undefined) constraints.push(r.constraint);
  }
  return { constraints, diagnostics };
}

/** CheckCoreVersionRequirements: every constraint must accept `coreVersion`. */
export function checkCoreVersion(constraints: readonly RequiredVersion[], coreVersion: string): Diagnostic[] {
  const version = parseVersion(coreVersion);
  if (version === undefined) return [];
  const diagnostics: Diagnostic[] = [];
  for (const c of constraints) {
    if (checkConstraints(version, c.constraints)) continue;
    diagnostics.push({
      severity: "error",
      summary: "Unsupported Packer Core version",
      detail: `This configuration does not support Packer version ${coreVersion}. To proceed, either choose another supported Packer version or update this version constraint. Version constraints are normally set for good reason, so updating the constraint may lead to other errors or unexpected behavior.`,
      subject: c.declRange,
    });
  }
  return diagnostics;
}

/** addrs.ParsePluginPart, for the ASCII names plugins use. */
function parsePluginPart(given: string): { ok: true; value: string } | { ok: false; error: string } {
  if (given.length === 0) return { ok: false, error: "must have at least one character" };
  if (given.includes(".")) return { ok: false, error: "dots are not allowed" };
  if (given.includes("--")) return { ok: false, error: "cannot use multiple consecutive dashes" };
  if (!/^[\p{L}\p{N}-]+$/u.test(given) || given.startsWith("-") || given.endsWith("-")) {
    return {
      ok: false,
      error: "must contain only letters, digits, and dashes, and may not use leading or trailing dashes",
    };
  }
  return { ok: true, value: given.toLowerCase() };
}

/** addrs.ParsePluginSourceString's checks; undefined when valid. */
export function pluginSourceError(source: string): string | undefined {
  const errs: string[] = [];
  if (source.startsWith("/")) errs.push("A source URL must not start with a '/' character.");
  if (source.endsWith("/")) errs.push("A source URL must not end with a '/' character.");
  if ((source.match(/\//g) ?? []).length < 2) {
    errs.push("A source URL must at least contain a host and a path with 2 components");
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(source))
    errs.push("A source URL must not contain a scheme (e.g. https://).");
  if (source.includes("?")) errs.push("A source URL must not contain a query (e.g. ?var=val)");
  if (source.includes("#")) errs.push("A source URL must not contain a fragment (e.g. #anchor).");
  if (errs.length > 0) {
    return `The provided source URL is invalid.\nThe following errors have been discovered:\n${errs.map((e) => `* ${e}\n`).join("")}\nA valid source looks like "github.com/hashicorp/happycloud"`;
  }
  const name = source.slice(source.lastIndexOf("/") + 1);
  const part = parsePluginPart(name);
  if (!part.ok) return `Invalid plugin type "${name}" in source: ${part.error}"`;
  if (name.startsWith("packer-")) {
    if (name.startsWith("packer-plugin-")) {
      const suggested = name.replaceAll("packer-plugin-", "");
      if (parsePluginPart(suggested).ok) {
        return `Plugin source has a type with the prefix "packer-plugin-", which isn't valid.\nAlthough that prefix is often used in the names of version control repositories for Packer plugins, plugin source strings should not include it.\n\nDid you mean "${suggested}"?`;
      }
    }
    return `Plugin source has a type with the "packer-" prefix, which isn't valid.\nIf you are the author of this plugin, rename it to not include the prefix.\nEx: "${name.replace("packer-", "")}"`;
  }
  const parts = source.split("/").filter((p) => p !== "");
  if (parts.length > 16) {
    return `The source URL must have at most 16 components, and the one provided has ${parts.length}.\nThis is unsupported by Packer, please consider using a source that has less components to it.\nIf this is a blocking issue for you, please open an issue to ask for supporting more components to the source URI.`;
  }
  return undefined;
}

const PLUGIN_DOCS = "https://www.packer.io/docs/templates/hcl_templates/blocks/packer";

/** decodeRequiredPluginsBlock: the entries of one `required_plugins` block. */
export function decodeRequiredPlugins(body: Body): { plugins: RequiredPlugin[]; diagnostics: Diagnostic[] } {
  const { attributes, diagnostics } = body.justAttributes();
  const plugins: RequiredPlugin[] = [];
  for (const [name, attr] of attributes) {
    const r = attr.expr.value(undefined);
    diagnostics.push(...r.diagnostics);
    const part = parsePluginPart(name);
    if (!part.ok) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid plugin local name",
        detail: `${name} is an invalid plugin local name: ${part.error}`,
        subject: attr.expr.range,
      });
    } else if (part.value !== name) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid plugin local name",
        detail: `Plugin names must be normalized. Replace "${name}" with "${part.value}" to fix this error.`,
        subject: attr.expr.range,
      });
    }
    const value = r.value.unmarkDeep()[0];
    const kind = value.type.kind;
    if (kind === "string" || kind === "number" || kind === "bool") {
      let c = "version";
      if (kind === "string" && value.isKnown() && !value.isNull()) {
        const parsed = parseConstraints(value.asString());
        if (parsed.ok) c = parsed.constraints.map((x) => x.text).join(", ");
      }
      diagnostics.push({
        severity: "error",
        summary: "Invalid plugin requirement",
        detail: `'${name} = "${c}"' plugin requirement calls are not possible. You must define a whole block. For example:\n${name} = {\n  source  = "github.com/hashicorp/${name}"\n  version = "${c}"\n}`,
        subject: attr.range,
      });
      continue;
    }
    if (kind !== "object" || !value.isKnown() || value.isNull()) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid required_plugins syntax",
        detail: "required_plugins entries must be objects.",
        subject: attr.expr.range,
      });
      continue;
    }
    const obj = value.asValueMap();
    const version = obj.get("version");
    if (version === undefined) {
      diagnostics.push({
        severity: "error",
        summary: "No version constraint was set",
        detail: `The version field must be specified as a string. Ex: \`version = ">= 1.2.0, < 2.0.0". See ${PLUGIN_DOCS}#version-constraints for docs`,
        subject: attr.expr.range,
      });
      continue;
    }
    if (version.type.kind !== "string" || version.isNull() || !version.isKnown()) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid version constraint",
        detail: `Version must be specified as a string. See ${PLUGIN_DOCS}#version-constraint-syntax for docs.`,
        subject: attr.expr.range,
      });
      continue;
    }
    const versionText = version.asString();
    const parsed = parseConstraints(versionText);
    if (!parsed.ok) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid version constraint",
        detail: `This string does not use correct version constraint syntax. See ${PLUGIN_DOCS}#version-constraint-syntax for docs.\n${parsed.error}`,
        subject: attr.expr.range,
      });
      continue;
    }
    if (parsed.constraints.some((c) => c.version.prerelease !== "")) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid version constraint",
        detail: `Unsupported prerelease for constraint "${versionText}"`,
        subject: attr.expr.range,
      });
    }
    const source = obj.get("source");
    if (source === undefined) {
      diagnostics.push({
        severity: "error",
        summary: "No source was set",
        detail: `The source field must be specified as a string. Ex: \`source = "coolcloud". See ${PLUGIN_DOCS}#specifying-plugin-requirements for docs`,
        subject: attr.expr.range,
      });
      continue;
    }
    if (source.type.kind !== "string" || source.isNull() || !source.isKnown()) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid source",
        detail: 'Source must be specified as a string. For example: source = "coolcloud"',
        subject: attr.expr.range,
      });
      continue;
    }
    const sourceText = source.asString();
    const sourceError = pluginSourceError(sourceText);
    if (sourceError !== undefined) {
      diagnostics.push({
        severity: "error",
        summary: "Failed to parse source",
        detail: sourceError,
        subject: attr.range,
      });
      continue;
    }
    if ([...obj.keys()].some((k) => k !== "version" && k !== "source")) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid required_plugins object",
        detail: 'required_plugins objects can only contain "version" and "source" attributes.',
        subject: attr.expr.range,
      });
    }
    plugins.push({
      accessor: name,
      source: sourceText,
      versionConstraints: parsed.constraints,
      version: versionText,
      declRange: attr.expr.range,
    });
  }
  return { plugins, diagnostics };
}
