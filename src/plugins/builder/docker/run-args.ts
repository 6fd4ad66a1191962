/**
 * `docker run` arguments (Packer's run_command, after the builder's own `--device`, `--cap-add`, `-v` ...
 * flags) turned into an Engine API container create request, as the docker CLI does: pflag parsing (long flags
 * with `=` or a separate value, grouped short flags, `--` ends the flags, the first positional argument is the
 * image and the rest its command), the CLI's value syntaxes (sizes, ports, mounts, ulimits, restart policies)
 * and its error texts (`unknown flag: --foo`). The container always starts detached: the builder talks to it
 * through exec, never through its main process.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parseDuration } from "../../../sdk/index.js";

/** What the create call needs beyond the body. */
export interface RunSpec {
  /** The create request body (Config with HostConfig and NetworkingConfig). */
  readonly body: CreateBody;
  readonly image: string;
  /** `--name`. */
  readonly name?: string;
  /** `--platform`. */
  readonly platform?: string;
  /** `--pull`: when to pull the image (default: when missing). */
  readonly pull: "missing" | "always" | "never";
  /** `--cidfile`: where to write the container id. */
  readonly cidfile?: string;
}

export type ParseRunArgsResult = { readonly spec: RunSpec } | { readonly error: string };

export interface RunArgsContext {
  /** The environment `-e NAME` (without a value) reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (`--env-file`, `-v ./dir:/x`) resolve against. */
  readonly cwd: string;
}

type Json = Record<string, unknown>;

/** The container create body, loosely typed: the Engine API's ContainerConfig plus HostConfig. */
export interface CreateBody extends Json {
  Image: string;
  HostConfig: Json;
}

interface State {
  readonly config: CreateBody;
  readonly host: Json;
  readonly ctx: RunArgsContext;
  network: string;
  aliases: string[];
  ipv4?: string;
  ipv6?: string;
  name?: string;
  platform?: string;
  pull: "missing" | "always" | "never";
  cidfile?: string;
  entrypointSet: boolean;
  health: Json;
}

type Kind = "bool" | "string";

interface Flag {
  readonly kind: Kind;
  readonly short?: string;
  /** Applies one value (for bool flags: "true" or "false"); returns an error text or undefined. */
  readonly apply: (s: State, value: string, name: string) => string | undefined;
}

class FlagError extends Error {}

// --- value helpers ---------------------------------------------------------------------------------------

function list(s: State, key: string, target: Json = s.host): unknown[] {
  const current = target[key];
  if (Array.isArray(current)) return current;
  const created: unknown[] = [];
  target[key] = created;
  return created;
}

function map(target: Json, key: string): Json {
  const current = target[key];
  if (current !== null && typeof current === "object" && !Array.isArray(current)) return current as Json;
  const created: Json = {};
  target[key] = created;
  return created;
}

const UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** go-units RAMInBytes: `512m`, `1.5g`, `1024` (binary multiples). */
export function ramInBytes(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (m === null) return undefined;
  const n = Number.parseFloat(m[1]!);
  const unit = m[2] ? UNITS[m[2].toLowerCase()]! : 1;
  return Math.trunc(n * unit);
}

function size(key: string, flag: string) {
  return (s: State, v: string): string | undefined => {
    if (flag === "memory-swap" && v === "-1") {
      s.host[key] = -1;
      return undefined;
    }
    const n = ramInBytes(v);
    if (n === undefined) return `invalid argument "${v}" for "--${flag}" flag: invalid size: '${v}'`;
    s.host[key] = n;
    return undefined;
  };
}

function int(key: string, flag: string, target: "host" | "config" = "host") {
  return (s: State, v: string): string | undefined => {
    if (!/^[-+]?\d+$/.test(v))
      return `invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`;
    (target === "host" ? s.host : s.config)[key] = Number.parseInt(v, 10);
    return undefined;
  };
}

function str(key: string, target: "host" | "config" = "host") {
  return (s: State, v: string): undefined => {
    (target === "host" ? s.host : s.config)[key] = v;
    return undefined;
  };
}

function push(key: string, target: "host" | "config" = "host") {
  return (s: State, v: string): undefined => {
    list(s, key, target === "host" ? s.host : s.config).push(v);
    return undefined;
  };
}

function bool(key: string, target: "host" | "config" = "host") {
  return (s: State, v: string): undefined => {
    (target === "host" ? s.host : s.config)[key] = v === "true";
    return undefined;
  };
}

function keyValue(key: string, target: "host" | "config", flag: string) {
  return (s: State, v: string): string | undefined => {
    const eq = v.indexOf("=");
    if (eq <= 0) return `invalid argument "${v}" for "--${flag}" flag: invalid key=value: ${v}`;
    map(target === "host" ? s.host : s.config, key)[v.slice(0, eq)] = v.slice(eq + 1);
    return undefined;
  };
}

function readLines(s: State, file: string, flag: string): string[] {
  const path = isAbsolute(file) ? file : resolve(s.ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FlagError(
      `open ${file}: ${code === "ENOENT" ? "no such file or directory" : String(code ?? err)} (--${flag})`,
    );
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s+/, ""))
    .filter((l) => l !== "" && !l.startsWith("#"));
}

function addEnv(s: State, v: string): undefined {
  if (v.includes("=")) list(s, "Env", s.config).push(v);
  else if (s.ctx.env[v] !== undefined) list(s, "Env", s.config).push(`${v}=${s.ctx.env[v]}`);
  return undefined;
}

function addLabel(s: State, v: string): undefined {
  const eq = v.indexOf("=");
  map(s.config, "Labels")[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? "" : v.slice(eq + 1);
  return undefined;
}

/** Relative and `~` bind sources become absolute (the CLI resolves relative ones since 23.0). */
function bindSource(s: State, source: string): string {
  if (source === "~" || source.startsWith("~/")) return (s.ctx.env.HOME ?? "/root") + source.slice(1);
  if (source === "." || source.startsWith("./") || source.startsWith("../") || source === "..") {
    return resolve(s.ctx.cwd, source);
  }
  return source;
}

function addVolume(s: State, v: string): string | undefined {
  if (v === "") return `invalid argument "" for "-v, --volume" flag: invalid empty volume spec`;
  const parts = v.split(":");
  if (parts.length === 1) {
    map(s.config, "Volumes")[v] = {};
    return undefined;
  }
  parts[0] = bindSource(s, parts[0]!);
  list(s, "Binds").push(parts.join(":"));
  return undefined;
}

function addMount(s: State, v: string): string | undefined {
  const mount: Json = { Type: "volume" };
  const bind: Json = {};
  const volume: Json = {};
  const tmpfs: Json = {};
  for (const field of splitCsv(v)) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    switch (key) {
      case "type":
        mount.Type = value;
        break;
      case "source":
      case "src":
        mount.Source = value;
        break;
      case "target":
      case "dst":
      case "destination":
        mount.Target = value;
        break;
      case "readonly":
      case "ro":
        mount.ReadOnly = value === undefined || value === "1" || value === "true";
        break;
      case "consistency":
        mount.Consistency = value;
        break;
      case "bind-propagation":
        bind.Propagation = value;
        break;
      case "bind-nonrecursive":
        bind.NonRecursive = value === undefined || value === "true" || value === "1";
        break;
      case "volume-nocopy":
        volume.NoCopy = value === undefined || value === "true" || value === "1";
        break;
      case "volume-driver":
        volume.DriverConfig = { ...(volume.DriverConfig as Json | undefined), Name: value };
        break;
      case "volume-label": {
        const [k, ...rest] = (value ?? "").split("=");
        volume.Labels = { ...(volume.Labels as Json | undefined), [k!]: rest.join("=") };
        break;
      }
      case "volume-opt": {
        const [k, ...rest] = (value ?? "").split("=");
        const driver = (volume.DriverConfig as Json | undefined) ?? {};
        volume.DriverConfig = {
          ...driver,
          Options: { ...(driver.Options as Json | undefined), [k!]: rest.join("=") },
        };
        break;
      }
      case "tmpfs-size": {
        const n = ramInBytes(value ?? "");
        if (n === undefined)
          return `invalid argument "${v}" for "--mount" flag: invalid value for ${key}: ${value}`;
        tmpfs.SizeBytes = n;
        break;
      }
      case "tmpfs-mode":
        tmpfs.Mode = Number.parseInt(value ?? "", 8);
        break;
      default:
        return `invalid argument "${v}" for "--mount" flag: unexpected key '${key}' in '${field}'`;
    }
  }
  if (mount.Target === undefined) return `invalid argument "${v}" for "--mount" flag: target is required`;
  if (mount.Type === "bind" && typeof mount.Source === "string") mount.Source = bindSource(s, mount.Source);
  if (Object.keys(bind).length > 0) mount.BindOptions = bind;
  if (Object.keys(volume).length > 0) mount.VolumeOptions = volume;
  if (Object.keys(tmpfs).length > 0) mount.TmpfsOptions = tmpfs;
  list(s, "Mounts").push(mount);
  return undefined;
}

/** encoding/csv fields of one line (quotes group commas). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function addPublish(s: State, v: string): string | undefined {
  const m = /^(?:(?:(\[[^\]]*\]|[^:]*):)?([0-9-]*):)?([0-9]+(?:-[0-9]+)?)(?:\/(tcp|udp|sctp))?$/.exec(v);
  if (m === null) return `invalid argument "${v}" for "-p, --publish" flag: Invalid containerPort: ${v}`;
  const hostIp = (m[1] ?? "").replace(/^\[|\]$/g, "");
  const hostPort = m[2] ?? "";
  const containerPort = m[3]!;
  const proto = m[4] ?? "tcp";
  const ports = expandRange(containerPort);
  const hostPorts = hostPort === "" ? ports.map(() => "") : expandRange(hostPort);
  if (hostPorts.length !== ports.length && hostPorts.length !== 1) {
    return `invalid argument "${v}" for "-p, --publish" flag: Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`;
  }
  ports.forEach((p, i) => {
    const key = `${p}/${proto}`;
    map(s.config, "ExposedPorts")[key] = {};
    const bindings = map(s.host, "PortBindings");
    const existing = (bindings[key] as unknown[] | undefined) ?? [];
    existing.push({ HostIp: hostIp, HostPort: hostPorts.length === 1 ? hostPorts[0] : hostPorts[i] });
    bindings[key] = existing;
  });
  return undefined;
}

function expandRange(range: string): string[] {
  const [a, b] = range.split("-");
  if (b === undefined) return [a!];
  const out: string[] = [];
  for (let p = Number(a); p <= Number(b); p++) out.push(String(p));
  return out;
}

function addExpose(s: State, v: string): string | undefined {
  const m = /^([0-9]+(?:-[0-9]+)?)(?:\/(tcp|udp|sctp))?$/.exec(v);
  if (m === null)
    return `invalid argument "${v}" for "--expose" flag: invalid range format for --expose: ${v}`;
  for (const p of expandRange(m[1]!)) map(s.config, "ExposedPorts")[`${p}/${m[2] ?? "tcp"}`] = {};
  return undefined;
}

function addDevice(s: State, v: string): string | undefined {
  const parts = v.split(":");
  let permissions = "rwm";
  let inContainer = parts[0]!;
  if (parts.length === 3) {
    inContainer = parts[1]!;
    permissions = parts[2]!;
  } else if (parts.length === 2) {
    if (/^[rwm]+$/.test(parts[1]!)) permissions = parts[1]!;
    else inContainer = parts[1]!;
  } else if (parts.length > 3) {
    return `invalid argument "${v}" for "--device" flag: invalid device specification: ${v}`;
  }
  list(s, "Devices").push({
    PathOnHost: parts[0],
    PathInContainer: inContainer,
    CgroupPermissions: permissions,
  });
  return undefined;
}

function addTmpfs(s: State, v: string): undefined {
  const colon = v.indexOf(":");
  map(s.host, "Tmpfs")[colon < 0 ? v : v.slice(0, colon)] = colon < 0 ? "" : v.slice(colon + 1);
  return undefined;
}

function addUlimit(s: State, v: string): string | undefined {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
  if (m === null) return `invalid argument "${v}" for "--ulimit" flag: invalid ulimit argument: ${v}`;
  const soft = Number(m[2]);
  list(s, "Ulimits").push({ Name: m[1], Soft: soft, Hard: m[3] !== undefined ? Number(m[3]) : soft });
  return undefined;
}

function setRestart(s: State, v: string): string | undefined {
  const [name, count] = v.split(":");
  if (!["no", "always", "unless-stopped", "on-failure", ""].includes(name!)) {
    return `invalid argument "${v}" for "--restart" flag: invalid restart policy ${name}`;
  }
  s.host.RestartPolicy = {
    Name: name === "no" ? "" : name,
    ...(count !== undefined ? { MaximumRetryCount: Number(count) } : {}),
  };
  return undefined;
}

function addSecurityOpt(s: State, v: string): string | undefined {
  // The CLI sends a seccomp profile's contents, not its path.
  const m = /^seccomp[=:](.*)$/.exec(v);
  if (m !== null && m[1] !== "unconfined" && m[1] !== "builtin") {
    const path = isAbsolute(m[1]!) ? m[1]! : resolve(s.ctx.cwd, m[1]!);
    try {
      list(s, "SecurityOpt").push(`seccomp=${readFileSync(path, "utf8")}`);
    } catch {
      return `invalid argument "${v}" for "--security-opt" flag: opening seccomp profile (${m[1]}) failed`;
    }
    return undefined;
  }
  list(s, "SecurityOpt").push(v.replace(/^([a-z-]+):/, "$1="));
  return undefined;
}

function duration(key: string, flag: string) {
  return (s: State, v: string): string | undefined => {
    const d = parseDuration(v);
    if (!d.ok) return `invalid argument "${v}" for "--${flag}" flag: ${d.error}`;
    s.health[key] = Number(d.value.nanoseconds);
    return undefined;
  };
}

const ignore = (): undefined => undefined;

const FLAGS: Record<string, Flag> = {
  "add-host": { kind: "string", apply: push("ExtraHosts") },
  attach: { kind: "string", short: "a", apply: ignore },
  "blkio-weight": { kind: "string", apply: int("BlkioWeight", "blkio-weight") },
  "cap-add": { kind: "string", apply: push("CapAdd") },
  "cap-drop": { kind: "string", apply: push("CapDrop") },
  "cgroup-parent": { kind: "string", apply: str("CgroupParent") },
  cgroupns: { kind: "string", apply: str("CgroupnsMode") },
  cidfile: {
    kind: "string",
    apply: (s, v) => {
      s.cidfile = v;
      return undefined;
    },
  },
  "cpu-period": { kind: "string", apply: int("CpuPeriod", "cpu-period") },
  "cpu-quota": { kind: "string", apply: int("CpuQuota", "cpu-quota") },
  "cpu-rt-period": { kind: "string", apply: int("CpuRealtimePeriod", "cpu-rt-period") },
  "cpu-rt-runtime": { kind: "string", apply: int("CpuRealtimeRuntime", "cpu-rt-runtime") },
  "cpu-shares": { kind: "string", short: "c", apply: int("CpuShares", "cpu-shares") },
  cpus: {
    kind: "string",
    apply: (s, v) => {
      const n = Number(v);
      if (v.trim() === "" || !Number.isFinite(n))
        return `invalid argument "${v}" for "--cpus" flag: failed to parse ${v} as a rational number`;
      s.host.NanoCpus = Math.round(n * 1e9);
      return undefined;
    },
  },
  "cpuset-cpus": { kind: "string", apply: str("CpusetCpus") },
  "cpuset-mems": { kind: "string", apply: str("CpusetMems") },
  detach: { kind: "bool", short: "d", apply: ignore },
  "detach-keys": { kind: "string", apply: ignore },
  device: { kind: "string", apply: addDevice },
  "device-cgroup-rule": { kind: "string", apply: push("DeviceCgroupRules") },
  "disable-content-trust": { kind: "bool", apply: ignore },
  dns: { kind: "string", apply: push("Dns") },
  "dns-opt": { kind: "string", apply: push("DnsOptions") },
  "dns-option": { kind: "string", apply: push("DnsOptions") },
  "dns-search": { kind: "string", apply: push("DnsSearch") },
  domainname: { kind: "string", apply: str("Domainname", "config") },
  entrypoint: {
    kind: "string",
    apply: (s, v) => {
      s.entrypointSet = true;
      s.config.Entrypoint = [v];
      return undefined;
    },
  },
  env: { kind: "string", short: "e", apply: addEnv },
  "env-file": {
    kind: "string",
    apply: (s, v) => {
      for (const line of readLines(s, v, "env-file")) addEnv(s, line);
      return undefined;
    },
  },
  expose: { kind: "string", apply: addExpose },
  "group-add": { kind: "string", apply: push("GroupAdd") },
  "health-cmd": {
    kind: "string",
    apply: (s, v) => {
      s.health.Test = ["CMD-SHELL", v];
      return undefined;
    },
  },
  "health-interval": { kind: "string", apply: duration("Interval", "health-interval") },
  "health-retries": {
    kind: "string",
    apply: (s, v) => {
      s.health.Retries = Number.parseInt(v, 10);
      return undefined;
    },
  },
  "health-start-period": { kind: "string", apply: duration("StartPeriod", "health-start-period") },
  "health-timeout": { kind: "string", apply: duration("Timeout", "health-timeout") },
  hostname: { kind: "string", short: "h", apply: str("Hostname", "config") },
  init: { kind: "bool", apply: bool("Init") },
  interactive: { kind: "bool", short: "i", apply: bool("OpenStdin", "config") },
  ip: {
    kind: "string",
    apply: (s, v) => {
      s.ipv4 = v;
      return undefined;
    },
  },
  ip6: {
    kind: "string",
    apply: (s, v) => {
      s.ipv6 = v;
      return undefined;
    },
  },
  ipc: { kind: "string", apply: str("IpcMode") },
  isolation: { kind: "string", apply: str("Isolation") },
  "kernel-memory": { kind: "string", apply: size("KernelMemory", "kernel-memory") },
  label: { kind: "string", short: "l", apply: addLabel },
  "label-file": {
    kind: "string",
    apply: (s, v) => {
      for (const line of readLines(s, v, "label-file")) addLabel(s, line);
      return undefined;
    },
  },
  link: { kind: "string", apply: push("Links") },
  "log-driver": {
    kind: "string",
    apply: (s, v) => {
      map(s.host, "LogConfig").Type = v;
      return undefined;
    },
  },
  "log-opt": {
    kind: "string",
    apply: (s, v) => {
      const eq = v.indexOf("=");
      if (eq <= 0) return `invalid argument "${v}" for "--log-opt" flag: invalid key=value: ${v}`;
      map(map(s.host, "LogConfig"), "Config")[v.slice(0, eq)] = v.slice(eq + 1);
      return undefined;
    },
  },
  "mac-address": { kind: "string", apply: str("MacAddress", "config") },
  memory: { kind: "string", short: "m", apply: size("Memory", "memory") },
  "memory-reservation": { kind: "string", apply: size("MemoryReservation", "memory-reservation") },
  "memory-swap": { kind: "string", apply: size("MemorySwap", "memory-swap") },
  "memory-swappiness": { kind: "string", apply: int("MemorySwappiness", "memory-swappiness") },
  mount: { kind: "string", apply: addMount },
  name: {
    kind: "string",
    apply: (s, v) => {
      s.name = v;
      return undefined;
    },
  },
  network: {
    kind: "string",
    apply: (s, v) => {
      s.network = v;
      return undefined;
    },
  },
  "network-alias": {
    kind: "string",
    apply: (s, v) => {
      s.aliases.push(v);
      return undefined;
    },
  },
  "no-healthcheck": {
    kind: "bool",
    apply: (s, v) => {
      if (v === "true") s.health.Test = ["NONE"];
      return undefined;
    },
  },
  "oom-kill-disable": { kind: "bool", apply: bool("OomKillDisable") },
  "oom-score-adj": { kind: "string", apply: int("OomScoreAdj", "oom-score-adj") },
  pid: { kind: "string", apply: str("PidMode") },
  "pids-limit": { kind: "string", apply: int("PidsLimit", "pids-limit") },
  platform: {
    kind: "string",
    apply: (s, v) => {
      s.platform = v;
      return undefined;
    },
  },
  privileged: { kind: "bool", apply: bool("Privileged") },
  publish: { kind: "string", short: "p", apply: addPublish },
  "publish-all": { kind: "bool", short: "P", apply: bool("PublishAllPorts") },
  pull: {
    kind: "string",
    apply: (s, v) => {
      if (v !== "missing" && v !== "always" && v !== "never") {
        return `invalid pull option: '${v}': must be one of "always", "missing" or "never"`;
      }
      s.pull = v;
      return undefined;
    },
  },
  quiet: { kind: "bool", short: "q", apply: ignore },
  "read-only": { kind: "bool", apply: bool("ReadonlyRootfs") },
  restart: { kind: "string", apply: setRestart },
  rm: { kind: "bool", apply: bool("AutoRemove") },
  runtime: { kind: "string", apply: str("Runtime") },
  "security-opt": { kind: "string", apply: addSecurityOpt },
  "shm-size": { kind: "string", apply: size("ShmSize", "shm-size") },
  "sig-proxy": { kind: "bool", apply: ignore },
  "stop-signal": { kind: "string", apply: str("StopSignal", "config") },
  "stop-timeout": { kind: "string", apply: int("StopTimeout", "stop-timeout", "config") },
  "storage-opt": { kind: "string", apply: keyValue("StorageOpt", "host", "storage-opt") },
  sysctl: { kind: "string", apply: keyValue("Sysctls", "host", "sysctl") },
  tmpfs: { kind: "string", apply: addTmpfs },
  tty: { kind: "bool", short: "t", apply: bool("Tty", "config") },
  ulimit: { kind: "string", apply: addUlimit },
  user: { kind: "string", short: "u", apply: str("User", "config") },
  userns: { kind: "string", apply: str("UsernsMode") },
  uts: { kind: "string", apply: str("UTSMode") },
  volume: { kind: "string", short: "v", apply: addVolume },
  "volume-driver": { kind: "string", apply: str("VolumeDriver") },
  "volumes-from": { kind: "string", apply: push("VolumesFrom") },
  workdir: { kind: "string", short: "w", apply: str("WorkingDir", "config") },
};

const ALIASES: Record<string, string> = { net: "network", "net-alias": "network-alias" };

const SHORT: Record<string, string> = Object.fromEntries(
  Object.entries(FLAGS)
    .filter(([, f]) => f.short !== undefined)
    .map(([name, f]) => [f.short!, name]),
);

const USAGE = "See 'docker run --help'.";

/** Go's strconv.ParseBool. */
function parseBool(v: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

function flagLabel(name: string): string {
  const f = FLAGS[name]!;
  return f.short !== undefined ? `-${f.short}, --${name}` : `--${name}`;
}

/** Parses `docker run` arguments (without `run` itself). */
export function parseRunArgs(args: readonly string[], ctx: RunArgsContext): ParseRunArgsResult {
  const s: State = {
    config: { Image: "", HostConfig: {} },
    host: {},
    ctx,
    network: "default",
    aliases: [],
    pull: "missing",
    entrypointSet: false,
    health: {},
  };
  (s.config as Json).HostConfig = s.host;

  const set = (name: string, value: string): void => {
    const flag = FLAGS[name]!;
    if (flag.kind === "bool") {
      const b = parseBool(value);
      if (b === undefined) {
        throw new FlagError(
          `invalid argument "${value}" for "${flagLabel(name)}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
        );
      }
      value = String(b);
    }
    const problem = flag.apply(s, value, name);
    if (problem !== undefined) throw new FlagError(problem);
  };

  let i = 0;
  let positional: string[] = [];
  try {
    while (i < args.length) {
      const arg = args[i]!;
      if (arg === "--") {
        positional = args.slice(i + 1);
        break;
      }
      if (arg.startsWith("--")) {
        const eq = arg.indexOf("=");
        let name = arg.slice(2, eq < 0 ? undefined : eq);
        name = ALIASES[name] ?? name;
        const flag = FLAGS[name];
        if (flag === undefined || name === "")
          throw new FlagError(`unknown flag: --${arg.slice(2, eq < 0 ? undefined : eq)}`);
        if (eq >= 0) set(name, arg.slice(eq + 1));
        else if (flag.kind === "bool") set(name, "true");
        else {
          if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: --${name}`);
          set(name, args[++i]!);
        }
        i++;
        continue;
      }
      if (arg.startsWith("-") && arg.length > 1) {
        let rest = arg.slice(1);
        while (rest !== "") {
          const c = rest[0]!;
          const name = SHORT[c];
          if (name === undefined) throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
          const flag = FLAGS[name]!;
          rest = rest.slice(1);
          if (flag.kind === "bool") {
            if (rest.startsWith("=")) {
              set(name, rest.slice(1));
              rest = "";
            } else set(name, "true");
            continue;
          }
          if (rest !== "") {
            set(name, rest.startsWith("=") ? rest.slice(1) : rest);
          } else {
            if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
            set(name, args[++i]!);
          }
          rest = "";
        }
        i++;
        continue;
      }
      positional = args.slice(i);
      break;
    }
  } catch (err) {
    if (err instanceof FlagError) return { error: `${err.message}\n${USAGE}` };
    throw err;
  }

  if (positional.length === 0) {
    return { error: `"docker run" requires at least 1 argument.\n${USAGE}` };
  }
  const [image, ...cmd] = positional;
  s.config.Image = image!;
  if (cmd.length > 0) s.config.Cmd = cmd;
  // Detached: nothing is attached to the main process.
  s.config.AttachStdin = false;
  s.config.AttachStdout = false;
  s.config.AttachStderr = false;
  s.config.StdinOnce = false;
  if (Object.keys(s.health).length > 0) s.config.Healthcheck = s.health;
  s.host.NetworkMode = s.network;
  if (s.aliases.length > 0 || s.ipv4 !== undefined || s.ipv6 !== undefined) {
    s.config.NetworkingConfig = {
      EndpointsConfig: {
        [s.network]: {
          ...(s.aliases.length > 0 ? { Aliases: s.aliases } : {}),
          ...(s.ipv4 !== undefined || s.ipv6 !== undefined
            ? {
                IPAMConfig: {
                  ...(s.ipv4 !== undefined ? { IPv4Address: s.ipv4 } : {}),
                  ...(s.ipv6 !== undefined ? { IPv6Address: s.ipv6 } : {}),
                },
              }
            : {}),
        },
      },
    };
  }
  const restart = s.host.RestartPolicy as { Name?: string } | undefined;
  if (s.host.AutoRemove === true && restart?.Name) {
    return { error: "Conflicting options: --restart and --rm" };
  }
  return {
    spec: {
      body: s.config,
      image: image!,
      pull: s.pull,
      ...(s.name !== undefined ? { name: s.name } : {}),
      ...(s.platform !== undefined ? { platform: s.platform } : {}),
      ...(s.cidfile !== undefined ? { cidfile: s.cidfile } : {}),
    },
  };
}
