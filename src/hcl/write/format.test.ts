import { describe, expect, it } from "vitest";
import { formatHCL } from "./format.js";

describe("formatHCL", () => {
  it("formats a template", () => {
    const { output, diagnostics } = formatHCL('source "null" "x" {\ncommunicator="none"\n}\n', "a.pkr.hcl");
    expect(diagnostics).toEqual([]);
    expect(output).toBe('source "null" "x" {\n  communicator = "none"\n}\n');
  });

  it("refuses a file with syntax errors and returns the parser's diagnostics", () => {
    const src = 'variable "region" {\n  type =string\n}\n\ninvalid\n';
    const { output, diagnostics } = formatHCL(src, "bad.pkr.hcl");
    expect(output).toBe(src);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]?.severity).toBe("error");
    expect(diagnostics[0]?.subject?.filename).toBe("bad.pkr.hcl");
    expect(diagnostics[0]?.subject?.start.line).toBe(5);
  });

  it("writes !x without a space in the newer style", () => {
    expect(formatHCL("a = !true\n", "a.pkr.hcl").output).toBe("a = ! true\n");
    expect(formatHCL("a = ! true\n", "a.pkr.hcl", { style: { spaceAfterBang: false } }).output).toBe(
      "a = !true\n",
    );
  });

  it("keeps CRLF line endings and turns tabs between tokens into spaces", () => {
    expect(formatHCL("a\t=\t[1,\t2]\r\nbb = 1\r\n", "a.pkr.hcl").output).toBe("a  = [1, 2]\r\nbb = 1\r\n");
  });

  it("drops a leading byte order mark", () => {
    expect(formatHCL("\ufeffa = 1\n", "a.pkr.hcl").output).toBe("a = 1\n");
  });
});
