import { describe, expect, it } from "vitest";
import {
  cancelledError,
  errorMessage,
  isCancellation,
  isKilnError,
  KilnError,
  MultiError,
} from "./errors.js";

describe("errors", () => {
  it("KilnError carries a code, a hint and data", () => {
    const err = new KilnError("EXEC_EXIT", "failed", { hint: "fix it", data: { exitCode: 3 } });
    expect(err.message).toBe("failed");
    expect(err.code).toBe("EXEC_EXIT");
    expect(err.hint).toBe("fix it");
    expect(err.data).toEqual({ exitCode: 3 });
    expect(isKilnError(err, "EXEC_EXIT")).toBe(true);
    expect(isKilnError(err, "OTHER")).toBe(false);
    expect(isKilnError(new Error("x"))).toBe(false);
  });

  it("MultiError formats as Packer's and flattens", () => {
    const inner = new MultiError([new Error("a")]);
    const err = new MultiError([inner, "b"]);
    expect(err.errors).toHaveLength(2);
    expect(err.message).toBe("2 error(s) occurred:\n\n* a\n* b");
  });

  it("cancellation", () => {
    expect(cancelledError().message).toBe("context canceled");
    expect(isCancellation(cancelledError())).toBe(true);
    expect(isCancellation(new Error("x"))).toBe(false);
    expect(errorMessage(42)).toBe("42");
  });
});
