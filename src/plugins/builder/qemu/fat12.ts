/**
 * A 1.44 MB FAT12 floppy image, written in memory: boot sector with the BIOS parameter block, two FATs, a
 * 224-entry root directory (with the volume label) and 2847 one-sector clusters. Names that are not plain
 * upper-case 8.3 names get VFAT long-name entries and a generated short name (`NAME~1.EXT`).
 */

const SECTOR = 512;
const TOTAL_SECTORS = 2880;
const FAT_SECTORS = 9;
const ROOT_ENTRIES = 224;
const ROOT_SECTORS = (ROOT_ENTRIES * 32) / SECTOR;
const FAT1 = 1;
const ROOT = FAT1 + 2 * FAT_SECTORS;
const DATA = ROOT + ROOT_SECTORS;
const CLUSTERS = TOTAL_SECTORS - DATA;
const END_OF_CHAIN = 0xfff;

export type FatNode = { readonly kind: "file"; readonly data: Uint8Array } | FatDirectory;

export interface FatDirectory {
  readonly kind: "dir";
  /** Entries by their (case-preserving) names. */
  readonly entries: Map<string, FatNode>;
}

export function fatDirectory(): FatDirectory {
  return { kind: "dir", entries: new Map() };
}

/** Finds or creates the directory at `path` (`a/b`) under `root`. */
export function fatMkdirs(root: FatDirectory, path: string): FatDirectory {
  let dir = root;
  for (const part of path.split("/").filter((p) => p !== "" && p !== ".")) {
    const key = [...dir.entries.keys()].find((k) => k.toUpperCase() === part.toUpperCase());
    const existing = key !== undefined ? dir.entries.get(key) : undefined;
    if (existing !== undefined) {
      if (existing.kind !== "dir") throw new Error(`${part} is a file, not a directory`);
      dir = existing;
      continue;
    }
    const created = fatDirectory();
    dir.entries.set(part, created);
    dir = created;
  }
  return dir;
}

/** Adds (or replaces) a file named `name` in `dir`. */
export function fatAddFile(dir: FatDirectory, name: string, data: Uint8Array): void {
  for (const k of dir.entries.keys()) if (k.toUpperCase() === name.toUpperCase()) dir.entries.delete(k);
  dir.entries.set(name, { kind: "file", data });
}

const SHORT_CHARS = /^[A-Z0-9!#$%&'()\-@^_`{}~]+$/;

function splitName(name: string): [string, string] {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ""];
}

/** The 11-byte short name, and whether the name needs long-name entries. */
function shortName(name: string, taken: Set<string>): { short: string; long: boolean } {
  const [base, ext] = splitName(name);
  if (
    base.length <= 8 &&
    ext.length <= 3 &&
    SHORT_CHARS.test(base) &&
    (ext === "" || SHORT_CHARS.test(ext))
  ) {
    const short = base.padEnd(8) + ext.padEnd(3);
    if (!taken.has(short)) return { short, long: false };
  }
  const clean = (s: string) =>
    s
      .toUpperCase()
      .replace(/[^A-Z0-9!#$%&'()\-@^_`{}~]/g, "")
      .replace(/^\.+/, "");
  const b = clean(base) || "FILE";
  const e = clean(ext).slice(0, 3);
  for (let n = 1; ; n++) {
    const tail = `~${n}`;
    const short = (b.slice(0, 8 - tail.length) + tail).padEnd(8) + e.padEnd(3);
    if (!taken.has(short)) return { short, long: true };
  }
}

function lfnChecksum(short: string): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + short.charCodeAt(i)) & 0xff;
  return sum;
}

/** DOS date and time of `d`. */
function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
  };
}

class Image {
  readonly bytes = Buffer.alloc(TOTAL_SECTORS * SECTOR);
  private next = 2;

  constructor(private readonly stamp: { date: number; time: number }) {}

  private setFat(n: number, v: number): void {
    for (const base of [FAT1, FAT1 + FAT_SECTORS]) {
      const off = base * SECTOR + Math.floor((n * 3) / 2);
      if (n % 2 === 0) {
        this.bytes[off] = v & 0xff;
        this.bytes[off + 1] = (this.bytes[off + 1]! & 0xf0) | ((v >> 8) & 0x0f);
      } else {
        this.bytes[off] = (this.bytes[off]! & 0x0f) | ((v & 0x0f) << 4);
        this.bytes[off + 1] = (v >> 4) & 0xff;
      }
    }
  }

  /** Allocates a chain of clusters for `length` bytes (none for an empty file). */
  allocate(length: number): number[] {
    const count = Math.ceil(length / SECTOR);
    if (this.next - 2 + count > CLUSTERS) throw new Error("no space left on the floppy (1.44 MB)");
    const chain = Array.from({ length: count }, (_, i) => this.next + i);
    this.next += count;
    chain.forEach((c, i) => {
      this.setFat(c, i + 1 < chain.length ? chain[i + 1]! : END_OF_CHAIN);
    });
    return chain;
  }

  writeChain(chain: readonly number[], data: Uint8Array): void {
    chain.forEach((c, i) => {
      Buffer.from(data.subarray(i * SECTOR, (i + 1) * SECTOR)).copy(this.bytes, (DATA + c - 2) * SECTOR);
    });
  }

  entry(name11: string, attr: number, cluster: number, size: number): Buffer {
    const e = Buffer.alloc(32);
    e.write(name11, 0, 11, "latin1");
    e[11] = attr;
    e.writeUInt16LE(this.stamp.time, 14);
    e.writeUInt16LE(this.stamp.date, 16);
    e.writeUInt16LE(this.stamp.date, 18);
    e.writeUInt16LE(this.stamp.time, 22);
    e.writeUInt16LE(this.stamp.date, 24);
    e.writeUInt16LE(cluster, 26);
    e.writeUInt32LE(size, 28);
    return e;
  }

  /** The directory entries (long-name entries first) of `dir`'s children, writing their data. */
  entries(dir: FatDirectory, self: number, parent: number): Buffer[] {
    const out: Buffer[] = [];
    if (self !== 0) {
      out.push(this.entry(".".padEnd(11), 0x10, self, 0), this.entry("..".padEnd(11), 0x10, parent, 0));
    }
    const taken = new Set<string>();
    for (const [name, node] of dir.entries) {
      const { short, long } = shortName(name, taken);
      taken.add(short);
      if (long) out.push(...longNameEntries(name, lfnChecksum(short)));
      if (node.kind === "file") {
        const chain = this.allocate(node.data.length);
        this.writeChain(chain, node.data);
        out.push(this.entry(short, 0x20, chain[0] ?? 0, node.data.length));
      } else {
        const children = this.countEntries(node) + 2;
        const chain = this.allocate(children * 32);
        out.push(this.entry(short, 0x10, chain[0]!, 0));
        const body = Buffer.concat(this.entries(node, chain[0]!, self));
        this.writeChain(chain, body);
      }
    }
    return out;
  }

  private countEntries(dir: FatDirectory): number {
    let n = 0;
    const taken = new Set<string>();
    for (const name of dir.entries.keys()) {
      const { short, long } = shortName(name, taken);
      taken.add(short);
      n += 1 + (long ? Math.ceil(name.length / 13) : 0);
    }
    return n;
  }
}

function longNameEntries(name: string, checksum: number): Buffer[] {
  const units: number[] = [];
  for (let i = 0; i < name.length; i++) units.push(name.charCodeAt(i));
  const count = Math.ceil(units.length / 13);
  if (units.length % 13 !== 0) units.push(0);
  while (units.length < count * 13) units.push(0xffff);
  const out: Buffer[] = [];
  for (let n = count; n >= 1; n--) {
    const e = Buffer.alloc(32);
    e[0] = n | (n === count ? 0x40 : 0);
    e[11] = 0x0f;
    e[13] = checksum;
    const part = units.slice((n - 1) * 13, n * 13);
    const offsets = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
    part.forEach((u, i) => {
      e.writeUInt16LE(u, offsets[i]!);
    });
    out.push(e);
  }
  return out;
}

/** The floppy image with `root`'s tree, labelled `label` (also the OEM name, as Packer does). */
export function makeFloppyImage(label: string, root: FatDirectory, now: Date = new Date()): Buffer {
  const img = new Image(dosDateTime(now));
  const b = img.bytes;
  // Boot sector: a jump over the BPB to a halt loop, then the BIOS parameter block.
  b.set([0xeb, 0x3c, 0x90], 0);
  b.write(label.slice(0, 8).padEnd(8), 3, 8, "latin1");
  b.writeUInt16LE(SECTOR, 11);
  b[13] = 1;
  b.writeUInt16LE(1, 14);
  b[16] = 2;
  b.writeUInt16LE(ROOT_ENTRIES, 17);
  b.writeUInt16LE(TOTAL_SECTORS, 19);
  b[21] = 0xf0;
  b.writeUInt16LE(FAT_SECTORS, 22);
  b.writeUInt16LE(18, 24);
  b.writeUInt16LE(2, 26);
  b[38] = 0x29;
  b.writeUInt32LE((now.getTime() / 1000) >>> 0, 39);
  const label11 = label.toUpperCase().slice(0, 11).padEnd(11);
  b.write(label11, 43, 11, "latin1");
  b.write("FAT12   ", 54, 8, "latin1");
  b.set([0xf4, 0xeb, 0xfd], 62);
  b[510] = 0x55;
  b[511] = 0xaa;
  // FAT entries 0 and 1: the media byte and an end-of-chain mark.
  for (const base of [FAT1, FAT1 + FAT_SECTORS]) b.set([0xf0, 0xff, 0xff], base * SECTOR);
  const rootEntries = [img.entry(label11, 0x08, 0, 0), ...img.entries(root, 0, 0)];
  if (rootEntries.length > ROOT_ENTRIES) throw new Error(`too many files in the floppy's root directory`);
  Buffer.concat(rootEntries).copy(b, ROOT * SECTOR);
  return b;
}
