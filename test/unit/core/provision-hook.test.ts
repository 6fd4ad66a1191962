import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BasicUi,
  type CoreProvisioner,
  DEBUG_PROVISIONER_PROMPT,
  DispatchHook,
  LineInput,
  NO_COMMUNICATOR_MESSAGE,
  ProvisionHook,
  Redactor,
  TargetedUi,
  wrapProvisioner,
} from "../../../src/core/index.js";
import { Duration, noopLogger, parseDuration, type RunContext } from "../../../src/sdk/index.js";
import { Capture, EchoProvisioner, nullCommunicator } from "./support.js";

const context: RunContext = { log: noopLogger, secrets: new Redactor() };

function dur(text: string): Duration {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function harness(answers?: string[]) {
  const stdout = new Capture();
  let input: LineInput | undefined;
  if (answers !== undefined) {
    const stream = new PassThrough();
    stream.end(answers.map((a) => `${a}\n`).join(""));
    input = new LineInput(stream);
  }
  const ui = new TargetedUi(
    new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger, ...(input ? { input } : {}) }),
    "null",
  );
  return { stdout, ui };
}

async function provision(
  p: CoreProvisioner,
  opts: { debug?: boolean; answers?: string[]; signal?: AbortSignal } = {},
) {
  const h = harness(opts.answers);
  const fn = wrapProvisioner(p, { debug: opts.debug ?? false, context });
  let error: unknown;
  const started = Date.now();
  try {
    await fn(h.ui, nullCommunicator, { ID: "Null" }, opts.signal ?? new AbortController().signal);
  } catch (err) {
    error = err;
  }
  return { ...h, error, elapsed: Date.now() - started };
}

describe("provisioner wrappers", () => {
  it("pause_before: says so in Go duration form, then waits", async () => {
    const p = new EchoProvisioner({ lines: ["ran"] });
    const r = await provision({ type: "shell-local", provisioner: p, pauseBefore: dur("60ms") });
    expect(r.stdout.text).toBe("==> null: Pausing 60ms before the next provisioner...\n    null: ran\n");
    expect(r.elapsed).toBeGreaterThanOrEqual(55);
    expect(p.attempts).toBe(1);
  });

  it("pause_before: cancelled during the pause", async () => {
    const controller = new AbortController();
    const p = new EchoProvisioner();
    setTimeout(() => controller.abort(), 20);
    const r = await provision(
      { type: "x", provisioner: p, pauseBefore: dur("10s") },
      { signal: controller.signal },
    );
    expect((r.error as Error).message).toBe("context canceled");
    expect(p.attempts).toBe(0);
  });

  it("timeout: cancels the provisioner's signal after the timeout and says so", async () => {
    const p = new EchoProvisioner({ delayMs: 10_000 });
    const r = await provision({ type: "shell-local", provisioner: p, timeout: dur("50ms") });
    expect(r.stdout.text).toBe(
      "==> null: Setting a 50ms timeout for the next provisioner...\n==> null: Cancelling provisioner after a timeout...\n",
    );
    expect(r.error).toBeInstanceOf(Error);
    expect(p.lastSignal?.aborted).toBe(true);
    expect(r.elapsed).toBeLessThan(5000);
  });

  it("timeout: a provisioner that finishes in time is not cancelled", async () => {
    const p = new EchoProvisioner({ delayMs: 5 });
    const r = await provision({ type: "shell-local", provisioner: p, timeout: dur("1m30s") });
    expect(r.stdout.text).toBe("==> null: Setting a 1m30s timeout for the next provisioner...\n");
    expect(r.error).toBeUndefined();
    expect(p.lastSignal?.aborted).toBe(false);
  });

  it("timeout is ignored when pause_before is set (as in Packer)", async () => {
    const p = new EchoProvisioner({ delayMs: 80 });
    const r = await provision({ type: "x", provisioner: p, pauseBefore: dur("1ms"), timeout: dur("10ms") });
    expect(r.error).toBeUndefined();
    expect(r.stdout.text).toBe("==> null: Pausing 1ms before the next provisioner...\n");
  });

  it("max_retries: retries with Packer's messages and succeeds", async () => {
    const p = new EchoProvisioner({ failTimes: 2, lines: ["try"] });
    const r = await provision({ type: "x", provisioner: p, maxRetries: 3 });
    expect(r.error).toBeUndefined();
    expect(p.attempts).toBe(3);
    expect(r.stdout.text).toBe(
      [
        "    null: try",
        '==> null: Provisioner failed with "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]", retrying with 3 trie(s) left',
        "    null: try",
        '==> null: Provisioner failed with "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]", retrying with 2 trie(s) left',
        "    null: try",
        "",
      ].join("\n"),
    );
  });

  it("max_retries: gives up with `retry limit reached.` and Packer's first error", async () => {
    const p = new EchoProvisioner({
      failTimes: Number.POSITIVE_INFINITY,
      failMessages: ["first", "second", "third"],
    });
    const r = await provision({ type: "x", provisioner: p, maxRetries: 2 });
    expect(p.attempts).toBe(3);
    expect((r.error as Error).message).toBe("first");
    expect(r.stdout.text).toBe(
      [
        '==> null: Provisioner failed with "first", retrying with 2 trie(s) left',
        '==> null: Provisioner failed with "first", retrying with 1 trie(s) left',
        "==> null: retry limit reached.",
        "",
      ].join("\n"),
    );
  });

  it("max_retries: quotes errors as Go's %q does", async () => {
    const p = new EchoProvisioner({ failTimes: 1, failMessages: ['bad "quote"\nline'] });
    const r = await provision({ type: "x", provisioner: p, maxRetries: 1 });
    expect(r.stdout.text).toBe(
      '==> null: Provisioner failed with "bad \\"quote\\"\\nline", retrying with 1 trie(s) left\n',
    );
  });

  it("continue_on_error: after the retries, warns and continues", async () => {
    const p = new EchoProvisioner({ failTimes: Number.POSITIVE_INFINITY, failMessages: ["nope"] });
    const r = await provision({ type: "x", provisioner: p, maxRetries: 1, continueOnError: true });
    expect(r.error).toBeUndefined();
    expect(p.attempts).toBe(2);
    expect(r.stdout.text).toBe(
      [
        '==> null: Provisioner failed with "nope", retrying with 1 trie(s) left',
        "==> null: retry limit reached.",
        '==> null: Warning: Provisioner failed with "nope", but continue_on_error is set; continuing the build.',
        "",
      ].join("\n"),
    );
  });

  it("continue_on_error does not swallow a cancellation", async () => {
    const controller = new AbortController();
    const p = new EchoProvisioner({ delayMs: 10_000 });
    setTimeout(() => controller.abort(), 20);
    const r = await provision(
      { type: "x", provisioner: p, continueOnError: true },
      { signal: controller.signal },
    );
    expect((r.error as Error).message).toBe("context canceled\ncontext canceled");
  });

  it("-debug asks before the provisioner", async () => {
    const p = new EchoProvisioner({ lines: ["ran"] });
    const r = await provision(
      { type: "x", provisioner: p, pauseBefore: dur("1ms") },
      { debug: true, answers: [""] },
    );
    expect(r.stdout.text).toBe(
      `==> null: ${DEBUG_PROVISIONER_PROMPT} ==> null: Pausing 1ms before the next provisioner...\n    null: ran\n`,
    );
  });

  it("passes generated data, the signal and the run context through", async () => {
    const p = new EchoProvisioner();
    await provision({ type: "x", provisioner: p });
    expect(p.lastData).toEqual({ ID: "Null" });
    expect(p.lastContext).toBe(context);
  });
});

describe("ProvisionHook and DispatchHook", () => {
  it("runs provisioners in order and stops at the first failure", async () => {
    const journal: string[] = [];
    const a = new EchoProvisioner({ journal, label: "a" });
    const b = new EchoProvisioner({ journal, label: "b", failTimes: 1, failMessages: ["b failed"] });
    const c = new EchoProvisioner({ journal, label: "c" });
    const hook = new ProvisionHook(
      [a, b, c].map((p) => wrapProvisioner({ type: "x", provisioner: p }, { debug: false, context })),
    );
    const { ui } = harness();
    await expect(
      hook.run("packer_provision", ui, nullCommunicator, {}, new AbortController().signal),
    ).rejects.toThrow("b failed");
    expect(journal).toEqual(["provision:a", "provision:b"]);
  });

  it("fails without a communicator when there are provisioners", async () => {
    const hook = new ProvisionHook([
      wrapProvisioner({ type: "x", provisioner: new EchoProvisioner() }, { debug: false, context }),
    ]);
    const { ui } = harness();
    await expect(
      hook.run("packer_provision", ui, undefined, {}, new AbortController().signal),
    ).rejects.toThrow(NO_COMMUNICATOR_MESSAGE);
    // No provisioners: nothing to do, no communicator needed.
    await new ProvisionHook([]).run("packer_provision", ui, undefined, {}, new AbortController().signal);
  });

  it("dispatches by hook name; unknown names do nothing", async () => {
    const journal: string[] = [];
    const p = new EchoProvisioner({ journal, label: "cleanup" });
    const dispatch = new DispatchHook(
      new Map([
        [
          "packer_cleanup_provision",
          [new ProvisionHook([wrapProvisioner({ type: "x", provisioner: p }, { debug: false, context })])],
        ],
      ]),
    );
    const { ui } = harness();
    await dispatch.run("packer_provision", ui, nullCommunicator, {}, new AbortController().signal);
    expect(journal).toEqual([]);
    await dispatch.run("packer_cleanup_provision", ui, nullCommunicator, {}, new AbortController().signal);
    expect(journal).toEqual(["provision:cleanup"]);
  });
});

it("Duration prints Go's form", () => {
  expect(String(Duration.fromMilliseconds(90_000))).toBe("1m30s");
});
