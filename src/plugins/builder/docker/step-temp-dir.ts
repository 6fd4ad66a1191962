/**
 * StepTempDir: the host directory shared with the container, made where Packer makes it (PACKER_TMP_DIR, else
 * the config directory: PACKER_CONFIG_DIR/.packer.d, ~/.packer.d when it exists, $XDG_CONFIG_HOME/packer or
 * ~/.config/packer), as `tmpNNNN` with mode 0700. Cleanup removes it.
 */
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import type { DockerState } from "./state.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Packer's pathing.ConfigDir. */
export async function packerConfigDir(env: Env): Promise<string> {
  if (env.PACKER_CONFIG_DIR) return join(env.PACKER_CONFIG_DIR, ".packer.d");
  const home = env.HOME;
  if (!home) throw new Error("No $HOME environment variable found, required to set Config Directory");
  const legacy = join(home, ".packer.d");
  try {
    await stat(legacy);
    return legacy;
  } catch {
    // Not there: the XDG location.
  }
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "packer");
  return join(home, ".config", "packer");
}

/** Packer's ConfigTmpDir: a new temporary directory under PACKER_TMP_DIR or the config directory. */
export async function configTmpDir(env: Env, cwd: string): Promise<string> {
  const base = env.PACKER_TMP_DIR ? resolve(cwd, env.PACKER_TMP_DIR) : await packerConfigDir(env);
  await mkdir(base, { recursive: true, mode: 0o755 });
  try {
    return await mkdtemp(join(base, "tmp"));
  } catch (err) {
    throw new Error(`Error creating temp dir: ${errorMessage(err)}`);
  }
}

export class StepTempDir implements Step<DockerState> {
  readonly name = "StepTempDir";
  private tempDir: string | undefined;

  async run(state: DockerState): Promise<StepAction> {
    state.ui.say("Creating a temporary directory for sharing data...");
    try {
      this.tempDir = await configTmpDir(state.info.env, state.info.cwd);
    } catch (err) {
      const e = new KilnError("BUILDER", `Error making temp dir: ${errorMessage(err)}`, { cause: err });
      state.error = e;
      state.ui.error(e.message);
      return "halt";
    }
    state.log.log(`Set Packer temp dir to ${this.tempDir}`);
    state.tempDir = this.tempDir;
    return "continue";
  }

  async cleanup(): Promise<void> {
    if (this.tempDir !== undefined) await rm(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }
}
