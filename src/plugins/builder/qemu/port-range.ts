/**
 * Packer's net.ListenRangeConfig: listen on a random free TCP port in [min, max) (min itself when the range is
 * empty), holding a lock file `<cache dir>/port/<port>` so that concurrent builds do not pick the same port
 * between the moment a port is found free and the moment QEMU binds it. The lock file holds the owner's pid; a
 * lock whose owner is gone is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { isAbsolute, join, resolve } from "node:path";
import { cancelledError, KilnError } from "../../../sdk/index.js";

/** Packer's cache directory: PACKER_CACHE_DIR, else $XDG_CACHE_HOME/packer, else ~/.cache/packer (absolute). */
export function packerCacheDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const explicit = env.PACKER_CACHE_DIR;
  let dir: string;
  if (explicit !== undefined && explicit !== "") dir = explicit;
  else if (env.XDG_CACHE_HOME) dir = join(env.XDG_CACHE_HOME, "packer");
  else dir = join(env.HOME ?? "/root", ".cache", "packer");
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock of `port`; false when another live process holds it. */
function tryLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(path, "utf8").trim());
    } catch {
      // Removed meanwhile: try again.
    }
    if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) return false;
    rmSync(path, { force: true });
  }
  return false;
}

export interface PortListener {
  readonly port: number;
  readonly address: string;
  /** The listening socket; close it to free the port while keeping the lock. */
  readonly server: Server;
  /** Closes the listener (if still open) and releases the lock. */
  release(): void;
}

export interface ListenRangeOptions {
  readonly min: number;
  readonly max: number;
  readonly address: string;
  /** Where the `port/<n>` lock files live. */
  readonly cacheDir: string;
}

function listenOn(address: string, port: number): Promise<Server | NodeJS.ErrnoException> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolvePromise(err));
    server.listen({ host: address, port, exclusive: true }, () => resolvePromise(server));
  });
}

/** Listens on a free port of the range; rejects when none is free or `signal` fires. */
export async function listenRange(options: ListenRangeOptions, signal: AbortSignal): Promise<PortListener> {
  const lockDir = join(options.cacheDir, "port");
  mkdirSync(lockDir, { recursive: true });
  const span = Math.max(0, options.max - options.min);
  const ports = span > 0 ? Array.from({ length: span }, (_, i) => options.min + i) : [options.min];
  // A random order, as Packer picks random ports.
  for (let i = ports.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ports[i], ports[j]] = [ports[j]!, ports[i]!];
  }
  const address = options.address === "" ? "0.0.0.0" : options.address;
  let lastError = "";
  for (const port of ports) {
    if (signal.aborted) throw cancelledError(signal.reason);
    const lockPath = join(lockDir, String(port));
    if (!tryLock(lockPath)) {
      lastError = `Port ${port} is file locked`;
      continue;
    }
    const result = await listenOn(address, port);
    if (!(result instanceof Error)) {
      let released = false;
      return {
        port,
        address,
        server: result,
        release() {
          if (released) return;
          released = true;
          if (result.listening) result.close();
          rmSync(lockPath, { force: true });
        },
      };
    }
    rmSync(lockPath, { force: true });
    lastError = `port ${port} cannot be opened: listen tcp ${address}:${port}: ${result.message}`;
  }
  throw new KilnError(
    "PORT_RANGE",
    `no free port between ${options.min} and ${options.max} on ${address}${lastError !== "" ? ` (last: ${lastError})` : ""}`,
  );
}

/** Closes the listener but keeps the lock (the port is about to be bound by another process). */
export function freeKeepingLock(listener: PortListener): Promise<void> {
  return new Promise((resolvePromise) => {
    if (!listener.server.listening) {
      resolvePromise();
      return;
    }
    listener.server.close(() => resolvePromise());
  });
}
