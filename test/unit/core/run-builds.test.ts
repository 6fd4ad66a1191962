import { describe, expect, it } from "vitest";
import {
  BasicUi,
  type CoreBuild,
  createDebugLog,
  describeAbortReason,
  JsonEventStream,
  MachineReadableUi,
  Redactor,
  type RunBuildsOptions,
  runBuilds,
} from "../../../src/core/index.js";
import { type Artifact, type Builder, type Logger, noopLogger } from "../../../src/sdk/index.js";
import { Capture, EchoProvisioner, type Journal, TestBuilder, TestPostProcessor } from "./support.js";

/** A clock that moves 10.5 ms every time it is read. */
function steppingClock(stepMs = 10.5): () => number {
  let t = 0;
  return () => {
    const now = t;
    t += stepMs;
    return now;
  };
}

interface NullBuildOptions {
  journal?: Journal;
  lines?: string[];
  fail?: boolean;
  delayMs?: number;
  postProcessors?: CoreBuild["postProcessors"];
  builder?: Builder;
}

function nullBuild(name: string, opts: NullBuildOptions = {}): CoreBuild {
  return {
    name,
    type: "null",
    builder: opts.builder ?? new TestBuilder({ ...(opts.journal ? { journal: opts.journal } : {}) }),
    provisioners: [
      {
        type: "shell-local",
        provisioner: new EchoProvisioner({
          lines: opts.lines ?? [`hello from ${name}`],
          errorLines: ["err"],
          ...(opts.fail ? { failTimes: Number.POSITIVE_INFINITY } : {}),
          ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}),
          ...(opts.journal ? { journal: opts.journal, label: name } : {}),
        }),
      },
    ],
    postProcessors: opts.postProcessors ?? [
      [
        {
          type: "shell-local",
          name: "",
          postProcessor: new TestPostProcessor({
            keep: true,
            forceOverride: true,
            label: "pp",
            say: "pp says",
          }),
        },
      ],
    ],
  };
}

function setup(
  overrides: Partial<RunBuildsOptions> & { builds: CoreBuild[] },
  opts: { machine?: boolean; log?: Logger } = {},
) {
  const stdout = new Capture();
  const redactor = new Redactor();
  const log = opts.log ?? noopLogger;
  const ui = opts.machine
    ? new MachineReadableUi({ stdout, redactor, log, now: () => new Date(1795321881_000) })
    : new BasicUi({ stdout, redactor, log });
  const options: RunBuildsOptions = {
    ui,
    color: true,
    timestampUi: false,
    debug: false,
    force: false,
    onError: "",
    parallelBuilds: 1,
    signal: new AbortController().signal,
    log,
    secrets: redactor,
    clock: steppingClock(),
    ...overrides,
  };
  return { stdout, redactor, options };
}

describe("runBuilds output", () => {
  it("prints what Packer prints for two successful builds (color off)", async () => {
    const { stdout, options } = setup({
      builds: [nullBuild("null.one"), nullBuild("null.two")],
      color: false,
    });
    const result = await runBuilds(options);
    expect(result.exitCode).toBe(0);
    expect(result.cancelled).toBe(false);
    expect(stdout.text).toBe(
      [
        "    null.one: hello from null.one",
        "==> null.one: err",
        "==> null.one: Running post-processor:  (type shell-local)",
        "==> null.one (shell-local): pp says",
        "Build 'null.one' finished after 10 milliseconds 500 microseconds.",
        "    null.two: hello from null.two",
        "==> null.two: err",
        "==> null.two: Running post-processor:  (type shell-local)",
        "==> null.two (shell-local): pp says",
        "Build 'null.two' finished after 10 milliseconds 500 microseconds.",
        "",
        "==> Wait completed after 52 milliseconds 500 microseconds",
        "",
        "==> Builds finished. The artifacts of successful builds are:",
        "--> null.one: Did not export anything. This is the null builder",
        "--> null.one: artifact of pp",
        "--> null.two: Did not export anything. This is the null builder",
        "--> null.two: artifact of pp",
        "",
      ].join("\n"),
    );
  });

  it("colors each build (green, cyan, ...), bold for say and error, and announces the colors", async () => {
    const { stdout, options } = setup({ builds: [nullBuild("null.one"), nullBuild("null.two")] });
    await runBuilds(options);
    const lines = stdout.lines();
    expect(lines.slice(0, 5)).toEqual([
      "\u001b[1;32mnull.one: output will be in this color.\u001b[0m",
      "\u001b[1;36mnull.two: output will be in this color.\u001b[0m",
      "",
      "\u001b[0;32m    null.one: hello from null.one\u001b[0m",
      "\u001b[1;31m==> null.one: err\u001b[0m",
    ]);
    expect(lines).toContain("\u001b[1;32m==> null.one (shell-local): pp says\u001b[0m");
    expect(lines).toContain(
      "\u001b[1;32mBuild 'null.one' finished after 10 milliseconds 500 microseconds.\u001b[0m",
    );
    expect(lines).toContain("\u001b[0;36m    null.two: hello from null.two\u001b[0m");
    // The summary is written by the command's UI: never colored.
    expect(lines.slice(-4)).toEqual([
      "--> null.one: Did not export anything. This is the null builder",
      "--> null.one: artifact of pp",
      "--> null.two: Did not export anything. This is the null builder",
      "--> null.two: artifact of pp",
    ]);
  });

  it("rotates five colors", async () => {
    const names = ["a", "b", "c", "d", "e", "f"].map((n) => `null.${n}`);
    const { stdout, options } = setup({ builds: names.map((n) => nullBuild(n)) });
    await runBuilds(options);
    expect(stdout.lines().slice(0, 6)).toEqual([
      "\u001b[1;32mnull.a: output will be in this color.\u001b[0m",
      "\u001b[1;36mnull.b: output will be in this color.\u001b[0m",
      "\u001b[1;35mnull.c: output will be in this color.\u001b[0m",
      "\u001b[1;33mnull.d: output will be in this color.\u001b[0m",
      "\u001b[1;34mnull.e: output will be in this color.\u001b[0m",
      "\u001b[1;32mnull.f: output will be in this color.\u001b[0m",
    ]);
  });

  it("with PACKER_NO_COLOR still announces the colors, without escape sequences", async () => {
    const { stdout, options } = setup({ builds: [nullBuild("null.one")], noColor: true });
    await runBuilds(options);
    expect(stdout.lines().slice(0, 3)).toEqual([
      "null.one: output will be in this color.",
      "",
      "    null.one: hello from null.one",
    ]);
  });

  it("prefixes build lines with an RFC 3339 timestamp with -timestamp-ui", async () => {
    const at = new Date(2026, 10, 22, 4, 31, 21);
    const { stdout, options } = setup({
      builds: [nullBuild("null.one")],
      color: false,
      timestampUi: true,
      now: () => at,
    });
    await runBuilds(options);
    const lines = stdout.lines();
    const stamp = lines[0]!.slice(0, lines[0]!.indexOf(": "));
    expect(stamp).toMatch(/^2026-11-22T04:31:21(Z|[+-]\d\d:\d\d)$/);
    expect(lines.slice(0, 5)).toEqual([
      `${stamp}:     null.one: hello from null.one`,
      `${stamp}: ==> null.one: err`,
      `${stamp}: ==> null.one: Running post-processor:  (type shell-local)`,
      `${stamp}: ==> null.one (shell-local): pp says`,
      `${stamp}: Build 'null.one' finished after 10 milliseconds 500 microseconds.`,
    ]);
    // The command's own lines carry no timestamp.
    expect(lines).toContain("==> Wait completed after 31 milliseconds 500 microseconds");
  });

  it("writes machine-readable records, artifacts included", async () => {
    const { stdout, options } = setup(
      {
        builds: [
          nullBuild("null.one", {
            lines: ["a, b"],
            postProcessors: [],
            builder: new TestBuilder({ files: ["out/disk.img", "out/x,y"] }),
          }),
        ],
      },
      { machine: true },
    );
    await runBuilds(options);
    expect(stdout.text).toBe(
      [
        "1795321881,,ui,message,    null.one: a%!(PACKER_COMMA) b",
        "1795321881,,ui,error,==> null.one: err",
        "1795321881,,ui,say,Build 'null.one' finished after 10 milliseconds 500 microseconds.",
        "1795321881,,ui,say,\\n==> Wait completed after 31 milliseconds 500 microseconds",
        "1795321881,,ui,say,\\n==> Builds finished. The artifacts of successful builds are:",
        "1795321881,null.one,artifact-count,1",
        "1795321881,null.one,artifact,0,builder-id,fnoeding.null",
        "1795321881,null.one,artifact,0,id,Null",
        "1795321881,null.one,artifact,0,string,Did not export anything. This is the null builder",
        "1795321881,null.one,artifact,0,files-count,2",
        "1795321881,null.one,artifact,0,file,0,out/disk.img",
        "1795321881,null.one,artifact,0,file,1,out/x%!(PACKER_COMMA)y",
        "1795321881,null.one,artifact,0,end",
        "1795321881,,ui,say,--> null.one: Did not export anything. This is the null builder",
        "",
      ].join("\n"),
    );
  });

  it("reports a failed build: cleanup provisioner notice, errored line, error summary, exit 1", async () => {
    const { stdout, options } = setup({ builds: [nullBuild("null.one", { fail: true })], color: false });
    const result = await runBuilds(options);
    expect(result.exitCode).toBe(1);
    expect(stdout.text).toBe(
      [
        "    null.one: hello from null.one",
        "==> null.one: err",
        "==> null.one: Provisioning step had errors: Running the cleanup provisioner, if present...",
        "Build 'null.one' errored after 10 milliseconds 500 microseconds: Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
        "",
        "==> Wait completed after 31 milliseconds 500 microseconds",
        "",
        "==> Some builds didn't complete successfully and had errors:",
        "--> null.one: Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
        "",
        "==> Builds finished but no artifacts were created.",
        "",
      ].join("\n"),
    );
  });

  it("reports a failed build in machine-readable form", async () => {
    const { stdout, options } = setup({ builds: [nullBuild("null.one", { fail: true })] }, { machine: true });
    await runBuilds(options);
    expect(stdout.lines().slice(-6)).toEqual([
      "1795321881,,ui,say,\\n==> Wait completed after 31 milliseconds 500 microseconds",
      "1795321881,,error-count,1",
      "1795321881,,ui,error,\\n==> Some builds didn't complete successfully and had errors:",
      "1795321881,null.one,error,Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
      "1795321881,,ui,error,--> null.one: Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
      "1795321881,,ui,say,\\n==> Builds finished but no artifacts were created.",
    ]);
  });

  it("reports post-processor failures as a multi-error and keeps other builds' artifacts", async () => {
    const failing = nullBuild("null", {
      lines: [],
      postProcessors: [
        [
          {
            type: "shell-local",
            name: "shell-local",
            postProcessor: new TestPostProcessor({
              keep: true,
              forceOverride: true,
              label: "a",
              fail: "Script exited with non-zero exit status: 2.Allowed exit codes are: [0]",
            }),
          },
        ],
      ],
    });
    const { stdout, options } = setup({ builds: [failing, nullBuild("null.ok")], color: false });
    const result = await runBuilds(options);
    expect(result.exitCode).toBe(1);
    const text = stdout.text;
    expect(text).toContain(
      "Build 'null' errored after 10 milliseconds 500 microseconds: 1 error(s) occurred:\n\n* Post-processor failed: Script exited with non-zero exit status: 2.Allowed exit codes are: [0]\n",
    );
    expect(text).toContain(
      "==> Some builds didn't complete successfully and had errors:\n--> null: 1 error(s) occurred:\n\n* Post-processor failed: Script exited with non-zero exit status: 2.Allowed exit codes are: [0]\n",
    );
    expect(text).toContain(
      "==> Builds finished. The artifacts of successful builds are:\n--> null.ok: Did not export anything. This is the null builder\n--> null.ok: artifact of pp\n",
    );
    expect(text).toContain("==> null: Running post-processor: shell-local\n");
  });

  it("says no artifacts were created when the builder returns none", async () => {
    const { stdout, options } = setup({
      builds: [nullBuild("null.one", { builder: new TestBuilder({ noArtifact: true }) })],
      color: false,
    });
    const result = await runBuilds(options);
    expect(result.exitCode).toBe(0);
    expect(stdout.text).toContain("\n==> Builds finished but no artifacts were created.\n");
    expect(stdout.text).not.toContain("Running post-processor");
  });

  it("announces debug mode first", async () => {
    const { stdout, options } = setup({ builds: [nullBuild("null.one")], debug: true });
    await runBuilds(options);
    expect(stdout.lines()[0]).toBe("Debug mode enabled. Builds will not be parallelized.");
    expect(stdout.lines()[1]).toBe("\u001b[1;32mnull.one: output will be in this color.\u001b[0m");
  });
});

describe("runBuilds scheduling", () => {
  async function maxConcurrency(parallelBuilds: number, debug = false): Promise<number> {
    let active = 0;
    let max = 0;
    const builder = (): Builder => ({
      configSpec: () => ({}),
      prepare: () => ({ diagnostics: [], generatedDataKeys: [] }),
      async run(): Promise<Artifact | undefined> {
        active++;
        max = Math.max(max, active);
        await new Promise((r) => setTimeout(r, 15));
        active--;
        return undefined;
      },
    });
    const builds = [1, 2, 3, 4, 5].map((i) => ({ ...nullBuild(`null.b${i}`), builder: builder() }));
    const { options } = setup({ builds, parallelBuilds, debug });
    await runBuilds(options);
    return max;
  }

  it("runs at most -parallel-builds builds at a time", async () => {
    expect(await maxConcurrency(2)).toBe(2);
    expect(await maxConcurrency(1)).toBe(1);
    expect(await maxConcurrency(3)).toBe(3);
  });

  it("runs all builds at once when the limit is below 1 or Infinity", async () => {
    expect(await maxConcurrency(0)).toBe(5);
    expect(await maxConcurrency(Number.POSITIVE_INFINITY)).toBe(5);
  });

  it("runs builds one at a time with -debug", async () => {
    expect(await maxConcurrency(0, true)).toBe(1);
  });

  it("starts builds in order", async () => {
    const journal: Journal = [];
    const builds = ["null.x", "null.y", "null.z"].map((n) => nullBuild(n, { journal }));
    const { options } = setup({ builds, parallelBuilds: 1 });
    await runBuilds(options);
    expect(journal.filter((j) => j.startsWith("provision:"))).toEqual([
      "provision:null.x",
      "provision:null.y",
      "provision:null.z",
    ]);
  });
});

describe("runBuilds cancellation", () => {
  it("cancels on a signal: message, cleanups, no new builds, clean exit 1", async () => {
    const journal: Journal = [];
    const controller = new AbortController();
    const builds = [nullBuild("null.one", { journal, delayMs: 5000 }), nullBuild("null.two", { journal })];
    const { stdout, options } = setup({ builds, color: false, signal: controller.signal });
    const run = runBuilds(options);
    await new Promise((r) => setTimeout(r, 30));
    controller.abort({ signal: "SIGTERM" });
    const result = await run;
    expect(result.exitCode).toBe(1);
    expect(result.cancelled).toBe(true);
    // The first build cleaned up; the second never started.
    expect(journal).toEqual(["connect:run", "provision:null.one", "connect:cleanup"]);
    expect(stdout.text).toBe(
      [
        "    null.one: hello from null.one",
        "==> null.one: err",
        "Cancelling build after receiving terminated",
        "Build 'null.one' finished after 10 milliseconds 500 microseconds.",
        "",
        "==> Wait completed after 31 milliseconds 500 microseconds",
        "Cleanly cancelled builds after being interrupted.",
        "",
      ].join("\n"),
    );
  });

  it("names signals as Go does", () => {
    expect(describeAbortReason({ signal: "SIGINT" })).toBe("interrupt");
    expect(describeAbortReason({ signal: "SIGTERM" })).toBe("terminated");
    expect(describeAbortReason({ signal: "SIGHUP" })).toBe("hangup");
    expect(describeAbortReason(new Error("x"))).toBe("interrupt");
  });

  it("does not start any build when already cancelled", async () => {
    const journal: Journal = [];
    const controller = new AbortController();
    controller.abort({ signal: "SIGINT" });
    const { stdout, options } = setup({
      builds: [nullBuild("null.one", { journal })],
      color: false,
      signal: controller.signal,
    });
    const result = await runBuilds(options);
    expect(result.exitCode).toBe(1);
    expect(journal).toEqual([]);
    expect(stdout.lines()).toEqual([
      "Cancelling build after receiving interrupt",
      "",
      "==> Wait completed after 10 milliseconds 500 microseconds",
      "Cleanly cancelled builds after being interrupted.",
    ]);
  });
});

describe("runBuilds secrets and events", () => {
  it("redacts secrets in UI output, machine-readable records, the log and the event stream", async () => {
    const logOut = new Capture();
    const redactor = new Redactor();
    redactor.add("hunter2");
    const created = createDebugLog({
      env: { PACKER_LOG: "1" },
      stderr: logOut,
      redactor,
      now: () => new Date(2026, 0, 2, 3, 4, 5),
    });
    if (!created.ok) throw new Error(created.error);
    const log = created.log;
    const stdout = new Capture();
    const events = new Capture();
    const ui = new MachineReadableUi({ stdout, redactor, log, now: () => new Date(0) });
    const build = nullBuild("null.one", {
      lines: ["password is hunter2"],
      builder: new TestBuilder({ files: ["/tmp/hunter2.img"] }),
      postProcessors: [],
    });
    await runBuilds({
      ui,
      builds: [build],
      color: true,
      timestampUi: false,
      debug: false,
      force: false,
      onError: "",
      parallelBuilds: 0,
      signal: new AbortController().signal,
      log,
      secrets: redactor,
      events: new JsonEventStream({ out: events, redactor, now: () => new Date(0) }),
      clock: steppingClock(),
    });
    for (const text of [stdout.text, logOut.text, events.text]) {
      expect(text).toContain("<sensitive>");
      expect(text).not.toContain("hunter2");
    }
    expect(stdout.text).toContain("0,,ui,message,    null.one: password is <sensitive>\n");
    expect(stdout.text).toContain("0,null.one,artifact,0,file,0,/tmp/<sensitive>.img\n");
    expect(logOut.text).toContain("2026/01/02 03:04:05 0,null.one,artifact,0,file,0,/tmp/<sensitive>.img\n");
  });

  it("emits build-start, ui, build-finish, artifact and error events as JSON lines", async () => {
    const events = new Capture();
    const redactor = new Redactor();
    const { options } = setup({
      builds: [
        nullBuild("null.one", { postProcessors: [] }),
        nullBuild("null.bad", { fail: true, lines: [] }),
      ],
      color: false,
      events: new JsonEventStream({ out: events, redactor, now: () => new Date(0) }),
    });
    // The command UI emits ui events too.
    const stdout = new Capture();
    const ui = new BasicUi({
      stdout,
      redactor,
      log: noopLogger,
      events: new JsonEventStream({ out: events, redactor, now: () => new Date(0) }),
    });
    await runBuilds({ ...options, ui });
    const parsed = events.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.every((e) => e.time === "1970-01-01T00:00:00.000Z")).toBe(true);
    const types = parsed.map((e) => e.type);
    expect(types.filter((t) => t !== "ui")).toEqual([
      "build-start",
      "build-finish",
      "build-start",
      "build-finish",
      "error",
      "artifact",
    ]);
    expect(parsed).toContainEqual({
      time: "1970-01-01T00:00:00.000Z",
      type: "build-finish",
      build: "null.bad",
      status: "errored",
      durationMs: 11,
      error: "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
    });
    expect(parsed).toContainEqual({
      time: "1970-01-01T00:00:00.000Z",
      type: "artifact",
      build: "null.one",
      index: 0,
      builderId: "fnoeding.null",
      id: "Null",
      string: "Did not export anything. This is the null builder",
      files: [],
    });
    expect(parsed).toContainEqual({
      time: "1970-01-01T00:00:00.000Z",
      type: "ui",
      level: "message",
      text: "    null.one: hello from null.one",
    });
  });
});
