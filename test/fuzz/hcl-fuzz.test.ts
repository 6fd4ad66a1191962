/**
 * The in-suite sample of the HCL fuzzer (scripts/fuzz-hcl.mjs runs the long version against dist/): a fixed
 * seed, so a failure here reproduces exactly, over the engine's TypeScript sources. Also checks the harness
 * itself: that it finds, shrinks and minimizes a planted bug, and its building blocks.
 */
import { describe, expect, it } from "vitest";
import { type Engine, loadEngine } from "./lib/engine.mjs";
import { minimizeText } from "./lib/minimize.mjs";
import { applyEdits, loadSeeds, roughTokens } from "./lib/mutators.mjs";
import { checkInput, firstTokenDifference, spacedDotAfterNumber } from "./lib/properties.mjs";
import { describeFailure, runFuzz } from "./lib/runner.mjs";

// Resolved at run time by vitest, which maps each `.js` path to the TypeScript source.
const engine = await loadEngine((rel) => import(/* @vite-ignore */ `../../src/hcl/${rel}`));
const seedTexts = loadSeeds().map((s) => s.text);
const jsonSeedTexts = loadSeeds(undefined, ".json").map((s) => s.text);

describe("HCL fuzz sample", () => {
  it("holds every property on 2000 seeded cases", () => {
    const report = runFuzz({
      engine,
      runs: 2000,
      seed: 0x6b696c6e,
      seedTexts,
      jsonSeedTexts,
      // 3 s per input rather than the script's 1 s: the suite shares a loaded machine with other test files.
      slowMs: 3000,
      minimizeMs: 10_000,
    });
    expect(report.failure, describeFailure(report)).toBeUndefined();
    expect(report.runs).toBe(2000);
    // Every generator contributed, so the sample covers what it claims to.
    const origins = [
      "generated",
      "mutated-corpus",
      "mutated-generated",
      "expression",
      "template",
      "raw",
      "json",
    ];
    if (jsonSeedTexts.length > 0) origins.push("mutated-json");
    for (const origin of origins) expect(report.origins[origin] ?? 0, origin).toBeGreaterThan(20);
  });

  it("drives every engine entry point that exists", () => {
    for (const name of ["lexConfig", "parseConfig", "parseExpression", "parseTemplate", "formatHCL"]) {
      expect(engine.active).toContain(name);
    }
    if (engine.active.includes("functions:string")) expect(engine.functions.has("upper")).toBe(true);
  });

  it("skips the formatter properties only where packer fmt breaks them too", () => {
    // `packer fmt` writes `a = 1e0 .0` as `a = 1e0.0`, which no longer parses; kiln matches it byte for byte.
    const format = engine.fn.formatHCL as (src: string, file: string) => { output: string };
    expect(format("a = 1e0 .0\n", "q.pkr.hcl").output).toBe("a = 1e0.0\n");
    expect(checkInput(engine, "a = 1e0 .0\n")).toBeUndefined();
    const lex = engine.fn.lexConfig as (src: string, file: string) => { tokens: never[] };
    expect(spacedDotAfterNumber(lex("a = 1e0 .0\n", "q").tokens)).toBe(true);
    expect(spacedDotAfterNumber(lex("a = 1. 1\n", "q").tokens)).toBe(true);
    expect(spacedDotAfterNumber(lex("a = x .0 + 1.5 + 1 .x\n", "q").tokens)).toBe(false);
  });
});

describe("fuzz harness", () => {
  /** The real engine with one entry point replaced. */
  const planted = (name: string, f: (...args: never[]) => unknown): Engine => ({
    ...engine,
    fn: { ...engine.fn, [name]: f },
  });

  it("finds a planted throw and minimizes the input to its trigger", () => {
    const real = engine.fn.parseConfig as (src: string, file: string) => unknown;
    const buggy = planted("parseConfig", ((src: string, file: string) => {
      if (src.includes("?") && src.includes("[")) throw new RangeError("planted");
      return real(src, file);
    }) as never);
    const report = runFuzz({ engine: buggy, runs: 500, seed: 7, seedTexts, minimizeMs: 5_000 });
    expect(report.failure?.kind).toBe("throw:parseConfig");
    expect(report.failure?.message).toContain("planted");
    expect(report.failure?.minimized.length).toBe(2);
    expect(describeFailure(report)).toContain("replay: node scripts/fuzz-hcl.mjs --seed 7 --path ");
  });

  it("finds a formatter that is not idempotent", () => {
    const real = engine.fn.formatHCL as (
      src: string,
      file: string,
    ) => { output: string; diagnostics: unknown[] };
    const buggy = planted("formatHCL", ((src: string, file: string) => {
      const r = real(src, file);
      return r.output.includes("#") ? { ...r, output: `${r.output}\n` } : r;
    }) as never);
    const report = runFuzz({ engine: buggy, runs: 500, seed: 8, seedTexts, minimizeMs: 5_000 });
    expect(report.failure?.kind).toBe("fmt-not-idempotent");
    // ddmin gives a 1-minimal text: no single character can go, e.g. "#" or "_=e#".
    expect(report.failure?.minimized).toContain("#");
    expect(report.failure?.minimized.length).toBeLessThanOrEqual(4);
  });

  it("flags a formatter that changes a token", () => {
    const buggy = planted("formatHCL", ((src: string) => ({
      output: src.replace("1", "2"),
      diagnostics: [],
    })) as never);
    expect(checkInput(buggy, "a = 1\n")?.kind).toBe("fmt-changed-tokens");
    expect(checkInput(engine, "a   =   1\n")).toBeUndefined();
  });

  it("flags generated-valid input the parser rejects, and slow inputs", () => {
    expect(checkInput(engine, "a = \n", { mustParse: true })?.kind).toBe("valid-rejected");
    const slow = planted("lexTemplate", (() => {
      const t = performance.now();
      while (performance.now() - t < 30) {}
    }) as never);
    expect(checkInput(slow, "a = 1\n", { slowMs: 20 })?.kind).toBe("slow");
  });

  it("compares token sequences ignoring only newlines", () => {
    const t = (type: string, bytes: string) => ({ type, bytes });
    const a = [t("Ident", "a"), t("Newline", "\n"), t("Equal", "="), t("EOF", "")];
    expect(firstTokenDifference(a, [t("Ident", "a"), t("Equal", "=")])).toBeUndefined();
    expect(firstTokenDifference(a, [t("Ident", "b"), t("Equal", "=")])).toMatch(/token 0 differs/);
    expect(firstTokenDifference(a, [t("Ident", "a")])).toMatch(
      /token 1 differs: input has Equal "=", formatted has \(none\)/,
    );
  });

  it("applies character and token edits", () => {
    const text = 'a = "x"\n';
    expect(applyEdits(text, [{ op: "truncate", pos: 3, len: 0, arg: 0 }], [])).toBe("a =");
    expect(applyEdits(text, [{ op: "delete", pos: 0, len: 1, arg: 0 }], [])).toBe('= "x"\n');
    expect(applyEdits(text, [{ op: "insert", pos: 4, len: 0, arg: 0 }], [])).toBe('a = ${"x"\n');
    expect(applyEdits(text, [{ op: "tokSwap", pos: 0, len: 0, arg: 2 }], [])).toBe('= a "x"\n');
    expect(roughTokens(`x = "\${a}" # c`)).toEqual([
      "x",
      " ",
      "=",
      " ",
      '"',
      "${",
      "a",
      "}",
      '"',
      " ",
      "#",
      " ",
      "c",
    ]);
  });

  it("minimizes to a smallest failing text", () => {
    const text = "line one\nline two has BUG here\nline three\n";
    expect(minimizeText(text, (s) => s.includes("BUG"))).toBe("BUG");
    expect(minimizeText(text, (s) => s.includes("B") && s.includes("three"))).toBe("Bthree");
  });

  it("loads distinct seed files, the fmt golden inputs at least", () => {
    const seeds = loadSeeds();
    expect(seeds.some((s) => s.path.endsWith("test/golden/fmt/extra/heredoc.pkr.hcl"))).toBe(true);
    expect(new Set(seeds.map((s) => s.text)).size).toBe(seeds.length);
  });
});
