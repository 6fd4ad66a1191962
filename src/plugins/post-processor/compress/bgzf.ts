/**
 * BGZF (the blocked gzip of SAM/BAM tools, Packer's `bgzf` algorithm): the input cut into blocks of at most
 * 65280 bytes, each compressed as its own gzip member with a `BC` extra field holding the member's size,
 * ended by the standard empty EOF member. Any gzip reader reads it; BGZF readers can seek in it.
 */
import { Transform, type TransformCallback } from "node:stream";
import { crc32, deflateRawSync } from "node:zlib";

/** Uncompressed bytes per block (biogo's bgzf.BlockSize). */
export const BGZF_BLOCK_SIZE = 0xff00;

/** The empty block that ends every BGZF file. */
export const BGZF_EOF = Buffer.from("1f8b08040000000000ff0600424302001b0003000000000000000000", "hex");

/** One BGZF member of `data` (at most BGZF_BLOCK_SIZE bytes). */
export function bgzfBlock(data: Buffer, options: { level: number; strategy?: number }): Buffer {
  const deflated = deflateRawSync(data, options);
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0, 0]);
  const total = header.length + deflated.length + 8;
  header.writeUInt16LE(total - 1, 16);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, deflated, trailer]);
}

export class BgzfStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly options: { level: number; strategy?: number }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      while (this.pendingBytes >= BGZF_BLOCK_SIZE) {
        const all = Buffer.concat(this.pending);
        this.push(bgzfBlock(all.subarray(0, BGZF_BLOCK_SIZE), this.options));
        const rest = all.subarray(BGZF_BLOCK_SIZE);
        this.pending = rest.length > 0 ? [rest] : [];
        this.pendingBytes = rest.length;
      }
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.pendingBytes > 0) this.push(bgzfBlock(Buffer.concat(this.pending), this.options));
      this.push(BGZF_EOF);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }
}
