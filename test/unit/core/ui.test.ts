import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BasicUi,
  ColoredUi,
  createDebugLog,
  escapeMachineArg,
  LineInput,
  MachineReadableUi,
  Redactor,
  TargetedUi,
  TimestampedUi,
  UiColor,
} from "../../../src/core/index.js";
import { isKilnError, type Logger, noopLogger } from "../../../src/sdk/index.js";
import { Capture } from "./support.js";

function memoryLog(): { log: Logger; records: string[] } {
  const records: string[] = [];
  const make = (prefix: string): Logger => ({
    log: (m) => records.push(prefix + m),
    child: (p) => make(prefix + p),
  });
  return { log: make(""), records };
}

describe("BasicUi", () => {
  it("writes one line per call to stdout (errors too) and logs ui: / ui error:", () => {
    const stdout = new Capture();
    const { log, records } = memoryLog();
    const ui = new BasicUi({ stdout, redactor: new Redactor(), log });
    ui.say("hello");
    ui.message("output");
    ui.error("bad");
    ui.machine("artifact", "0", "id", 'a"b');
    expect(stdout.text).toBe("hello\noutput\nbad\n");
    expect(records).toEqual([
      "ui: hello",
      "ui: output",
      "ui error: bad",
      'machine readable: artifact []string{"0", "id", "a\\"b"}',
    ]);
  });

  it("can send errors to another stream", () => {
    const stdout = new Capture();
    const errors = new Capture();
    const ui = new BasicUi({ stdout, errorStream: errors, redactor: new Redactor(), log: noopLogger });
    ui.error("bad");
    expect(stdout.text).toBe("");
    expect(errors.text).toBe("bad\n");
  });

  it("asks on the terminal: prompt and a space, trimmed answer", async () => {
    const stdout = new Capture();
    const stream = new PassThrough();
    const ui = new BasicUi({
      stdout,
      redactor: new Redactor(),
      log: noopLogger,
      input: new LineInput(stream),
    });
    const answer = ui.ask("Continue?");
    stream.write("  yes please \n");
    expect(await answer).toBe("yes please");
    expect(stdout.text).toBe("Continue? ");
  });

  it("holds other output back while a question waits", async () => {
    const stdout = new Capture();
    const stream = new PassThrough();
    const ui = new BasicUi({
      stdout,
      redactor: new Redactor(),
      log: noopLogger,
      input: new LineInput(stream),
    });
    const answer = ui.ask("Question?");
    await new Promise((r) => setTimeout(r, 5));
    ui.say("from another build");
    expect(stdout.text).toBe("Question? ");
    stream.write("ok\n");
    await answer;
    expect(stdout.text).toBe("Question? from another build\n");
  });

  it("asks questions one at a time", async () => {
    const stdout = new Capture();
    const stream = new PassThrough();
    const ui = new BasicUi({
      stdout,
      redactor: new Redactor(),
      log: noopLogger,
      input: new LineInput(stream),
    });
    const a = ui.ask("A?");
    const b = ui.ask("B?");
    stream.write("1\n2\n");
    expect(await a).toBe("1");
    expect(await b).toBe("2");
    expect(stdout.text).toBe("A? B? ");
  });

  it("fails to ask without a terminal, and after an interrupt", async () => {
    const noTty = new BasicUi({ stdout: new Capture(), redactor: new Redactor(), log: noopLogger });
    await expect(noTty.ask("x")).rejects.toThrow("no available tty");

    const stdout = new Capture();
    const ui = new BasicUi({
      stdout,
      redactor: new Redactor(),
      log: noopLogger,
      input: new LineInput(new PassThrough()),
    });
    const controller = new AbortController();
    const pending = ui.ask("Wait?", controller.signal);
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(isKilnError(err, "UI_CANNOT_ASK")).toBe(true);
    expect((err as Error).message).toBe("interrupted");
    expect(stdout.text).toBe("Wait? \n");
    await expect(ui.ask("Again?")).rejects.toThrow("interrupted");

    // A question asked when the signal has already fired fails at once, printing nothing.
    const quiet = new Capture();
    const other = new BasicUi({
      stdout: quiet,
      redactor: new Redactor(),
      log: noopLogger,
      input: new LineInput(new PassThrough()),
    });
    await expect(other.ask("Late?", controller.signal)).rejects.toThrow("interrupted");
    expect(quiet.text).toBe("");
  });

  it("redacts secrets in output and log", () => {
    const stdout = new Capture();
    const { log, records } = memoryLog();
    const redactor = new Redactor();
    redactor.add("s3cret");
    const ui = new BasicUi({ stdout, redactor, log });
    ui.say("token=s3cret");
    ui.error("s3cret!");
    expect(stdout.text).toBe("token=<sensitive>\n<sensitive>!\n");
    expect(records.join("\n")).not.toContain("s3cret");
  });
});

describe("MachineReadableUi", () => {
  const at = new Date(1795321894_500);

  it("writes ui records and escapes commas, CR and LF", () => {
    const stdout = new Capture();
    const ui = new MachineReadableUi({ stdout, redactor: new Redactor(), log: noopLogger, now: () => at });
    ui.say("a, b");
    ui.message("line1\nline2\r");
    ui.error("\n==> Some builds didn't complete successfully and had errors:");
    expect(stdout.lines()).toEqual([
      "1795321894,,ui,say,a%!(PACKER_COMMA) b",
      "1795321894,,ui,message,line1\\nline2\\r",
      "1795321894,,ui,error,\\n==> Some builds didn't complete successfully and had errors:",
    ]);
  });

  it("takes the target from the type and keeps the trailing comma of an empty argument list", () => {
    const stdout = new Capture();
    const ui = new MachineReadableUi({ stdout, redactor: new Redactor(), log: noopLogger, now: () => at });
    new TargetedUi(ui, "docker.ubuntu").machine("artifact", "0", "end");
    ui.machine("custom");
    expect(stdout.lines()).toEqual(["1795321894,docker.ubuntu,artifact,0,end", "1795321894,,custom,"]);
  });

  it("never asks", async () => {
    const ui = new MachineReadableUi({ stdout: new Capture(), redactor: new Redactor(), log: noopLogger });
    await expect(ui.ask("?")).rejects.toThrow("machine-readable UI can't ask");
  });

  it("scrubs secrets from every argument and duplicates records to the log", () => {
    const stdout = new Capture();
    const { log, records } = memoryLog();
    const redactor = new Redactor();
    redactor.add("pa,ss");
    const ui = new MachineReadableUi({ stdout, redactor, log, now: () => at });
    ui.say("the pa,ss word");
    expect(stdout.text).toBe("1795321894,,ui,say,the <sensitive> word\n");
    expect(records).toEqual(["1795321894,,ui,say,the <sensitive> word\n"]);
  });

  it("escapeMachineArg", () => {
    expect(escapeMachineArg("a,b\r\nc")).toBe("a%!(PACKER_COMMA)b\\r\\nc");
  });
});

describe("TargetedUi", () => {
  it("prefixes every line; say and error with ==>, message indented; trims the end", () => {
    const stdout = new Capture();
    const ui = new TargetedUi(new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger }), "null.one");
    ui.say("one\ntwo");
    ui.message("");
    ui.message("a\n\nb  \n");
    ui.error("bad");
    expect(stdout.text).toBe(
      [
        "==> null.one: one",
        "==> null.one: two",
        "    null.one:",
        "    null.one: a",
        "    null.one: ",
        "    null.one: b  ",
        "    null.one:",
        "==> null.one: bad",
        "",
      ].join("\n"),
    );
  });

  it("trims like Go's unicode.IsSpace (NEL included, zero-width no-break space not)", () => {
    const stdout = new Capture();
    const ui = new TargetedUi(new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger }), "t");
    ui.say("x\u0085");
    ui.say("y\ufeff");
    expect(stdout.lines()).toEqual(["==> t: x", "==> t: y\ufeff"]);
  });
});

describe("ColoredUi and TimestampedUi", () => {
  it("colors say/ask/error bold and message plain; errors red by default", async () => {
    const stdout = new Capture();
    const stream = new PassThrough();
    const base = new BasicUi({
      stdout,
      redactor: new Redactor(),
      log: noopLogger,
      input: new LineInput(stream),
    });
    const ui = new ColoredUi(base, { color: UiColor.Magenta, enabled: true });
    ui.say("s");
    ui.message("m");
    ui.error("e");
    const answer = ui.ask("q?");
    stream.write("\n");
    await answer;
    expect(stdout.text).toBe(
      "\u001b[1;35ms\u001b[0m\n\u001b[0;35mm\u001b[0m\n\u001b[1;31me\u001b[0m\n\u001b[1;35mq?\u001b[0m ",
    );
  });

  it("passes text unchanged when disabled", () => {
    const stdout = new Capture();
    const ui = new ColoredUi(new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger }), {
      color: UiColor.Green,
      enabled: false,
    });
    ui.say("plain");
    expect(stdout.text).toBe("plain\n");
  });

  it("stamps say, message and error (not machine records) before the color", () => {
    const stdout = new Capture();
    const prevTz = process.env.TZ;
    process.env.TZ = "UTC";
    try {
      const at = new Date(Date.UTC(2026, 10, 22, 4, 31, 21));
      const colored = new ColoredUi(new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger }), {
        color: UiColor.Green,
        enabled: true,
      });
      const ui = new TargetedUi(new TimestampedUi(colored, () => at), "null.one");
      ui.say("Running");
      ui.message("out");
      expect(stdout.lines()).toEqual([
        "\u001b[1;32m2026-11-22T04:31:21Z: ==> null.one: Running\u001b[0m",
        "\u001b[0;32m2026-11-22T04:31:21Z:     null.one: out\u001b[0m",
      ]);
    } finally {
      process.env.TZ = prevTz;
    }
  });
});

describe("every layer redacts", () => {
  it("a multi-line secret split across prefixed lines is still redacted", () => {
    const stdout = new Capture();
    const redactor = new Redactor();
    redactor.add("-----BEGIN KEY-----\nAAAA\n-----END KEY-----");
    const ui = new TargetedUi(new BasicUi({ stdout, redactor, log: noopLogger }), "b", redactor);
    ui.message("key:\n-----BEGIN KEY-----\nAAAA\n-----END KEY-----");
    ui.message("AAAA");
    expect(stdout.text).toBe("    b: key:\n    b: <sensitive>\n    b: <sensitive>\n");
  });

  it("the debug log of a run with secrets holds none of them", () => {
    const stderr = new Capture();
    const redactor = new Redactor();
    redactor.add("tok-123");
    const created = createDebugLog({ env: { PACKER_LOG: "1" }, stderr, redactor });
    if (!created.ok) throw new Error(created.error);
    created.log.child("packer-provisioner-shell-local plugin: ").log("env TOKEN=tok-123");
    expect(stderr.text).toMatch(
      /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d packer-provisioner-shell-local plugin: env TOKEN=<sensitive>\n$/,
    );
  });
});
