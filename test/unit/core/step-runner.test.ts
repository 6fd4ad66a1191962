import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  ASK_PROMPT,
  BasicUi,
  createStepRunner,
  LineInput,
  Redactor,
  type StepRunnerOptions,
  TargetedUi,
} from "../../../src/core/index.js";
import {
  type Hook,
  noopLogger,
  type OnErrorMode,
  type ProvisionState,
  type Step,
  StepProvision,
} from "../../../src/sdk/index.js";
import { Capture, delay, nullCommunicator } from "./support.js";

type Journal = string[];

interface TestState extends ProvisionState {}

/** A step that journals its run and cleanup; `fail` halts with an error, `throws` throws one. */
function step(
  name: string,
  journal: Journal,
  behaviour: { fail?: string; throws?: string; halt?: boolean; waitMs?: number; noCleanup?: boolean } = {},
): Step<TestState> {
  const s: Step<TestState> = {
    name,
    async run(state, signal) {
      journal.push(`${name}:run`);
      if (behaviour.waitMs !== undefined) {
        try {
          await delay(behaviour.waitMs, signal);
        } catch {
          journal.push(`${name}:interrupted`);
          return "halt";
        }
      }
      if (behaviour.throws !== undefined) throw new Error(behaviour.throws);
      if (behaviour.fail !== undefined) {
        state.error = new Error(behaviour.fail);
        return "halt";
      }
      return behaviour.halt ? "halt" : "continue";
    },
  };
  if (!behaviour.noCleanup) {
    s.cleanup = async (_state, signal) => {
      journal.push(`${name}:cleanup${signal.aborted ? "(aborted signal)" : ""}`);
    };
  }
  return s;
}

function harness(options: Partial<StepRunnerOptions> & { answers?: string[] } = {}) {
  const stdout = new Capture();
  let input: LineInput | undefined;
  if (options.answers !== undefined) {
    const stream = new PassThrough();
    stream.end(options.answers.map((a) => `${a}\n`).join(""));
    input = new LineInput(stream);
  }
  const basic = new BasicUi({
    stdout,
    redactor: new Redactor(),
    log: noopLogger,
    ...(input ? { input } : {}),
  });
  const ui = new TargetedUi(basic, "null");
  const runner = createStepRunner({ onError: options.onError ?? "", debug: options.debug ?? false });
  const journal: Journal = [];
  const hookCalls: string[] = [];
  const hook: Hook = {
    async run(name) {
      hookCalls.push(name);
      journal.push(`hook:${name}`);
    },
  };
  const state: TestState = { hook, ui, communicator: nullCommunicator };
  return { stdout, ui, runner, journal, hook, hookCalls, state };
}

describe("step runner: order and outcome", () => {
  it("runs steps in order and cleans up in reverse after success", async () => {
    const h = harness();
    const status = await h.runner.run(
      [step("A", h.journal), step("B", h.journal), step("C", h.journal)],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect(status).toBe("completed");
    expect(h.journal).toEqual(["A:run", "B:run", "C:run", "C:cleanup", "B:cleanup", "A:cleanup"]);
    expect(h.state.error).toBeUndefined();
  });

  it("stops at a failing step; cleans up every step entered, the failing one included", async () => {
    const h = harness();
    const status = await h.runner.run(
      [step("A", h.journal), step("B", h.journal, { fail: "boom" }), step("C", h.journal)],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect(status).toBe("halted");
    expect(h.journal).toEqual(["A:run", "B:run", "B:cleanup", "A:cleanup"]);
    expect((h.state.error as Error).message).toBe("boom");
    expect(h.state.halted).toBe(true);
    // The runner itself prints nothing for a failed step.
    expect(h.stdout.text).toBe("");
  });

  it("treats a thrown error as the step's failure", async () => {
    const h = harness();
    await h.runner.run(
      [step("A", h.journal), step("B", h.journal, { throws: "kaput" })],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect((h.state.error as Error).message).toBe("kaput");
    expect(h.journal).toEqual(["A:run", "B:run", "B:cleanup", "A:cleanup"]);
  });

  it("halts without an error when a step returns halt", async () => {
    const h = harness();
    const status = await h.runner.run(
      [step("A", h.journal, { halt: true }), step("B", h.journal)],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect(status).toBe("halted");
    expect(h.state.error).toBeUndefined();
    expect(h.journal).toEqual(["A:run", "A:cleanup"]);
  });

  it("on cancel marks the state at once, stops, and cleans up with a fresh signal", async () => {
    const h = harness();
    const controller = new AbortController();
    const run = h.runner.run(
      [step("A", h.journal), step("B", h.journal, { waitMs: 10_000 }), step("C", h.journal)],
      h.state,
      h.ui,
      controller.signal,
    );
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(h.state.cancelled).toBe(true);
    expect(await run).toBe("cancelled");
    expect(h.journal).toEqual(["A:run", "B:run", "B:interrupted", "B:cleanup", "A:cleanup"]);
  });

  it("runs nothing when the signal is already aborted", async () => {
    const h = harness();
    const controller = new AbortController();
    controller.abort();
    expect(await h.runner.run([step("A", h.journal)], h.state, h.ui, controller.signal)).toBe("cancelled");
    expect(h.journal).toEqual([]);
  });

  it("gives cleanups a signal that fires after the cleanup timeout", async () => {
    const stdout = new Capture();
    const ui = new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger });
    const runner = createStepRunner({ onError: "", debug: false, cleanupTimeoutMs: 10 });
    const seen: boolean[] = [];
    const slow: Step = {
      name: "Slow",
      run: async () => "continue",
      async cleanup(_s, signal) {
        seen.push(signal.aborted);
        await new Promise((r) => setTimeout(r, 40));
        seen.push(signal.aborted);
      },
    };
    await runner.run([slow], {}, ui, new AbortController().signal);
    expect(seen).toEqual([false, true]);
  });

  it("reports a cleanup that throws and goes on with the others", async () => {
    const h = harness();
    const bad: Step<TestState> = {
      name: "Bad",
      run: async () => "continue",
      cleanup: async () => {
        throw new Error("Error deleting temporary directory: busy");
      },
    };
    await h.runner.run([step("A", h.journal), bad], h.state, h.ui, new AbortController().signal);
    expect(h.journal).toEqual(["A:run", "A:cleanup"]);
    expect(h.stdout.text).toBe("==> null: Error deleting temporary directory: busy\n");
  });
});

const FAILED = "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]";

/** The null builder's steps: StepConnect, then a StepProvision whose provisioners fail. */
function nullSteps(journal: Journal): Step<TestState>[] {
  return [step("StepConnect", journal), new StepProvision<TestState>()];
}

function failingHook(journal: Journal): Hook {
  return {
    async run(name) {
      journal.push(`hook:${name}`);
      if (name === "packer_provision") throw new Error(FAILED);
    },
  };
}

async function runOnError(mode: OnErrorMode, answers?: string[]) {
  const h = harness({ onError: mode, ...(answers ? { answers } : {}) });
  const state: TestState = { ...h.state, hook: failingHook(h.journal) };
  const status = await h.runner.run(nullSteps(h.journal), state, h.ui, new AbortController().signal);
  return { ...h, state, status };
}

describe("step runner: -on-error", () => {
  it("cleanup: runs every cleanup and the cleanup provisioner", async () => {
    const r = await runOnError("cleanup");
    expect(r.journal).toEqual([
      "StepConnect:run",
      "hook:packer_provision",
      "hook:packer_cleanup_provision",
      "StepConnect:cleanup",
    ]);
    expect(r.stdout.text).toBe(
      "==> null: Provisioning step had errors: Running the cleanup provisioner, if present...\n",
    );
  });

  it("abort: skips every cleanup with Packer's messages", async () => {
    const r = await runOnError("abort");
    expect(r.journal).toEqual(["StepConnect:run", "hook:packer_provision"]);
    expect(r.stdout.text).toBe(
      [
        `==> null: ${FAILED}`,
        '==> null: Step "StepProvision" failed, aborting...',
        '==> null: aborted: skipping cleanup of step "StepConnect"',
        "",
      ].join("\n"),
    );
    expect((r.state.error as Error).message).toBe(FAILED);
  });

  it("run-cleanup-provisioner: skips cleanups but runs the cleanup provisioner", async () => {
    const r = await runOnError("run-cleanup-provisioner");
    expect(r.journal).toEqual(["StepConnect:run", "hook:packer_provision", "hook:packer_cleanup_provision"]);
    expect(r.stdout.text).toBe(
      [
        "==> null: Provisioning step had errors: Running the cleanup provisioner, if present...",
        `==> null: ${FAILED}`,
        '==> null: Step "StepConnect" failed, aborting...',
        "",
      ].join("\n"),
    );
  });

  it("abort after an interrupt: `Interrupted, aborting...`", async () => {
    const h = harness({ onError: "abort" });
    const controller = new AbortController();
    const run = h.runner.run(
      [
        step("StepOne", h.journal),
        step("StepTwo", h.journal),
        step("StepWait", h.journal, { waitMs: 10_000 }),
      ],
      h.state,
      h.ui,
      controller.signal,
    );
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await run;
    expect(h.journal).toEqual(["StepOne:run", "StepTwo:run", "StepWait:run", "StepWait:interrupted"]);
    expect(h.stdout.text).toBe(
      [
        "==> null: Interrupted, aborting...",
        '==> null: aborted: skipping cleanup of step "StepTwo"',
        '==> null: aborted: skipping cleanup of step "StepOne"',
        "",
      ].join("\n"),
    );
  });

  it("abort: cleans up normally when nothing failed", async () => {
    const h = harness({ onError: "abort" });
    await h.runner.run(
      [step("A", h.journal), step("B", h.journal)],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect(h.journal).toEqual(["A:run", "B:run", "B:cleanup", "A:cleanup"]);
    expect(h.stdout.text).toBe("");
  });

  it("ask: retry re-runs the step; bad input is reported; abort skips cleanups", async () => {
    const r = await runOnError("ask", ["r", "x", "a"]);
    expect(r.journal).toEqual(["StepConnect:run", "hook:packer_provision", "hook:packer_provision"]);
    expect(r.stdout.text).toBe(
      [
        `==> null: ${FAILED}`,
        '==> null: Step "StepProvision" failed',
        `==> null: ${ASK_PROMPT} ==> null: ${FAILED}`,
        '==> null: Step "StepProvision" failed',
        `==> null: ${ASK_PROMPT} ==> null: Incorrect input: "x"`,
        `==> null: ${ASK_PROMPT} ==> null: ${FAILED}`,
        '==> null: Step "StepProvision" failed, aborting...',
        '==> null: aborted: skipping cleanup of step "StepConnect"',
        "",
      ].join("\n"),
    );
  });

  it("ask: an empty answer cleans up", async () => {
    const r = await runOnError("ask", [""]);
    expect(r.journal).toEqual([
      "StepConnect:run",
      "hook:packer_provision",
      "hook:packer_cleanup_provision",
      "StepConnect:cleanup",
    ]);
    expect(r.stdout.text).toContain(`==> null: ${ASK_PROMPT} ==> null: Provisioning step had errors`);
  });

  it("ask without a terminal cleans up (the question cannot be asked)", async () => {
    const r = await runOnError("ask");
    expect(r.stdout.text).toBe(
      [
        `==> null: ${FAILED}`,
        '==> null: Step "StepProvision" failed',
        "==> null: Provisioning step had errors: Running the cleanup provisioner, if present...",
        "",
      ].join("\n"),
    );
    expect(r.journal.at(-1)).toBe("StepConnect:cleanup");
  });
});

describe("step runner: -debug", () => {
  it("pauses after each step's run and before each step's cleanup", async () => {
    const h = harness({ debug: true, answers: ["", "", "", ""] });
    await h.runner.run(
      [step("StepConnect", h.journal), step("StepProvision", h.journal)],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect(h.stdout.text).toBe(
      [
        "==> null: Pausing after run of step 'StepConnect'. Press enter to continue. ",
        "==> null: Pausing after run of step 'StepProvision'. Press enter to continue. ",
        "==> null: Pausing before cleanup of step 'StepProvision'. Press enter to continue. ",
        "==> null: Pausing before cleanup of step 'StepConnect'. Press enter to continue. ",
      ].join(""),
    );
    expect(h.journal).toEqual([
      "StepConnect:run",
      "StepProvision:run",
      "StepProvision:cleanup",
      "StepConnect:cleanup",
    ]);
  });

  it("does not pause after a step that failed", async () => {
    const h = harness({ debug: true, answers: ["", "", ""] });
    await h.runner.run(
      [step("StepConnect", h.journal), step("StepProvision", h.journal, { fail: "no" })],
      h.state,
      h.ui,
      new AbortController().signal,
    );
    expect(h.stdout.text).toBe(
      [
        "==> null: Pausing after run of step 'StepConnect'. Press enter to continue. ",
        "==> null: Pausing before cleanup of step 'StepConnect'. Press enter to continue. ",
      ].join(""),
    );
  });

  it("continues without a terminal", async () => {
    const h = harness({ debug: true });
    expect(await h.runner.run([step("A", h.journal)], h.state, h.ui, new AbortController().signal)).toBe(
      "completed",
    );
    expect(h.stdout.text).toBe("");
  });
});
