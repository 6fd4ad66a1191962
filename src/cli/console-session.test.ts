import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Ui } from "../sdk/index.js";
import { type ConsoleEvaluator, type ConsoleOutcome, EXIT_OUTCOME, printed } from "./console-evaluator.js";
import { runInteractiveConsole, runPipedConsole } from "./console-session.js";

/** Says `=<line>` for every line but `bad` (an error diagnostic) and `exit`; records what it was given. */
function stubEvaluator(): ConsoleEvaluator & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    evaluate(line: string): ConsoleOutcome {
      seen.push(line);
      if (line === "exit") return EXIT_OUTCOME;
      if (line === "bad") {
        return {
          output: undefined,
          exit: false,
          diagnostics: [{ severity: "error", summary: "Bad line", detail: "It is bad." }],
          sources: new Map(),
        };
      }
      return printed(`=${line}`);
    },
  };
}

function recordingUi(): Ui & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    say: (m) => out.push(`say:${m}`),
    message: (m) => out.push(`message:${m}`),
    error: (m) => out.push(`error:${m}`),
    machine: () => {},
    ask: async () => "",
  };
}

function pipe(text: string): PassThrough {
  const s = new PassThrough();
  s.end(text);
  return s;
}

describe("runPipedConsole", () => {
  it("evaluates every non-blank line, trimmed, and prints each result", async () => {
    const ev = stubEvaluator();
    const ui = recordingUi();
    const code = await runPipedConsole(ev, { input: pipe("a\r\n\n   \n  b  \nc"), ui });
    expect(ev.seen).toEqual(["a", "b", "c"]);
    expect(ui.out).toEqual(["say:=a", "say:=b", "say:=c"]);
    expect(code).toBe(0);
  });

  it("prints a failing line's diagnostics, goes on, and exits 1", async () => {
    const ev = stubEvaluator();
    const ui = recordingUi();
    const code = await runPipedConsole(ev, { input: pipe("a\nbad\nb\n"), ui });
    expect(ui.out).toEqual(["say:=a", "error:Error: Bad line\n\nIt is bad.\n\n", "say:=b"]);
    expect(code).toBe(1);
  });

  it("reports an evaluator failure as an error and goes on", async () => {
    const ui = recordingUi();
    const throwing: ConsoleEvaluator = {
      evaluate: (line) => {
        if (line === "boom") throw new Error("kaput");
        return printed(line);
      },
    };
    const code = await runPipedConsole(throwing, { input: pipe("boom\nok\n"), ui });
    expect(ui.out).toEqual(["error:Error: Internal error\n\nkaput\n\n", "say:ok"]);
    expect(code).toBe(1);
  });

  it("stops at `exit`", async () => {
    const ev = stubEvaluator();
    const ui = recordingUi();
    const code = await runPipedConsole(ev, { input: pipe("a\nexit\nbad\n"), ui });
    expect(ev.seen).toEqual(["a", "exit"]);
    expect(code).toBe(0);
  });
});

/** Drives the interactive console with typed keys; resolves to its exit code and what it showed. */
async function typeInto(keys: readonly string[]) {
  const ev = stubEvaluator();
  const ui = recordingUi();
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (d: Buffer) => {
    shown += d.toString();
  });
  const done = runInteractiveConsole(ev, { input, output, ui });
  for (const k of keys) {
    input.write(k);
    await new Promise((r) => setImmediate(r));
  }
  const code = await Promise.race([
    done,
    new Promise<string>((r) => setTimeout(() => r("still running"), 2000)),
  ]);
  input.destroy();
  return { code, seen: ev.seen, said: ui.out, shown };
}

describe("runInteractiveConsole", () => {
  it("prompts with `> `, evaluates each line and leaves on `exit` with 0", async () => {
    const r = await typeInto(["1+2\r", "exit\r"]);
    expect(r.code).toBe(0);
    expect(r.seen).toEqual(["1+2", "exit"]);
    expect(r.said).toEqual(["say:=1+2"]);
    expect(r.shown).toContain("> ");
  });

  it("prints an empty line after a failing line's diagnostics, as Packer's console does", async () => {
    const r = await typeInto(["bad\r", "exit\r"]);
    expect(r.said).toEqual(["error:Error: Bad line\n\nIt is bad.\n\n", "say:"]);
    expect(r.code).toBe(0);
  });

  it("Ctrl-C abandons the line being typed; on an empty line it leaves with 0", async () => {
    const r = await typeInto(["abc", "\x03", "x\r", "\x03"]);
    expect(r.seen).toEqual(["x"]);
    expect(r.shown).toContain("^C");
    expect(r.code).toBe(0);
  });

  it("Ctrl-D on an empty line prints `exit` and leaves with 0", async () => {
    const r = await typeInto(["a\r", "\x04"]);
    expect(r.code).toBe(0);
    expect(r.shown.endsWith("exit\n")).toBe(true);
  });

  it("keeps a history: the up key recalls the previous line", async () => {
    const r = await typeInto(["first\r", "second\r", "\x1b[A\x1b[A\r", "exit\r"]);
    expect(r.seen).toEqual(["first", "second", "first", "exit"]);
  });

  it("leaves with 1 when the run is cancelled", async () => {
    const ev = stubEvaluator();
    const controller = new AbortController();
    const input = new PassThrough();
    const done = runInteractiveConsole(ev, {
      input,
      output: new PassThrough(),
      ui: recordingUi(),
      signal: controller.signal,
    });
    controller.abort();
    expect(await done).toBe(1);
  });
});
