/**
 * The communicator the file builder gives its provisioners (Packer's MockCommunicator): commands "run" and
 * exit 0, uploads are read and dropped, downloads are empty. There is no machine behind it.
 */
import { mkdir } from "node:fs/promises";
import {
  type Communicator,
  type FileInfo,
  type RemoteCommand,
  type RemoteCommandResult,
  throwIfAborted,
} from "../../../sdk/index.js";

export class MockCommunicator implements Communicator {
  async start(_command: RemoteCommand, signal: AbortSignal): Promise<RemoteCommandResult> {
    throwIfAborted(signal);
    return { exitStatus: 0 };
  }

  async upload(
    _destination: string,
    source: NodeJS.ReadableStream,
    _info: FileInfo | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    throwIfAborted(signal);
    for await (const _chunk of source) {
      // Read and dropped.
    }
  }

  async uploadDir(
    _destination: string,
    _source: string,
    _exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    throwIfAborted(signal);
  }

  async download(_source: string, _destination: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
  }

  async downloadDir(
    _source: string,
    destination: string,
    _exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    throwIfAborted(signal);
    await mkdir(destination, { recursive: true });
  }
}
