/**
 * User variable resolution, checked against what Packer 1.6.6 does with the same `variables` sections
 * (`packer console` listings and `packer validate` errors).
 */

import { describe, expect, it } from "vitest";
import { resolveUserVariables } from "./variables.js";

describe("resolveUserVariables", () => {
  it("resolves chains in sorted passes and keeps {{ .Field }} references", async () => {
    const r = await resolveUserVariables({
      templateVariables: {
        a: "x",
        b: "{{user `a`}}-y",
        c: "{{user `b`}}-z",
        d: "{{ .HTTPIP }}:{{user `a`}}",
      },
      variables: {},
    });
    // Packer 1.6.6 lists b: x-y, c: x-y-z, d: {{ .HTTPIP }}:x, a: x and an empty-named variable.
    expect(r).toEqual({ value: { "": "", a: "x", b: "x-y", c: "x-y-z", d: "{{ .HTTPIP }}:x" } });
  });

  it("drops an undefined reference silently while other references keep re-rendering", async () => {
    const r = await resolveUserVariables({
      templateVariables: { a: "x", b: "{{user `a`}}-y", e: "{{user `zz`}}" },
      variables: {},
    });
    expect(r).toEqual({ value: { "": "", a: "x", b: "x-y" } });
  });

  it("reports an undefined reference when nothing else changes", async () => {
    const r = await resolveUserVariables({
      templateVariables: { a: "x", e: "{{user `zz`}}" },
      variables: {},
    });
    expect(r).toEqual({
      error:
        'Failed to interpolate "e": "{{user `zz`}}"; error: template: root:1:2: executing "root" at <user `zz`>: ' +
        "error calling user: Error: variable not set: zz: Please make sure that the variable you're referencing " +
        "has been defined; Packer treats all variables used to interpolate other user variables as required.",
    });
  });

  it("names the variable whose default does not parse", async () => {
    const r = await resolveUserVariables({
      templateVariables: { a: "x", e: '{{user "a"}}-{{ foo }}' },
      variables: {},
    });
    expect(r).toEqual({
      error: "error interpolating default value for 'e': template: root:1: function \"foo\" not defined",
    });
  });

  it("returns other execution errors as they are", async () => {
    const r = await resolveUserVariables({ templateVariables: { e: "{{split `a` `b` 4}}" }, variables: {} });
    expect(r).toEqual({
      error:
        'template: root:1:2: executing "root" at <split `a` `b` 4>: error calling split: the substring 4 was ' +
        "unavailable using the separator value, b, only 1 values were found",
    });
  });

  it("lets -var values override defaults and feed references; env is allowed", async () => {
    const r = await resolveUserVariables({
      templateVariables: {
        region: "us-east-1",
        name: "img-{{user `region`}}-{{env `SUFFIX`}}",
        home: "{{env `HOME`}}",
      },
      variables: { region: "eu-west-1", extra: "{{user `region`}}!" },
      ctx: { env: { SUFFIX: "s", HOME: "/root" } },
    });
    expect(r).toEqual({
      value: { "": "", region: "eu-west-1", name: "img-eu-west-1-s", home: "/root", extra: "eu-west-1!" },
    });
  });

  it("resolves references in any key order, including double-quoted names", async () => {
    const r = await resolveUserVariables({
      templateVariables: { a: '{{user "z"}}+', m: "{{user `a`}}{{user `a`}}", z: "last" },
      variables: {},
    });
    expect(r).toEqual({ value: { "": "", a: "last+", m: "last+last+", z: "last" } });
  });

  it("resolves secret lookups through the context", async () => {
    const r = await resolveUserVariables({
      templateVariables: { token: "{{consul_key `app/token`}}", v: "{{vault `secret/app` `pw`}}" },
      variables: {},
      ctx: { secrets: { consulKey: (k) => `consul:${k}`, vault: (p, k) => `vault:${p}#${k}` } },
    });
    expect(r).toEqual({ value: { "": "", token: "consul:app/token", v: "vault:secret/app#pw" } });
  });
});
