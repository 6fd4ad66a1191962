import { describe, expect, it } from "vitest";
import { escapeMachineField, formatMachineLine } from "../../../src/cli/machine-line.js";

describe("machine-readable lines", () => {
  it("formats <unix seconds>,<target>,<type>,<args>", () => {
    expect(formatMachineLine(new Date(1_700_000_000_999), "", "version", ["1.2.3"])).toBe(
      "1700000000,,version,1.2.3",
    );
    expect(formatMachineLine(new Date(0), "docker.a", "artifact", ["0", "id", "x"])).toBe(
      "0,docker.a,artifact,0,id,x",
    );
  });

  it("escapes commas, CR and LF in fields as Packer does", () => {
    expect(escapeMachineField("a,b\r\nc")).toBe("a%!(PACKER_COMMA)b\\r\\nc");
    expect(formatMachineLine(new Date(0), "", "ui", ["say", "x,y"])).toBe("0,,ui,say,x%!(PACKER_COMMA)y");
  });
});
