import { describe, expect, it } from "vitest";
import { formatValueHCL, nullVal, stringType, stringVal, unknownVal, type Value } from "../../value/index.js";
import { callFunction } from "../call.js";
import { FunctionError } from "../function.js";
import { makeRemoteFunctions, type SecretsClient } from "./remote.js";

function runWith(fns: ReturnType<typeof makeRemoteFunctions>, name: string, ...args: Value[]): string {
  const r = callFunction(fns[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);

describe("without a secrets client", () => {
  const fns = makeRemoteFunctions({ env: {} });
  const run = (name: string, ...args: Value[]) => runWith(fns, name, ...args);
  it("vault asks for VAULT_TOKEN first, as Packer does", () => {
    expect(run("vault", s("secret/data/foo"), s("bar"))).toBe(
      `Call to function "vault" failed: Must set VAULT_TOKEN env var in order to use vault template function.`,
    );
    const withToken = makeRemoteFunctions({ env: { VAULT_TOKEN: "t", VAULT_ADDR: "https://vault:8200" } });
    expect(runWith(withToken, "vault", s("secret/data/foo"), s("bar"))).toBe(
      `Call to function "vault" failed: Error reading vault secret: kiln has no Vault client configured (VAULT_ADDR=https://vault:8200).`,
    );
  });
  it("consul_key explains what is not configured", () => {
    expect(run("consul_key", s("foo/bar"))).toBe(
      `Call to function "consul_key" failed: error reading consul key: kiln has no Consul client configured (CONSUL_HTTP_ADDR is unset, so 127.0.0.1:8500 would be used).`,
    );
  });
  it("aws_secretsmanager checks the name, accepts a null key, and explains", () => {
    expect(run("aws_secretsmanager", s(""), s("bar"))).toBe(
      `Call to function "aws_secretsmanager" failed: At least one secret name must be provided.`,
    );
    expect(run("aws_secretsmanager_raw", s(""))).toBe(
      `Call to function "aws_secretsmanager_raw" failed: At least one secret name must be provided.`,
    );
    const msg = `failed: kiln has no AWS Secrets Manager client configured; no AWS credentials are set (AWS_ACCESS_KEY_ID, AWS_PROFILE or AWS_WEB_IDENTITY_TOKEN_FILE) and no region is set (AWS_REGION).`;
    expect(run("aws_secretsmanager", s("foo"), nullVal(stringType))).toBe(
      `Call to function "aws_secretsmanager" ${msg}`,
    );
    expect(run("aws_secretsmanager_raw", s("foo"))).toBe(`Call to function "aws_secretsmanager_raw" ${msg}`);
  });
  it("checks arity and nulls like Packer's signatures", () => {
    expect(run("vault", s("a"))).toBe("arity 1/2");
    expect(run("aws_secretsmanager", s("a"))).toBe("arity 1/2");
    expect(run("consul_key", nullVal(stringType))).toBe(
      `Invalid value for "key" parameter: argument must not be null.`,
    );
    expect(run("consul_key", unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("with a secrets client", () => {
  const seen: string[] = [];
  const client: SecretsClient = {
    vault: (path, key) => {
      seen.push(`vault ${path} ${key}`);
      return "v";
    },
    consulKey: (key) => {
      if (key === "missing") throw new FunctionError(`key does not exist at the given path: ${key}`);
      return "c";
    },
    awsSecret: (name, key) => `${name}:${key ?? "<only>"}`,
    awsSecretRaw: (name) => `raw:${name}`,
  };
  const fns = makeRemoteFunctions({ env: { VAULT_TOKEN: "t" }, client });
  const run = (name: string, ...args: Value[]) => runWith(fns, name, ...args);
  it("returns what the client reads", () => {
    expect(run("vault", s("secret/data/foo"), s("bar"))).toBe("v");
    expect(seen).toEqual(["vault secret/data/foo bar"]);
    expect(run("consul_key", s("k"))).toBe("c");
    expect(run("aws_secretsmanager", s("n"), s("k"))).toBe("n:k");
    expect(run("aws_secretsmanager", s("n"), nullVal(stringType))).toBe("n:<only>");
    expect(run("aws_secretsmanager", s("n"), s(""))).toBe("n:<only>");
    expect(run("aws_secretsmanager_raw", s("n"))).toBe("raw:n");
  });
  it("passes the client's errors through", () => {
    expect(run("consul_key", s("missing"))).toBe(
      `Call to function "consul_key" failed: key does not exist at the given path: missing.`,
    );
  });
});
