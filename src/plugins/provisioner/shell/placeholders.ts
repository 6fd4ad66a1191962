/**
 * The small part of Packer's template interpolation the shell provisioner needs at run time: `{{.Key}}` and
 * `{{ build `Key` }}` actions in `execute_command` (with `.Path`, `.Vars`, `.EnvVarFile` and the builder's
 * generated data as keys) and in inline commands, plus string constants (`{{ "{{" }}`), which is how
 * templates write a literal `{{`. Other actions are left as they are.
 */

export interface RenderOptions {
  /** What a `.Key` that is not in the data renders as: Go's `<no value>`, or the action left untouched. */
  readonly missing: "no-value" | "keep";
}

const ACTION = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;
const BUILD = /^build\s+(?:`([^`]*)`|"((?:[^"\\]|\\.)*)")$/;
const RAW_STRING = /^`([^`]*)`$/;
const STRING = /^"((?:[^"\\]|\\.)*)"$/;

function unquote(body: string): string {
  return body.replace(/\\(.)/g, (_m, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

export function renderPlaceholders(
  text: string,
  data: Readonly<Record<string, unknown>>,
  options: RenderOptions,
): string {
  return text.replace(ACTION, (whole, _trimLeft: string, body: string) => {
    const value = (key: string): string | undefined => {
      if (Object.hasOwn(data, key)) return String(data[key]);
      return options.missing === "no-value" ? "<no value>" : undefined;
    };
    let m = FIELD.exec(body);
    if (m !== null) return value(m[1]!) ?? whole;
    m = BUILD.exec(body);
    if (m !== null) {
      const key = m[1] ?? unquote(m[2] ?? "");
      // Packer's build function reads generated data; unknown keys stay for a later rendering.
      return Object.hasOwn(data, key) ? String(data[key]) : whole;
    }
    m = RAW_STRING.exec(body);
    if (m !== null) return m[1]!;
    m = STRING.exec(body);
    if (m !== null) return unquote(m[1]!);
    return whole;
  });
}
