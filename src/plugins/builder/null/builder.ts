/**
 * The `null` builder: builds nothing. It connects to an existing machine with the configured communicator
 * (`none` runs only local provisioners such as shell-local) and runs the provisioners, which makes it the
 * usual way to test provisioners and post-processors.
 */
import {
  type CommunicatorConfig,
  communicatorConfigSpec,
  decodeCommunicatorConfig,
  StepConnect,
} from "../../../communicator/index.js";
import {
  type Artifact,
  type Builder,
  type BuilderPrepareResult,
  type BuilderRunContext,
  type BuildInfo,
  type ConfigSpec,
  type Hook,
  type ProvisionState,
  StepProvision,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import {
  decodePluginConfig,
  notPrepared,
  PACKER_CONFIG_SPEC,
} from "../../provisioner/shell-local/plugin-config.js";
import { NullArtifact } from "./artifact.js";

export const NULL_CONFIG_SPEC: ConfigSpec = { ...PACKER_CONFIG_SPEC, ...communicatorConfigSpec() };

/** Packer's communicator.Config.Host(), User() and Password(): the keys of the communicator in use. */
export function communicatorHost(config: CommunicatorConfig): string {
  if (config.type === "ssh") return config.ssh.host;
  if (config.type === "winrm") return config.winrm.host;
  return "";
}

function communicatorUser(config: CommunicatorConfig): string {
  if (config.type === "ssh") return config.ssh.username;
  if (config.type === "winrm") return config.winrm.username;
  return "";
}

function communicatorPassword(config: CommunicatorConfig): string {
  if (config.type === "ssh") return config.ssh.password;
  if (config.type === "winrm") return config.winrm.password;
  return "";
}

export class NullBuilder implements Builder {
  private comm: CommunicatorConfig | undefined;
  private info: BuildInfo | undefined;

  configSpec(): ConfigSpec {
    return NULL_CONFIG_SPEC;
  }

  prepare(config: Value, info: BuildInfo): BuilderPrepareResult {
    const { reader, failed } = decodePluginConfig(config, NULL_CONFIG_SPEC, info);
    if (failed) return { diagnostics: reader.diagnostics, generatedDataKeys: [] };
    const comm = decodeCommunicatorConfig(reader, { cwd: info.cwd, env: info.env });
    if (comm.type !== "none") {
      if (communicatorHost(comm) === "") {
        reader.error("a Host must be specified, please reference your communicator documentation");
      }
      if (communicatorUser(comm) === "") {
        reader.error("a Username must be specified, please reference your communicator documentation");
      }
      const password = communicatorPassword(comm);
      if (!comm.ssh.agentAuth && password === "" && comm.ssh.privateKeyFile === "") {
        reader.error(
          "one authentication method must be specified, please reference your communicator documentation",
        );
      }
      const sshPassword = comm.ssh.password;
      const keyFile = comm.ssh.privateKeyFile;
      if (
        (comm.ssh.agentAuth && (sshPassword !== "" || keyFile !== "")) ||
        (sshPassword !== "" && keyFile !== "")
      ) {
        reader.error("only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified");
      }
    }
    if (!reader.diagnostics.some((d) => d.severity === "error")) {
      this.comm = comm;
      this.info = info;
    }
    return { diagnostics: reader.diagnostics, generatedDataKeys: [] };
  }

  async run(
    ui: Ui,
    hook: Hook,
    signal: AbortSignal,
    context: BuilderRunContext,
  ): Promise<Artifact | undefined> {
    const comm = this.comm;
    const info = this.info;
    if (comm === undefined || info === undefined) throw notPrepared("null builder");
    const host = communicatorHost(comm);
    const state: ProvisionState = { hook, ui, instanceId: "Null", runUuid: info.runUuid };
    const steps = [
      new StepConnect<ProvisionState>({
        config: comm,
        cwd: info.cwd,
        env: info.env,
        host: () => host,
        log: context.log,
      }),
      new StepProvision<ProvisionState>({ log: context.log }),
    ];
    await context.runner.run(steps, state, ui, signal);
    if (state.error !== undefined) throw state.error;
    return new NullArtifact();
  }
}
