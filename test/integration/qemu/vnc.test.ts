// kiln's VNC and QMP clients against a real QEMU (no guest needed: `-machine none`): the VNC password is set
// through QMP as the builder does for vnc_use_password, then VNC authentication (DES) must succeed with it
// and fail with another; key events are accepted. Fails (never skips) when QEMU is missing.

import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QmpClient } from "../../../src/plugins/builder/qemu/qmp.js";
import { VncClient } from "../../../src/plugins/builder/qemu/vnc-client.js";
import { killVms, readQemuImage } from "./support.js";

function freeVncDisplay(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => (port > 5900 ? resolve(port - 5900) : freeVncDisplay().then(resolve, reject)));
    });
  });
}

describe("VNC password and QMP against QEMU", () => {
  let qemu: ChildProcess | undefined;
  let dir: string;
  let marker: string;
  let display: number;
  let qmp: QmpClient;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    // The image's description names the QEMU that scripts/qemu-image.sh installed.
    const binary =
      (readQemuImage() as unknown as { qemuSystem?: string }).qemuSystem ?? "/usr/bin/qemu-system-x86_64";
    expect(existsSync(binary), `${binary} (from scripts/test-env.sh)`).toBe(true);
    dir = mkdtempSync(join(tmpdir(), "kiln-qemu-vnc-test-"));
    marker = `kilnvnctest${randomUUID().slice(0, 8)}`;
    display = await freeVncDisplay();
    const sock = join(dir, "qmp.sock");
    qemu = spawn(
      binary,
      [
        "-name",
        marker,
        "-machine",
        "none",
        "-display",
        "none",
        "-vnc",
        `127.0.0.1:${display},password=on`,
        "-qmp",
        `unix:${sock},server=on,wait=off`,
      ],
      { stdio: "ignore" },
    );
    for (let i = 0; ; i++) {
      try {
        qmp = await QmpClient.connect(sock, signal, 2000);
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 60_000);

  afterAll(() => {
    qmp?.close();
    qemu?.kill("SIGKILL");
    if (marker !== undefined) killVms(marker);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("authenticates with the password set through QMP and refuses another", async () => {
    await qmp.execute("change-vnc-password", { password: "s3cr3t" });
    const client = await VncClient.connect(
      { host: "127.0.0.1", port: 5900 + display, password: "s3cr3t" },
      signal,
    );
    expect(client.desktopName).toBe(`QEMU (${marker})`);
    await client.keyEvent(0x61, true);
    await client.keyEvent(0x61, false);
    client.close();
    await expect(
      VncClient.connect({ host: "127.0.0.1", port: 5900 + display, password: "wrong" }, signal),
    ).rejects.toThrow(/security handshake failed/);
    await expect(VncClient.connect({ host: "127.0.0.1", port: 5900 + display }, signal)).rejects.toThrow(
      "the server asks for a VNC password and none is configured",
    );
  });

  it("answers QMP commands and reports their errors", async () => {
    const status = (await qmp.execute("query-status")) as { status: string };
    expect(typeof status.status).toBe("string");
    await expect(qmp.execute("no-such-command")).rejects.toThrow(/^CommandNotFound: /);
  });
});
