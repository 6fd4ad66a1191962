import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ErrorCode, isKilnError } from "../../sdk/index.js";
import { NoneCommunicator } from "./communicator.js";

describe("none communicator", () => {
  const signal = new AbortController().signal;

  it("reports exit 0 for any command without running it", async () => {
    const comm = new NoneCommunicator();
    let written = "";
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        written += String(chunk);
        cb();
      },
    });
    await expect(comm.start({ command: "exit 3", stdout }, signal)).resolves.toEqual({ exitStatus: 0 });
    await expect(comm.start({ command: "echo hi" }, signal)).resolves.toEqual({ exitStatus: 0 });
    expect(written).toBe("");
  });

  it("refuses file transfers with Packer's messages", async () => {
    const comm = new NoneCommunicator();
    const cases: [string, Promise<void>][] = [
      ["Upload", comm.upload("/x", Readable.from(["a"]), undefined, signal)],
      ["UploadDir", comm.uploadDir("/x", "/tmp", [], signal)],
      ["Download", comm.download("/x", new Writable({ write: (_c, _e, cb) => cb() }), signal)],
      ["DownloadDir", comm.downloadDir("/x", "/tmp", [], signal)],
    ];
    for (const [what, p] of cases) {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isKilnError(err, ErrorCode.NotSupported)).toBe(true);
      expect((err as Error).message).toBe(`${what} is not implemented when communicator = 'none'`);
    }
  });

  it("rejects when cancelled", async () => {
    const c = new AbortController();
    c.abort();
    await expect(new NoneCommunicator().start({ command: "x" }, c.signal)).rejects.toThrow(
      "context canceled",
    );
  });
});
