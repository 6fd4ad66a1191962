/**
 * Image references as the docker CLI reads them (distribution/reference's normalized names): which registry an
 * image lives on, its repository and tag, and the fully qualified form the CLI prints after a pull. Also the
 * registry credentials a pull or push sends (X-Registry-Auth): a `login` of the component, else the docker
 * CLI's config file (`auths` entries; credential helpers are not consulted).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DOCKER_HUB = "docker.io";
/** The key `docker login` stores Docker Hub credentials under. */
export const DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/";

export interface ParsedReference {
  /** `docker.io`, `127.0.0.1:5000`, `ghcr.io`. */
  readonly domain: string;
  /** The repository as written, without tag or digest (`kiln/app`, `127.0.0.1:5000/x/y`). */
  readonly repository: string;
  /** The repository with its domain and Docker Hub's `library/` made explicit. */
  readonly fullRepository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** Splits `name[:tag][@digest]` the way reference.ParseNormalizedNamed does (without validating). */
export function parseReference(ref: string): ParsedReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const domain = hasDomain ? first : DOCKER_HUB;
  let path = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  return { domain, repository: rest, fullRepository: `${domain}/${path}`, tag, digest };
}

/** The fully qualified reference the CLI prints after pulling (`docker.io/library/busybox:latest`). */
export function canonicalReference(ref: string): string {
  const p = parseReference(ref);
  if (p.digest !== undefined)
    return `${p.fullRepository}${p.tag !== undefined ? `:${p.tag}` : ""}@${p.digest}`;
  return `${p.fullRepository}:${p.tag ?? "latest"}`;
}

/** A registry address as a config key or login_server may spell it, reduced to `host[:port]`. */
export function registryHost(server: string): string {
  let s = server.trim().replace(/^[a-z]+:\/\//i, "");
  s = s.replace(/\/.*$/, "");
  if (s === "" || s === "index.docker.io" || s === "registry-1.docker.io") return DOCKER_HUB;
  return s;
}

/** The engine's AuthConfig. */
export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
}

export interface LoginCredentials {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/**
 * The credentials for the registry of `ref`: `login` when it is for that registry, else what the docker CLI's
 * config file (`$DOCKER_CONFIG/config.json`, `~/.docker/config.json`) holds for it, else none (`{}`: the engine
 * wants the header on every push).
 */
export function authFor(
  ref: string,
  login: LoginCredentials | undefined,
  env: Readonly<Record<string, string | undefined>>,
): AuthConfig {
  const domain = parseReference(ref).domain;
  if (login !== undefined && registryHost(login.server) === domain) {
    return {
      username: login.username,
      password: login.password,
      serveraddress: domain === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : login.server,
    };
  }
  return configFileAuth(domain, env) ?? {};
}

function configFileAuth(
  domain: string,
  env: Readonly<Record<string, string | undefined>>,
): AuthConfig | undefined {
  const dir = env.DOCKER_CONFIG || (env.HOME ? join(env.HOME, ".docker") : undefined);
  if (dir === undefined) return undefined;
  let parsed: { auths?: Record<string, { auth?: string; identitytoken?: string }> };
  try {
    parsed = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as typeof parsed;
  } catch {
    return undefined;
  }
  for (const [key, entry] of Object.entries(parsed.auths ?? {})) {
    if (registryHost(key) !== domain) continue;
    const out: AuthConfig = { serveraddress: key };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon >= 0) {
        out.username = decoded.slice(0, colon);
        out.password = decoded.slice(colon + 1);
      }
    }
    if (entry.identitytoken) out.identitytoken = entry.identitytoken;
    return out;
  }
  return undefined;
}
