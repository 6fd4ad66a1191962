/**
 * The disk steps of the qemu builder:
 *  - stepCreateDisk: creates the main disk (unless it is a copy of disk_image) and disk_additional_size disks;
 *    with use_backing_file the main disk is a qcow2 overlay on the source image;
 *  - stepCopyDisk: with disk_image, copies the source image into the output directory, converting it to
 *    `format` unless its extension already says it is in that format;
 *  - stepResizeDisk: with disk_image, grows the main disk to disk_size (unless skip_resize_disk);
 *  - stepConvertDisk: after the VM stopped, rewrites the qcow2 disk compactly (and compressed with
 *    disk_compression), unless skip_compaction.
 */
import { constants } from "node:fs";
import { copyFile, rename, rm } from "node:fs/promises";
import { extname, join } from "node:path";
import { ErrorCode, errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { sleepFor } from "./boot-command.js";
import { resolvePath } from "./config.js";
import type { QemuState } from "./state.js";

function halt(state: QemuState, message: string, cause?: unknown): StepAction {
  const err = new KilnError(ErrorCode.Builder, message, cause !== undefined ? { cause } : {});
  state.error = err;
  state.ui.error(err.message);
  return "halt";
}

/** The output directory's absolute path. */
export function outputDirPath(state: QemuState): string {
  return resolvePath(state.config.outputDir, state.info.cwd);
}

/** The main disk's absolute path: `<output_directory>/<vm_name>`. */
export function mainDiskPath(state: QemuState): string {
  return join(outputDirPath(state), state.config.vmName);
}

export class StepCreateDisk implements Step<QemuState> {
  readonly name = "stepCreateDisk";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (config.diskAdditionalSize.length > 0 || config.useBackingFile)
      ui.say("Creating required virtual machine disks");
    const paths = [mainDiskPath(state)];
    const sizes = [config.diskSize];
    config.diskAdditionalSize.forEach((size, i) => {
      paths.push(join(outputDirPath(state), `${config.vmName}-${i + 1}`));
      sizes.push(size);
    });
    for (let i = 0; i < paths.length; i++) {
      if (config.diskImage && !config.useBackingFile && i === 0) continue;
      state.log.log(`[INFO] Creating disk with Path: ${paths[i]} and Size: ${sizes[i]}`);
      const args = ["create", "-f", config.format];
      if (config.diskImage && config.useBackingFile && i === 0)
        args.push("-b", state.isoPath ?? "", "-F", "qcow2");
      args.push(...config.qemuImgArgs.create, paths[i]!, sizes[i]!);
      try {
        await state.driver.qemuImg(args, signal);
      } catch (err) {
        if (signal.aborted) return "halt";
        return halt(state, `Error creating hard drive: ${errorMessage(err)}`, err);
      }
    }
    state.diskPaths = paths;
    return "continue";
  }
}

export class StepCopyDisk implements Step<QemuState> {
  readonly name = "stepCopyDisk";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (!config.diskImage || config.useBackingFile) return "continue";
    const source = state.isoPath ?? "";
    const path = mainDiskPath(state);
    const ext = extname(source);
    if (ext.length >= 1 && ext.slice(1) === config.format && config.qemuImgArgs.convert.length === 0) {
      ui.message("File extension already matches desired output format. Skipping qemu-img convert step");
      state.log.log(`Copying ${source} to ${path}`);
      try {
        // A reflink where the file system can, else a plain copy.
        await copyFile(source, path, constants.COPYFILE_FICLONE);
      } catch (err) {
        return halt(state, `Error copying iso to output dir: ${errorMessage(err)}`, err);
      }
      return "continue";
    }
    ui.say("Copying hard drive...");
    try {
      await state.driver.qemuImg(
        ["convert", ...config.qemuImgArgs.convert, "-O", config.format, source, path],
        signal,
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      return halt(state, `Error creating hard drive: ${errorMessage(err)}`, err);
    }
    return "continue";
  }
}

export class StepResizeDisk implements Step<QemuState> {
  readonly name = "stepResizeDisk";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (!config.diskImage || config.skipResizeDisk) return "continue";
    ui.say("Resizing hard drive...");
    const args = [
      "resize",
      "-f",
      config.format,
      ...config.qemuImgArgs.resize,
      mainDiskPath(state),
      config.diskSize,
    ];
    try {
      await state.driver.qemuImg(args, signal);
    } catch (err) {
      if (signal.aborted) return "halt";
      return halt(state, `Error creating hard drive: ${errorMessage(err)}`, err);
    }
    return "continue";
  }
}

export class StepConvertDisk implements Step<QemuState> {
  readonly name = "stepConvertDisk";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (config.skipCompaction && !config.diskCompression) return "continue";
    const source = mainDiskPath(state);
    const target = `${source}.convert`;
    const args = ["convert"];
    if (config.diskCompression) args.push("-c");
    args.push(...config.qemuImgArgs.convert, "-O", config.format, source, target);
    ui.say("Converting hard drive...");
    // QEMU may hold the image's lock for a moment after it exits.
    for (let attempt = 1; ; attempt++) {
      try {
        await state.driver.qemuImg(args, signal);
        break;
      } catch (err) {
        if (signal.aborted) {
          await rm(target, { force: true });
          return "halt";
        }
        const message = errorMessage(err);
        if (message.includes('Failed to get shared "write" lock') && attempt < 10) {
          ui.say("Error getting file lock for conversion; retrying...");
          await sleepFor(Math.min(attempt * 1000, 10_000), signal).catch(() => undefined);
          continue;
        }
        await rm(target, { force: true });
        if (message.includes('Failed to get shared "write" lock')) {
          return halt(
            state,
            `Exhausted retries for getting file lock: retry count exhausted. Last err: ${message}`,
            err,
          );
        }
        return halt(state, `Error converting hard drive: ${message}`, err);
      }
    }
    try {
      await rename(target, source);
    } catch (err) {
      return halt(state, `Error moving converted hard drive: ${errorMessage(err)}`, err);
    }
    return "continue";
  }
}
