/**
 * StepProvision (Packer's commonsteps.StepProvision): the step through which a builder runs the provisioners.
 * Its run() fires HOOK_PROVISION with the builder's generated data; its cleanup() fires
 * HOOK_CLEANUP_PROVISION (the error-cleanup-provisioner) when the build has failed. The step runner recognises
 * it by name for `-on-error=run-cleanup-provisioner`.
 */
import type { Communicator } from "./communicator.js";
import { errorMessage, KilnError } from "./errors.js";
import { type GeneratedData, HOOK_CLEANUP_PROVISION, HOOK_PROVISION, type Hook } from "./hook.js";
import { type Logger, noopLogger } from "./logger.js";
import type { Step, StepAction, StepState } from "./step.js";
import type { Ui } from "./ui.js";

export const STEP_PROVISION_NAME = "StepProvision";

export const ID_NOT_IMPLEMENTED = "ERR_ID_NOT_IMPLEMENTED_BY_BUILDER";
export const HTTP_IP_NOT_IMPLEMENTED = "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER";
export const HTTP_PORT_NOT_IMPLEMENTED = "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER";
export const HTTP_ADDR_NOT_IMPLEMENTED = "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER";

/** How the build connects to its machine, as far as generated data shows it (§5.1 Host, Port, User, ...). */
export interface ConnectionInfo {
  /** `ssh`, `winrm`, `docker`, `none`, ... */
  readonly type: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly sshPublicKey?: string;
  readonly sshPrivateKey?: string;
  readonly sshPrivateKeyFile?: string;
  readonly sshAgentAuth?: boolean;
  readonly winrmPassword?: string;
}

/** The state StepProvision reads and writes; a builder's state type extends it. */
export interface ProvisionState extends StepState {
  readonly hook: Hook;
  readonly ui: Ui;
  communicator?: Communicator;
  /** The builder's own generated data; replaced by the complete hook data when StepProvision runs. */
  generatedData?: Record<string, string | number | boolean>;
  /** The machine's id (container id, instance id): generated data `ID`. */
  instanceId?: string;
  httpIp?: string;
  httpPort?: number;
  connection?: ConnectionInfo;
  /** PACKER_RUN_UUID of the run (BuildInfo.runUuid). */
  runUuid?: string;
}

/** Packer's PopulateProvisionHookData: the builder's generated data plus the common keys. */
export function populateProvisionHookData(state: ProvisionState): Record<string, string | number | boolean> {
  const data: Record<string, string | number | boolean> = { ...(state.generatedData ?? {}) };
  data.ID = state.instanceId ?? ID_NOT_IMPLEMENTED;
  data.PackerRunUUID = state.runUuid ?? "";
  data.PackerHTTPIP = state.httpIp ?? HTTP_IP_NOT_IMPLEMENTED;
  data.PackerHTTPPort = state.httpPort !== undefined ? String(state.httpPort) : HTTP_PORT_NOT_IMPLEMENTED;
  data.PackerHTTPAddr =
    state.httpIp !== undefined && state.httpPort !== undefined
      ? `${state.httpIp}:${state.httpPort}`
      : HTTP_ADDR_NOT_IMPLEMENTED;
  const c = state.connection;
  if (c === undefined) return data;
  data.Host = c.host ?? "";
  data.Port = c.port ?? 0;
  data.User = c.user ?? "";
  data.Password = c.password ?? "";
  data.ConnType = c.type;
  data.SSHPublicKey = c.sshPublicKey ?? "";
  data.SSHPrivateKey = c.sshPrivateKey ?? "";
  data.SSHPrivateKeyFile = c.sshPrivateKeyFile ?? "";
  data.SSHAgentAuth = c.sshAgentAuth ?? false;
  data.WinRMPassword = c.winrmPassword ?? "";
  return data;
}

export interface StepProvisionOptions {
  /** The communicator to use; defaults to state.communicator. */
  readonly communicator?: Communicator;
  readonly log?: Logger;
}

export class StepProvision<S extends ProvisionState = ProvisionState> implements Step<S> {
  readonly name = STEP_PROVISION_NAME;
  private readonly log: Logger;

  constructor(private readonly options: StepProvisionOptions = {}) {
    this.log = options.log ?? noopLogger;
  }

  async run(state: S, signal: AbortSignal): Promise<StepAction> {
    const data = this.hookData(state);
    this.log.log("Running the provision hook");
    try {
      await state.hook.run(HOOK_PROVISION, state.ui, this.communicator(state), data, signal);
    } catch (err) {
      // A cancelled run halts without recording a failure, as Packer's step does (it stops waiting for the
      // hook when its context is done): the build then reports the interruption, not a provisioner error.
      if (signal.aborted) {
        this.log.log(`Cancelling provisioning due to context cancellation: ${errorMessage(err)}`);
        return "halt";
      }
      state.error = err;
      return "halt";
    }
    if (signal.aborted) {
      this.log.log("Cancelling provisioning due to context cancellation");
      return "halt";
    }
    return "continue";
  }

  async cleanup(state: S, signal: AbortSignal): Promise<void> {
    if (state.error === undefined) return;
    const data = this.hookData(state);
    state.ui.say("Provisioning step had errors: Running the cleanup provisioner, if present...");
    try {
      await state.hook.run(HOOK_CLEANUP_PROVISION, state.ui, this.communicator(state), data, signal);
    } catch (err) {
      const original = state.error;
      state.error = new KilnError(
        "CLEANUP_PROVISIONER",
        `Cleanup failed: ${errorMessage(err)}. Original Provisioning error: ${errorMessage(original)}`,
        { cause: err, data: { original } },
      );
    }
  }

  private communicator(state: S): Communicator | undefined {
    return this.options.communicator ?? state.communicator;
  }

  /** Computes the hook data and stores it as the state's generated data, for post-processors. */
  private hookData(state: S): GeneratedData {
    const data = populateProvisionHookData(state);
    state.generatedData = data;
    return data;
  }
}
