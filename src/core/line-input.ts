/**
 * Reads answers to UI questions line by line from an input stream (the terminal). Lines that arrive while no
 * question is pending are kept for the next one, as a terminal's line buffer would.
 */
import { LineSplitter } from "../sdk/index.js";

export class LineInput {
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string | undefined) => void)[] = [];
  private ended = false;
  private attached = false;
  private readonly splitter = new LineSplitter((line) => this.push(line));

  constructor(private readonly stream: NodeJS.ReadableStream) {}

  /**
   * The next line without its newline; undefined at end of input or when `signal` fires first. The stream is
   * read only while someone waits, so an unused terminal does not keep the process alive.
   */
  readLine(signal?: AbortSignal): Promise<string | undefined> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended || signal?.aborted) return Promise.resolve(undefined);
    this.attach();
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        this.pauseIfIdle();
        resolve(undefined);
      };
      const waiter = (line: string | undefined): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(line);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
      this.stream.resume();
    });
  }

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.stream.on("data", (chunk: string | Uint8Array) => this.splitter.write(chunk));
    this.stream.on("end", () => {
      this.splitter.end();
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(undefined);
    });
    this.stream.on("error", () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(undefined);
    });
  }

  private push(line: string): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(line);
    else this.lines.push(line);
    this.pauseIfIdle();
  }

  private pauseIfIdle(): void {
    if (this.waiters.length === 0) this.stream.pause();
  }
}
