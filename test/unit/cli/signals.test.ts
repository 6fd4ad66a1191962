import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { InterruptedError, installSignalHandlers } from "../../../src/cli/signals.js";

function fakeProcess() {
  const emitter = new EventEmitter();
  const proc = {
    on: (event: string, fn: (...a: unknown[]) => void) => emitter.on(event, fn),
    off: (event: string, fn: (...a: unknown[]) => void) => emitter.off(event, fn),
  } as unknown as Pick<NodeJS.Process, "on" | "off">;
  return { emitter, proc };
}

describe("installSignalHandlers", () => {
  it("aborts on the first signal with an InterruptedError naming it", () => {
    const { emitter, proc } = fakeProcess();
    const controller = new AbortController();
    const exits: number[] = [];
    installSignalHandlers(controller, proc, (c) => exits.push(c));
    emitter.emit("SIGTERM", "SIGTERM");
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBeInstanceOf(InterruptedError);
    expect((controller.signal.reason as InterruptedError).signal).toBe("SIGTERM");
    expect(exits).toEqual([]);
  });

  it("exits 1 on the second signal", () => {
    const { emitter, proc } = fakeProcess();
    const controller = new AbortController();
    const exits: number[] = [];
    installSignalHandlers(controller, proc, (c) => exits.push(c));
    emitter.emit("SIGINT", "SIGINT");
    emitter.emit("SIGINT", "SIGINT");
    expect(exits).toEqual([1]);
    expect((controller.signal.reason as InterruptedError).signal).toBe("SIGINT");
  });

  it("removes its handlers", () => {
    const { emitter, proc } = fakeProcess();
    const remove = installSignalHandlers(new AbortController(), proc, () => {});
    expect(emitter.listenerCount("SIGINT")).toBe(1);
    expect(emitter.listenerCount("SIGTERM")).toBe(1);
    remove();
    expect(emitter.listenerCount("SIGINT")).toBe(0);
    expect(emitter.listenerCount("SIGTERM")).toBe(0);
  });
});
