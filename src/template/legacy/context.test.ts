import { describe, expect, it } from "vitest";
import { processInitTime } from "./context.js";

/** Wall-clock milliseconds just after the module was loaded. */
const importedAt = Date.now();

describe("processInitTime", () => {
  it("is the instant the engine was loaded, not that of the first call, and constant", async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t = processInitTime();
    const ms = Number(t.unix) * 1000 + t.nsec / 1e6;
    // Loaded before `importedAt` was read (a few ms of slack for Date.now's rounding and clock reads), after
    // the process began; a first-call instant would be 100 ms later.
    expect(ms).toBeLessThanOrEqual(importedAt + 5);
    expect(ms).toBeGreaterThanOrEqual(performance.timeOrigin - 1);
    expect(processInitTime()).toBe(t);
    expect(t.nsec).toBeGreaterThanOrEqual(0);
    expect(t.nsec).toBeLessThan(1e9);
    expect(t).toMatchObject({ offset: 0, zone: "UTC" });
  });
});
