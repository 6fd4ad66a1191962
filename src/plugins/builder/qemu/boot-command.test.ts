import { describe, expect, it } from "vitest";
import {
  type BootExpression,
  parseBootCommand,
  typeBootCommand,
  validateBootCommand,
} from "./boot-command.js";
import { VncBootDriver } from "./vnc-driver.js";

function parse(text: string): readonly BootExpression[] {
  const r = parseBootCommand(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** A compact rendering: L(x) literal press, L+(x)/L-(x) on/off, S(k) special, W(dur). */
function show(seq: readonly BootExpression[]): string[] {
  return seq.map((e) => {
    if (e.kind === "wait") return `W(${e.duration})`;
    const mark = e.action === "press" ? "" : e.action === "on" ? "+" : "-";
    return e.kind === "special" ? `S${mark}(${e.key})` : `L${mark}(${e.char})`;
  });
}

describe("boot command parser", () => {
  it("parses literals, specials, toggles and waits as Packer's grammar does", () => {
    expect(show(parse("ab<enter>"))).toEqual(["L(a)", "L(b)", "S(enter)"]);
    expect(show(parse("<wait><wait5><wait1m30s><wait1.5s><wait10ms>"))).toEqual([
      "W(1s)",
      "W(5s)",
      "W(1m30s)",
      "W(1.5s)",
      "W(10ms)",
    ]);
    expect(show(parse("<leftCtrlOn>x<leftCtrlOff>"))).toEqual(["S+(leftctrl)", "L(x)", "S-(leftctrl)"]);
    expect(show(parse("<LEFTALTON><F10><PageUp><Left><leftOn>"))).toEqual([
      "S+(leftalt)",
      "S(f10)",
      "S(pageup)",
      "S(left)",
      "S+(left)",
    ]);
    expect(show(parse("<aOn><aoff><<On>"))).toEqual(["L+(a)", "L-(a)", "L+(<)"]);
    expect(show(parse("<f1><f12><f2>"))).toEqual(["S(f1)", "S(f12)", "S(f2)"]);
  });

  it("types what matches no rule as it is, without backtracking into a matched choice", () => {
    // `esc` matches, then `ape>` does not: the whole `<` is a literal.
    expect(show(parse("<escape>"))).toEqual(["L(<)", "L(e)", "L(s)", "L(c)", "L(a)", "L(p)", "L(e)", "L(>)"]);
    expect(show(parse("<wait05>")).slice(0, 2)).toEqual(["L(<)", "L(w)"]);
    expect(show(parse("<wait1s5>"))[0]).toBe("L(<)");
    expect(show(parse("<waitfoo>"))[0]).toBe("L(<)");
    expect(show(parse("a<"))).toEqual(["L(a)", "L(<)"]);
    expect(show(parse("<leftOnOff>"))[0]).toBe("L(<)");
    expect(show(parse("é☃"))).toEqual(["L(é)", "L(☃)"]);
    expect(parse("")).toEqual([]);
  });

  it("rejects waits that are not positive", () => {
    expect(validateBootCommand(parse("<wait0><wait0s><wait-1s><wait1>"))).toEqual([
      "Expecting a positive wait value. Got 0s",
      "Expecting a positive wait value. Got 0s",
      "Expecting a positive wait value. Got -1s",
    ]);
  });
});

describe("VNC boot driver", () => {
  it("sends keysyms in order, wrapping upper-case and shifted characters in left shift", async () => {
    const events: string[] = [];
    const sink = {
      async keyEvent(keysym: number, down: boolean) {
        events.push(`${down ? "+" : "-"}${keysym.toString(16)}`);
      },
    };
    const driver = new VncBootDriver(sink, 0);
    await typeBootCommand(
      parse("aA_<enter><leftShiftOn>b<leftShiftOff>"),
      driver,
      new AbortController().signal,
    );
    expect(events).toEqual([
      "+61",
      "-61",
      "+ffe1",
      "+41",
      "-41",
      "-ffe1",
      "+ffe1",
      "+5f",
      "-5f",
      "-ffe1",
      "+ff0d",
      "-ff0d",
      "+ffe1",
      "+62",
      "-62",
      "-ffe1",
    ]);
  });

  it("waits the key interval after every event and can be cancelled", async () => {
    const times: number[] = [];
    const driver = new VncBootDriver(
      {
        async keyEvent() {
          times.push(Date.now());
        },
      },
      40,
    );
    await typeBootCommand(parse("ab"), driver, new AbortController().signal);
    expect(times).toHaveLength(4);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(110);
    const controller = new AbortController();
    const typing = typeBootCommand(parse("<wait10s>x"), driver, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(typing).rejects.toThrow("context canceled");
  });
});
