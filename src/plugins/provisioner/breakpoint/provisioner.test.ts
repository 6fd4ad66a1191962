import { describe, expect, it } from "vitest";
import { NoneCommunicator } from "../../../communicator/index.js";
import { valueFromNative } from "../../../hcl/index.js";
import { RecordingUi, testBuildInfo, testRunContext } from "../shell-local/test-support.js";
import { BreakpointProvisioner } from "./provisioner.js";

function prepared(config: Record<string, unknown>): BreakpointProvisioner {
  const p = new BreakpointProvisioner();
  expect(p.prepare(valueFromNative(config), testBuildInfo()).diagnostics).toEqual([]);
  return p;
}

function provision(p: BreakpointProvisioner, ui: RecordingUi, signal = new AbortController().signal) {
  return p.provision(ui, new NoneCommunicator(), {}, signal, testRunContext());
}

describe("breakpoint provisioner", () => {
  it("pauses with its note until enter is pressed", async () => {
    const ui = new RecordingUi();
    const running = provision(prepared({ note: "look at {{ build_name }}" }), ui);
    await new Promise((r) => setTimeout(r, 20));
    expect(ui.asking).toBe(true);
    expect(ui.lines).toEqual([
      { kind: "say", text: 'Pausing at breakpoint provisioner with note "look at test".' },
      { kind: "ask", text: "Press enter to continue." },
    ]);
    ui.answer("");
    await running;
  });

  it("pauses without a note", async () => {
    const ui = new RecordingUi();
    ui.answer("");
    await provision(prepared({}), ui);
    expect(ui.texts("say")).toEqual(["Pausing at breakpoint provisioner."]);
  });

  it("says it is disabled and goes on", async () => {
    const ui = new RecordingUi();
    await provision(prepared({ disable: true, note: "n" }), ui);
    await provision(prepared({ disable: true }), ui);
    expect(ui.lines).toEqual([
      { kind: "say", text: 'Breakpoint provisioner with note "n" disabled; continuing...' },
      { kind: "say", text: "Breakpoint provisioner disabled; continuing..." },
    ]);
  });

  it("fails when the question cannot be asked or is interrupted", async () => {
    const ui = new RecordingUi();
    const controller = new AbortController();
    const running = provision(prepared({}), ui, controller.signal);
    controller.abort();
    await expect(running).rejects.toThrow("Error asking for input: interrupted");
  });

  it("reports template and type errors", () => {
    const p = new BreakpointProvisioner();
    expect(
      p.prepare(valueFromNative({ note: "{{ nofunc }}" }), testBuildInfo()).diagnostics.map((d) => d.summary),
    ).toEqual(["invalid 'note': template: root:1: function \"nofunc\" not defined in:\n\n{{ nofunc }}"]);
    const bad = p.prepare(valueFromNative({ disable: "x" }), testBuildInfo()).diagnostics;
    expect(bad).toHaveLength(1);
    expect(bad[0]?.summary).toContain("disable");
  });
});
