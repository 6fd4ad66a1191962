import { describe, expect, it } from "vitest";
import { formatValueHCL, stringType, valueFromNative } from "../../../hcl/index.js";
import { testRunContext } from "../../provisioner/shell-local/test-support.js";
import { NullDatasource } from "./datasource.js";

describe("null data source", () => {
  it("returns its input as output", async () => {
    const d = new NullDatasource();
    expect(d.configure(valueFromNative({ input: "hello" })).diagnostics).toEqual([]);
    const out = await d.execute(new AbortController().signal, testRunContext());
    expect(formatValueHCL(out)).toBe('{\n  "output" = "hello"\n}');
    expect(d.outputSpec()).toEqual({ output: { kind: "attribute", type: stringType } });
  });

  it("requires input", () => {
    const d = new NullDatasource();
    for (const config of [{}, { input: "" }]) {
      expect(d.configure(valueFromNative(config)).diagnostics.map((x) => x.summary)).toEqual([
        "The `input` must be specified",
      ]);
    }
  });

  it("stops when cancelled", async () => {
    const d = new NullDatasource();
    d.configure(valueFromNative({ input: "x" }));
    const c = new AbortController();
    c.abort();
    await expect(d.execute(c.signal, testRunContext())).rejects.toThrow("context canceled");
  });
});
