import { describe, expect, it } from "vitest";
import { isKilnError } from "../sdk/index.js";
import { RetryExhaustedError, retry, sleep } from "./retry.js";

const never = new AbortController().signal;

describe("retry", () => {
  it("retries until the function succeeds", async () => {
    let calls = 0;
    const v = await retry({ delayMs: 1 }, never, async () => {
      calls++;
      if (calls < 3) throw new Error(`fail ${calls}`);
      return "ok";
    });
    expect(v).toBe("ok");
    expect(calls).toBe(3);
  });

  it("gives up with the last error once the start timeout passed", async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      retry({ delayMs: 20, startTimeoutMs: 100 }, never, async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      }),
    ).rejects.toThrow(/^fail \d+$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(calls).toBeGreaterThan(2);
  });

  it("stops after `tries` attempts and when shouldRetry says no", async () => {
    await expect(
      retry({ delayMs: 1, tries: 2 }, never, async () => Promise.reject(new Error("x"))),
    ).rejects.toBeInstanceOf(RetryExhaustedError);
    let calls = 0;
    await expect(
      retry({ delayMs: 1, shouldRetry: () => false }, never, async () => {
        calls++;
        throw new Error("fatal");
      }),
    ).rejects.toThrow("fatal");
    expect(calls).toBe(1);
  });

  it("is cancelled by its signal while waiting", async () => {
    const c = new AbortController();
    const p = retry({ delayMs: 10_000 }, c.signal, async () => Promise.reject(new Error("x")));
    setTimeout(() => c.abort(), 20);
    const err = await p.catch((e: unknown) => e);
    expect(isKilnError(err, "CANCELLED")).toBe(true);
    await expect(sleep(10, c.signal)).rejects.toThrow("context canceled");
  });
});
