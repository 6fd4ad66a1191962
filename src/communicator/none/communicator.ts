/**
 * The `none` communicator (Packer's sdk-internals/communicator/none): commands "succeed" without running,
 * file transfers fail, so provisioners that only run locally (shell-local) still work.
 */
import {
  type Communicator,
  ErrorCode,
  type FileInfo,
  KilnError,
  type RemoteCommand,
  type RemoteCommandResult,
  throwIfAborted,
} from "../../sdk/index.js";

function notImplemented(what: string): KilnError {
  return new KilnError(ErrorCode.NotSupported, `${what} is not implemented when communicator = 'none'`, {
    hint: "Set `communicator` to a communicator that can reach the machine (for example `ssh`).",
  });
}

export class NoneCommunicator implements Communicator {
  async start(_command: RemoteCommand, signal: AbortSignal): Promise<RemoteCommandResult> {
    throwIfAborted(signal);
    return { exitStatus: 0 };
  }

  async upload(
    _destination: string,
    _source: NodeJS.ReadableStream,
    _info: FileInfo | undefined,
    _signal: AbortSignal,
  ): Promise<void> {
    throw notImplemented("Upload");
  }

  async uploadDir(
    _destination: string,
    _source: string,
    _exclude: readonly string[],
    _signal: AbortSignal,
  ): Promise<void> {
    throw notImplemented("UploadDir");
  }

  async download(_source: string, _destination: NodeJS.WritableStream, _signal: AbortSignal): Promise<void> {
    throw notImplemented("Download");
  }

  async downloadDir(
    _source: string,
    _destination: string,
    _exclude: readonly string[],
    _signal: AbortSignal,
  ): Promise<void> {
    throw notImplemented("DownloadDir");
  }
}
