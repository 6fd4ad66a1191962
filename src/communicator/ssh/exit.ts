/**
 * How an exec channel's command ended, recorded from the moment the channel opens: ssh2 emits `exit` as an
 * event, and the exit status can arrive in the same read as the channel's opening, before code awaiting the
 * channel could listen.
 */
import type { ClientChannel } from "ssh2";

interface ExitRecord {
  code?: number;
  signal?: string;
  closed: boolean;
  onClose: (() => void)[];
}

const exits = new WeakMap<ClientChannel, ExitRecord>();

/** Starts recording how the channel's command ends; call as soon as the channel exists. */
export function recordExit(channel: ClientChannel): void {
  const record: ExitRecord = { closed: false, onClose: [] };
  exits.set(channel, record);
  channel.on("exit", (code: number | null, sig?: string) => {
    if (code !== null && code !== undefined) record.code = code;
    else if (sig !== undefined) record.signal = sig.replace(/^SIG/, "");
  });
  channel.once("close", () => {
    record.closed = true;
    for (const cb of record.onClose.splice(0)) cb();
  });
}

/** The exit status or signal the command reported so far. */
export function exitOf(channel: ClientChannel): { code?: number; signal?: string } {
  const r = exits.get(channel);
  return {
    ...(r?.code !== undefined ? { code: r.code } : {}),
    ...(r?.signal !== undefined ? { signal: r.signal } : {}),
  };
}

/** Calls `cb` once the channel is closed (at once if it is already). */
export function whenClosed(channel: ClientChannel, cb: () => void): void {
  const r = exits.get(channel);
  if (r === undefined) channel.once("close", cb);
  else if (r.closed) cb();
  else r.onClose.push(cb);
}
