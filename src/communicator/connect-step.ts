/**
 * StepConnect (Packer's communicator.StepConnect with StepConnectSSH): connects to the machine with the
 * configured communicator, retrying until ssh_timeout, and stores it as state.communicator, with the
 * connection details provisioners see as generated data (Host, Port, User, ...). pause_before_connecting
 * waits after the first successful connection and connects again. Cleanup closes the connection.
 */
import {
  type Communicator,
  type ConnectionInfo,
  ErrorCode,
  errorMessage,
  KilnError,
  type Logger,
  noopLogger,
  type ProvisionState,
  type Step,
  type StepAction,
} from "../sdk/index.js";
import type { CommunicatorConfig } from "./config.js";
import { NoneCommunicator } from "./none/communicator.js";
import { sleep } from "./retry.js";
import type { SshCommunicator } from "./ssh/communicator.js";
import { sshCommunicatorOptions } from "./ssh/options.js";
import { waitForSsh } from "./ssh/wait.js";

export interface StepConnectOptions<S extends ProvisionState> {
  readonly config: CommunicatorConfig;
  /** The directory relative key paths are read from. */
  readonly cwd: string;
  /** The run's environment (SSH_AUTH_SOCK). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The host to connect to (Packer's Host func); default ssh_host. May throw while the machine has none. */
  readonly host?: (state: S) => string | Promise<string>;
  /** The port (Packer's SSHPort func); default ssh_port. */
  readonly port?: (state: S) => number | Promise<number>;
  /** A private key the builder made or received (Packer's state "privateKey"). */
  readonly privateKey?: (state: S) => string | undefined;
  /** Steps that connect builder-specific communicator types (Packer's CustomConnect), e.g. `docker`. */
  readonly custom?: Readonly<Record<string, Step<S>>>;
  readonly log?: Logger;
  /** Pause between connection attempts; default 5 s. */
  readonly retryDelayMs?: number;
}

export class StepConnect<S extends ProvisionState> implements Step<S> {
  readonly name = "StepConnect";
  private substep: Step<S> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: StepConnectOptions<S>) {
    this.log = options.log ?? noopLogger;
  }

  async run(state: S, signal: AbortSignal): Promise<StepAction> {
    const { config } = this.options;
    const custom = this.options.custom?.[config.type];
    let step: Step<S> | undefined;
    if (custom !== undefined) step = custom;
    else if (config.type === "none") {
      state.communicator = new NoneCommunicator();
      state.connection = { type: "none" };
      this.log.log("[INFO] communicator disabled, will not connect");
      return "continue";
    } else if (config.type === "ssh") step = new StepConnectSsh(this.options);
    else {
      const err =
        config.type === "winrm"
          ? new KilnError(ErrorCode.NotSupported, "the winrm communicator is not supported", {
              hint: "Use the ssh communicator (Windows ships an OpenSSH server).",
            })
          : new KilnError(ErrorCode.NotSupported, `unknown communicator type: ${config.type}`);
      if (config.type === "winrm") state.ui.error(err.message);
      state.error = err;
      return "halt";
    }

    try {
      const host = await this.host(state);
      state.ui.say(`Using ${config.type} communicator to connect: ${host}`);
    } catch (err) {
      this.log.log(`[DEBUG] Unable to get address during connection step: ${errorMessage(err)}`);
    }

    this.substep = step;
    if ((await step.run(state, signal)) === "halt") return "halt";
    const pause = config.pauseBeforeConnecting;
    if (!pause.isZero() && pause.nanoseconds > 0n) {
      state.ui.say(`Pausing ${pause} before connecting...`);
      try {
        await sleep(pause.milliseconds, signal);
      } catch {
        return "halt";
      }
      this.log.log("Pause over; connecting...");
      closeCommunicator(state.communicator);
      delete state.communicator;
      if ((await step.run(state, signal)) === "halt") return "halt";
    }
    return "continue";
  }

  async cleanup(state: S, signal: AbortSignal): Promise<void> {
    await this.substep?.cleanup?.(state, signal);
  }

  private async host(state: S): Promise<string> {
    return this.options.host !== undefined ? this.options.host(state) : this.options.config.ssh.host;
  }
}

function closeCommunicator(comm: Communicator | undefined): void {
  const closable = comm as { close?: () => void } | undefined;
  closable?.close?.();
}

/** The ssh part of StepConnect. */
class StepConnectSsh<S extends ProvisionState> implements Step<S> {
  readonly name = "StepConnectSSH";
  private communicator: SshCommunicator | undefined;

  constructor(private readonly options: StepConnectOptions<S>) {}

  async run(state: S, signal: AbortSignal): Promise<StepAction> {
    const { config, log } = this.options;
    const ssh = config.ssh;
    state.ui.say("Waiting for SSH to become available...");
    log?.log(`[INFO] Waiting for SSH, up to timeout: ${ssh.timeout}`);
    let host = ssh.host;
    let port = ssh.port;
    try {
      this.communicator = await waitForSsh(
        async () => {
          host = this.options.host !== undefined ? await this.options.host(state) : ssh.host;
          port = this.options.port !== undefined ? await this.options.port(state) : ssh.port;
          // Stored so provisioners see where the build connected (Packer writes them into the config).
          ssh.host = host;
          ssh.port = port;
          const privateKey = this.options.privateKey?.(state);
          return {
            ...(await sshCommunicatorOptions(ssh, {
              cwd: this.options.cwd,
              env: this.options.env,
              host,
              port,
              ...(privateKey !== undefined ? { privateKey } : {}),
              ask: (prompt) => state.ui.ask(prompt, signal),
            })),
            ...(log !== undefined ? { log } : {}),
          };
        },
        {
          timeoutMs: ssh.timeout.milliseconds,
          handshakeAttempts: ssh.handshakeAttempts,
          ...(this.options.retryDelayMs !== undefined ? { retryDelayMs: this.options.retryDelayMs } : {}),
          ...(log !== undefined ? { log } : {}),
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) {
        log?.log("[WARN] Interrupt detected, quitting waiting for SSH.");
        return "halt";
      }
      const message = errorMessage(err);
      state.ui.error(
        message.startsWith("Timeout waiting for SSH") ? message : `Error waiting for SSH: ${message}`,
      );
      state.error = err;
      return "halt";
    }
    state.ui.say("Connected to SSH!");
    state.communicator = this.communicator;
    const info: ConnectionInfo = {
      type: "ssh",
      host,
      port,
      user: ssh.username,
      password: ssh.password,
      sshPublicKey: ssh.publicKey,
      sshPrivateKey: ssh.privateKey,
      sshPrivateKeyFile: ssh.privateKeyFile,
      sshAgentAuth: ssh.agentAuth,
    };
    state.connection = info;
    return "continue";
  }

  async cleanup(): Promise<void> {
    this.communicator?.close();
    this.communicator = undefined;
  }
}
