/**
 * StepCreateCD (the SDK's commonsteps.StepCreateCD): builds an ISO 9660 image (Rock Ridge and Joliet, volume
 * id cd_label, default `packer`) from cd_files and cd_content with xorriso (or mkisofs), and attaches it to the
 * VM as a CD-ROM. A file in cd_files lands at the root under its base name; a directory lands as that directory,
 * or as its contents when written with a trailing slash. cd_content keys are paths inside the image.
 */
import { copyFile, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { runProcess } from "../../../exec/index.js";
import { ErrorCode, errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { resolvePath } from "./config.js";
import { lookPath } from "./driver.js";
import type { QemuState } from "./state.js";

const ISO_TOOLS = ["xorriso", "mkisofs", "hdiutil", "oscdimg"] as const;

/** The command that makes the ISO, or an error naming the tools looked for. */
export function isoCommand(
  label: string,
  source: string,
  dest: string,
  env: Readonly<Record<string, string | undefined>>,
): { command: string; args: string[] } {
  const xorriso = lookPath("xorriso", env);
  if (xorriso !== undefined) {
    return {
      command: xorriso,
      args: ["-as", "genisoimage", "-rock", "-joliet", "-volid", label, "-output", dest, source],
    };
  }
  const mkisofs = lookPath("mkisofs", env);
  if (mkisofs !== undefined)
    return { command: mkisofs, args: ["-joliet", "-volid", label, "-o", dest, source] };
  throw new KilnError(
    ErrorCode.Builder,
    `could not find a supported CD ISO creation command (the supported commands are: ${ISO_TOOLS.join(", ")})`,
    { hint: "Install xorriso (Debian: apt-get install xorriso)." },
  );
}

/** A line of the ISO tool's output as shown: colour codes and surrounding space removed, text before a CR dropped. */
export function cleanToolLine(line: string): string {
  const trimmed = line.replace(/\x1b\[([0-9]{1,2}(;[0-9]{1,2})?)?[abmk]/gi, "").trim();
  return trimmed.slice(trimmed.lastIndexOf("\r") + 1);
}

/** Copies `src` (a file or a directory) into `root` as StepCreateCD.AddFile does. */
async function addPath(root: string, src: string, shown: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(src);
  } catch (err) {
    throw new KilnError(ErrorCode.Builder, `Error adding path to CD: stat ${shown}: ${errorMessage(err)}`);
  }
  if (!info.isDirectory()) {
    await copyFile(src, join(root, basename(src)));
    return;
  }
  const contentsOnly = shown.endsWith("/");
  const top = contentsOnly ? root : join(root, basename(src));
  await mkdir(top, { recursive: true });
  const walk = async (from: string, to: string): Promise<void> => {
    for (const entry of await readdir(from, { withFileTypes: true })) {
      const a = join(from, entry.name);
      const b = join(to, entry.name);
      if (entry.isDirectory()) {
        await mkdir(b, { recursive: true });
        await walk(a, b);
      } else {
        await copyFile(a, b);
      }
    }
  };
  await walk(src, top);
}

export class StepCreateCD implements Step<QemuState> {
  readonly name = "StepCreateCD";
  private rootFolder: string | undefined;
  private cdPath: string | undefined;

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    const contentKeys = Object.keys(config.cdContent);
    if (config.cdFiles.length === 0 && contentKeys.length === 0) {
      state.log.log("No CD files specified. CD disk will not be made.");
      return "continue";
    }
    ui.say("Creating CD disk...");
    const label = config.cdLabel === "" ? "packer" : config.cdLabel;
    const cdPath = join(state.workDir, "cd.iso");
    const rootFolder = join(state.workDir, "packer_to_cdrom");
    this.cdPath = cdPath;
    this.rootFolder = rootFolder;
    const fail = (err: unknown, prefix = "Error creating temporary file for CD: "): StepAction => {
      state.error = new KilnError(ErrorCode.Builder, `${prefix}${errorMessage(err)}`, { cause: err });
      return "halt";
    };
    try {
      await mkdir(rootFolder, { recursive: true });
      for (const file of config.cdFiles) await addPath(rootFolder, resolvePath(file, state.info.cwd), file);
      for (const key of contentKeys) {
        const dst = join(rootFolder, key);
        try {
          await mkdir(dirname(dst), { recursive: true });
          await writeFile(dst, config.cdContent[key]!, { mode: 0o666 });
        } catch (err) {
          throw new KilnError(ErrorCode.Builder, `Error writing file ${key} on CD: ${errorMessage(err)}`);
        }
      }
    } catch (err) {
      return fail(err);
    }
    let cmd: { command: string; args: string[] };
    try {
      cmd = isoCommand(label, rootFolder, cdPath, state.info.env);
    } catch (err) {
      state.error = err;
      return "halt";
    }
    // Packer streams the tool's output line by line, cleaned, and leaves out blank lines.
    const show = (line: string): void => {
      const cleaned = cleanToolLine(line);
      if (cleaned !== "") ui.message(cleaned);
    };
    try {
      await runProcess({
        ...cmd,
        env: state.info.env,
        cwd: state.info.cwd,
        signal,
        log: state.log,
        onStdoutLine: show,
        onStderrLine: show,
      });
    } catch (err) {
      if (signal.aborted) return "halt";
      state.error = err;
      return "halt";
    }
    ui.message("Done copying paths from CD_dirs");
    state.cdPath = cdPath;
    return "continue";
  }

  async cleanup(state: QemuState): Promise<void> {
    if (this.rootFolder !== undefined) await rm(this.rootFolder, { recursive: true, force: true });
    if (this.cdPath !== undefined) {
      state.log.log(`Deleting CD disk: ${this.cdPath}`);
      await rm(this.cdPath, { force: true });
    }
  }
}
