import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VncClient, vncAuthResponse } from "./vnc-client.js";

/** A scripted RFB server: runs `script` on each connection with a helper that reads exact byte counts. */
function fakeServer(
  script: (s: Socket, read: (n: number) => Promise<Buffer>) => Promise<void>,
): Promise<Server> {
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    let waiter: (() => void) | undefined;
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      waiter?.();
    });
    const read = async (n: number): Promise<Buffer> => {
      while (buf.length < n) await new Promise<void>((r) => (waiter = r));
      const out = buf.subarray(0, n);
      buf = buf.subarray(n);
      return out;
    };
    void script(socket, read).catch(() => socket.destroy());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function serverInit(name: string): Buffer {
  const b = Buffer.alloc(24 + name.length);
  b.writeUInt16BE(720, 0);
  b.writeUInt16BE(400, 2);
  b.writeUInt32BE(name.length, 20);
  b.write(name, 24, "latin1");
  return b;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const port = (s: Server) => (s.address() as { port: number }).port;

describe("VNC client", () => {
  it("computes the VNC authentication response with DES and bit-reversed key bytes", () => {
    // Bit-reversed, these bytes are the DES test key 0123456789ABCDEF; "Now is t" encrypts to 3FA40E8A984D4815.
    const password = Buffer.from([0x80, 0xc4, 0xa2, 0xe6, 0x91, 0xd5, 0xb3, 0xf7]).toString("latin1");
    const block = Buffer.from("4e6f772069732074", "hex");
    expect(vncAuthResponse(password, Buffer.concat([block, block])).toString("hex")).toBe(
      "3fa40e8a984d48153fa40e8a984d4815",
    );
  });

  it("handshakes with RFB 3.8 and no authentication, then sends key events in order", async () => {
    const received: string[] = [];
    let shared = -1;
    let done!: () => void;
    const allKeys = new Promise<void>((r) => (done = r));
    server = await fakeServer(async (s, read) => {
      s.write("RFB 003.008\n");
      expect((await read(12)).toString()).toBe("RFB 003.008\n");
      s.write(Buffer.from([2, 2, 1]));
      expect((await read(1))[0]).toBe(1);
      s.write(Buffer.from([0, 0, 0, 0]));
      shared = (await read(1))[0]!;
      s.write(serverInit("QEMU (vm)"));
      // Noise the client must ignore.
      s.write(Buffer.from([2]));
      for (let i = 0; i < 6; i++) {
        const m = await read(8);
        expect(m[0]).toBe(4);
        received.push(`${m[1] ? "+" : "-"}${m.readUInt32BE(4).toString(16)}`);
      }
      done();
    });
    const client = await VncClient.connect(
      { host: "127.0.0.1", port: port(server) },
      new AbortController().signal,
    );
    expect(client.desktopName).toBe("QEMU (vm)");
    expect([client.width, client.height]).toEqual([720, 400]);
    for (const [k, down] of [
      [0xffe1, true],
      [0x41, true],
      [0x41, false],
      [0xffe1, false],
      [0xff0d, true],
      [0xff0d, false],
    ] as const) {
      await client.keyEvent(k, down);
    }
    await allKeys;
    client.close();
    expect(shared).toBe(1);
    expect(received).toEqual(["+ffe1", "+41", "-41", "-ffe1", "+ff0d", "-ff0d"]);
  });

  it("answers a VNC authentication challenge and reports a refusal with the server's reason", async () => {
    const challenge = Buffer.from("0123456789abcdef");
    let answer = "";
    server = await fakeServer(async (s, read) => {
      s.write("RFB 003.008\n");
      await read(12);
      s.write(Buffer.from([1, 2]));
      expect((await read(1))[0]).toBe(2);
      s.write(challenge);
      answer = (await read(16)).toString("hex");
      const reason = "bad password";
      const out = Buffer.alloc(8 + reason.length);
      out.writeUInt32BE(1, 0);
      out.writeUInt32BE(reason.length, 4);
      out.write(reason, 8);
      s.write(out);
    });
    await expect(
      VncClient.connect(
        { host: "127.0.0.1", port: port(server), password: "secret" },
        new AbortController().signal,
      ),
    ).rejects.toThrow("security handshake failed: bad password");
    expect(answer).toBe(vncAuthResponse("secret", challenge).toString("hex"));
  });

  it("speaks RFB 3.3, where the server picks the security type", async () => {
    server = await fakeServer(async (s, read) => {
      s.write("RFB 003.003\n");
      expect((await read(12)).toString()).toBe("RFB 003.003\n");
      s.write(Buffer.from([0, 0, 0, 1]));
      await read(1);
      s.write(serverInit("old"));
    });
    const client = await VncClient.connect(
      { host: "127.0.0.1", port: port(server) },
      new AbortController().signal,
    );
    expect(client.desktopName).toBe("old");
    client.close();
  });

  it("fails on a server that is not VNC, and can be cancelled while waiting", async () => {
    server = await fakeServer(async (s) => {
      s.write("SSH-2.0-OpenSSH_9.2\r\n");
    });
    await expect(
      VncClient.connect({ host: "127.0.0.1", port: port(server) }, new AbortController().signal),
    ).rejects.toThrow("unexpected protocol version");
    await new Promise<void>((r) => server!.close(() => r()));
    server = await fakeServer(async () => {});
    const controller = new AbortController();
    const connecting = VncClient.connect({ host: "127.0.0.1", port: port(server) }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(connecting).rejects.toThrow("context canceled");
  });
});
