/**
 * Conformance with Go's text/template: every case in testdata/go-oracle.json was rendered by Go 1.19 (the
 * toolchain Packer 1.6.6 was built with) through testdata/oracle.go, using a function map that behaves
 * like Packer's. Outputs and error texts must match exactly.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { goUnix } from "../../hcl/index.js";
import type { InterpolateContext } from "./context.js";
import { GoStruct, goStringMap, toGoValue } from "./go-value.js";
import { renderOnce } from "./render.js";

interface OracleCase {
  name: string;
  tpl: string;
  data?: unknown;
  dataKind?: "map" | "smap" | "struct";
  vars?: Record<string, string>;
  enableEnv?: boolean;
  buildName?: string;
  buildType?: string;
  version?: string;
  templatePath?: string;
  missingKey?: "zero" | "error";
  unix?: number;
  nanos?: number;
  out?: string;
  err?: string;
}

const cases = JSON.parse(
  readFileSync(new URL("./testdata/go-oracle.json", import.meta.url), "utf8"),
) as OracleCase[];

function dataOf(c: OracleCase): unknown {
  if (c.data === undefined) return undefined;
  if (c.dataKind === "struct") {
    const d = c.data as Record<string, string>;
    return new GoStruct(
      "main.ExecuteCommandTemplate",
      new Map([
        ["Vars", d.Vars ?? ""],
        ["Path", d.Path ?? ""],
        ["EnvVarFile", d.EnvVarFile ?? ""],
        ["hidden", "h"],
      ]),
      true,
    );
  }
  if (c.dataKind === "smap") return goStringMap(c.data as Record<string, string>);
  return toGoValue(c.data);
}

function contextOf(c: OracleCase): InterpolateContext {
  return {
    data: dataOf(c),
    ...(c.vars !== undefined ? { userVariables: c.vars } : {}),
    enableEnv: c.enableEnv ?? false,
    ...(c.buildName !== undefined ? { buildName: c.buildName } : {}),
    ...(c.buildType !== undefined ? { buildType: c.buildType } : {}),
    ...(c.version !== undefined ? { packerVersion: c.version } : {}),
    ...(c.templatePath !== undefined ? { templatePath: c.templatePath } : {}),
    ...(c.missingKey !== undefined ? { missingKey: c.missingKey } : {}),
    cwd: "/work/dir",
    env: { KILN_ORACLE_X: "xval" },
    initTime:
      c.unix !== undefined
        ? goUnix(BigInt(c.unix), c.nanos ?? 0)
        : goUnix(BigInt(Date.UTC(2024, 2, 5, 7, 8, 9) / 1000), 123456789),
    uuid: () => "00000000-0000-0000-0000-000000000000",
  };
}

describe("Go text/template conformance (oracle table)", () => {
  it("has a substantial table", () => {
    expect(cases.length).toBeGreaterThan(300);
  });
  it.each(cases.map((c, i) => [i, c.name, c] as const))("#%i %s", (_i, _name, c) => {
    const r = renderOnce(c.tpl, contextOf(c));
    if (c.err !== undefined) expect(r).toMatchObject({ error: c.err });
    else expect(r).toEqual({ value: c.out });
  });
});

interface FuzzGroup {
  data: unknown;
  vars?: Record<string, string>;
  buildName?: string;
  cases: { tpl: string; out?: string; err?: string; unix?: number; nanos?: number }[];
}

const fuzz = JSON.parse(readFileSync(new URL("./testdata/go-fuzz.json", import.meta.url), "utf8")) as {
  groups: FuzzGroup[];
};

describe("Go text/template conformance (random templates)", () => {
  const all = fuzz.groups.flatMap((g) => g.cases.map((c) => ({ g, c })));
  it("has a substantial table", () => {
    expect(all.length).toBeGreaterThan(500);
  });
  it.each(all.map(({ g, c }, i) => [i, c.tpl, g, c] as const))("#%i %s", (_i, _name, g, c) => {
    const r = renderOnce(
      c.tpl,
      contextOf({
        name: c.tpl,
        tpl: c.tpl,
        data: g.data,
        ...(g.vars !== undefined ? { vars: g.vars } : {}),
        ...(g.buildName !== undefined ? { buildName: g.buildName } : {}),
        ...(c.unix !== undefined ? { unix: c.unix } : {}),
        ...(c.nanos !== undefined ? { nanos: c.nanos } : {}),
      }),
    );
    if (c.err !== undefined) expect(r).toMatchObject({ error: c.err });
    else expect(r).toEqual({ value: c.out });
  });
});
