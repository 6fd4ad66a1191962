import { PassThrough, Writable } from "node:stream";
import type { CliIO } from "../../../src/cli/main.js";

/** A writable that keeps everything written to it. */
export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface FakeIO extends CliIO {
  readonly stdout: Capture;
  readonly stderr: Capture;
}

export function fakeIO(env: Record<string, string> = {}): FakeIO {
  const stdin = new PassThrough();
  stdin.end();
  return { stdout: new Capture(), stderr: new Capture(), stdin, env, cwd: "/nonexistent-cwd" };
}
