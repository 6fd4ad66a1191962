/**
 * A QEMU Machine Protocol client over a unix socket: reads the greeting, enters command mode
 * (`qmp_capabilities`) and runs commands one at a time. Asynchronous events are recorded, not returned as
 * answers. Every command answer is `{"return": ...}` or `{"error": {"class", "desc"}}`.
 */
import { connect, type Socket } from "node:net";
import { cancelledError, KilnError } from "../../../sdk/index.js";

export const QMP_ERROR = "QMP";

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class QmpClient {
  private buffer = "";
  private readonly queue: Pending[] = [];
  private greeted: ((v: unknown) => void) | undefined;
  private closedError: Error | undefined;
  /** Event names received, in order (SHUTDOWN, POWERDOWN, ...). */
  readonly events: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    const fail = (err: Error): void => {
      this.closedError ??= err;
      for (const p of this.queue.splice(0)) p.reject(err);
    };
    socket.on("error", (err) => fail(new KilnError(QMP_ERROR, err.message, { cause: err })));
    socket.on("close", () => fail(new KilnError(QMP_ERROR, "QMP connection closed")));
  }

  /** Connects to the socket and negotiates capabilities; rejects when it cannot within `timeoutMs`. */
  static async connect(path: string, signal: AbortSignal, timeoutMs = 10_000): Promise<QmpClient> {
    if (signal.aborted) throw cancelledError(signal.reason);
    const socket = connect({ path });
    const client = new QmpClient(socket);
    const timer = setTimeout(() => socket.destroy(new Error("i/o timeout")), timeoutMs);
    const onAbort = (): void => {
      socket.destroy(new Error("cancelled"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      await new Promise((resolve, reject) => {
        client.greeted = resolve;
        socket.once("close", () =>
          reject(new KilnError(QMP_ERROR, "QMP connection closed before the greeting")),
        );
        socket.once("error", reject);
      });
      await client.execute("qmp_capabilities");
      return client;
    } catch (err) {
      socket.destroy();
      if (signal.aborted) throw cancelledError(signal.reason);
      throw err instanceof KilnError ? err : new KilnError(QMP_ERROR, (err as Error).message, { cause: err });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf("\n");
    while (nl >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf("\n");
      if (line === "") continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if ("QMP" in msg) {
        const g = this.greeted;
        this.greeted = undefined;
        g?.(msg);
      } else if (typeof msg.event === "string") {
        this.events.push(msg.event);
      } else if ("return" in msg || "error" in msg) {
        const p = this.queue.shift();
        if (p === undefined) continue;
        if ("error" in msg) {
          const e = msg.error as { class?: string; desc?: string };
          p.reject(new KilnError(QMP_ERROR, `${e.class ?? "Error"}: ${e.desc ?? "unknown error"}`));
        } else p.resolve(msg.return);
      }
    }
  }

  /** Runs one command; resolves to its `return` value. */
  execute(command: string, args?: Readonly<Record<string, unknown>>): Promise<unknown> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.socket.write(
        `${JSON.stringify(args === undefined ? { execute: command } : { execute: command, arguments: args })}\n`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
