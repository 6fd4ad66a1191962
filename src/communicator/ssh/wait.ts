/**
 * Waiting for SSH (Packer's StepConnectSSH.waitForSSH): try to connect every 5 seconds until it works, the
 * overall timeout (ssh_timeout) passes, or ssh_handshake_attempts authentication failures were seen (other
 * failures, like a refused connection while the machine boots, do not count). The error on giving up names
 * the last failure.
 */
import {
  cancelledError,
  errorMessage,
  isKilnError,
  KilnError,
  type Logger,
  noopLogger,
} from "../../sdk/index.js";
import { sleep } from "../retry.js";
import { SshCommunicator, type SshCommunicatorOptions } from "./communicator.js";
import { SshErrorCode } from "./connection.js";

export const SSH_TIMEOUT_CODE = "SSH_TIMEOUT";

export interface WaitForSshOptions {
  /** Give up after this long; 0 or absent: never (then handshakeAttempts should be set). */
  readonly timeoutMs?: number;
  /** Give up after this many authentication failures; 0 or absent: no limit. */
  readonly handshakeAttempts?: number;
  /** Pause between attempts; default 5 s, as Packer. */
  readonly retryDelayMs?: number;
  /** Extra pause after an authentication failure; default 2 s, as Packer. */
  readonly authRetryDelayMs?: number;
  readonly log?: Logger;
}

/**
 * Connects with the options `target()` gives (called before every attempt, so a builder can report a host
 * that changes while the machine boots).
 */
export async function waitForSsh(
  target: () => Promise<SshCommunicatorOptions>,
  options: WaitForSshOptions,
  signal: AbortSignal,
): Promise<SshCommunicator> {
  const log = options.log ?? noopLogger;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) throw cancelledError(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let lastError: unknown;
  let timedOut = false;
  const timer =
    options.timeoutMs && options.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new KilnError(SSH_TIMEOUT_CODE, "Timeout waiting for SSH."));
        }, options.timeoutMs)
      : undefined;
  const inner = controller.signal;
  let authFailures = 0;
  try {
    for (let first = true; ; first = false) {
      if (!first) await sleep(options.retryDelayMs ?? 5000, inner);
      let opts: SshCommunicatorOptions;
      try {
        opts = await target();
      } catch (err) {
        if (inner.aborted) throw err;
        lastError = err;
        log.log(`[DEBUG] Error getting SSH config: ${errorMessage(err)}`);
        continue;
      }
      log.log(`[INFO] Attempting SSH connection to ${opts.host}:${opts.port ?? 22}...`);
      try {
        return await SshCommunicator.connect(opts, inner);
      } catch (err) {
        if (inner.aborted) throw err;
        lastError = err;
        log.log(`[DEBUG] SSH handshake err: ${errorMessage(err)}`);
        if (isKilnError(err, SshErrorCode.Auth)) {
          authFailures++;
          log.log("[DEBUG] Detected authentication error. Increasing handshake attempts.");
          if (options.handshakeAttempts && authFailures >= options.handshakeAttempts) {
            throw new KilnError(
              SshErrorCode.Auth,
              `Packer experienced an authentication error when trying to connect via SSH. This can happen if your username/password are wrong. You may want to double-check your credentials as part of your debugging process. original error: ${err.message}`,
              {
                cause: err,
                ...(err.hint !== undefined ? { hint: err.hint } : {}),
                ...(err.data !== undefined ? { data: err.data } : {}),
              },
            );
          }
          await sleep(options.authRetryDelayMs ?? 2000, inner);
        }
      }
    }
  } catch (err) {
    if (timedOut) {
      throw new KilnError(
        SSH_TIMEOUT_CODE,
        lastError !== undefined
          ? `Timeout waiting for SSH. Last error: ${errorMessage(lastError)}`
          : "Timeout waiting for SSH.",
        {
          cause: lastError,
          hint: "Check that the machine is up and its SSH server is reachable, or raise ssh_timeout.",
        },
      );
    }
    if (signal.aborted) throw cancelledError(signal.reason);
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}
