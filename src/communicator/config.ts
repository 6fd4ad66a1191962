/**
 * The communicator keys every builder accepts (Packer's sdk communicator.Config, §9.1): `communicator`,
 * `pause_before_connecting`, the `ssh_*` keys, the temporary key pair keys and the `winrm_*` keys, with
 * Packer's defaults and Prepare checks (same messages).
 */
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { boolType, listType, numberType, stringType } from "../hcl/index.js";
import { type ConfigSpec, Duration, errorMessage } from "../sdk/index.js";
import type { ConfigReader } from "./config-reader.js";
import { certifiedKey, expandUser, parsePrivateKey } from "./ssh/auth.js";
import { parseTunnelArgument } from "./ssh/tunnel.js";

export interface SshBastionConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly agentAuth: boolean;
  readonly interactive: boolean;
  readonly privateKeyFile: string;
  readonly certificateFile: string;
}

export interface SshProxyConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

/** The ssh_* keys after Prepare. Empty strings mean "not set", as in Packer. */
export interface SshConfig {
  host: string;
  port: number;
  readonly username: string;
  readonly password: string;
  readonly keyPairName: string;
  readonly temporaryKeyPairName: string;
  /** temporary_key_pair_type as given (checked when a key is generated). */
  readonly temporaryKeyPairType: string;
  readonly temporaryKeyPairBits: number;
  readonly ciphers: readonly string[];
  readonly clearAuthorizedKeys: boolean;
  readonly keyExchangeAlgorithms: readonly string[];
  readonly privateKeyFile: string;
  readonly certificateFile: string;
  readonly pty: boolean;
  /** 0: no overall limit. */
  readonly timeout: Duration;
  readonly agentAuth: boolean;
  readonly disableAgentForwarding: boolean;
  /** 0: no limit. */
  readonly handshakeAttempts: number;
  readonly bastion: SshBastionConfig | undefined;
  readonly fileTransferMethod: "scp" | "sftp";
  readonly proxy: SshProxyConfig | undefined;
  /** Negative: disabled. */
  readonly keepAliveInterval: Duration;
  readonly readWriteTimeout: Duration;
  readonly remoteTunnels: readonly string[];
  readonly localTunnels: readonly string[];
  /** ssh_public_key: set by the builder or a key generation step (authorized_keys line). */
  publicKey: string;
  /** ssh_private_key: set by the builder or a key generation step (PEM text). */
  privateKey: string;
}

export interface WinRMConfig {
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly noProxy: boolean;
  readonly port: number;
  readonly timeout: Duration;
  readonly useSsl: boolean;
  readonly insecure: boolean;
  readonly useNtlm: boolean | undefined;
}

export interface CommunicatorConfig {
  /** `ssh` (default), `winrm`, `none`, or a builder-specific type (`docker`). */
  readonly type: string;
  readonly pauseBeforeConnecting: Duration;
  readonly ssh: SshConfig;
  readonly winrm: WinRMConfig;
}

const str = { kind: "attribute", type: stringType } as const;
const num = { kind: "attribute", type: numberType } as const;
const bool = { kind: "attribute", type: boolType } as const;
const strList = { kind: "attribute", type: listType(stringType) } as const;
const bytes = { kind: "attribute", type: listType(numberType) } as const;

/** The schema of the communicator keys, to merge into a builder's ConfigSpec. */
export function communicatorConfigSpec(): ConfigSpec {
  return {
    communicator: str,
    pause_before_connecting: str,
    ssh_host: str,
    ssh_port: num,
    ssh_username: str,
    ssh_password: str,
    ssh_keypair_name: str,
    temporary_key_pair_name: str,
    temporary_key_pair_type: str,
    temporary_key_pair_bits: num,
    ssh_ciphers: strList,
    ssh_clear_authorized_keys: bool,
    ssh_key_exchange_algorithms: strList,
    ssh_private_key_file: str,
    ssh_certificate_file: str,
    ssh_pty: bool,
    ssh_timeout: str,
    ssh_wait_timeout: str,
    ssh_agent_auth: bool,
    ssh_disable_agent_forwarding: bool,
    ssh_handshake_attempts: num,
    ssh_bastion_host: str,
    ssh_bastion_port: num,
    ssh_bastion_agent_auth: bool,
    ssh_bastion_username: str,
    ssh_bastion_password: str,
    ssh_bastion_interactive: bool,
    ssh_bastion_private_key_file: str,
    ssh_bastion_certificate_file: str,
    ssh_file_transfer_method: str,
    ssh_proxy_host: str,
    ssh_proxy_port: num,
    ssh_proxy_username: str,
    ssh_proxy_password: str,
    ssh_keep_alive_interval: str,
    ssh_read_write_timeout: str,
    ssh_remote_tunnels: strList,
    ssh_local_tunnels: strList,
    ssh_public_key: bytes,
    ssh_private_key: bytes,
    winrm_username: str,
    winrm_password: str,
    winrm_host: str,
    winrm_no_proxy: bool,
    winrm_port: num,
    winrm_timeout: str,
    winrm_use_ssl: bool,
    winrm_insecure: bool,
    winrm_use_ntlm: bool,
  };
}

export interface DecodeCommunicatorOptions {
  /** The directory relative key paths are read from. */
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The type when `communicator` is not set; default `ssh`. */
  readonly defaultType?: string;
  /** Types this builder connects with itself (e.g. `docker`); accepted without checks. */
  readonly customTypes?: readonly string[];
}

/** Resolves a user path: `~` expanded, then relative to `cwd`. */
export function resolveUserPath(
  path: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>> = {},
): string {
  const expanded = expandUser(path, env);
  return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
}

const MINUTE = 60_000;

function bytesToString(list: number[] | undefined): string {
  return list === undefined ? "" : Buffer.from(list).toString("utf8");
}

/**
 * Reads the communicator keys from `reader` and applies Packer's Prepare: defaults (ssh_port 22, ssh_timeout
 * 5m and 10 handshake attempts when neither is set, keep-alive 5s, bastion port 22, proxy port 1080, scp) and
 * validation errors, reported through `reader`.
 */
export function decodeCommunicatorConfig(
  reader: ConfigReader,
  options: DecodeCommunicatorOptions,
): CommunicatorConfig {
  const env = options.env ?? {};
  const type = reader.string("communicator") || options.defaultType || "ssh";
  const pauseBeforeConnecting = reader.duration("pause_before_connecting") ?? Duration.zero;

  let timeout = reader.duration("ssh_timeout") ?? Duration.zero;
  let handshakeAttempts = reader.int("ssh_handshake_attempts") ?? 0;
  if (timeout.isZero() && handshakeAttempts === 0) {
    timeout = Duration.fromMilliseconds(5 * MINUTE);
    handshakeAttempts = 10;
  }
  const waitTimeout = reader.duration("ssh_wait_timeout");
  if (waitTimeout !== undefined && !waitTimeout.isZero()) timeout = waitTimeout;
  let keepAliveInterval = reader.duration("ssh_keep_alive_interval") ?? Duration.zero;
  if (keepAliveInterval.isZero()) keepAliveInterval = Duration.fromMilliseconds(5000);

  const privateKeyFile = reader.string("ssh_private_key_file") ?? "";
  const certificateFile = reader.string("ssh_certificate_file") ?? "";
  const bastionHost = reader.string("ssh_bastion_host") ?? "";
  let bastionPrivateKeyFile = reader.string("ssh_bastion_private_key_file") ?? "";
  let bastionCertificateFile = reader.string("ssh_bastion_certificate_file") ?? "";
  const proxyHost = reader.string("ssh_proxy_host") ?? "";
  const fileTransferMethod = reader.string("ssh_file_transfer_method") || "scp";

  const ssh: SshConfig = {
    host: reader.string("ssh_host") ?? "",
    port: reader.int("ssh_port") || 22,
    username: reader.string("ssh_username") ?? "",
    password: reader.string("ssh_password") ?? "",
    keyPairName: reader.string("ssh_keypair_name") ?? "",
    temporaryKeyPairName: reader.string("temporary_key_pair_name") ?? "",
    temporaryKeyPairType: reader.string("temporary_key_pair_type") ?? "",
    temporaryKeyPairBits: reader.int("temporary_key_pair_bits") ?? 0,
    ciphers: reader.stringList("ssh_ciphers") ?? [],
    clearAuthorizedKeys: reader.bool("ssh_clear_authorized_keys") ?? false,
    keyExchangeAlgorithms: reader.stringList("ssh_key_exchange_algorithms") ?? [],
    privateKeyFile,
    certificateFile,
    pty: reader.bool("ssh_pty") ?? false,
    timeout,
    agentAuth: reader.bool("ssh_agent_auth") ?? false,
    disableAgentForwarding: reader.bool("ssh_disable_agent_forwarding") ?? false,
    handshakeAttempts,
    bastion: undefined,
    fileTransferMethod: fileTransferMethod === "sftp" ? "sftp" : "scp",
    proxy: undefined,
    keepAliveInterval,
    readWriteTimeout: reader.duration("ssh_read_write_timeout") ?? Duration.zero,
    remoteTunnels: reader.stringList("ssh_remote_tunnels") ?? [],
    localTunnels: reader.stringList("ssh_local_tunnels") ?? [],
    publicKey: bytesToString(reader.intList("ssh_public_key")),
    privateKey: bytesToString(reader.intList("ssh_private_key")),
  };

  const winrmUseSsl = reader.bool("winrm_use_ssl") ?? false;
  const winrm: WinRMConfig = {
    username: reader.string("winrm_username") ?? "",
    password: reader.string("winrm_password") ?? "",
    host: reader.string("winrm_host") ?? "",
    noProxy: reader.bool("winrm_no_proxy") ?? false,
    port: reader.int("winrm_port") || (winrmUseSsl ? 5986 : 5985),
    timeout: reader.duration("winrm_timeout") ?? Duration.fromMilliseconds(30 * MINUTE),
    useSsl: winrmUseSsl,
    insecure: reader.bool("winrm_insecure") ?? false,
    useNtlm: reader.bool("winrm_use_ntlm"),
  };

  if (type === "ssh") {
    if (privateKeyFile === "" && certificateFile !== "") {
      reader.error("ssh_private_key_file must be specified if ssh_certificate_file is specified");
    }
    if (bastionPrivateKeyFile === "" && bastionCertificateFile !== "") {
      reader.error(
        "ssh_bastion_private_key_file must be specified if ssh_bastion_certificate_file is specified",
      );
    }
    if (bastionHost !== "" && bastionPrivateKeyFile === "" && privateKeyFile !== "") {
      bastionPrivateKeyFile = privateKeyFile;
      bastionCertificateFile = certificateFile;
    }
    if (ssh.username === "") {
      reader.error(
        'An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".',
      );
    }
    if (privateKeyFile !== "") {
      const problem = checkKeyFile(privateKeyFile, certificateFile, options.cwd, env);
      if (problem !== undefined) reader.error(`ssh_private_key_file is invalid: ${problem}`);
    }
    if (bastionHost !== "") {
      const bastionPassword = reader.string("ssh_bastion_password") ?? "";
      const bastionAgentAuth = reader.bool("ssh_bastion_agent_auth") ?? false;
      if (bastionPassword === "" && bastionPrivateKeyFile === "" && !bastionAgentAuth) {
        reader.error(
          "ssh_bastion_password, ssh_bastion_private_key_file or ssh_bastion_agent_auth must be specified",
        );
      } else if (bastionPrivateKeyFile !== "") {
        const problem = checkKeyFile(bastionPrivateKeyFile, bastionCertificateFile, options.cwd, env);
        if (problem !== undefined) reader.error(`ssh_bastion_private_key_file is invalid: ${problem}`);
      }
      (ssh as { bastion: SshBastionConfig }).bastion = {
        host: bastionHost,
        port: reader.int("ssh_bastion_port") || 22,
        username: reader.string("ssh_bastion_username") ?? "",
        password: bastionPassword,
        agentAuth: bastionAgentAuth,
        interactive: reader.bool("ssh_bastion_interactive") ?? false,
        privateKeyFile: bastionPrivateKeyFile,
        certificateFile: bastionCertificateFile,
      };
    }
    if (proxyHost !== "") {
      (ssh as { proxy: SshProxyConfig }).proxy = {
        host: proxyHost,
        port: reader.int("ssh_proxy_port") || 1080,
        username: reader.string("ssh_proxy_username") ?? "",
        password: reader.string("ssh_proxy_password") ?? "",
      };
    }
    if (fileTransferMethod !== "scp" && fileTransferMethod !== "sftp") {
      reader.error(`ssh_file_transfer_method ('${fileTransferMethod}') is invalid, valid methods: sftp, scp`);
    }
    if (bastionHost !== "" && proxyHost !== "") {
      reader.error("please specify either ssh_bastion_host or ssh_proxy_host, not both");
    }
    for (const t of ssh.localTunnels) {
      const parsed = parseTunnelArgument(t, "local");
      if (!parsed.ok) reader.error(`ssh_local_tunnels ('${t}') is invalid: ${parsed.error}`);
    }
    for (const t of ssh.remoteTunnels) {
      const parsed = parseTunnelArgument(t, "remote");
      if (!parsed.ok) reader.error(`ssh_remote_tunnels ('${t}') is invalid: ${parsed.error}`);
    }
  } else if (type === "winrm") {
    if (winrm.username === "") reader.error("winrm_username must be specified.");
  } else if (
    type !== "none" &&
    type !== "docker" &&
    type !== "dockerWindowsContainer" &&
    !(options.customTypes ?? []).includes(type)
  ) {
    reader.error(`Communicator type ${type} is invalid`);
  }

  return { type, pauseBeforeConnecting, ssh, winrm };
}

/** Packer's FileSigner / FileSignerWithCert checks; the problem, or undefined when the key is usable. */
function checkKeyFile(
  keyFile: string,
  certFile: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const path = resolveUserPath(keyFile, cwd, env);
  try {
    statSync(path);
  } catch (err) {
    return `stat ${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : errorMessage(err)}`;
  }
  try {
    const key = parsePrivateKey(readFileSync(path), path);
    if (certFile !== "") certifiedKey(key, readFileSync(resolveUserPath(certFile, cwd, env)));
  } catch (err) {
    return errorMessage(err);
  }
  return undefined;
}
