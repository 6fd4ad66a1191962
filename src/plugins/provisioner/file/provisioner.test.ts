import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildInfo, config, FakeCommunicator, recordingUi, runContext } from "../shell/test-support.js";
import { FileProvisioner } from "./provisioner.js";

const never = new AbortController().signal;

function prepared(native: Record<string, unknown>, cwd: string): FileProvisioner {
  const p = new FileProvisioner();
  expect(p.prepare(config(native), buildInfo({ cwd })).diagnostics).toEqual([]);
  return p;
}

describe("FileProvisioner with a scripted communicator", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-file-prov-"));
  writeFileSync(join(dir, "a.txt"), "alpha", { mode: 0o640 });
  mkdirSync(join(dir, "tree"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uploads files under their name into a destination ending in /", async () => {
    const comm = new FakeCommunicator();
    const ui = recordingUi();
    await prepared({ sources: ["a.txt", "tree", "tree/"], destination: "/srv/" }, dir).provision(
      ui,
      comm,
      {},
      never,
      runContext,
    );
    expect(ui.lines).toEqual([
      "say: Uploading a.txt => /srv/",
      "say: Uploading tree => /srv/",
      "say: Uploading tree/ => /srv/",
    ]);
    expect(comm.events).toEqual([
      {
        kind: "upload",
        path: "/srv/a.txt",
        content: "alpha",
        info: expect.objectContaining({ size: 5, mode: 0o640 }),
      },
      { kind: "uploadDir", dst: "/srv/", src: join(dir, "tree") },
      { kind: "uploadDir", dst: "/srv/", src: `${join(dir, "tree")}/` },
    ]);
  });

  it("uploads content as a file named pkr-file-content", async () => {
    const comm = new FakeCommunicator();
    await prepared({ content: "hello {{ build `ID` }}", destination: "/etc/motd" }, dir).provision(
      recordingUi(),
      comm,
      { ID: "x" },
      never,
      runContext,
    );
    await prepared({ content: "c", destination: "/tmp/" }, dir).provision(
      recordingUi(),
      comm,
      {},
      never,
      runContext,
    );
    expect([...comm.files.entries()]).toEqual([
      ["/etc/motd", "hello {{ build `ID` }}"],
      ["/tmp/pkr-file-content", "c"],
    ]);
  });

  it("downloads a file, creating the local directories", async () => {
    const comm = new FakeCommunicator();
    comm.files.set("/var/log/x.log", "log line\n");
    const ui = recordingUi();
    await prepared(
      { source: "/var/log/x.log", destination: "out/logs/", direction: "download" },
      dir,
    ).provision(ui, comm, {}, never, runContext);
    expect(ui.lines).toEqual([`say: Downloading /var/log/x.log => out/logs/`]);
    expect(readFileSync(join(dir, "out", "logs", "x.log"), "utf8")).toBe("log line\n");
  });

  it("downloads directories as Packer does: dir/ arrives as destination/dir, globs into destination", async () => {
    const comm = new FakeCommunicator();
    await prepared({ source: "/var/www/", destination: "site/", direction: "download" }, dir).provision(
      recordingUi(),
      comm,
      {},
      never,
      runContext,
    );
    await prepared({ source: "/var/log/*.log", destination: "logs", direction: "download" }, dir).provision(
      recordingUi(),
      comm,
      {},
      never,
      runContext,
    );
    expect(comm.events).toEqual([
      { kind: "downloadDir", src: "/var/www", dst: `${join(dir, "site")}/` },
      { kind: "downloadDir", src: "/var/log/*.log", dst: join(dir, "logs") },
    ]);
  });

  it("reports a failed download on the UI", async () => {
    const comm = new FakeCommunicator();
    const ui = recordingUi();
    await expect(
      prepared({ source: "/missing", destination: "m", direction: "download" }, dir).provision(
        ui,
        comm,
        {},
        never,
        runContext,
      ),
    ).rejects.toThrow("No such file");
    expect(ui.lines.at(-1)).toBe("error: Download failed: scp: /missing: No such file or directory");
  });
});
