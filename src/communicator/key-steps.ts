/**
 * Steps around temporary SSH keys for builders that put a key into the machine they create:
 *  - StepSshKeyGen (Packer's StepSSHKeyGen): uses ssh_private_key_file when set, else generates a key pair of
 *    temporary_key_pair_type / temporary_key_pair_bits, and stores both halves in the ssh config
 *    (ssh_private_key / ssh_public_key), from where StepConnect and the generated data take them;
 *  - StepCleanupTempKeys (Packer's commonsteps.StepCleanupTempKeys): with ssh_clear_authorized_keys, removes
 *    the lines ending in the temporary key pair name from ~/.ssh/authorized_keys and root's.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type * as Ssh2 from "ssh2";

// ssh2 is loaded on first use, so commands that never connect do not load it at start-up.
const loadSsh2 = (): typeof Ssh2 => createRequire(import.meta.url)("ssh2");

import {
  ErrorCode,
  errorMessage,
  KilnError,
  type Logger,
  noopLogger,
  type ProvisionState,
  runWithUi,
  type Step,
  type StepAction,
} from "../sdk/index.js";
import { type CommunicatorConfig, resolveUserPath } from "./config.js";
import { generateSshKeyPair, parseKeyPairType } from "./ssh/key-pair.js";

export interface StepSshKeyGenOptions {
  readonly config: CommunicatorConfig;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The comment of a generated public key; default temporary_key_pair_name. */
  readonly comment?: string;
}

export class StepSshKeyGen<S extends ProvisionState> implements Step<S> {
  readonly name = "StepSSHKeyGen";

  constructor(private readonly options: StepSshKeyGenOptions) {}

  async run(state: S, _signal: AbortSignal): Promise<StepAction> {
    const ssh = this.options.config.ssh;
    if (ssh.privateKeyFile !== "") {
      state.ui.say("Using existing SSH private key");
      try {
        const pem = await readFile(
          resolveUserPath(ssh.privateKeyFile, this.options.cwd, this.options.env),
          "utf8",
        );
        ssh.privateKey = pem;
        ssh.publicKey = publicKeyFromPrivate(pem);
      } catch (err) {
        state.error = new KilnError(ErrorCode.Communicator, errorMessage(err), { cause: err });
        return "halt";
      }
      return "continue";
    }
    const typeText = ssh.temporaryKeyPairType === "" ? "rsa" : ssh.temporaryKeyPairType;
    const type = parseKeyPairType(typeText);
    if (type === undefined) {
      state.error = new KilnError(
        ErrorCode.Communicator,
        `${typeText} does not belong to Algorithm values: possible algorithm types are \`dsa\` | \`ecdsa\` | \`ed25519\` | \`rsa\` ( the default )`,
      );
      return "halt";
    }
    state.ui.say(`Creating temporary ${type.toUpperCase()} SSH key for instance...`);
    try {
      const comment = this.options.comment ?? ssh.temporaryKeyPairName;
      const pair = await generateSshKeyPair({ type, bits: ssh.temporaryKeyPairBits, comment });
      ssh.privateKey = pair.privateKey;
      ssh.publicKey = `${pair.publicKey}\n`;
    } catch (err) {
      const e = new KilnError(
        ErrorCode.Communicator,
        `Error creating temporary SSH key: ${errorMessage(err)}`,
        { cause: err },
      );
      state.ui.error(e.message);
      state.error = e;
      return "halt";
    }
    return "continue";
  }
}

/** The authorized_keys line (`type base64\n`) of a private key. */
export function publicKeyFromPrivate(pem: string | Uint8Array): string {
  const parsed = loadSsh2().utils.parseKey(Buffer.from(pem));
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error) {
    throw new KilnError(
      ErrorCode.Communicator,
      `Error on parsing SSH private key: ${key?.message ?? "no key"}`,
    );
  }
  return `${key.type} ${key.getPublicSSH().toString("base64")}\n`;
}

export interface StepCleanupTempKeysOptions {
  readonly config: CommunicatorConfig;
  readonly log?: Logger;
}

export class StepCleanupTempKeys<S extends ProvisionState> implements Step<S> {
  readonly name = "StepCleanupTempKeys";

  constructor(private readonly options: StepCleanupTempKeysOptions) {}

  async run(state: S, signal: AbortSignal): Promise<StepAction> {
    const { config } = this.options;
    const log = this.options.log ?? noopLogger;
    if (!config.ssh.clearAuthorizedKeys || config.type !== "ssh" || config.ssh.temporaryKeyPairName === "") {
      return "continue";
    }
    const comm = state.communicator;
    if (comm === undefined) return "continue";
    state.ui.say("Trying to remove ephemeral keys from authorized_keys files");
    const name = config.ssh.temporaryKeyPairName;
    const commands = [
      [
        `sed -i.bak '/ ${name}$/d' ~/.ssh/authorized_keys; rm ~/.ssh/authorized_keys.bak`,
        "~/.ssh/authorized_keys",
      ],
      [
        `sudo sed -i.bak '/ ${name}$/d' /root/.ssh/authorized_keys; sudo rm /root/.ssh/authorized_keys.bak`,
        "/root/.ssh/authorized_keys",
      ],
    ] as const;
    for (const [command, file] of commands) {
      try {
        await runWithUi(comm, { command }, state.ui, signal);
      } catch (err) {
        log.log(`Error cleaning up ${file}; please clean up keys manually: ${errorMessage(err)}`);
      }
    }
    return "continue";
  }
}
