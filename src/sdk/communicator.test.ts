import { describe, expect, it } from "vitest";
import { type Communicator, runWithUi } from "./communicator.js";
import type { Ui } from "./ui.js";

function recordingUi(): { ui: Ui; lines: string[] } {
  const lines: string[] = [];
  const ui: Ui = {
    say: (m) => lines.push(`say:${m}`),
    message: (m) => lines.push(`message:${m}`),
    error: (m) => lines.push(`error:${m}`),
    machine: () => {},
    ask: async () => "",
  };
  return { ui, lines };
}

/** A communicator whose command writes the given chunks, then exits with `status`. */
function scripted(chunks: ["out" | "err", string][], status: number): Communicator & { ran: string[] } {
  const ran: string[] = [];
  const fail = async () => {
    throw new Error("not used");
  };
  return {
    ran,
    async start(cmd) {
      ran.push(cmd.command);
      for (const [stream, text] of chunks) (stream === "out" ? cmd.stdout : cmd.stderr)?.write(text);
      return { exitStatus: status };
    },
    upload: fail,
    uploadDir: fail,
    download: fail,
    downloadDir: fail,
  };
}

describe("runWithUi", () => {
  it("streams stdout lines as messages and stderr lines as errors, cleaned like Packer", async () => {
    const comm = scripted(
      [
        ["out", "a\n\n   \nb  \nc\rd\n"],
        ["err", "multi\nli"],
        ["err", "ne"],
        ["out", "noeol"],
      ],
      3,
    );
    const { ui, lines } = recordingUi();
    const status = await runWithUi(comm, { command: "echo hi" }, ui, new AbortController().signal);
    expect(status).toBe(3);
    expect(comm.ran).toEqual(["echo hi"]);
    expect(lines).toEqual([
      "message:a",
      "message:",
      "message:",
      "message:b",
      "message:d",
      "error:multi",
      "message:noeol",
      "error:line",
    ]);
  });

  it("also copies output to the command's own streams", async () => {
    const comm = scripted([["out", "x\n"]], 0);
    const chunks: string[] = [];
    const { Writable } = await import("node:stream");
    const stdout = new Writable({
      write(chunk, _e, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const { ui } = recordingUi();
    await runWithUi(comm, { command: "c", stdout }, ui, new AbortController().signal);
    expect(chunks).toEqual(["x\n"]);
  });

  it("refuses to start when already cancelled", async () => {
    const comm = scripted([], 0);
    const controller = new AbortController();
    controller.abort();
    const { ui } = recordingUi();
    await expect(runWithUi(comm, { command: "c" }, ui, controller.signal)).rejects.toThrow(
      "context canceled",
    );
    expect(comm.ran).toEqual([]);
  });
});
