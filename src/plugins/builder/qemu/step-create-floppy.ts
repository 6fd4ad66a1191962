/**
 * StepCreateFloppy (the SDK's commonsteps.StepCreateFloppy): a 1.44 MB FAT12 floppy image (label
 * floppy_label, default `packer`) attached as the VM's first floppy drive. As in Packer:
 *  - floppy_files are copied flatly to the root: a file under its base name, a directory's files (at any depth)
 *    each under its base name;
 *  - floppy_dirs are copied recursively as directories of the same name;
 *  - floppy_content files land at the root under their base names (Packer drops their directories).
 */
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ErrorCode, errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { goGlob } from "../../post-processor/artifice/go-glob.js";
import { resolvePath } from "./config.js";
import { type FatDirectory, fatAddFile, fatDirectory, fatMkdirs, makeFloppyImage } from "./fat12.js";
import type { QemuState } from "./state.js";

function expand(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (/[*?[]/.test(p)) {
      try {
        out.push(...goGlob(p, cwd));
      } catch {
        // Reported at prepare time.
      }
    } else out.push(p);
  }
  return out;
}

/** Every file under `dir`, as paths joined to `shown`, in walk order. */
async function filesUnder(dir: string, shown: string): Promise<{ abs: string; shown: string }[]> {
  const out: { abs: string; shown: string }[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(abs, join(shown, e.name))));
    else out.push({ abs, shown: join(shown, e.name) });
  }
  return out;
}

/** Copies the directory `src` into `into` as a directory named like it. */
async function addTree(into: FatDirectory, src: string): Promise<void> {
  const target = fatMkdirs(into, basename(src));
  for (const e of await readdir(src, { withFileTypes: true })) {
    const abs = join(src, e.name);
    if (e.isDirectory()) await addTree(target, abs);
    else fatAddFile(target, e.name, await readFile(abs));
  }
}

export class StepCreateFloppy implements Step<QemuState> {
  readonly name = "StepCreateFloppy";
  private floppyPath: string | undefined;

  async run(state: QemuState): Promise<StepAction> {
    const { config, ui, info } = state;
    const contentKeys = Object.keys(config.floppyContent);
    if (config.floppyFiles.length === 0 && config.floppyDirs.length === 0 && contentKeys.length === 0) {
      state.log.log("No floppy files specified. Floppy disk will not be made.");
      return "continue";
    }
    const label = config.floppyLabel === "" ? "packer" : config.floppyLabel;
    ui.say("Creating floppy disk...");
    const root = fatDirectory();
    const fail = (message: string, cause?: unknown): StepAction => {
      state.error = new KilnError(ErrorCode.Builder, message, cause !== undefined ? { cause } : {});
      return "halt";
    };
    ui.message("Copying files flatly from floppy_files");
    for (const file of expand(config.floppyFiles, info.cwd)) {
      const abs = resolvePath(file, info.cwd);
      let isDir: boolean;
      try {
        isDir = (await stat(abs)).isDirectory();
      } catch (err) {
        return fail(`Error trying to stat : ${file} : ${errorMessage(err)}`, err);
      }
      try {
        if (isDir) {
          ui.message(`Copying directory: ${file}`);
          for (const f of await filesUnder(abs, file)) {
            ui.message(`Adding file: ${f.shown}`);
            fatAddFile(root, basename(f.abs), await readFile(f.abs));
          }
        } else {
          ui.message(`Copying file: ${file}`);
          fatAddFile(root, basename(abs), await readFile(abs));
        }
      } catch (err) {
        return fail(`Error adding file from floppy_files : ${file} : ${errorMessage(err)}`, err);
      }
    }
    ui.message("Done copying files from floppy_files");
    ui.message("Collecting paths from floppy_dirs");
    const dirs = expand(config.floppyDirs, info.cwd);
    ui.message(`Resulting paths from floppy_dirs : [${dirs.join(" ")}]`);
    for (const src of dirs) {
      ui.message(`Recursively copying : ${src}`);
      try {
        const abs = resolvePath(src, info.cwd);
        if ((await stat(abs)).isDirectory()) await addTree(root, abs);
        else fatAddFile(root, basename(abs), await readFile(abs));
      } catch (err) {
        return fail(`Error adding path ${src} to floppy: ${errorMessage(err)}`, err);
      }
    }
    ui.message("Done copying paths from floppy_dirs");
    ui.message("Copying files from floppy_content");
    for (const key of contentKeys) {
      fatAddFile(root, basename(key), Buffer.from(config.floppyContent[key]!, "utf8"));
    }
    ui.message("Done copying files from floppy_content");
    const path = join(state.workDir, "floppy.img");
    try {
      await writeFile(path, makeFloppyImage(label, root));
    } catch (err) {
      return fail(`Error creating floppy: ${errorMessage(err)}`, err);
    }
    this.floppyPath = path;
    state.floppyPath = path;
    return "continue";
  }

  async cleanup(state: QemuState): Promise<void> {
    if (this.floppyPath === undefined) return;
    state.log.log(`Deleting floppy disk: ${this.floppyPath}`);
    await rm(this.floppyPath, { force: true });
  }
}
