/**
 * Turns the ssh_* configuration into connection options (Packer's SSHConfigFunc and sshBastionConfig): reads
 * key and certificate files, finds the agent, parses tunnels.
 */
import { readFile } from "node:fs/promises";
import { ErrorCode, KilnError } from "../../sdk/index.js";
import { resolveUserPath, type SshConfig } from "../config.js";
import type { SshCredentials } from "./auth.js";
import type { SshCommunicatorOptions } from "./communicator.js";
import type { SshEndpoint } from "./connection.js";
import { parseTunnelArgument, type TunnelSpec } from "./tunnel.js";

export interface SshOptionsContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The host to connect to; default ssh_host. */
  readonly host?: string;
  /** The port; default ssh_port. */
  readonly port?: number;
  /** A private key the builder holds (Packer's state "privateKey"), tried after ssh_private_key_file. */
  readonly privateKey?: string;
  /** Answers keyboard-interactive prompts for ssh_bastion_interactive. */
  readonly ask?: (prompt: string) => Promise<string>;
}

async function readUserFile(path: string, ctx: SshOptionsContext, what: string): Promise<Buffer> {
  const full = resolveUserPath(path, ctx.cwd, ctx.env);
  try {
    return await readFile(full);
  } catch (err) {
    throw new KilnError(ErrorCode.Communicator, `Error on reading ${what}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function agentSocket(ctx: SshOptionsContext): string {
  const sock = ctx.env.SSH_AUTH_SOCK;
  if (sock === undefined || sock === "") {
    throw new KilnError(ErrorCode.Communicator, "Cannot connect to SSH Agent SSH_AUTH_SOCK is not set", {
      hint: "Start an ssh-agent and export SSH_AUTH_SOCK, or use ssh_private_key_file or ssh_password.",
    });
  }
  return sock;
}

export function parseTunnels(config: SshConfig): TunnelSpec[] {
  const out: TunnelSpec[] = [];
  for (const [list, direction] of [
    [config.localTunnels, "local"],
    [config.remoteTunnels, "remote"],
  ] as const) {
    for (const text of list) {
      const parsed = parseTunnelArgument(text, direction);
      if (!parsed.ok)
        throw new KilnError(ErrorCode.Communicator, `Error parsing port forwarding: ${parsed.error}`);
      out.push(parsed.value);
    }
  }
  return out;
}

/** The connection options for `config`; rejects when a key file cannot be read or the agent is missing. */
export async function sshCommunicatorOptions(
  config: SshConfig,
  ctx: SshOptionsContext,
): Promise<SshCommunicatorOptions> {
  const privateKeys: (string | Uint8Array)[] = [];
  if (config.privateKeyFile !== "")
    privateKeys.push(await readUserFile(config.privateKeyFile, ctx, "SSH private key"));
  if (ctx.privateKey !== undefined && ctx.privateKey !== "") privateKeys.push(ctx.privateKey);
  if (config.privateKey !== "") privateKeys.push(config.privateKey);
  const credentials: SshCredentials = {
    username: config.username,
    ...(config.password !== "" ? { password: config.password } : {}),
    ...(privateKeys.length > 0 ? { privateKeys } : {}),
    ...(config.certificateFile !== ""
      ? { certificate: await readUserFile(config.certificateFile, ctx, "SSH certificate") }
      : {}),
    ...(config.agentAuth ? { agentSocket: agentSocket(ctx) } : {}),
  };
  let bastion: SshEndpoint | undefined;
  const b = config.bastion;
  if (b !== undefined) {
    const ask = ctx.ask;
    bastion = {
      host: b.host,
      port: b.port,
      username: b.username,
      ...(b.password !== "" ? { password: b.password } : {}),
      ...(b.privateKeyFile !== ""
        ? { privateKeys: [await readUserFile(b.privateKeyFile, ctx, "SSH bastion private key")] }
        : {}),
      ...(b.certificateFile !== ""
        ? { certificate: await readUserFile(b.certificateFile, ctx, "SSH bastion certificate") }
        : {}),
      ...(b.agentAuth ? { agentSocket: agentSocket(ctx) } : {}),
      ...(b.interactive && ask !== undefined
        ? {
            keyboardInteractive: async (
              _name: string,
              _instructions: string,
              prompts: readonly { prompt: string }[],
            ) => {
              const answers: string[] = [];
              for (const p of prompts) answers.push(await ask(p.prompt));
              return answers;
            },
          }
        : {}),
    };
  }
  const forwardSocket = ctx.env.SSH_AUTH_SOCK;
  return {
    host: ctx.host ?? config.host,
    port: ctx.port ?? config.port,
    ...credentials,
    ...(bastion !== undefined ? { bastion } : {}),
    ...(config.proxy !== undefined
      ? {
          socksProxy: {
            host: config.proxy.host,
            port: config.proxy.port,
            ...(config.proxy.username !== ""
              ? { username: config.proxy.username, password: config.proxy.password }
              : {}),
          },
        }
      : {}),
    ...(!config.disableAgentForwarding && forwardSocket !== undefined && forwardSocket !== ""
      ? { agentForwarding: forwardSocket }
      : {}),
    keepAliveIntervalMs: Number(config.keepAliveInterval.nanoseconds / 1_000_000n),
    readWriteTimeoutMs: config.readWriteTimeout.milliseconds,
    ...(config.ciphers.length > 0 ? { ciphers: config.ciphers } : {}),
    ...(config.keyExchangeAlgorithms.length > 0
      ? { keyExchangeAlgorithms: config.keyExchangeAlgorithms }
      : {}),
    tunnels: parseTunnels(config),
    pty: config.pty,
    fileTransferMethod: config.fileTransferMethod,
  };
}
