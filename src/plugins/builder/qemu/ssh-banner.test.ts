import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { probeSshBanner, waitForSshBanner } from "./ssh-banner.js";

describe("SSH banner probe with a network probe", () => {
  it("touches the SSH port only slowly until the network probe is answered, then finds sshd at once", async () => {
    // Both servers stand for QEMU's forwards: connections are accepted at once, and held while "the guest's
    // network is down"; then the closed port resets and sshd greets.
    let networkUp = false;
    let sshUp = false;
    let sshConnections = 0;
    let sshBeforeNetwork = 0;
    const held: Socket[] = [];
    const net = createTcpServer((s) => {
      if (networkUp) s.destroy();
      else held.push(s);
    });
    const ssh = createTcpServer((s) => {
      sshConnections++;
      if (!networkUp) sshBeforeNetwork++;
      if (sshUp) s.end("SSH-2.0-guest\r\n");
      else if (networkUp) s.destroy();
      else held.push(s);
    });
    for (const s of [net, ssh]) await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s: typeof net) => (s.address() as AddressInfo).port;
    const log: string[] = [];
    try {
      setTimeout(() => {
        networkUp = true;
      }, 400);
      setTimeout(() => {
        sshUp = true;
      }, 600);
      const started = Date.now();
      const seen = await waitForSshBanner(
        "127.0.0.1",
        port(ssh),
        Date.now() + 10_000,
        new AbortController().signal,
        {
          netProbePort: port(net),
          netIntervalMs: 50,
          sshIntervalMs: 50,
          slowSshIntervalMs: 10_000,
          log: (m) => log.push(m),
        },
      );
      expect(seen).toBe(true);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(sshBeforeNetwork).toBe(1);
      expect(sshConnections).toBeGreaterThan(1);
      expect(log.some((m) => m.startsWith("The guest's network answers (network probe: closed)"))).toBe(true);
    } finally {
      for (const s of held) s.destroy();
      net.close();
      ssh.close();
    }
  });

  it("falls back to probing SSH when the network probe port is not forwarded", async () => {
    const ssh = createTcpServer((s) => s.end("SSH-2.0-guest\r\n"));
    await new Promise<void>((r) => ssh.listen(0, "127.0.0.1", () => r()));
    const free = createTcpServer();
    await new Promise<void>((r) => free.listen(0, "127.0.0.1", () => r()));
    const unused = (free.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    try {
      const log: string[] = [];
      const seen = await waitForSshBanner(
        "127.0.0.1",
        (ssh.address() as AddressInfo).port,
        Date.now() + 5000,
        new AbortController().signal,
        { netProbePort: unused, slowSshIntervalMs: 10_000, log: (m) => log.push(m) },
      );
      expect(seen).toBe(true);
    } finally {
      ssh.close();
    }
  });
});

describe("SSH banner probe", () => {
  it("sees a banner, rejects other servers and waits until one appears", async () => {
    const ssh = createTcpServer((s) => s.end("SSH-2.0-OpenSSH_9.2p1\r\n"));
    const other = createTcpServer((s) => s.end("HTTP/1.0 400 Bad Request\r\n"));
    let silentConnections = 0;
    const silent = createTcpServer(() => {
      silentConnections++;
    });
    for (const s of [ssh, other, silent]) await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s: typeof ssh) => (s.address() as AddressInfo).port;
    try {
      expect(await probeSshBanner("127.0.0.1", port(ssh), 1000)).toBe(true);
      expect(await probeSshBanner("127.0.0.1", port(other), 1000)).toBe(false);
      expect(await probeSshBanner("127.0.0.1", port(silent), 100)).toBe(false);
      const signal = new AbortController().signal;
      const before = silentConnections;
      expect(
        await waitForSshBanner("127.0.0.1", port(silent), Date.now() + 300, signal, { sshIntervalMs: 20 }),
      ).toBe(false);
      // A probe that is accepted and silent (sshd starting for it) is waited for: no second one meanwhile.
      expect(silentConnections - before).toBe(1);
      // Once the pending probes have been silent long enough, more are opened, but only a few at once;
      // probes are never abandoned while pending.
      const before2 = silentConnections;
      expect(
        await waitForSshBanner("127.0.0.1", port(silent), Date.now() + 600, signal, {
          sshIntervalMs: 20,
          stalledProbeMs: 50,
        }),
      ).toBe(false);
      expect(silentConnections - before2).toBe(4);
      // A server that starts listening later is found within about one probe interval.
      const free = createTcpServer();
      await new Promise<void>((r) => free.listen(0, "127.0.0.1", () => r()));
      const latePort = port(free);
      await new Promise<void>((r) => free.close(() => r()));
      const late = createTcpServer((s) => s.end("SSH-2.0-late\r\n"));
      const started = Date.now();
      setTimeout(() => late.listen(latePort, "127.0.0.1"), 300);
      expect(
        await waitForSshBanner("127.0.0.1", latePort, Date.now() + 5000, signal, { sshIntervalMs: 100 }),
      ).toBe(true);
      expect(Date.now() - started).toBeLessThan(1500);
      late.close();
      const controller = new AbortController();
      const waiting = waitForSshBanner("127.0.0.1", port(other), Date.now() + 5000, controller.signal, {
        sshIntervalMs: 50,
      });
      setTimeout(() => controller.abort(), 100);
      await expect(waiting).rejects.toThrow("context canceled");
    } finally {
      ssh.close();
      other.close();
      silent.close();
      for (const s of [ssh, other, silent]) s.unref();
    }
  });
});
