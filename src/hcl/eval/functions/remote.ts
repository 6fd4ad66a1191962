/**
 * Packer's functions that read secrets from remote services: aws_secretsmanager(name, key),
 * aws_secretsmanager_raw(name), consul_key(key) and vault(path, key). The signatures, argument checks and
 * the messages Packer gives before it talks to a service are Packer's; the talking is delegated to a
 * SecretsClient, so a client for each service can be supplied without touching the functions.
 *
 * The default client talks to nothing: it says which service is not reachable from kiln and which of its
 * settings (VAULT_ADDR, CONSUL_HTTP_ADDR, AWS credentials and region) it found, so the user knows why.
 * Functions are evaluated synchronously, so a real client must answer synchronously too (for example from
 * values fetched before evaluation starts).
 */
import { stringType, stringVal } from "../../value/index.js";
import { FunctionError, type FunctionSpec } from "../function.js";

/** Reads secrets; each method returns the secret or throws FunctionError with the message to show. */
export interface SecretsClient {
  /** A Vault KV secret's field (KV v2 `data.data[key]` or KV v1 `data[key]`). */
  vault(path: string, key: string): string;
  /** A Consul KV value. */
  consulKey(key: string): string;
  /** A Secrets Manager secret: the field `key` of a JSON secret, or (key undefined) its only value. */
  awsSecret(name: string, key: string | undefined): string;
  /** A Secrets Manager secret's string, as stored. */
  awsSecretRaw(name: string): string;
}

export interface RemoteContext {
  /** The environment the functions see (Packer reads VAULT_TOKEN, VAULT_ADDR, CONSUL_HTTP_ADDR, AWS_*). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How secrets are read; defaults to a client that reports what is not configured. */
  readonly client?: SecretsClient;
}

/** The client used when none is configured: every read fails with an explanation. */
export function unconfiguredSecretsClient(env: Readonly<Record<string, string | undefined>>): SecretsClient {
  const setting = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v === "" ? `${name} is unset, so ${fallback} would be used` : `${name}=${v}`;
  };
  const aws = (): never => {
    const creds =
      env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE
        ? "credentials are set in the environment"
        : "no AWS credentials are set (AWS_ACCESS_KEY_ID, AWS_PROFILE or AWS_WEB_IDENTITY_TOKEN_FILE)";
    const region =
      env.AWS_REGION || env.AWS_DEFAULT_REGION ? "a region is set" : "no region is set (AWS_REGION)";
    throw new FunctionError(`kiln has no AWS Secrets Manager client configured; ${creds} and ${region}`);
  };
  return {
    vault: () => {
      throw new FunctionError(
        `Error reading vault secret: kiln has no Vault client configured (${setting("VAULT_ADDR", "https://127.0.0.1:8200")})`,
      );
    },
    consulKey: () => {
      throw new FunctionError(
        `error reading consul key: kiln has no Consul client configured (${setting("CONSUL_HTTP_ADDR", "127.0.0.1:8500")})`,
      );
    },
    awsSecret: aws,
    awsSecretRaw: aws,
  };
}

/** The remote secret functions. */
export function makeRemoteFunctions(ctx: RemoteContext): Record<string, FunctionSpec> {
  const client = ctx.client ?? unconfiguredSecretsClient(ctx.env);

  const vault: FunctionSpec = {
    description: "Reads a secret from HashiCorp Vault.",
    params: [
      { name: "path", type: stringType },
      { name: "key", type: stringType },
    ],
    type: () => stringType,
    impl: ([path, key]) => {
      if ((ctx.env.VAULT_TOKEN ?? "") === "") {
        throw new FunctionError("Must set VAULT_TOKEN env var in order to use vault template function");
      }
      return stringVal(client.vault(path!.asString(), key!.asString()));
    },
  };

  const consul_key: FunctionSpec = {
    description: "Reads a value from the HashiCorp Consul key-value store.",
    params: [{ name: "key", type: stringType }],
    type: () => stringType,
    impl: ([key]) => stringVal(client.consulKey(key!.asString())),
  };

  const requireName = (name: string) => {
    if (name.length === 0) throw new FunctionError("At least one secret name must be provided");
  };

  const aws_secretsmanager: FunctionSpec = {
    description: "Reads a secret from AWS Secrets Manager.",
    params: [
      { name: "name", type: stringType },
      { name: "key", type: stringType, allowNull: true },
    ],
    type: () => stringType,
    impl: ([name, key]) => {
      const n = name!.asString();
      requireName(n);
      const k = key!.isNull() ? undefined : key!.asString();
      return stringVal(client.awsSecret(n, k === "" ? undefined : k));
    },
  };

  const aws_secretsmanager_raw: FunctionSpec = {
    description: "Reads a secret from AWS Secrets Manager as stored.",
    params: [{ name: "name", type: stringType }],
    type: () => stringType,
    impl: ([name]) => {
      const n = name!.asString();
      requireName(n);
      return stringVal(client.awsSecretRaw(n));
    },
  };

  return { aws_secretsmanager, aws_secretsmanager_raw, consul_key, vault };
}
