import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { certifiedKey, createAuth, expandUser, parsePrivateKey } from "./auth.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-auth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keygen(name: string, ...args: string[]): string {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, name), ...args]);
  return join(dir, name);
}

describe("keys", () => {
  it("refuses passphrase-protected keys with Packer's advice", () => {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", join(dir, "locked")]);
    expect(() => parsePrivateKey(readFileSync(join(dir, "locked")), "locked")).toThrow(
      "Failed to read key 'locked': password protected keys are\nnot supported. Please decrypt the key prior to use.",
    );
    expect(() => parsePrivateKey("garbage")).toThrow(/^Error on parsing SSH private key: /);
  });

  it("accepts a certificate only for its own key", () => {
    const ca = keygen("ca");
    const user = keygen("user");
    const other = keygen("other");
    execFileSync("ssh-keygen", ["-q", "-s", ca, "-I", "id", "-n", "kiln", `${user}.pub`]);
    const cert = readFileSync(`${user}-cert.pub`);
    const key = certifiedKey(parsePrivateKey(readFileSync(user)), cert);
    expect(key.type).toBe("ssh-ed25519-cert-v01@openssh.com");
    expect(key.getPublicSSH().equals(Buffer.from(cert.toString().split(" ")[1]!, "base64"))).toBe(true);
    expect(() => certifiedKey(parsePrivateKey(readFileSync(other)), cert)).toThrow(
      "failed to create cert signer: public key and private key don't match",
    );
    expect(() => certifiedKey(parsePrivateKey(readFileSync(other)), "ssh-foo AAAA")).toThrow(
      /unsupported certificate type/,
    );
  });

  it("expands ~ from HOME", () => {
    expect(expandUser("~/k", { HOME: "/h" })).toBe("/h/k");
    expect(expandUser("~", { HOME: "/h" })).toBe("/h");
    expect(expandUser("~other/k", { HOME: "/h" })).toBe("~other/k");
  });
});

describe("createAuth", () => {
  it("offers agent, keys, then password and keyboard-interactive, skipping what the server refuses", () => {
    const key = readFileSync(keygen("k1"));
    const auth = createAuth({ username: "u", agentSocket: "/tmp/agent", privateKeys: [key], password: "pw" });
    const offered: string[] = [];
    const next = (methodsLeft: string[] | null): void =>
      auth.handler(methodsLeft as never, false, (m) => {
        offered.push(typeof m === "object" && m !== null ? m.type : String(m));
      });
    next(null);
    next(["publickey", "password"]);
    next(["password"]);
    next(["password"]);
    expect(offered).toEqual(["agent", "publickey", "password", "false"]);
    expect(auth.attempted).toEqual(["publickey", "password"]);
    expect(auth.allowed).toEqual(["password"]);
  });
});
