/**
 * StepConnectDocker (the `docker` entry of StepConnect's custom connectors): reads the container's configured
 * user (uploads are given to it with fix_upload_owner) and sets up the docker communicator. When the template
 * sets container_dir, it also makes container_dir reach the shared temp dir (a symlink to its mount point, see
 * StepRun), which `unshareContainerDir` removes before the container is committed or exported.
 */
import { DockerCommunicator, type DockerExecOptions, dockerExec } from "../../../communicator/index.js";
import { errorMessage, type Step, type StepAction } from "../../../sdk/index.js";
import type { DockerState } from "./state.js";

/** The container's IP address (Packer's commHost for docker): empty when it has no network. */
export async function containerAddress(state: DockerState, signal: AbortSignal): Promise<string> {
  const info = await state.engine.inspectContainer(state.containerId ?? "", signal);
  state.containerUser = info.Config?.User ?? "";
  return info.NetworkSettings?.IPAddress ?? "";
}

/** Runs a short command as root in the build container; resolves to its exit status and output. */
async function rootExec(
  state: DockerState,
  cmd: readonly string[],
  signal: AbortSignal,
): Promise<{ status: number; output: string }> {
  const chunks: Buffer[] = [];
  const collect = { write: (c: Buffer) => chunks.push(Buffer.from(c)) } as unknown as NodeJS.WritableStream;
  const options: DockerExecOptions = { cmd, user: "0", stdout: collect, stderr: collect };
  const status = await dockerExec(state.engine.docker, state.containerId ?? "", options, signal);
  return { status, output: Buffer.concat(chunks).toString("utf8") };
}

// Makes $1 a symlink to $2 unless something is there already; prints the link and each parent directory it
// had to create (deepest first).
const LINK_SCRIPT = `d=$1; t=$2
if [ -e "$d" ] || [ -L "$d" ]; then exit 0; fi
p=$(dirname "$d"); made=""
while [ ! -e "$p" ]; do made="$p
$made"; p=$(dirname "$p"); done
mkdir -p "$(dirname "$d")" && ln -s "$t" "$d" && printf '%s\\n%s' "$d" "$made"`;

/** Points container_dir at the shared mount point (best effort: images without a shell simply lack it). */
async function shareContainerDir(state: DockerState, signal: AbortSignal): Promise<void> {
  const shared = state.shared;
  const dir = state.config.containerDir;
  if (shared === undefined || shared.mountPoint === dir) return;
  try {
    const { status, output } = await rootExec(
      state,
      ["/bin/sh", "-c", LINK_SCRIPT, "sh", dir, shared.mountPoint],
      signal,
    );
    if (status !== 0) {
      state.log.log(`Could not link ${dir} to the shared directory (exit ${status}): ${output.trim()}`);
      return;
    }
    const lines = output.split("\n").filter((l) => l !== "");
    if (lines.length === 0) {
      state.log.log(`${dir} exists in the image; the shared directory stays at ${shared.mountPoint}`);
      return;
    }
    shared.link = lines[0]!;
    // The script lists created parents outermost first; they are removed deepest first.
    shared.madeDirs = lines.slice(1).reverse();
  } catch (err) {
    // Cancelled: the next step notices.
    state.log.log(`Could not link ${dir} to the shared directory: ${errorMessage(err)}`);
  }
}

/**
 * Removes what shareContainerDir added to the container's filesystem, so the image carries none of it. A link
 * that provisioning replaced or removed is left alone.
 */
export async function unshareContainerDir(state: DockerState, signal: AbortSignal): Promise<void> {
  const shared = state.shared;
  if (shared?.link === undefined) return;
  const script = `[ -L "$1" ] && [ "$(readlink "$1")" = "$2" ] && rm -f "$1"; shift 2; for d in "$@"; do rmdir "$d" 2>/dev/null; done; true`;
  try {
    await rootExec(
      state,
      ["/bin/sh", "-c", script, "sh", shared.link, shared.mountPoint, ...shared.madeDirs],
      signal,
    );
  } catch (err) {
    if (signal.aborted) throw err;
    state.log.log(`Could not remove the link ${shared.link}: ${errorMessage(err)}`);
  }
  delete shared.link;
  shared.madeDirs = [];
}

export class StepConnectDocker implements Step<DockerState> {
  readonly name = "StepConnectDocker";

  async run(state: DockerState, signal: AbortSignal): Promise<StepAction> {
    const { config } = state;
    try {
      if (state.containerUser === undefined) await containerAddress(state, signal);
    } catch (err) {
      if (signal.aborted) return "halt";
      state.error = err;
      return "halt";
    }
    state.communicator = new DockerCommunicator({
      docker: state.engine.docker,
      containerId: state.containerId ?? "",
      execUser: config.execUser,
      pty: config.pty,
      fixUploadOwner: config.fixUploadOwner,
      containerUser: state.containerUser ?? "",
      ...(state.tempDir !== undefined ? { stagingDir: state.tempDir } : {}),
      log: state.log,
    });
    state.connection = { type: config.comm.type };
    await shareContainerDir(state, signal);
    return "continue";
  }
}
