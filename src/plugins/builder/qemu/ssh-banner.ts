/**
 * Waiting for the guest's SSH server through QEMU's port forward.
 *
 * QEMU's user-mode network accepts a connection on a forwarded port at once and then tries to reach the guest,
 * retransmitting its SYN on a backoff schedule (3 s, 9 s, 21 s, 45 s after the first) while the guest's network
 * is down. A client holding one early connection (as Packer does) may wait tens of seconds after sshd is ready.
 * Opening many connections is no better: QEMU does not notice the host side closing before the guest answers,
 * so every such connection reaches sshd later anyway, each costing the guest an sshd process, and abandoned
 * ones sit there unauthenticated until sshd refuses everyone ("Exceeded MaxStartups").
 *
 * So kiln first waits for the guest's network, cheaply: a second forward (NET_PROBE_GUEST_PORT, where nothing
 * is expected to listen) is probed often; while the network is down those probes stay pending, and the first
 * one the guest answers (its kernel resets the connection, no process involved) shows the network is up. Only
 * then is the SSH port probed often, each probe resolving at once (reset, or the `SSH-` banner). Meanwhile a
 * few SSH probes are held open slowly, in case the guest drops rather than resets the network probes. SSH
 * probes are never abandoned while pending; when the wait ends, pending ones drain in the background (closed
 * as soon as the guest answers them).
 *
 * A probe that is neither reset nor answered has most likely reached sshd, which is starting a process for it
 * (under emulation a few hundred milliseconds). No further probe is opened until that one answers or has
 * been silent for STALLED_PROBE_MS: every extra connection would start another sshd process on the guest's
 * one CPU at the very moment the banner, and then the build's own connection, wait for it.
 */
import { connect, type Socket } from "node:net";
import { cancelledError } from "../../../sdk/index.js";

/** The guest port the network probe forward points at (discard; normally closed). */
export const NET_PROBE_GUEST_PORT = 9;
/** Probe rates: network probes while the network is down, SSH probes once it is up, slow SSH probes before. */
export const NET_PROBE_INTERVAL_MS = 200;
export const SSH_PROBE_INTERVAL_MS = 100;
export const SLOW_SSH_PROBE_INTERVAL_MS = 10_000;
/** Without a network probe, SSH probes go out once a second. */
export const NO_NET_PROBE_SSH_INTERVAL_MS = 1000;
/** Another SSH probe is opened while one is pending only once that one has been silent this long. */
export const STALLED_PROBE_MS = 1000;
/** At most this many slow (and this many other) SSH probes are pending at once. */
const MAX_SLOW_PENDING = 2;
const MAX_FAST_PENDING = 4;
/** Network probes pending this long are dropped (they cost the guest nothing when they arrive later). */
const NET_PROBE_LIFETIME_MS = 5000;
/** SSH probes still pending this long after the wait ended are closed regardless. */
const DRAIN_LIMIT_MS = 120_000;

export type ProbeResult = "banner" | "other" | "closed" | "refused";

/**
 * One probe: `banner` when the server's first bytes are an SSH identification line, `other` for other data,
 * `closed` when the connection was accepted and then closed, `refused` when it could not be made.
 * `timeoutMs` 0 waits as long as it takes.
 */
export function probe(
  host: string,
  port: number,
  timeoutMs: number,
  track?: (socket: Socket) => void,
): Promise<ProbeResult | "timeout"> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    track?.(socket);
    let connected = false;
    let settled = false;
    let seen = "";
    const done = (r: ProbeResult | "timeout"): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = timeoutMs > 0 ? setTimeout(() => done("timeout"), timeoutMs) : undefined;
    socket.on("connect", () => {
      connected = true;
    });
    socket.on("data", (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      if (seen.startsWith("SSH-")) done("banner");
      else if (seen.length >= 4 || seen.includes("\n")) done("other");
    });
    socket.on("error", () => done(connected ? "closed" : "refused"));
    socket.on("close", () => done(connected ? "closed" : "refused"));
  });
}

/** One SSH probe: true when the server sent an SSH identification line. */
export async function probeSshBanner(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return (await probe(host, port, timeoutMs)) === "banner";
}

export interface WaitForSshBannerOptions {
  /** The host port forwarded to NET_PROBE_GUEST_PORT; without it, SSH is probed slowly only. */
  readonly netProbePort?: number;
  readonly netIntervalMs?: number;
  readonly sshIntervalMs?: number;
  readonly slowSshIntervalMs?: number;
  readonly stalledProbeMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * Resolves true once an SSH banner was seen on host:port, false when `deadline` (epoch ms) passed first;
 * rejects with a cancellation when `signal` fires (then every probe is closed at once).
 */
export function waitForSshBanner(
  host: string,
  port: number,
  deadline: number,
  signal: AbortSignal,
  options: WaitForSshBannerOptions = {},
): Promise<boolean> {
  const log = options.log ?? (() => {});
  const pendingSsh = new Set<Socket>();
  const pendingNet = new Set<Socket>();
  let slowPending = 0;
  /** When each pending fast probe was opened. */
  const fastOpened = new Map<object, number>();
  const stalledMs = options.stalledProbeMs ?? STALLED_PROBE_MS;
  let sshProbes = 0;
  let netProbes = 0;
  let networkUp = false;
  let netUsable = true;
  return new Promise<boolean>((resolve, reject) => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (result: boolean | Error): void => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener("abort", onAbort);
      for (const s of pendingNet) s.destroy();
      log(
        `SSH probes: ${sshProbes} to the SSH port (${pendingSsh.size} still pending), ${netProbes} network probes${result === true ? "; banner seen" : ""}`,
      );
      if (result instanceof Error) {
        for (const s of pendingSsh) s.destroy();
        reject(result);
        return;
      }
      if (pendingSsh.size > 0) {
        setTimeout(() => {
          for (const s of pendingSsh) s.destroy();
        }, DRAIN_LIMIT_MS).unref();
      }
      resolve(result);
    };
    const onAbort = (): void => finish(cancelledError(signal.reason));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });

    const sshProbe = (kind: "slow" | "fast"): void => {
      if (finished) return;
      const now = Date.now();
      if (kind === "slow") {
        if (slowPending >= MAX_SLOW_PENDING) return;
      } else {
        if (fastOpened.size >= MAX_FAST_PENDING) return;
        if (fastOpened.size > 0 && now - Math.max(...fastOpened.values()) < stalledMs) return;
      }
      sshProbes++;
      if (kind === "slow") slowPending++;
      const token = {};
      if (kind === "fast") fastOpened.set(token, now);
      let socket: Socket | undefined;
      void probe(host, port, 0, (s) => {
        socket = s;
        pendingSsh.add(s);
      }).then((r) => {
        if (socket !== undefined) pendingSsh.delete(socket);
        if (kind === "slow") slowPending--;
        else fastOpened.delete(token);
        if (r === "banner") finish(true);
      });
    };
    const every = (ms: number, fn: () => void): void => {
      const tick = (): void => {
        if (finished) return;
        fn();
        timers.push(setTimeout(tick, ms));
      };
      tick();
    };
    let fastStarted = false;
    const fast = (ms: number): void => {
      if (fastStarted) return;
      fastStarted = true;
      every(ms, () => sshProbe("fast"));
    };

    if (options.netProbePort === undefined) {
      // No network probe: SSH probes once a second, never more than a few pending.
      fast(options.sshIntervalMs ?? NO_NET_PROBE_SSH_INTERVAL_MS);
    } else {
      every(options.slowSshIntervalMs ?? SLOW_SSH_PROBE_INTERVAL_MS, () => {
        if (!networkUp) sshProbe("slow");
      });
      every(options.netIntervalMs ?? NET_PROBE_INTERVAL_MS, () => {
        if (networkUp || !netUsable) return;
        netProbes++;
        let socket: Socket | undefined;
        void probe(host, options.netProbePort!, NET_PROBE_LIFETIME_MS, (s) => {
          socket = s;
          pendingNet.add(s);
        }).then((r) => {
          if (socket !== undefined) pendingNet.delete(socket);
          if (finished || networkUp) return;
          if (r === "refused") {
            // Nothing forwards that port (a user's own -netdev): probe SSH as without a network probe.
            netUsable = false;
            log("The network probe port is not forwarded; probing SSH directly");
            fast(options.sshIntervalMs ?? NO_NET_PROBE_SSH_INTERVAL_MS);
            return;
          }
          if (r === "timeout") return;
          networkUp = true;
          log(`The guest's network answers (network probe: ${r}); probing SSH`);
          for (const s of pendingNet) s.destroy();
          fast(options.sshIntervalMs ?? SSH_PROBE_INTERVAL_MS);
        });
      });
    }
    timers.push(setTimeout(() => finish(false), Math.max(0, deadline - Date.now())));
  });
}
