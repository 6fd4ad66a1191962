import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { valueFromNative } from "../../../hcl/index.js";
import { noopLogger } from "../../../sdk/index.js";
import { RecordingUi, testBuildInfo } from "../../provisioner/shell-local/test-support.js";
import { decodeQemuConfig } from "./config.js";
import type { QemuDriver } from "./driver.js";
import { fatAddFile, fatDirectory, fatMkdirs, makeFloppyImage } from "./fat12.js";
import type { QemuState } from "./state.js";
import { StepCreateFloppy } from "./step-create-floppy.js";

/** A FAT12 reader written from the on-disk format, to read back what the writer made. */
function readFat(img: Buffer): { label: string; files: Map<string, Buffer> } {
  const bps = img.readUInt16LE(11);
  const reserved = img.readUInt16LE(14);
  const fats = img[16]!;
  const rootEntries = img.readUInt16LE(17);
  const fatSize = img.readUInt16LE(22);
  const rootStart = (reserved + fats * fatSize) * bps;
  const dataStart = rootStart + rootEntries * 32;
  const fat = img.subarray(reserved * bps, (reserved + fatSize) * bps);
  const next = (n: number): number => {
    const off = Math.floor((n * 3) / 2);
    const v = fat.readUInt16LE(off);
    return n % 2 === 0 ? v & 0xfff : v >> 4;
  };
  const chain = (first: number): Buffer => {
    const parts: Buffer[] = [];
    for (let c = first; c >= 2 && c < 0xff8; c = next(c)) {
      parts.push(img.subarray(dataStart + (c - 2) * bps, dataStart + (c - 1) * bps));
    }
    return Buffer.concat(parts);
  };
  const files = new Map<string, Buffer>();
  let label = "";
  const walk = (entries: Buffer, prefix: string): void => {
    let long: string[] = [];
    for (let i = 0; i + 32 <= entries.length; i += 32) {
      const e = entries.subarray(i, i + 32);
      if (e[0] === 0) break;
      if (e[11] === 0x0f) {
        let part = "";
        for (const o of [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]) {
          const u = e.readUInt16LE(o);
          if (u === 0 || u === 0xffff) break;
          part += String.fromCharCode(u);
        }
        long = [part, ...long];
        continue;
      }
      const short = `${e.toString("latin1", 0, 8).trim()}${e.toString("latin1", 8, 11).trim() ? `.${e.toString("latin1", 8, 11).trim()}` : ""}`;
      const name = long.length > 0 ? long.join("") : short;
      long = [];
      if (e[11] === 0x08) {
        label = e.toString("latin1", 0, 11).trim();
        continue;
      }
      if (name === "." || name === "..") continue;
      const cluster = e.readUInt16LE(26);
      if (e[11]! & 0x10) walk(chain(cluster), `${prefix}${name}/`);
      else files.set(`${prefix}${name}`, chain(cluster).subarray(0, e.readUInt32LE(28)));
    }
  };
  walk(img.subarray(rootStart, dataStart), "");
  return { label, files };
}

describe("FAT12 floppy image", () => {
  it("writes a 1.44 MB image whose files read back by their long names", () => {
    const root = fatDirectory();
    fatAddFile(root, "README.TXT", Buffer.from("short"));
    fatAddFile(root, "autounattend-long-name.xml", Buffer.alloc(1500, 0x41));
    fatAddFile(root, "empty", Buffer.alloc(0));
    fatAddFile(fatMkdirs(root, "scripts/nested"), "install.ps1", Buffer.from("Write-Host hi"));
    for (let i = 0; i < 20; i++)
      fatAddFile(fatMkdirs(root, "many"), `file-number-${i}.txt`, Buffer.from(`${i}`));
    const img = makeFloppyImage("cidata", root, new Date(2024, 0, 2, 3, 4, 6));
    expect(img.length).toBe(1440 * 1024);
    expect([img[510], img[511]]).toEqual([0x55, 0xaa]);
    expect(img.toString("latin1", 54, 62)).toBe("FAT12   ");
    const { label, files } = readFat(img);
    expect(label).toBe("CIDATA");
    expect(files.get("README.TXT")?.toString()).toBe("short");
    expect(files.get("autounattend-long-name.xml")?.equals(Buffer.alloc(1500, 0x41))).toBe(true);
    expect(files.get("empty")?.length).toBe(0);
    expect(files.get("scripts/nested/install.ps1")?.toString()).toBe("Write-Host hi");
    expect(files.get("many/file-number-19.txt")?.toString()).toBe("19");
    expect(files.size).toBe(24);
  });

  it("refuses more than fits", () => {
    const root = fatDirectory();
    fatAddFile(root, "big", Buffer.alloc(1500 * 1024));
    expect(() => makeFloppyImage("x", root)).toThrow("no space left on the floppy (1.44 MB)");
  });
});

describe("StepCreateFloppy", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-qemu-floppy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("copies floppy_files flatly, floppy_dirs as directories and floppy_content at the root", async () => {
    mkdirSync(join(dir, "flat", "deep"), { recursive: true });
    writeFileSync(join(dir, "flat", "deep", "a.cmd"), "a");
    writeFileSync(join(dir, "one.bat"), "one");
    mkdirSync(join(dir, "tree", "sub"), { recursive: true });
    writeFileSync(join(dir, "tree", "sub", "b.txt"), "b");
    const info = testBuildInfo({ cwd: dir, buildName: "f", builderType: "qemu" });
    const decoded = decodeQemuConfig(
      valueFromNative({
        iso_url: "x.iso",
        iso_checksum: "none",
        ssh_username: "root",
        floppy_files: ["one.bat", "flat"],
        floppy_dirs: ["tree"],
        floppy_content: { "dir/ks.cfg": "ks" },
        floppy_label: "OEMDRV",
      }),
      info,
      { detectAccelerator: () => ({ accelerator: "tcg", reason: "" }) },
    );
    const ui = new RecordingUi();
    const state: QemuState = {
      config: decoded.config!,
      info,
      log: noopLogger,
      secrets: { add() {} },
      driver: {} as QemuDriver,
      cacheDir: dir,
      workDir: dir,
      hook: { run: async () => {} },
      ui,
    };
    const step = new StepCreateFloppy();
    expect(await step.run(state)).toBe("continue");
    const { label, files } = readFat(readFileSync(state.floppyPath!));
    expect(label).toBe("OEMDRV");
    expect([...files.keys()].sort()).toEqual(["a.cmd", "ks.cfg", "one.bat", "tree/sub/b.txt"]);
    expect(ui.texts("say")).toEqual(["Creating floppy disk..."]);
    expect(ui.texts("message")).toContain("Copying directory: flat");
    expect(ui.texts("message")).toContain("Resulting paths from floppy_dirs : [tree]");
    await step.cleanup(state);
  });
});
