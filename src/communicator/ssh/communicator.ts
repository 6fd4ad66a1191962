/**
 * The SSH communicator (Packer's sdk-internals/communicator/ssh) on ssh2: commands run in exec channels with
 * their output streamed, files move with scp (default) or sftp. When the connection is gone (the machine
 * rebooted), the next operation reconnects once, as Packer's newSession does; callers that expect reboots
 * retry (the shell provisioner's start_retry_timeout).
 */
import type { ClientChannel, PseudoTtyOptions, SFTPWrapper } from "ssh2";
import {
  CMD_DISCONNECT_STATUS,
  type Communicator,
  cancelledError,
  ErrorCode,
  errorMessage,
  type FileInfo,
  KilnError,
  type Logger,
  noopLogger,
  type RemoteCommand,
  type RemoteCommandResult,
  throwIfAborted,
} from "../../sdk/index.js";
import {
  endpointName,
  openSshConnection,
  type SshConnection,
  type SshConnectionOptions,
} from "./connection.js";
import { exitOf, recordExit, whenClosed } from "./exit.js";
import { type OpenExec, scpDownload, scpDownloadDir, scpUpload, scpUploadDir } from "./scp.js";
import { sftpDownload, sftpDownloadDir, sftpUpload, sftpUploadDir } from "./sftp.js";

export type FileTransferMethod = "scp" | "sftp";

export interface SshCommunicatorOptions extends SshConnectionOptions {
  /** Request a pseudo-terminal for commands (ssh_pty). */
  readonly pty?: boolean;
  /** scp (default) or sftp (ssh_file_transfer_method). */
  readonly fileTransferMethod?: FileTransferMethod;
}

/** Go's ssh package turns an exit signal into 128 + the signal's number. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  ABRT: 6,
  ALRM: 14,
  FPE: 8,
  HUP: 1,
  ILL: 4,
  INT: 2,
  KILL: 9,
  PIPE: 13,
  QUIT: 3,
  SEGV: 11,
  TERM: 15,
  USR1: 10,
  USR2: 12,
};

const PTY: PseudoTtyOptions = {
  term: "xterm",
  rows: 40,
  cols: 80,
  modes: { ECHO: 0, TTY_OP_ISPEED: 14400, TTY_OP_OSPEED: 14400 },
};

interface ChannelInternals {
  outgoing?: { state?: string; id?: number };
  _client?: { _protocol?: { signal(id: number, signal: string): void } };
}

/**
 * Asks the server to signal the command. ssh2's Channel.signal sends nothing once the input is closed (EOF),
 * which the protocol allows and which is the normal case here, so the request goes out directly then.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as ChannelInternals;
  const state = internals.outgoing?.state;
  const id = internals.outgoing?.id;
  try {
    if (state === "eof" && id !== undefined && internals._client?._protocol !== undefined) {
      internals._client._protocol.signal(id, name);
    } else channel.signal(name);
  } catch {
    // The channel is gone already.
  }
}

export class SshCommunicator implements Communicator {
  private connection: SshConnection | undefined;
  private connecting: Promise<SshConnection> | undefined;
  private agentForwarding: boolean;
  private closedByUser = false;
  private readonly log: Logger;

  private constructor(
    readonly options: SshCommunicatorOptions,
    connection: SshConnection,
  ) {
    this.connection = connection;
    this.agentForwarding = options.agentForwarding !== undefined;
    this.log = options.log ?? noopLogger;
  }

  /** Connects once (no retries; see waitForSsh for that). */
  static async connect(options: SshCommunicatorOptions, signal: AbortSignal): Promise<SshCommunicator> {
    const connection = await openSshConnection(options, signal);
    return new SshCommunicator(options, connection);
  }

  /** `user@host:port`. */
  get address(): string {
    return endpointName({
      username: this.options.username,
      host: this.options.host,
      port: this.options.port ?? 22,
    });
  }

  /** Whether the current connection is up (false after a drop, until the next operation reconnects). */
  isConnected(): boolean {
    return this.connection?.isOpen() ?? false;
  }

  /** Closes the connection; later operations fail. */
  close(): void {
    this.closedByUser = true;
    this.connection?.close();
    this.connection = undefined;
  }

  /** The live connection, reconnecting when the last one is gone. */
  private async live(signal: AbortSignal, forceNew = false): Promise<SshConnection> {
    if (this.closedByUser) throw new KilnError(ErrorCode.Communicator, "client not available");
    if (!forceNew && this.connection?.isOpen()) return this.connection;
    if (this.connecting === undefined) {
      this.log.log("[DEBUG] reconnecting to TCP connection for SSH");
      this.connection?.close();
      this.connection = undefined;
      this.connecting = openSshConnection(this.options, signal).finally(() => {
        this.connecting = undefined;
      });
    }
    const conn = await this.connecting;
    this.connection = conn;
    return conn;
  }

  /** Opens a channel with `open`; after a failure reconnects once and tries again (Packer's newSession). */
  private async channel<T>(signal: AbortSignal, open: (conn: SshConnection) => Promise<T>): Promise<T> {
    throwIfAborted(signal);
    let conn = await this.live(signal);
    try {
      return await open(conn);
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      if (err instanceof KilnError && err.code !== ErrorCode.Communicator) throw err;
      this.log.log(`[ERROR] ssh session open error: '${errorMessage(err)}', attempting reconnect`);
      conn = await this.live(signal, true);
      return open(conn);
    }
  }

  private exec(conn: SshConnection, command: string, pty: boolean): Promise<ClientChannel> {
    const attempt = (forward: boolean): Promise<ClientChannel> =>
      new Promise((resolve, reject) => {
        try {
          conn.client.exec(
            command,
            { ...(pty ? { pty: PTY } : {}), ...(forward ? { agentForward: true } : {}) },
            (err, ch) => {
              if (err) {
                reject(err);
                return;
              }
              // The exit status can arrive in the same read as the channel's opening, before anyone awaiting
              // this promise could listen for it.
              recordExit(ch);
              resolve(ch);
            },
          );
        } catch (err) {
          reject(err);
        }
      });
    if (!this.agentForwarding) return attempt(false);
    return attempt(true).catch((err: Error) => {
      if (!/agent forwarding/i.test(err.message)) throw err;
      // The server refuses agent forwarding: go on without it, as Packer does.
      this.log.log(`[ERROR] RequestAgentForwarding: ${err.message}`);
      this.agentForwarding = false;
      return attempt(false);
    });
  }

  private openExec(signal: AbortSignal, pty = false): OpenExec {
    return (command) =>
      this.channel(signal, (conn) =>
        this.exec(conn, command, pty).catch((err: unknown) => {
          throw new KilnError(ErrorCode.Communicator, `ssh session open error: ${errorMessage(err)}`, {
            cause: err,
          });
        }),
      );
  }

  /** An exec opener for the scp transfers, which logs the remote scp command as Packer does. */
  private scpExec(signal: AbortSignal): OpenExec {
    const open = this.openExec(signal);
    return (command) => {
      this.log.log(`[DEBUG] Starting remote scp process: ${command}`);
      return open(command);
    };
  }

  private async sftp<T>(signal: AbortSignal, body: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    // Only opening the session is retried after a reconnect: the body may consume a stream.
    const sftp = await this.channel(
      signal,
      (conn) =>
        new Promise<SFTPWrapper>((resolve, reject) => {
          try {
            conn.client.sftp((err, s) =>
              err
                ? reject(
                    new KilnError(ErrorCode.Communicator, `sftpSession error: ${err.message}`, {
                      cause: err,
                    }),
                  )
                : resolve(s),
            );
          } catch (err) {
            reject(
              new KilnError(ErrorCode.Communicator, `sftpSession error: ${errorMessage(err)}`, {
                cause: err,
              }),
            );
          }
        }),
    );
    const onAbort = (): void => sftp.end();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await body(sftp);
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort);
      sftp.end();
    }
  }

  async start(command: RemoteCommand, signal: AbortSignal): Promise<RemoteCommandResult> {
    this.log.log(`[DEBUG] starting remote command: ${command.command}`);
    const channel = await this.openExec(signal, this.options.pty ?? false)(`${command.command}\n`);
    return new Promise<RemoteCommandResult>((resolve, reject) => {
      const onAbort = (): void => {
        sendSignal(channel, "KILL");
        // The server closes the channel once the command died; closing it first would make sshd drop the
        // signal request, so only force it when that takes too long.
        const force = setTimeout(() => channel.close(), 1000);
        force.unref();
        channel.once("close", () => clearTimeout(force));
        cleanup();
        reject(cancelledError(signal.reason));
      };
      const cleanup = (): void => {
        signal.removeEventListener("abort", onAbort);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      whenClosed(channel, () => {
        cleanup();
        if (signal.aborted) return;
        const { code: exitStatus, signal: exitSignal } = exitOf(channel);
        let status: number;
        if (exitStatus !== undefined) status = exitStatus;
        else if (exitSignal !== undefined) status = 128 + (SIGNAL_NUMBERS[exitSignal] ?? 0);
        else {
          this.log.log("[ERROR] Remote command exited without exit status or exit signal.");
          status = CMD_DISCONNECT_STATUS;
        }
        if (status !== 0) this.log.log(`[ERROR] Remote command exited with '${status}': ${command.command}`);
        resolve({ exitStatus: status });
      });
      channel.on("error", (err: Error) => this.log.log(`[ERROR] ssh channel: ${err.message}`));
      if (command.stdout !== undefined) channel.pipe(command.stdout as NodeJS.WritableStream, { end: false });
      else channel.resume();
      if (command.stderr !== undefined)
        channel.stderr.pipe(command.stderr as NodeJS.WritableStream, { end: false });
      else channel.stderr.resume();
      const stdin = command.stdin;
      if (stdin === undefined) channel.end();
      else if (typeof stdin === "string" || stdin instanceof Uint8Array) channel.end(stdin);
      else (stdin as NodeJS.ReadableStream).pipe(channel);
    });
  }

  async upload(
    destination: string,
    source: NodeJS.ReadableStream,
    info: FileInfo | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    this.log.log(`[DEBUG] Uploading ${destination}`);
    if (this.options.fileTransferMethod === "sftp") {
      this.log.log(`[DEBUG] sftp: uploading ${destination}`);
      return this.sftp(signal, (sftp) => sftpUpload(sftp, destination, source, info, signal));
    }
    return scpUpload(this.scpExec(signal), destination, source, info, signal);
  }

  async uploadDir(
    destination: string,
    source: string,
    exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    this.log.log(`[DEBUG] Upload dir '${source}' to '${destination}'`);
    if (this.options.fileTransferMethod === "sftp") {
      this.log.log(`[DEBUG] sftp: uploading directory ${source} to ${destination}`);
      return this.sftp(signal, (sftp) => sftpUploadDir(sftp, destination, source, exclude, signal));
    }
    return scpUploadDir(this.scpExec(signal), destination, source, exclude, signal);
  }

  async download(source: string, destination: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
    this.log.log(`[DEBUG] Downloading ${source}`);
    if (this.options.fileTransferMethod === "sftp") {
      this.log.log(`[DEBUG] sftp: downloading ${source}`);
      return this.sftp(signal, (sftp) => sftpDownload(sftp, source, destination, signal));
    }
    return scpDownload(this.scpExec(signal), source, destination, signal);
  }

  async downloadDir(
    source: string,
    destination: string,
    exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    this.log.log(`[DEBUG] Download dir '${source}' to '${destination}'`);
    if (this.options.fileTransferMethod === "sftp" && !/[*?[]/.test(source)) {
      this.log.log(`[DEBUG] sftp: downloading directory ${source} to ${destination}`);
      return this.sftp(signal, (sftp) => sftpDownloadDir(sftp, source, destination, exclude, signal));
    }
    return scpDownloadDir(this.scpExec(signal), source, destination, exclude, signal);
  }
}
