import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { valueFromNative } from "../hcl/index.js";
import { communicatorConfigSpec, decodeCommunicatorConfig, resolveUserPath } from "./config.js";
import { ConfigReader } from "./config-reader.js";
import { generateSshKeyPair } from "./ssh/key-pair.js";

function decode(config: Record<string, unknown>, cwd = "/") {
  const reader = new ConfigReader(valueFromNative(config));
  const value = decodeCommunicatorConfig(reader, { cwd, env: { HOME: "/home/me" } });
  return { value, errors: reader.diagnostics.map((d) => d.summary) };
}

describe("decodeCommunicatorConfig", () => {
  it("applies Packer's defaults", () => {
    const { value, errors } = decode({ ssh_username: "kiln" });
    expect(errors).toEqual([]);
    expect(value.type).toBe("ssh");
    expect(value.ssh.port).toBe(22);
    expect(value.ssh.timeout.toString()).toBe("5m0s");
    expect(value.ssh.handshakeAttempts).toBe(10);
    expect(value.ssh.keepAliveInterval.toString()).toBe("5s");
    expect(value.ssh.fileTransferMethod).toBe("scp");
    expect(value.pauseBeforeConnecting.isZero()).toBe(true);
    expect(value.winrm.port).toBe(5985);
    expect(value.winrm.timeout.toString()).toBe("30m0s");
  });

  it("keeps handshake attempts unlimited when only ssh_timeout is set, and honours ssh_wait_timeout", () => {
    expect(decode({ ssh_username: "u", ssh_timeout: "1m" }).value.ssh.handshakeAttempts).toBe(0);
    expect(decode({ ssh_username: "u", ssh_handshake_attempts: 3 }).value.ssh.timeout.isZero()).toBe(true);
    expect(decode({ ssh_username: "u", ssh_wait_timeout: "20s" }).value.ssh.timeout.toString()).toBe("20s");
  });

  it("reports Packer's validation errors", () => {
    const { errors } = decode({
      ssh_certificate_file: "c",
      ssh_bastion_host: "b",
      ssh_proxy_host: "p",
      ssh_file_transfer_method: "rsync",
      ssh_local_tunnels: ["8080"],
      ssh_remote_tunnels: ["x:localhost:80"],
    });
    expect(errors).toEqual([
      "ssh_private_key_file must be specified if ssh_certificate_file is specified",
      'An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".',
      "ssh_bastion_password, ssh_bastion_private_key_file or ssh_bastion_agent_auth must be specified",
      "ssh_file_transfer_method ('rsync') is invalid, valid methods: sftp, scp",
      "please specify either ssh_bastion_host or ssh_proxy_host, not both",
      "ssh_local_tunnels ('8080') is invalid: Error parsing tunnel '8080': [8080]",
      `ssh_remote_tunnels ('x:localhost:80') is invalid: Error parsing listening port, must be a valid port: strconv.Atoi: parsing "x": invalid syntax`,
    ]);
  });

  it("checks the private key file and lends it to the bastion", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-cfg-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const key = await generateSshKeyPair({ type: "ed25519" });
    writeFileSync(join(dir, "id"), key.privateKey);
    writeFileSync(join(dir, "bad"), "not a key");
    const ok = decode({ ssh_username: "u", ssh_private_key_file: "id", ssh_bastion_host: "b" }, dir);
    expect(ok.errors).toEqual([]);
    expect(ok.value.ssh.bastion).toMatchObject({ host: "b", port: 22, privateKeyFile: "id" });
    const bad = decode({ ssh_username: "u", ssh_private_key_file: "bad" }, dir);
    expect(bad.errors[0]).toMatch(/^ssh_private_key_file is invalid: Error on parsing /);
    const missing = decode({ ssh_username: "u", ssh_private_key_file: "nope" }, dir);
    expect(missing.errors[0]).toBe(
      `ssh_private_key_file is invalid: stat ${join(dir, "nope")}: no such file or directory`,
    );
  });

  it("accepts none, docker and builder-specific types and rejects others", () => {
    expect(decode({ communicator: "none" }).errors).toEqual([]);
    expect(decode({ communicator: "docker" }).errors).toEqual([]);
    expect(decode({ communicator: "winrm" }).errors).toEqual(["winrm_username must be specified."]);
    expect(decode({ communicator: "telnet" }).errors).toEqual(["Communicator type telnet is invalid"]);
  });

  it("has a schema with every §9.1 key", () => {
    const spec = communicatorConfigSpec();
    for (const key of [
      "ssh_host",
      "ssh_bastion_certificate_file",
      "ssh_local_tunnels",
      "temporary_key_pair_bits",
      "winrm_use_ntlm",
      "pause_before_connecting",
    ]) {
      expect(spec[key]).toBeDefined();
    }
    expect(Object.keys(spec)).toHaveLength(49);
  });

  it("expands ~ and resolves relative paths", () => {
    expect(resolveUserPath("~/.ssh/id", "/work", { HOME: "/home/me" })).toBe("/home/me/.ssh/id");
    expect(resolveUserPath("keys/id", "/work")).toBe("/work/keys/id");
    expect(resolveUserPath("/abs", "/work")).toBe("/abs");
  });
});
