// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL2 expressions written into generated files
/**
 * hcl2_upgrade's rewriting of legacy template calls inside generated HCL text: the text of a block is read
 * as a Go template whose functions print HCL expressions (`{{ user `x` }}` => `${var.x}`,
 * `{{ timestamp }}` => `${local.timestamp}`, ...). Actions that call no known function (`{{ .HTTPIP }}`)
 * are kept verbatim by escaping them first; calls that cannot be converted (`lower`, `split`, ...) are kept
 * and explained in a comment above the block; a block whose text is not a valid template is kept as it is,
 * under a `# could not parse template for following block` comment.
 */
import { goQuote } from "../../hcl/index.js";
import {
  type GoFunc,
  goUnquote,
  type Node,
  nodeString,
  parseTemplate,
  renderWithFuncs,
  TemplateParseError,
} from "../legacy/index.js";
import { type BuildFunctionScope, PACKER_BUILD_SCOPE } from "./build-scope.js";

const TEMPLATE_NAME = "hcl2_upgrade";

/** Go's text/template built-in function names (they parse, but are not "known" to reTemplate). */
const GO_BUILTIN_NAMES = [
  "and",
  "call",
  "html",
  "index",
  "slice",
  "js",
  "len",
  "not",
  "or",
  "print",
  "printf",
  "println",
  "urlquery",
  "eq",
  "ge",
  "gt",
  "le",
  "lt",
  "ne",
];

/** What one conversion run remembers across blocks (Packer keeps these in package variables). */
export interface UpgradeState {
  /** Data sources made for aws_secretsmanager calls, by generated name. */
  readonly secrets: Map<string, { name: string; key?: string }>;
  /** Variables turned into locals: name => "local" (a sensitive `local` block) or "locals". */
  readonly locals: Map<string, "local" | "locals">;
  timestamp: boolean;
  isotime: boolean;
  strftime: boolean;
}

export function newUpgradeState(): UpgradeState {
  return { secrets: new Map(), locals: new Map(), timestamp: false, isotime: false, strftime: false };
}

type Fn = (...args: (string | bigint)[]) => string;

function goFunc(params: ("string" | "int")[], f: Fn, variadic = false): GoFunc {
  const base = {
    params: variadic ? [] : params,
    result: "string" as const,
    call: (args: readonly ({ v: unknown } | undefined)[]) =>
      f(...args.map((a) => (typeof a?.v === "bigint" ? a.v : typeof a?.v === "string" ? a.v : ""))),
  };
  return variadic ? { ...base, variadic: "string" } : base;
}

function parseError(text: string, funcs: ReadonlySet<string>): string | undefined {
  try {
    parseTemplate(text, { name: TEMPLATE_NAME, funcs });
    return undefined;
  } catch (e) {
    if (e instanceof TemplateParseError) return e.message;
    throw e;
  }
}

function parseRoot(text: string, funcs: ReadonlySet<string>): Node | { error: string } {
  try {
    const trees = parseTemplate(text, { name: TEMPLATE_NAME, funcs });
    return trees.get(TEMPLATE_NAME)!.root;
  } catch (e) {
    if (e instanceof TemplateParseError) return { error: e.message };
    throw e;
  }
}

/** reTemplate: escapes every action that is not a plain call of a known function. */
function reTemplate(node: Node, known: ReadonlySet<string>): string | { error: string } {
  switch (node.type) {
    case "action": {
      const cmds = node.pipe.cmds;
      if (cmds.length > 1) return nodeString(node);
      const cmd = cmds[0]!;
      if (cmd.args.length > 1) return nodeString(node);
      const first = cmd.args[0];
      if (first !== undefined && known.has(nodeString(first))) return nodeString(node);
      return `{{ "{{" }} ${nodeString(cmd)} {{ "}}" }}`;
    }
    case "list": {
      let out = "";
      for (const child of node.nodes) {
        const r = reTemplate(child, known);
        if (typeof r !== "string") return r;
        out += r;
      }
      return out;
    }
    case "text":
      return node.text;
    case "comment":
      return "";
    default:
      return { error: `unhandled node type *parse.${goNodeType(node.type)}` };
  }
}

function goNodeType(t: string): string {
  const names: Record<string, string> = {
    if: "IfNode",
    range: "RangeNode",
    with: "WithNode",
    template: "TemplateNode",
    break: "BreakNode",
    continue: "ContinueNode",
  };
  return names[t] ?? `${t[0]!.toUpperCase()}${t.slice(1)}Node`;
}

const QUOTING = /{{\s*\w*(\s*(\\".*\\")\s*)+\w*\s*}}/g;

/** fixQuoting: `{{ env \"x\" }}` (escaped quotes inside an action) becomes `{{ env "x" }}`. */
export function fixQuoting(old: string): string {
  return old.replace(QUOTING, (s) => {
    const group = s.replace(new RegExp(QUOTING.source), "$1");
    const unquoted = goUnquote(`"${group}"`);
    if (unquoted === null) return s;
    return s.replace(group, unquoted);
  });
}

function fallbackReturn(err: string, s: string): string {
  if (err.includes("unhandled")) return `\n# ${err}\n${s}`;
  return `\n# could not parse template for following block: ${goQuote(err)}\n${s}`;
}

/** Execution errors name the template as Packer's do. */
function renamed(err: string): string {
  return err
    .replaceAll("template: root:", `template: ${TEMPLATE_NAME}:`)
    .replaceAll(`executing "root"`, `executing "${TEMPLATE_NAME}"`);
}

/** Parses, escapes unknown actions, and executes `s` with `funcs`; the output or the fallback text. */
function run(s: string, funcs: Record<string, GoFunc>): { out: string } | { fallback: string } {
  const names = new Set([...Object.keys(funcs), ...GO_BUILTIN_NAMES]);
  let text = s;
  let root = parseRoot(text, names);
  if ("error" in root) {
    if (root.error.includes('unexpected "\\\\" in operand')) {
      text = fixQuoting(s);
      root = parseRoot(text, names);
      if ("error" in root) return { fallback: fallbackReturn(root.error, text) };
    } else {
      return { fallback: fallbackReturn(root.error, s) };
    }
  }
  const re = reTemplate(root, new Set(Object.keys(funcs)));
  if (typeof re !== "string") return { fallback: fallbackReturn(re.error, s) };
  const perr = parseError(re, names);
  if (perr !== undefined) return { fallback: fallbackReturn(perr, s) };
  const r = renderWithFuncs(re, funcs);
  if ("error" in r) return { fallback: fallbackReturn(renamed(r.error), s) };
  return { out: r.value };
}

class Unhandleable {
  constructor(
    readonly call: string,
    readonly correspondance: string,
    readonly docs: string,
  ) {}

  toString(): string {
    const q = goQuote(this.call);
    return `unhandled ${q} call:\n# there is no way to automatically upgrade the ${q} call.\n# Please manually upgrade to ${this.correspondance}\n# Visit ${this.docs} for more infos.`;
  }
}

function funcErrorsText(errs: readonly Unhandleable[]): string {
  if (errs.length === 1) return `# 1 error occurred upgrading the following block:\n\t# ${errs[0]}\n`;
  const points = errs.map((e, i) => (i === errs.length - 1 ? `# ${e}` : `# ${e}\n`));
  return `# ${errs.length} errors occurred upgrading the following block:\n\t${points.join("\n\t")}`;
}

const REPLACE_DOCS =
  "https://www.packer.io/docs/templates/hcl_templates/functions/string/replace or https://www.packer.io/docs/templates/hcl_templates/functions/string/regex_replace";
const REPLACE_HINT =
  "`replace(string, substring, replacement)` or `regex_replace(string, substring, replacement)`";

/**
 * transposeTemplatingCalls: the block text with legacy calls turned into HCL2 expressions. `scope` says what
 * `{{build_name}}` / `{{build_type}}` become in this block (Packer's `${build.name}` / `${build.type}` by
 * default; see build-scope.ts).
 */
export function transposeTemplatingCalls(
  s: string,
  state: UpgradeState,
  scope: BuildFunctionScope = PACKER_BUILD_SCOPE,
): string {
  const errs: Unhandleable[] = [];
  const secretRef = (name: string, key: string | undefined): string => {
    for (const [id, c] of state.secrets) {
      if (c.name === name && (key === undefined || c.key === key))
        return `\${data.amazon-secretsmanager.${id}.value}`;
    }
    const id = `autogenerated_${state.secrets.size + 1}`;
    state.secrets.set(id, key === undefined ? { name } : { name, key });
    return `\${data.amazon-secretsmanager.${id}.value}`;
  };
  const funcs: Record<string, GoFunc> = {
    aws_secretsmanager: goFunc(
      [],
      (...a) => secretRef(String(a[0] ?? ""), a.length === 2 ? String(a[1]) : undefined),
      true,
    ),
    timestamp: goFunc([], () => {
      state.timestamp = true;
      return "${local.timestamp}";
    }),
    isotime: goFunc(
      [],
      (...a) => {
        if (a.length === 0) return "${timestamp()}";
        state.isotime = true;
        return `\${legacy_isotime("${a[0]}")}`;
      },
      true,
    ),
    strftime: goFunc(
      [],
      (...a) => {
        if (a.length === 0) return "${timestamp()}";
        state.strftime = true;
        return `\${legacy_strftime("${a[0]}")}`;
      },
      true,
    ),
    user: goFunc(["string"], (v) => (state.locals.has(String(v)) ? `\${local.${v}}` : `\${var.${v}}`)),
    env: goFunc(["string"], (v) => `\${env(${goQuote(String(v))})}`),
    build: goFunc(["string"], (v) => `\${build.${v}}`),
    data: goFunc(["string"], (v) => `\${data.${v}}`),
    template_dir: goFunc([], () => "${path.root}"),
    pwd: goFunc([], () => "${path.cwd}"),
    packer_version: goFunc([], () => "${packer.version}"),
    uuid: goFunc([], () => "${uuidv4()}"),
    lower: goFunc(["string"], (a) => {
      errs.push(
        new Unhandleable(
          "lower",
          "`lower(var.example)`",
          "https://www.packer.io/docs/templates/hcl_templates/functions/string/lower",
        ),
      );
      return `{{ lower \`${a}\` }}`;
    }),
    upper: goFunc(["string"], (a) => {
      errs.push(
        new Unhandleable(
          "upper",
          "`upper(var.example)`",
          "https://www.packer.io/docs/templates/hcl_templates/functions/string/upper",
        ),
      );
      return `{{ upper \`${a}\` }}`;
    }),
    split: goFunc(["string", "string", "int"], (a, b, n) => {
      errs.push(
        new Unhandleable(
          "split",
          "`split(separator, string)`",
          "https://www.packer.io/docs/templates/hcl_templates/functions/string/split",
        ),
      );
      return `{{ split \`${a}\` \`${b}\` ${n} }}`;
    }),
    replace: goFunc(["string", "string", "int", "string"], (a, b, n, c) => {
      errs.push(new Unhandleable("replace", REPLACE_HINT, REPLACE_DOCS));
      return `{{ replace \`${a}\` \`${b}\` \`${c}\` ${n} }}`;
    }),
    replace_all: goFunc(["string", "string", "string"], (a, b, c) => {
      errs.push(new Unhandleable("replace_all", REPLACE_HINT, REPLACE_DOCS));
      return `{{ replace_all \`${a}\` \`${b}\` \`${c}\` }}`;
    }),
    clean_resource_name: goFunc(["string"], (a) => {
      errs.push(
        new Unhandleable(
          "clean_resource_name",
          "use custom validation rules, `replace(string, substring, replacement)` or `regex_replace(string, substring, replacement)`",
          "https://packer.io/docs/templates/hcl_templates/variables#custom-validation-rules , https://www.packer.io/docs/templates/hcl_templates/functions/string/replace or https://www.packer.io/docs/templates/hcl_templates/functions/string/regex_replace",
        ),
      );
      return `{{ clean_resource_name \`${a}\` }}`;
    }),
    build_name: goFunc([], () => scope.buildName),
    build_type: goFunc([], () => scope.buildType),
  };
  const r = run(s, funcs);
  if ("fallback" in r) return r.fallback;
  if (errs.length > 0) {
    // With several errors Packer's comment has no line end of its own: a block that starts on the same line
    // would end up inside the comment, so a line end is added there to keep the file valid HCL.
    const sep = errs.length > 1 && !r.out.startsWith("\n") ? "\n" : "";
    return `\n${funcErrorsText(errs)}${sep}${r.out}`;
  }
  return r.out;
}

/**
 * variableTransposeTemplatingCalls: whether a variable's default needs a local (it calls a function other
 * than `env`), and the text with `{{ env `X` }}` turned into `${env("X")}`.
 */
export function variableTransposeTemplatingCalls(s: string): { isLocal: boolean; body: string } {
  let isLocal = false;
  const setIsLocal = (params: ("string" | "int")[], variadic = false) =>
    goFunc(
      params,
      () => {
        isLocal = true;
        return "";
      },
      variadic,
    );
  const funcs: Record<string, GoFunc> = {
    aws_secretsmanager: setIsLocal([], true),
    timestamp: setIsLocal([], true),
    isotime: setIsLocal([], true),
    strftime: setIsLocal([], true),
    user: setIsLocal([], true),
    env: goFunc(["string"], (v) => `\${env(${goQuote(String(v))})}`),
    template_dir: setIsLocal([], true),
    pwd: setIsLocal([], true),
    packer_version: setIsLocal([], true),
    uuid: setIsLocal([], true),
    lower: setIsLocal([], true),
    upper: setIsLocal([], true),
    split: setIsLocal(["string", "string", "int"]),
    replace: setIsLocal(["string", "string", "int", "string"]),
    replace_all: setIsLocal(["string", "string", "string"]),
  };
  const r = run(s, funcs);
  return { isLocal, body: "fallback" in r ? r.fallback : r.out };
}

/**
 * referencedUserVariables: the names `{{ user `x` }}` calls in the template's text (nothing when the text
 * uses any other function or does not execute).
 */
export function referencedUserVariables(s: string): string[] {
  const names: string[] = [];
  const funcs: Record<string, GoFunc> = {
    user: goFunc(["string"], (v) => {
      names.push(String(v));
      return "";
    }),
  };
  const r = renderWithFuncs(s, funcs);
  return "error" in r ? [] : names;
}
