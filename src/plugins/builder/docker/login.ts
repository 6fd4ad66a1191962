/**
 * Registry login around a pull, build or push (the plugin's `login`/`ecr_login` handling): `Logging in...`,
 * the engine checks the credentials, the work runs with them, `Logging out...`. The engine keeps no login
 * state, so nothing is written to a docker config and nothing lingers after the build.
 */
import { ErrorCode, errorMessage, KilnError, type SecretFilter, type Ui } from "../../../sdk/index.js";
import type { Engine } from "./engine.js";
import type { LoginCredentials } from "./reference.js";

export interface LoginSettings {
  readonly login: boolean;
  readonly ecrLogin: boolean;
  readonly loginServer: string;
  readonly loginUsername: string;
  readonly loginPassword: string;
}

export interface LoginMessages {
  /** Wraps a login failure, e.g. `Error logging in: %s`. */
  readonly loginError: (message: string) => string;
  /** Wraps an ECR credentials failure. */
  readonly ecrError: (message: string) => string;
}

/**
 * Runs `work` with the credentials `settings` ask for (undefined when no login is configured). A failed login
 * rejects with a KilnError built from `messages`.
 */
export async function withLogin<T>(
  engine: Engine,
  settings: LoginSettings,
  ui: Ui,
  secrets: SecretFilter,
  messages: LoginMessages,
  signal: AbortSignal,
  work: (credentials: LoginCredentials | undefined) => Promise<T>,
): Promise<T> {
  if (settings.ecrLogin) {
    ui.message("Fetching ECR credentials...");
    throw new KilnError(
      ErrorCode.NotSupported,
      messages.ecrError("ECR login is not supported; the AWS SDK is not part of this build"),
      {
        hint: "Log in with `login = true` and `login_username`/`login_password` (an ECR token as the password).",
      },
    );
  }
  if (!settings.login) return work(undefined);
  if (settings.loginPassword !== "") secrets.add(settings.loginPassword);
  ui.message("Logging in...");
  let status: string;
  try {
    status = await engine.login(settings.loginServer, settings.loginUsername, settings.loginPassword, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    throw new KilnError(ErrorCode.Builder, messages.loginError(errorMessage(err)), { cause: err });
  }
  ui.message(status);
  try {
    return await work({
      server: settings.loginServer,
      username: settings.loginUsername,
      password: settings.loginPassword,
    });
  } finally {
    ui.message("Logging out...");
  }
}
