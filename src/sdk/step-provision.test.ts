import { describe, expect, it } from "vitest";
import { basicArtifact } from "./artifact.js";
import { populateProvisionHookData } from "./step-provision.js";
import type { Ui } from "./ui.js";

const ui = {} as Ui;
const hook = { run: async () => {} };

describe("populateProvisionHookData", () => {
  it("fills the not-implemented sentinels", () => {
    expect(populateProvisionHookData({ hook, ui, generatedData: { Extra: "x" } })).toEqual({
      Extra: "x",
      ID: "ERR_ID_NOT_IMPLEMENTED_BY_BUILDER",
      PackerRunUUID: "",
      PackerHTTPIP: "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER",
      PackerHTTPPort: "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER",
      PackerHTTPAddr: "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER",
    });
  });

  it("adds the instance, HTTP server and connection data", () => {
    const data = populateProvisionHookData({
      hook,
      ui,
      instanceId: "abc123",
      runUuid: "u-1",
      httpIp: "10.0.2.2",
      httpPort: 8080,
      connection: { type: "ssh", host: "127.0.0.1", port: 2222, user: "root", sshAgentAuth: true },
    });
    expect(data).toMatchObject({
      ID: "abc123",
      PackerRunUUID: "u-1",
      PackerHTTPIP: "10.0.2.2",
      PackerHTTPPort: "8080",
      PackerHTTPAddr: "10.0.2.2:8080",
      Host: "127.0.0.1",
      Port: 2222,
      User: "root",
      Password: "",
      ConnType: "ssh",
      SSHAgentAuth: true,
      WinRMPassword: "",
    });
  });
});

describe("basicArtifact", () => {
  it("exposes its data and a default no-op destroy", async () => {
    const a = basicArtifact({
      builderId: "packer.file",
      id: "x",
      string: "Stored file: x",
      files: ["x"],
      state: { k: 1 },
    });
    expect([a.builderId(), a.id(), a.string(), a.files(), a.state("k"), a.state("toString")]).toEqual([
      "packer.file",
      "x",
      "Stored file: x",
      ["x"],
      1,
      undefined,
    ]);
    await a.destroy();
  });
});
