/**
 * Pull-style reading of a byte stream (the scp protocol's responses and file data): single bytes, lines, and
 * exact byte counts copied to a writable with backpressure. The source is paused while too much is buffered,
 * so memory stays flat whatever the size of the transfer.
 */
import type { Readable } from "node:stream";

const HIGH_WATER = 8 << 20;
const LOW_WATER = 2 << 20;

export class StreamReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    stream.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      if (this.length > HIGH_WATER) stream.pause();
      this.notify();
    });
    stream.on("end", () => {
      this.ended = true;
      this.notify();
    });
    stream.on("close", () => {
      this.ended = true;
      this.notify();
    });
    stream.on("error", (err: Error) => {
      this.failure = err;
      this.notify();
    });
  }

  /** Bytes buffered and not yet read. */
  get buffered(): number {
    return this.length;
  }

  /** The next byte, or undefined at the end of the stream. */
  async readByte(): Promise<number | undefined> {
    if (!(await this.fill(1))) return undefined;
    const first = this.chunks[0]!;
    const b = first[0]!;
    this.consume(1);
    return b;
  }

  /** The next line without its `\n`, or undefined at the end of the stream (a partial last line is returned). */
  async readLine(): Promise<string | undefined> {
    for (;;) {
      let offset = 0;
      for (const chunk of this.chunks) {
        const nl = chunk.indexOf(10);
        if (nl >= 0) {
          const line = this.take(offset + nl + 1);
          return line.subarray(0, line.length - 1).toString("utf8");
        }
        offset += chunk.length;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return this.length > 0 ? this.take(this.length).toString("utf8") : undefined;
      await this.waitForData();
    }
  }

  /**
   * Passes exactly `count` bytes to `sink` in chunks; `sink` may return a promise to apply backpressure.
   * Rejects when the stream ends first.
   */
  async copy(count: number, sink: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    let left = count;
    while (left > 0) {
      if (!(await this.fill(1)))
        throw new Error(`unexpected end of stream (${left} of ${count} bytes missing)`);
      const first = this.chunks[0]!;
      const n = Math.min(first.length, left);
      const piece = first.subarray(0, n);
      this.consume(n);
      left -= n;
      const r = sink(piece);
      if (r !== undefined) await r;
    }
  }

  /** Everything up to the end of the stream. */
  async readAll(): Promise<Buffer> {
    while (!this.ended && !this.failure) await this.waitForData();
    return this.take(this.length);
  }

  private async fill(n: number): Promise<boolean> {
    while (this.length < n) {
      if (this.failure) throw this.failure;
      if (this.ended) return false;
      await this.waitForData();
    }
    return true;
  }

  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let pos = 0;
    while (pos < n) {
      const first = this.chunks[0]!;
      const k = Math.min(first.length, n - pos);
      first.copy(out, pos, 0, k);
      pos += k;
      this.consume(k);
    }
    return out;
  }

  private consume(n: number): void {
    const first = this.chunks[0]!;
    if (n === first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.length -= n;
    if (this.length < LOW_WATER && this.stream.isPaused()) this.stream.resume();
  }

  private waitForData(): Promise<void> {
    if (this.stream.isPaused() && !this.ended) this.stream.resume();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
