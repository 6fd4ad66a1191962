import { describe, expect, it } from "vitest";
import {
  boolFlag,
  commaListFlag,
  enumFlag,
  type FlagSpec,
  int64Flag,
  keyValueFlag,
  parseFlags,
  stringFlag,
  stringListFlag,
} from "../../../src/cli/flags.js";

const spec = {
  force: boolFlag(false),
  color: boolFlag(true),
  name: stringFlag("def"),
  "parallel-builds": int64Flag(0n),
  "var-file": stringListFlag(),
  only: commaListFlag(),
  var: keyValueFlag(),
  "on-error": enumFlag(["cleanup", "abort"], ""),
} satisfies FlagSpec;

function ok(args: string[]) {
  const r = parseFlags(spec, args);
  if (!r.ok) throw new Error(`unexpected failure: ${r.message}`);
  return r;
}

function err(args: string[]): string {
  const r = parseFlags(spec, args);
  if (r.ok) throw new Error("expected a failure");
  return r.message;
}

describe("parseFlags: defaults and basic forms", () => {
  it("gives every flag its default when none is given", () => {
    const r = ok([]);
    expect(r.values).toEqual({
      force: false,
      color: true,
      name: "def",
      "parallel-builds": 0n,
      "var-file": [],
      only: [],
      var: new Map(),
      "on-error": "",
    });
    expect(r.args).toEqual([]);
    expect(r.seen.size).toBe(0);
  });

  it("treats -flag and --flag alike", () => {
    expect(ok(["--force", "--name=x"]).values).toMatchObject({ force: true, name: "x" });
    expect(ok(["-force", "-name", "x"]).values).toMatchObject({ force: true, name: "x" });
  });

  it("takes a value as -flag=value or -flag value", () => {
    expect(ok(["-name=a"]).values.name).toBe("a");
    expect(ok(["-name", "a"]).values.name).toBe("a");
    expect(ok(["--name", "a"]).values.name).toBe("a");
  });

  it("splits -flag=value at the first = only", () => {
    expect(ok(["-name=a=b=c"]).values.name).toBe("a=b=c");
  });

  it("accepts an empty value after =", () => {
    expect(ok(["-name="]).values.name).toBe("");
  });

  it("takes the next argument as the value whatever it looks like", () => {
    expect(ok(["-name", "-force"]).values).toMatchObject({ name: "-force", force: false });
    expect(ok(["-name", "--"]).values.name).toBe("--");
    expect(ok(["-name", ""]).values.name).toBe("");
  });

  it("lets a later value of a single-valued flag win", () => {
    expect(ok(["-name=a", "-name=b"]).values.name).toBe("b");
  });

  it("records which flags were given", () => {
    expect([...ok(["-force", "-name=x", "-force=false"]).seen].sort()).toEqual(["force", "name"]);
  });
});

describe("parseFlags: booleans", () => {
  it("sets a bare boolean flag to true", () => {
    expect(ok(["-force"]).values.force).toBe(true);
  });

  it.each([
    ["true", true],
    ["1", true],
    ["t", true],
    ["T", true],
    ["TRUE", true],
    ["True", true],
    ["false", false],
    ["0", false],
    ["f", false],
    ["F", false],
    ["FALSE", false],
    ["False", false],
  ])("accepts -color=%s", (v, want) => {
    expect(ok([`-color=${v}`]).values.color).toBe(want);
  });

  it("never takes the next argument as a boolean's value", () => {
    const r = ok(["-color", "false", "rest"]);
    expect(r.values.color).toBe(true);
    expect(r.args).toEqual(["false", "rest"]);
  });

  it.each(["x", "", "yes", "tRUE"])("rejects -force=%j with Go's message", (v) => {
    expect(err([`-force=${v}`])).toBe(`invalid boolean value "${v}" for -force: parse error`);
  });

  it("quotes the bad value like Go's %q", () => {
    expect(err(['-force=a"b'])).toBe('invalid boolean value "a\\"b" for -force: parse error');
  });
});

describe("parseFlags: integers", () => {
  it.each([
    ["4", 4n],
    ["0x10", 16n],
    ["010", 8n],
    ["-1", -1n],
    ["1_000", 1000n],
  ])("parses -parallel-builds=%s", (v, want) => {
    expect(ok([`-parallel-builds=${v}`]).values["parallel-builds"]).toBe(want);
  });

  it("reports a malformed number as a parse error", () => {
    expect(err(["-parallel-builds=x"])).toBe('invalid value "x" for flag -parallel-builds: parse error');
    expect(err(["-parallel-builds", "1.5"])).toBe(
      'invalid value "1.5" for flag -parallel-builds: parse error',
    );
  });

  it("reports an int64 overflow as out of range", () => {
    expect(err(["-parallel-builds=9223372036854775808"])).toBe(
      'invalid value "9223372036854775808" for flag -parallel-builds: value out of range',
    );
  });
});

describe("parseFlags: lists and key/value pairs", () => {
  it("keeps every -var-file in order, commas untouched", () => {
    expect(ok(["-var-file=a.hcl", "-var-file", "b,c.json", "-var-file=a.hcl"]).values["var-file"]).toEqual([
      "a.hcl",
      "b,c.json",
      "a.hcl",
    ]);
  });

  it("splits -only at commas and accumulates repeats", () => {
    expect(ok(["-only=a,b", "-only=c"]).values.only).toEqual(["a", "b", "c"]);
  });

  it("keeps empty items of a comma list as Go's strings.Split does", () => {
    expect(ok(["-only="]).values.only).toEqual([""]);
    expect(ok(["-only=a,,b,"]).values.only).toEqual(["a", "", "b", ""]);
  });

  it("splits -var at the first = and lets a later value for a key win", () => {
    const vars = ok(["-var", "a=1", "-var=b=x=y", "-var", "a=2", "-var", "c="]).values.var;
    expect([...vars]).toEqual([
      ["a", "2"],
      ["b", "x=y"],
      ["c", ""],
    ]);
  });

  it("accepts an empty key in -var, as Packer does", () => {
    expect([...ok(["-var", "=v"]).values.var]).toEqual([["", "v"]]);
  });

  it("rejects a -var without = with Packer's message", () => {
    expect(err(["-var", "x"])).toBe(`invalid value "x" for flag -var: No '=' value in arg: x`);
  });

  it("does not share list state between parses", () => {
    ok(["-only=a", "-var-file=f", "-var", "k=v"]);
    const r = ok([]);
    expect(r.values.only).toEqual([]);
    expect(r.values["var-file"]).toEqual([]);
    expect(r.values.var.size).toBe(0);
  });
});

describe("parseFlags: enums", () => {
  it("accepts one of the options exactly", () => {
    expect(ok(["-on-error=abort"]).values["on-error"]).toBe("abort");
  });

  it("rejects anything else listing the options like Go's %q of a slice", () => {
    expect(err(["-on-error=Abort"])).toBe(
      'invalid value "Abort" for flag -on-error: expected one of ["cleanup" "abort"]',
    );
  });
});

describe("parseFlags: where flags end", () => {
  it("stops at the first non-flag argument", () => {
    const r = ok(["-force", "tpl.pkr.hcl", "-name=x"]);
    expect(r.values).toMatchObject({ force: true, name: "def" });
    expect(r.args).toEqual(["tpl.pkr.hcl", "-name=x"]);
  });

  it("consumes -- and stops there", () => {
    const r = ok(["-force", "--", "-name=x", "t"]);
    expect(r.values.name).toBe("def");
    expect(r.args).toEqual(["-name=x", "t"]);
  });

  it("keeps a second -- as a positional", () => {
    expect(ok(["--", "--"]).args).toEqual(["--"]);
  });

  it("treats a lone - as a positional and stops", () => {
    const r = ok(["-force", "-", "-name=x"]);
    expect(r.args).toEqual(["-", "-name=x"]);
  });

  it("treats an empty argument as a positional", () => {
    expect(ok(["", "-force"]).args).toEqual(["", "-force"]);
  });
});

describe("parseFlags: errors", () => {
  it("names an undefined flag with a single dash", () => {
    expect(err(["-nope"])).toBe("flag provided but not defined: -nope");
    expect(err(["--nope=1"])).toBe("flag provided but not defined: -nope");
  });

  it("is case-sensitive", () => {
    expect(err(["-Force"])).toBe("flag provided but not defined: -Force");
  });

  it("stops at the first error", () => {
    expect(err(["-nope", "-other"])).toBe("flag provided but not defined: -nope");
  });

  it("needs a value for a non-boolean at the end", () => {
    expect(err(["-var"])).toBe("flag needs an argument: -var");
    expect(err(["--name"])).toBe("flag needs an argument: -name");
  });

  it.each(["---x", "-=x", "--=x", "---"])("rejects %s as bad flag syntax", (a) => {
    expect(err([a])).toBe(`bad flag syntax: ${a}`);
  });

  it("does not mistake inherited object keys for flags", () => {
    expect(err(["-constructor"])).toBe("flag provided but not defined: -constructor");
    expect(err(["-toString=x"])).toBe("flag provided but not defined: -toString");
  });

  it("answers an undefined -h/-help with a help request and no message", () => {
    for (const a of ["-h", "--h", "-help", "--help", "-h=1", "-help=x"]) {
      const r = parseFlags(spec, [a]);
      expect(r).toEqual({ ok: false, message: "", helpRequested: true });
    }
  });

  it("treats -h as an ordinary flag when the spec defines it", () => {
    const r = parseFlags({ h: boolFlag(false) }, ["-h"]);
    expect(r.ok && r.values.h).toBe(true);
  });
});
