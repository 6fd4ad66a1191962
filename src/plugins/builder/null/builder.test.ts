import { describe, expect, it } from "vitest";
import { sshTarget } from "../../../../test/support/env.js";
import { createStepRunner } from "../../../core/index.js";
import { valueFromNative } from "../../../hcl/index.js";
import {
  type BuildInfo,
  type Communicator,
  type ConfigSpec,
  type GeneratedData,
  type PrepareResult,
  type Provisioner,
  runWithUi,
  type Ui,
} from "../../../sdk/index.js";
import { invalidExitCodeMessage } from "../../provisioner/shell-local/index.js";
import { ShellLocalProvisioner } from "../../provisioner/shell-local/provisioner.js";
import {
  ProvisionersHook,
  RecordingUi,
  testBuildInfo,
  testRunContext,
} from "../../provisioner/shell-local/test-support.js";
import { NullBuilder } from "./builder.js";

function errors(config: Record<string, unknown>, info: BuildInfo = testBuildInfo()): string[] {
  const b = new NullBuilder();
  return b.prepare(valueFromNative(config), info).diagnostics.map((d) => d.summary);
}

function runContext() {
  return { ...testRunContext(), runner: createStepRunner({ onError: "", debug: false }) };
}

/** A provisioner that runs one command through the communicator and shows its output. */
class CommandProvisioner implements Provisioner {
  constructor(private readonly command: string) {}
  configSpec(): ConfigSpec {
    return {};
  }
  prepare(): PrepareResult {
    return { diagnostics: [] };
  }
  async provision(ui: Ui, comm: Communicator, _data: GeneratedData, signal: AbortSignal): Promise<void> {
    const status = await runWithUi(comm, { command: this.command }, ui, signal);
    ui.say(`exit ${status}`);
  }
}

describe("null builder", () => {
  it("validates the communicator as Packer does", () => {
    expect(errors({})).toEqual([
      'An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".',
      "a Host must be specified, please reference your communicator documentation",
      "a Username must be specified, please reference your communicator documentation",
      "one authentication method must be specified, please reference your communicator documentation",
    ]);
    expect(errors({ ssh_host: "h", ssh_username: "u", ssh_password: "p", ssh_agent_auth: true })).toEqual([
      "only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified",
    ]);
    expect(errors({ communicator: "bogus" })).toEqual([
      "Communicator type bogus is invalid",
      "a Host must be specified, please reference your communicator documentation",
      "a Username must be specified, please reference your communicator documentation",
      "one authentication method must be specified, please reference your communicator documentation",
    ]);
    expect(errors({ communicator: "none" })).toEqual([]);
    expect(errors({ ssh_host: "h", ssh_username: "u", ssh_password: "p" })).toEqual([]);
  });

  it("declares no generated data of its own and accepts the communicator keys", () => {
    const b = new NullBuilder();
    expect(b.prepare(valueFromNative({ communicator: "none" }), testBuildInfo()).generatedDataKeys).toEqual(
      [],
    );
    const spec = b.configSpec();
    for (const key of [
      "communicator",
      "ssh_host",
      "ssh_private_key_file",
      "winrm_username",
      "packer_build_name",
    ]) {
      expect(spec[key]).toBeDefined();
    }
  });

  it("runs local provisioners with communicator none and returns the null artifact", async () => {
    const b = new NullBuilder();
    // A JSON template: generated data is reached with `build`.
    const info = testBuildInfo({ buildName: "n1", runUuid: "run-1", templatePath: "/t.json" });
    expect(b.prepare(valueFromNative({ communicator: "none" }), info).diagnostics).toEqual([]);
    const shell = new ShellLocalProvisioner();
    expect(
      shell.prepare(
        valueFromNative({
          inline: ["echo hi $PACKER_BUILD_NAME {{ build `ID` }} {{ build `PackerRunUUID` }}"],
        }),
        info,
      ).diagnostics,
    ).toEqual([]);
    const hook = new ProvisionersHook([shell]);
    const ui = new RecordingUi();
    const artifact = await b.run(ui, hook, new AbortController().signal, runContext());
    expect(ui.texts("message")).toEqual(["hi n1 Null run-1"]);
    expect(hook.seen[0]).toMatchObject({ ID: "Null", PackerRunUUID: "run-1" });
    expect(artifact?.builderId()).toBe("fnoeding.null");
    expect(artifact?.id()).toBe("Null");
    expect(artifact?.files()).toEqual([]);
    expect(artifact?.string()).toBe("Did not export anything. This is the null builder");
    expect(artifact?.state("generated_data")).toEqual({ ID: "Null" });
  });

  it("fails with the provisioner's error", async () => {
    const b = new NullBuilder();
    const info = testBuildInfo();
    b.prepare(valueFromNative({ communicator: "none" }), info);
    const shell = new ShellLocalProvisioner();
    shell.prepare(valueFromNative({ inline: ["exit 7"] }), info);
    const ui = new RecordingUi();
    await expect(
      b.run(ui, new ProvisionersHook([shell]), new AbortController().signal, runContext()),
    ).rejects.toThrow(invalidExitCodeMessage(7, [0]));
    expect(ui.texts("say")).toContain(
      "Provisioning step had errors: Running the cleanup provisioner, if present...",
    );
  });

  it("connects over SSH and provisions through the connection", async () => {
    const t = await sshTarget();
    const b = new NullBuilder();
    const config = {
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      ssh_private_key_file: t.privateKeyPath,
    };
    expect(b.prepare(valueFromNative(config), testBuildInfo()).diagnostics).toEqual([]);
    const ui = new RecordingUi();
    const hook = new ProvisionersHook([new CommandProvisioner("echo remote-$(id -un)")]);
    const artifact = await b.run(ui, hook, new AbortController().signal, runContext());
    expect(ui.texts("say")).toEqual([
      `Using ssh communicator to connect: ${t.host}`,
      "Waiting for SSH to become available...",
      "Connected to SSH!",
      "exit 0",
    ]);
    expect(ui.texts("message")).toEqual([`remote-${t.username}`]);
    expect(hook.seen[0]).toMatchObject({
      ID: "Null",
      Host: t.host,
      Port: t.port,
      User: t.username,
      ConnType: "ssh",
    });
    expect(artifact?.id()).toBe("Null");
  });
});
