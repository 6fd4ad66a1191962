import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExpression } from "../../syntax/index.js";
import { stringVal } from "../../value/index.js";
import { callFunction } from "../call.js";
import { evaluate } from "../evaluate.js";
import { packerFunctions, variableDefaultFunctions } from "./index.js";

// hcl2template/functions.go: 102 map entries plus templatefile.
const PACKER_FUNCTIONS =
  `abs abspath alltrue anytrue aws_secretsmanager aws_secretsmanager_raw basename base64decode
base64encode base64gzip bcrypt can ceil chomp chunklist cidrhost cidrnetmask cidrsubnet cidrsubnets coalesce
coalescelist compact concat consul_key contains convert csvdecode dirname distinct element endswith file
filebase64 fileexists fileset flatten floor format formatdate formatlist indent index join jsondecode jsonencode
keys legacy_isotime legacy_strftime length log lookup lower max md5 merge min parseint pathexpand pow range
reverse replace regex regexall regex_replace rfc3339_parse rsadecrypt setintersection setproduct setunion sha1
sha256 sha512 signum slice sort split startswith strcontains strrev substr sum textdecodebase64 textencodebase64
timestamp timeadd title trim trimprefix trimspace trimsuffix try unix_timestamp_parse upper urlencode uuidv4
uuidv5 values vault yamldecode yamlencode zipmap templatefile`
    .split(/\s+/)
    .filter((s) => s !== "");

const ctx = { baseDir: "/tmp", cwd: "/tmp", startTime: new Date("2020-01-02T03:04:05Z") };

function evalWith(src: string, baseDir = "/tmp") {
  const parsed = parseExpression(src, "test.hcl");
  expect(parsed.diagnostics).toEqual([]);
  return evaluate(parsed.expression, { functions: packerFunctions({ ...ctx, baseDir }) });
}

describe("packerFunctions", () => {
  it("is Packer's table of 103 functions", () => {
    expect(PACKER_FUNCTIONS).toHaveLength(103);
    const names = [...packerFunctions(ctx).keys()].sort();
    expect(names).toEqual([...PACKER_FUNCTIONS].sort());
    expect(names).not.toContain("env");
  });

  it("evaluates ordinary, expression and context-dependent functions", () => {
    expect(evalWith('upper("abc")').value.asString()).toBe("ABC");
    expect(evalWith('try(jsondecode("{"), "fallback")').value.asString()).toBe("fallback");
    expect(evalWith("can(nope.attr)").value.isFalse()).toBe(true);
    expect(evalWith('legacy_isotime("2006")').value.asString()).toBe("2020");
    expect(evalWith('cidrhost("10.0.0.0/8", 2)').value.asString()).toBe("10.0.0.2");
    const vault = evalWith('vault("secret/x", "k")');
    expect(vault.diagnostics[0]?.summary).toBe("Error in function call");
  });

  it("gives templatefile the table and reads relative to baseDir", () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-fn-"));
    writeFileSync(join(dir, "t.tpl"), `Hello \${upper(name)}`);
    const r = evalWith('templatefile("t.tpl", { name = "x" })', dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.asString()).toBe("Hello X");
  });
});

describe("variableDefaultFunctions", () => {
  it("offers env() alone, reading the given environment", () => {
    const table = variableDefaultFunctions({ HOME_X: "val" });
    expect([...table.keys()]).toEqual(["env"]);
    const env = table.get("env")!;
    const set = callFunction(env, [stringVal("HOME_X")]);
    const unset = callFunction(env, [stringVal("NOPE_X")]);
    expect(set.ok && set.value.asString()).toBe("val");
    expect(unset.ok && unset.value.asString()).toBe("");
  });
});
