/**
 * Packer-level behaviour of the legacy engine: the function map's context rules, rendering modes, and
 * texts observed from Packer 1.6.6 (`packer console`, `packer validate`).
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goUnix } from "../../hcl/index.js";
import { cleanResourceName, cleanResourceNameFunc } from "./clean-resource-name.js";
import type { InterpolateContext } from "./context.js";
import { processInitTime } from "./context.js";
import { buildPlaceholder, stringFunc, timeOrderedUUID } from "./funcs.js";
import { GoStruct, goStringMap } from "./go-value.js";
import {
  functionsCalled,
  render,
  renderOnce,
  renderRegex,
  renderUntilFixpoint,
  renderWithFuncs,
  validate,
} from "./render.js";
import { BUILD_FIELD_FILTER } from "./variables.js";

const fixedTime = goUnix(1709622489n, 123456789);

describe("Packer function map", () => {
  const ctx: InterpolateContext = { userVariables: { a: "x" }, initTime: fixedTime, cwd: "/w" };

  it("reports functions a plugin did not define as parse errors, like packer console", () => {
    expect(renderOnce('{{clean_resource_name "a b"}}', ctx)).toEqual({
      error: 'template: root:1: function "clean_resource_name" not defined',
      kind: "parse",
    });
  });

  it("gives user variables, and the empty string for unknown ones outside the variables section", () => {
    expect(renderOnce("{{user `a`}}-{{user `nope`}}-", ctx)).toEqual({ value: "x--" });
  });

  it("refuses env outside the variables section", () => {
    expect(renderOnce('{{env "HOME"}}', ctx)).toEqual({
      error:
        'template: root:1:2: executing "root" at <env "HOME">: error calling env: env vars are not allowed here',
      kind: "exec",
    });
  });

  it("reads env from the context's environment when enabled", () => {
    const r = renderOnce('{{env "K"}}|{{env "UNSET"}}', { ...ctx, enableEnv: true, env: { K: "v" } });
    expect(r).toEqual({ value: "v|" });
  });

  it("reports the secret functions as variables-section only", () => {
    expect(renderOnce("{{consul_key `k`}}", ctx)).toMatchObject({
      error: expect.stringContaining("error calling consul_key: consul_key is not allowed here"),
    });
    expect(renderOnce("{{vault `p` `k`}}", ctx)).toMatchObject({
      error: expect.stringContaining(
        "error calling vault: Vault vars are only allowed in the variables section",
      ),
    });
    expect(renderOnce("{{aws_secretsmanager}}", ctx)).toEqual({
      error:
        'template: root:1:2: executing "root" at <aws_secretsmanager>: error calling aws_secretsmanager: AWS Secrets Manager is only allowed in the variables section',
      kind: "exec",
    });
  });

  it("asks for VAULT_TOKEN before any network use", () => {
    const r = renderOnce("{{vault `secret/foo` `bar`}}", { ...ctx, enableEnv: true, env: {} });
    expect(r).toEqual({
      error:
        'template: root:1:2: executing "root" at <vault `secret/foo` `bar`>: error calling vault: Must set VAULT_TOKEN env var in order to use vault template function',
      kind: "exec",
    });
  });

  it("keeps sed as an error", () => {
    expect(renderOnce('{{sed "a" "b"}}', ctx)).toMatchObject({
      error: expect.stringContaining(
        "error calling sed: template function `sed` is deprecated use `replace` or `replace_all` instead.Documentation: https://www.packer.io/docs/templates/engine",
      ),
    });
  });

  it("derives template_dir from the template path", () => {
    expect(renderOnce("{{template_dir}}", { ...ctx, templatePath: "/abs/dir/t.json" })).toEqual({
      value: "/abs/dir",
    });
    expect(renderOnce("{{template_dir}}", { ...ctx, templatePath: "rel/t.json" })).toEqual({
      value: "/w/rel",
    });
    expect(renderOnce("{{pwd}}", ctx)).toEqual({ value: "/w" });
  });

  it("uses one instant for timestamp, isotime and strftime", () => {
    const r = renderOnce('{{timestamp}} {{isotime}} {{isotime "2006"}} {{strftime "%Y%m%d"}}', ctx);
    expect(r).toEqual({ value: "1709622489 2024-03-05T07:08:09Z 2024 20240305" });
  });

  it("defaults the instant to process start, constant per run", () => {
    const a = renderOnce("{{timestamp}}");
    const b = renderOnce("{{timestamp}}");
    expect(a).toEqual(b);
    expect(a).toEqual({ value: String(processInitTime().unix) });
    expect(Math.abs(Number(processInitTime().unix) - Date.now() / 1000)).toBeLessThan(600);
  });

  it("makes time-ordered UUIDs", () => {
    const u = timeOrderedUUID(0x65e6c4d9 * 1000);
    expect(u).toMatch(/^65e6c4d9-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const r = renderOnce("{{uuid}}");
    expect("value" in r && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(r.value)).toBe(true);
    expect(renderOnce("{{uuid}}")).not.toEqual(r);
  });

  it("passes build data through until it is known", () => {
    const data = goStringMap({ ID: "i-1", Host: buildPlaceholder("Host") });
    expect(renderOnce("{{build `ID`}} {{build `Host`}}", { data })).toEqual({ value: "i-1 {{.Host}}" });
    expect(renderOnce("{{build `ID`}}", { data: { ID: "plain" } })).toEqual({ value: "plain" });
    expect(renderOnce("{{build `X`}}", { data })).toMatchObject({
      error: expect.stringContaining("error calling build: loaded data, but couldnt find X in it."),
    });
    expect(renderOnce("{{build `X`}}", { data: new GoStruct("shell.T", new Map(), true) })).toMatchObject({
      error: expect.stringContaining("the given variable X will not be passed into your plugin."),
    });
  });

  it("reports the contextual values a plugin sets", () => {
    const c = { buildName: "web-1", buildType: "docker", packerVersion: "1.6.6" };
    expect(
      renderOnce("{{build_name}} {{build_type}} {{packer_version}} {{split build_name `-` 1}}", c),
    ).toEqual({
      value: "web-1 docker 1.6.6 1",
    });
  });

  it("renders a plugin's struct data and reports unknown fields with its type", () => {
    const data = new GoStruct(
      "shell.ExecuteCommandTemplate",
      new Map([
        ["Vars", "A=1"],
        ["Path", "/tmp/script.sh"],
      ]),
      true,
    );
    expect(renderOnce("chmod +x {{.Path}}; {{.Vars}} {{.Path}}", { data })).toEqual({
      value: "chmod +x /tmp/script.sh; A=1 /tmp/script.sh",
    });
    expect(renderOnce("{{.Foo}}", { data })).toEqual({
      error:
        'template: root:1:2: executing "root" at <.Foo>: can\'t evaluate field Foo in type *shell.ExecuteCommandTemplate',
      kind: "exec",
    });
  });

  it("prints <no value> for fields of nil data, as in packer console", () => {
    expect(renderOnce("{{ .HTTPIP }}:{{.HTTPPort}}")).toEqual({ value: "<no value>:<no value>" });
    expect(
      renderOnce("{{ .HTTPIP }}:{{.HTTPPort}}", { data: { HTTPIP: "10.0.2.2", HTTPPort: 8080 } }),
    ).toEqual({
      value: "10.0.2.2:8080",
    });
  });

  it("reports user without variables", () => {
    expect(renderOnce('{{user "a"}}')).toMatchObject({
      error: expect.stringContaining("no user variables are set in the interpolation context"),
    });
  });

  it("lets plugins add functions through the context", () => {
    const c = {
      funcs: { clean_resource_name: cleanResourceNameFunc("amazon"), shout: stringFunc(1, (s) => `${s}!`) },
    };
    expect(renderOnce("{{clean_resource_name `my image: v1.0*`}} {{shout `hi`}}", c)).toEqual({
      value: "my image- v1.0- hi!",
    });
  });
});

describe("clean_resource_name flavours", () => {
  it("amazon keeps ()[] ./-'@_ and maps other bytes to dashes", () => {
    expect(cleanResourceName("amazon", "a(b)[c] d./-'@_e:f,g")).toBe("a(b)[c] d./-'@_e-f-g");
    expect(cleanResourceName("amazon", "é")).toBe("--");
  });
  it("googlecompute lower-cases and keeps [a-z0-9-], leaving valid names alone", () => {
    expect(cleanResourceName("googlecompute", "My_Image.V1")).toBe("my-image-v1");
    expect(cleanResourceName("googlecompute", "valid-name-1")).toBe("valid-name-1");
  });
  it("azure keeps ._- and trims them at the end", () => {
    expect(cleanResourceName("azure", "img:v1.0-_.")).toBe("img-v1.0");
    expect(cleanResourceName("azure", "a b!")).toBe("a-b");
  });
});

describe("rendering modes", () => {
  it("renders until the output stops changing (interpolate.Render)", () => {
    const ctx = { userVariables: { d: "{{ .HTTPIP }}:x", e: "{{user `f`}}", f: "deep" } };
    expect(renderUntilFixpoint("{{user `d`}}", ctx)).toEqual({ value: "<no value>:x" });
    expect(renderUntilFixpoint("{{user `e`}}", ctx)).toEqual({ value: "deep" });
    expect(renderOnce("{{user `e`}}", ctx)).toEqual({ value: "{{user `f`}}" });
    expect(render).toBe(renderOnce);
  });

  it("keeps regex matches verbatim (interpolate.RenderRegex)", () => {
    const ctx = { userVariables: { port: "8080" } };
    expect(renderRegex("http://{{ .HTTPIP }}:{{user `port`}}/{{.Path}}", ctx, BUILD_FIELD_FILTER)).toEqual({
      value: "http://{{ .HTTPIP }}:8080/{{.Path}}",
    });
    expect(renderRegex("{{.A}}{{foo}}", ctx, BUILD_FIELD_FILTER)).toEqual({
      error: 'template: root:1: function "foo" not defined',
      kind: "parse",
    });
  });

  it("validates without executing", () => {
    expect(validate("{{upper .X}} {{env `HOME`}}")).toBeNull();
    expect(validate("{{upper")).toBe("template: root:1: unclosed action");
    expect(validate("{{nope}}")).toBe('template: root:1: function "nope" not defined');
  });

  it("lists the functions a template calls", () => {
    expect(
      functionsCalled("{{user `a` | upper}} {{if env `X`}}{{timestamp}}{{end}} {{(lower `A`).X}}"),
    ).toEqual(new Set(["user", "upper", "env", "timestamp", "lower"]));
    expect(functionsCalled("{{nope}}")).toEqual({ error: 'template: root:1: function "nope" not defined' });
  });

  it("renders with a replacement function map (as hcl2_upgrade does)", () => {
    const funcs = {
      user: stringFunc(1, (n) => `\${var.${n}}`),
      timestamp: stringFunc(0, () => `\${local.timestamp}`),
    };
    expect(renderWithFuncs("{{user `region`}}-{{timestamp}}", funcs)).toEqual({
      value: `\${var.region}-\${local.timestamp}`,
    });
    expect(renderWithFuncs("{{isotime}}", funcs)).toEqual({
      error: 'template: root:1: function "isotime" not defined',
      kind: "parse",
    });
  });

  it("never throws on hostile input", () => {
    const inputs = [
      "{{",
      "}}",
      "{{{{",
      "{{-",
      "{{- }}",
      "{{/*",
      "{{ `",
      "{{ '",
      '{{ "\\',
      "{{(((",
      "{{)))",
      "{{$",
      "{{.",
      "{{..",
      "{{ 0x",
      "{{ 1e",
      "{{\u0000}}",
      "{{\ud800}}",
      "{{define}}",
      "{{template}}",
      "{{range $a, $b, $c}}",
      "{{else if}}{{end}}",
    ];
    for (const t of inputs) {
      const r = renderOnce(t, { data: { a: 1 } });
      expect(typeof ("value" in r ? r.value : r.error)).toBe("string");
    }
  });

  it("never throws on random token soup", () => {
    const token = fc.constantFrom(
      "{{",
      "}}",
      "{{- ",
      " -}}",
      " ",
      "\n",
      "if",
      "else",
      "end",
      "range",
      "with",
      "define",
      "template",
      "block",
      "break",
      "continue",
      ".",
      ".A",
      ".A.B",
      "$",
      "$x",
      ":=",
      "=",
      "|",
      "(",
      ")",
      ",",
      '"a"',
      "`b`",
      "'c'",
      "1",
      "-2.5",
      "0x1F",
      "nil",
      "true",
      "upper",
      "printf",
      '"%v"',
      "index",
      "len",
      "eq",
      "and",
      "user",
      "/*",
      "*/",
      "x",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 24 }), (parts) => {
        const r = renderOnce(parts.join(""), { data: { A: { B: [1, "two"] } }, userVariables: {} });
        return typeof ("value" in r ? r.value : r.error) === "string";
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (t) => {
        const r = renderOnce(t);
        return typeof ("value" in r ? r.value : r.error) === "string";
      }),
      { numRuns: 2000 },
    );
  });

  it("reports deep template recursion as an error", () => {
    const r = renderOnce('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}');
    expect(r).toMatchObject({
      kind: "exec",
      error: expect.stringContaining("exceeded maximum template depth"),
    });
  });
});
