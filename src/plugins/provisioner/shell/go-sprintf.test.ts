import { describe, expect, it } from "vitest";
import { goSprintf } from "./go-sprintf.js";

describe("goSprintf", () => {
  it("formats %s, %v, %q and %% like Go", () => {
    expect(goSprintf("%s='%s' ", "A", "b")).toBe("A='b' ");
    expect(goSprintf("export %s=%q\n", "A", 'say "hi"')).toBe('export A="say \\"hi\\""\n');
    expect(goSprintf("%v%%", "5")).toBe("5%");
  });

  it("reports missing and extra arguments as Go does", () => {
    expect(goSprintf("%s=%s", "A")).toBe("A=%!s(MISSING)");
    expect(goSprintf("%s", "A", "B")).toBe("A%!(EXTRA string=B)");
  });
});
