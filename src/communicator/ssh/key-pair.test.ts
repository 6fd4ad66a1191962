import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { checkKeyPairBits, generateSshKeyPair, parseKeyPairType, type SshKeyPairType } from "./key-pair.js";

/** What OpenSSH derives from the private key: `type base64`. */
function opensshPublicKey(privateKey: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kiln-key-"));
  try {
    const file = join(dir, "id");
    writeFileSync(file, privateKey, { mode: 0o600 });
    return execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("generateSshKeyPair", () => {
  const cases: [SshKeyPairType, number, number, string][] = [
    ["rsa", 2048, 2048, "ssh-rsa"],
    ["ecdsa", 0, 521, "ecdsa-sha2-nistp521"],
    ["ecdsa", 256, 256, "ecdsa-sha2-nistp256"],
    ["ed25519", 0, 256, "ssh-ed25519"],
    ["dsa", 0, 1024, "ssh-dss"],
  ];
  for (const [type, bits, expectBits, prefix] of cases) {
    it(`makes ${type} ${expectBits} keys OpenSSH reads`, async () => {
      const pair = await generateSshKeyPair({ type, bits, comment: "packer_123" });
      expect(pair.bits).toBe(expectBits);
      expect(pair.publicKey.startsWith(`${prefix} `)).toBe(true);
      expect(pair.publicKey.endsWith(" packer_123")).toBe(true);
      const [t, b64] = pair.publicKey.split(" ");
      expect(opensshPublicKey(pair.privateKey).split(" ").slice(0, 2)).toEqual([t, b64]);
      if (type !== "dsa") {
        const parsed = ssh2.utils.parseKey(pair.privateKey);
        expect(parsed instanceof Error).toBe(false);
      }
    });
  }

  it("defaults to 4096-bit rsa", async () => {
    const pair = await generateSshKeyPair();
    expect(pair.type).toBe("rsa");
    expect(pair.bits).toBe(4096);
  });

  it("rejects sizes as sshkey does", async () => {
    expect(checkKeyPairBits("rsa", 512)).toBe("sshkey: invalid private key rsa size: must be more than 1024");
    expect(checkKeyPairBits("ecdsa", 224)).toBe(
      "sshkey: invalid private key ecdsa size, must be one of 256, 384 or 521",
    );
    expect(checkKeyPairBits("dsa", 4096)).toBe(
      "sshkey: invalid private key dsa size, must be one of 1024, 2048 or 3072",
    );
    expect(checkKeyPairBits("ed25519", 12)).toBeUndefined();
    await expect(generateSshKeyPair({ type: "rsa", bits: 512 })).rejects.toThrow(/must be more than 1024/);
    expect(parseKeyPairType("ECDSA")).toBe("ecdsa");
    expect(parseKeyPairType("x25519")).toBeUndefined();
  });
});
