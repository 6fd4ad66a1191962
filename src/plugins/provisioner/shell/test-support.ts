/**
 * Test doubles for provisioner tests: a BuildInfo, a RunContext, a recording Ui and a scripted Communicator.
 * Used only by *.test.ts files here and in the file provisioner.
 */
import { Readable } from "node:stream";
import { valueFromNative } from "../../../hcl/index.js";
import {
  type BuildInfo,
  type Communicator,
  type FileInfo,
  noopLogger,
  type RemoteCommand,
  type RemoteCommandResult,
  type RunContext,
  type Ui,
  type Value,
} from "../../../sdk/index.js";

export function buildInfo(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return {
    buildName: "test",
    builderType: "null",
    coreVersion: "1.16.0",
    debug: false,
    force: false,
    onError: "cleanup",
    userVariables: {},
    sensitiveVariables: [],
    runUuid: "00000000-0000-0000-0000-000000000000",
    env: {},
    cwd: process.cwd(),
    ...overrides,
  };
}

export const runContext: RunContext = { log: noopLogger, secrets: { add() {} } };

export function config(native: Record<string, unknown>): Value {
  return valueFromNative(native);
}

export interface RecordingUi extends Ui {
  readonly lines: string[];
}

export function recordingUi(): RecordingUi {
  const lines: string[] = [];
  return {
    lines,
    say: (m) => lines.push(`say: ${m}`),
    message: (m) => lines.push(`message: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    machine: () => {},
    ask: async () => "",
  };
}

export type Event =
  | { readonly kind: "upload"; readonly path: string; readonly content: string; readonly info?: FileInfo }
  | { readonly kind: "start"; readonly command: string }
  | { readonly kind: "uploadDir"; readonly dst: string; readonly src: string }
  | { readonly kind: "download"; readonly path: string }
  | { readonly kind: "downloadDir"; readonly src: string; readonly dst: string };

/**
 * A communicator that records what it is asked to do. `onStart` decides a command's outcome (default: exit 0
 * with no output); `onUpload` may throw to simulate a failure.
 */
export class FakeCommunicator implements Communicator {
  readonly events: Event[] = [];
  onStart: (command: string) => { exitStatus: number; stdout?: string; stderr?: string } | Error = () => ({
    exitStatus: 0,
  });
  onUpload: (path: string) => void = () => {};
  files = new Map<string, string>();

  async start(command: RemoteCommand, _signal: AbortSignal): Promise<RemoteCommandResult> {
    this.events.push({ kind: "start", command: command.command });
    const r = this.onStart(command.command);
    if (r instanceof Error) throw r;
    if (r.stdout !== undefined) command.stdout?.write(r.stdout);
    if (r.stderr !== undefined) command.stderr?.write(r.stderr);
    return { exitStatus: r.exitStatus };
  }

  async upload(
    path: string,
    source: NodeJS.ReadableStream,
    info: FileInfo | undefined,
    _signal: AbortSignal,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of source as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(c));
    this.onUpload(path);
    const content = Buffer.concat(chunks).toString("utf8");
    this.files.set(path, content);
    this.events.push({ kind: "upload", path, content, ...(info !== undefined ? { info } : {}) });
  }

  async uploadDir(
    dst: string,
    src: string,
    _exclude: readonly string[],
    _signal: AbortSignal,
  ): Promise<void> {
    this.events.push({ kind: "uploadDir", dst, src });
  }

  async download(path: string, out: NodeJS.WritableStream, _signal: AbortSignal): Promise<void> {
    this.events.push({ kind: "download", path });
    const content = this.files.get(path);
    if (content === undefined) throw new Error(`scp: ${path}: No such file or directory`);
    await new Promise<void>((resolve) => {
      Readable.from([content])
        .on("end", resolve)
        .pipe(out as NodeJS.WritableStream, { end: false });
    });
  }

  async downloadDir(
    src: string,
    dst: string,
    _exclude: readonly string[],
    _signal: AbortSignal,
  ): Promise<void> {
    this.events.push({ kind: "downloadDir", src, dst });
  }
}
