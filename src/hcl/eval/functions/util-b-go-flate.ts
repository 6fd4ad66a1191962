/**
 * Go's compress/flate compressor at the default level (6) and compress/gzip framing, as base64gzip uses
 * them: one Write of the whole input, then Flush, then Close. zlib makes different (equally valid) choices,
 * so this reproduces Go's matcher (hash chains with lazy matching), its choice between stored, fixed and
 * dynamic Huffman blocks, and its length-limited Huffman code construction, to give the same bytes.
 */

const LOG_WINDOW_SIZE = 15;
const WINDOW_SIZE = 1 << LOG_WINDOW_SIZE;
const WINDOW_MASK = WINDOW_SIZE - 1;
const BASE_MATCH_LENGTH = 3;
const MIN_MATCH_LENGTH = 4;
const MAX_MATCH_LENGTH = 258;
const BASE_MATCH_OFFSET = 1;
const MAX_FLATE_BLOCK_TOKENS = 1 << 14;
const MAX_STORE_BLOCK_SIZE = 65535;
const HASH_BITS = 17;
const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;
const MAX_HASH_OFFSET = 1 << 24;
const HASHMUL = 0x1e35a7bd;

// Level 6.
const GOOD = 8;
const LAZY = 16;
const NICE = 128;
const CHAIN = 128;

const MAX_NUM_LIT = 286;
const OFFSET_CODE_COUNT = 30;
const END_BLOCK_MARKER = 256;
const LENGTH_CODES_START = 257;
const CODEGEN_CODE_COUNT = 19;
const BAD_CODE = 255;
const MAX_INT32 = 2147483647;

const LITERAL_TYPE = 0;
const MATCH_TYPE = 1 << 30;
const LENGTH_SHIFT = 22;
const OFFSET_MASK = (1 << LENGTH_SHIFT) - 1;

const lengthExtraBits = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const lengthBase = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224,
  255,
];
const offsetExtraBits = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const offsetBase = [
  0x0, 0x1, 0x2, 0x3, 0x4, 0x6, 0x8, 0xc, 0x10, 0x18, 0x20, 0x30, 0x40, 0x60, 0x80, 0xc0, 0x100, 0x180, 0x200,
  0x300, 0x400, 0x600, 0x800, 0xc00, 0x1000, 0x1800, 0x2000, 0x3000, 0x4000, 0x6000,
];
const codegenOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** The length code (0..28) of a match length minus 3. */
const lengthCodes: number[] = (() => {
  const t: number[] = [];
  for (let code = 0; code < 29; code++) {
    const start = lengthBase[code]!;
    const end = code === 28 ? 256 : lengthBase[code + 1]!;
    for (let l = start; l < end; l++) t[l] = code;
  }
  t[255] = 28;
  return t;
})();

/** The offset code of an offset minus 1, for offsets below 256 (larger ones are derived from it). */
const offsetCodes: number[] = (() => {
  const t: number[] = [];
  for (let code = 0; code < 16; code++) {
    const start = offsetBase[code]!;
    const end = code === 15 ? 256 : offsetBase[code + 1]!;
    for (let o = start; o < end; o++) t[o] = code;
  }
  return t;
})();

function offsetCode(off: number): number {
  if (off < 256) return offsetCodes[off]!;
  if (off >> 7 < 256) return offsetCodes[off >> 7]! + 14;
  return offsetCodes[off >> 14]! + 28;
}

function reverseBits(num: number, bitLength: number): number {
  let r = 0;
  for (let i = 0; i < bitLength; i++) r |= ((num >> i) & 1) << (bitLength - 1 - i);
  return r;
}

// ---- Huffman codes (huffman_code.go) ---------------------------------------------------------------------

interface LiteralNode {
  literal: number;
  freq: number;
}

class HuffmanEncoder {
  readonly codeBits: Uint16Array;
  readonly codeLen: Uint16Array;

  constructor(size: number) {
    this.codeBits = new Uint16Array(size);
    this.codeLen = new Uint16Array(size);
  }

  bitLength(freq: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < freq.length; i++) {
      const f = freq[i]!;
      if (f !== 0) total += f * this.codeLen[i]!;
    }
    return total;
  }

  /** The number of literals to give each code length, limited to maxBits (package-merge, as Go does it). */
  private bitCounts(list: LiteralNode[], maxBitsIn: number): number[] {
    let maxBits = maxBitsIn;
    const n = list.length;
    list.push({ literal: 0xffff, freq: MAX_INT32 });
    if (maxBits > n - 1) maxBits = n - 1;
    const levels = Array.from({ length: 16 }, () => ({
      level: 0,
      lastFreq: 0,
      nextCharFreq: 0,
      nextPairFreq: 0,
      needed: 0,
    }));
    const leafCounts = Array.from({ length: 16 }, () => new Array<number>(16).fill(0));
    for (let level = 1; level <= maxBits; level++) {
      levels[level] = {
        level,
        lastFreq: list[1]!.freq,
        nextCharFreq: list[2]!.freq,
        nextPairFreq: list[0]!.freq + list[1]!.freq,
        needed: 0,
      };
      leafCounts[level]![level] = 2;
      if (level === 1) levels[level]!.nextPairFreq = MAX_INT32;
    }
    levels[maxBits]!.needed = 2 * n - 4;
    let level = maxBits;
    for (;;) {
      const l = levels[level]!;
      if (l.nextPairFreq === MAX_INT32 && l.nextCharFreq === MAX_INT32) {
        l.needed = 0;
        levels[level + 1]!.nextPairFreq = MAX_INT32;
        level++;
        continue;
      }
      const prevFreq = l.lastFreq;
      if (l.nextCharFreq < l.nextPairFreq) {
        const c = leafCounts[level]![level]! + 1;
        l.lastFreq = l.nextCharFreq;
        leafCounts[level]![level] = c;
        l.nextCharFreq = list[c]!.freq;
      } else {
        l.lastFreq = l.nextPairFreq;
        for (let k = 0; k < level; k++) leafCounts[level]![k] = leafCounts[level - 1]![k]!;
        levels[l.level - 1]!.needed = 2;
      }
      l.needed--;
      if (l.needed === 0) {
        if (l.level === maxBits) break;
        levels[l.level + 1]!.nextPairFreq = prevFreq + l.lastFreq;
        level++;
      } else {
        while (levels[level - 1]!.needed > 0) level--;
      }
    }
    list.pop();
    const bitCount = new Array<number>(maxBits + 1).fill(0);
    let bits = 1;
    const counts = leafCounts[maxBits]!;
    for (let lv = maxBits; lv > 0; lv--) {
      bitCount[bits] = counts[lv]! - counts[lv - 1]!;
      bits++;
    }
    return bitCount;
  }

  private assignEncodingAndSize(bitCount: number[], listIn: LiteralNode[]): void {
    let code = 0;
    let list = listIn;
    for (let n = 0; n < bitCount.length; n++) {
      const bits = bitCount[n]!;
      code <<= 1;
      if (n === 0 || bits === 0) continue;
      const chunk = list.slice(list.length - bits).sort((a, b) => a.literal - b.literal);
      for (const node of chunk) {
        this.codeBits[node.literal] = reverseBits(code, n);
        this.codeLen[node.literal] = n;
        code++;
      }
      list = list.slice(0, list.length - bits);
    }
  }

  generate(freq: ArrayLike<number>, maxBits: number): void {
    const list: LiteralNode[] = [];
    for (let i = 0; i < freq.length; i++) {
      const f = freq[i]!;
      if (f !== 0) list.push({ literal: i, freq: f });
      else this.codeLen[i] = 0;
    }
    if (list.length <= 2) {
      list.forEach((node, i) => {
        this.codeBits[node.literal] = i;
        this.codeLen[node.literal] = 1;
      });
      return;
    }
    list.sort((a, b) => (a.freq === b.freq ? a.literal - b.literal : a.freq - b.freq));
    this.assignEncodingAndSize(this.bitCounts(list, maxBits), list);
  }
}

const fixedLiteralEncoding = (() => {
  const h = new HuffmanEncoder(MAX_NUM_LIT);
  for (let ch = 0; ch < MAX_NUM_LIT; ch++) {
    let bits: number;
    let size: number;
    if (ch < 144) {
      bits = ch + 48;
      size = 8;
    } else if (ch < 256) {
      bits = ch + 400 - 144;
      size = 9;
    } else if (ch < 280) {
      bits = ch - 256;
      size = 7;
    } else {
      bits = ch + 192 - 280;
      size = 8;
    }
    h.codeBits[ch] = reverseBits(bits, size);
    h.codeLen[ch] = size;
  }
  return h;
})();

const fixedOffsetEncoding = (() => {
  const h = new HuffmanEncoder(30);
  for (let ch = 0; ch < 30; ch++) {
    h.codeBits[ch] = reverseBits(ch, 5);
    h.codeLen[ch] = 5;
  }
  return h;
})();

// ---- bit writer (huffman_bit_writer.go) ------------------------------------------------------------------

class HuffmanBitWriter {
  readonly out: number[] = [];
  private bits = 0;
  private nbits = 0;
  private readonly literalFreq = new Int32Array(MAX_NUM_LIT);
  private readonly offsetFreq = new Int32Array(OFFSET_CODE_COUNT);
  private readonly codegen = new Uint8Array(MAX_NUM_LIT + OFFSET_CODE_COUNT + 1);
  private readonly codegenFreq = new Int32Array(CODEGEN_CODE_COUNT);
  private readonly literalEncoding = new HuffmanEncoder(MAX_NUM_LIT);
  private readonly offsetEncoding = new HuffmanEncoder(OFFSET_CODE_COUNT);
  private readonly codegenEncoding = new HuffmanEncoder(CODEGEN_CODE_COUNT);

  writeBits(b: number, nb: number): void {
    // Bits go out least significant first; whole bytes are emitted as soon as they are complete.
    this.bits += b * 2 ** this.nbits;
    this.nbits += nb;
    while (this.nbits >= 8) {
      this.out.push(this.bits % 256);
      this.bits = Math.floor(this.bits / 256);
      this.nbits -= 8;
    }
  }

  private writeCode(enc: HuffmanEncoder, i: number): void {
    this.writeBits(enc.codeBits[i]!, enc.codeLen[i]!);
  }

  flush(): void {
    if (this.nbits > 0) {
      this.out.push(this.bits % 256);
      this.bits = 0;
      this.nbits = 0;
    }
  }

  writeBytes(bytes: Uint8Array): void {
    for (const b of bytes) this.out.push(b);
  }

  private generateCodegen(numLiterals: number, numOffsets: number): void {
    this.codegenFreq.fill(0);
    const codegen = this.codegen;
    for (let i = 0; i < numLiterals; i++) codegen[i] = this.literalEncoding.codeLen[i]!;
    for (let i = 0; i < numOffsets; i++) codegen[numLiterals + i] = this.offsetEncoding.codeLen[i]!;
    codegen[numLiterals + numOffsets] = BAD_CODE;
    let size = codegen[0]!;
    let count = 1;
    let outIndex = 0;
    for (let inIndex = 1; size !== BAD_CODE; inIndex++) {
      const nextSize = codegen[inIndex]!;
      if (nextSize === size) {
        count++;
        continue;
      }
      if (size !== 0) {
        codegen[outIndex++] = size;
        this.codegenFreq[size]!++;
        count--;
        while (count >= 3) {
          const n = Math.min(6, count);
          codegen[outIndex++] = 16;
          codegen[outIndex++] = n - 3;
          this.codegenFreq[16]!++;
          count -= n;
        }
      } else {
        while (count >= 11) {
          const n = Math.min(138, count);
          codegen[outIndex++] = 18;
          codegen[outIndex++] = n - 11;
          this.codegenFreq[18]!++;
          count -= n;
        }
        if (count >= 3) {
          codegen[outIndex++] = 17;
          codegen[outIndex++] = count - 3;
          this.codegenFreq[17]!++;
          count = 0;
        }
      }
      count--;
      for (; count >= 0; count--) {
        codegen[outIndex++] = size;
        this.codegenFreq[size]!++;
      }
      size = nextSize;
      count = 1;
    }
    codegen[outIndex] = BAD_CODE;
  }

  private dynamicSize(extraBits: number): [number, number] {
    let numCodegens = CODEGEN_CODE_COUNT;
    while (numCodegens > 4 && this.codegenFreq[codegenOrder[numCodegens - 1]!] === 0) numCodegens--;
    const header =
      3 +
      5 +
      5 +
      4 +
      3 * numCodegens +
      this.codegenEncoding.bitLength(this.codegenFreq) +
      this.codegenFreq[16]! * 2 +
      this.codegenFreq[17]! * 3 +
      this.codegenFreq[18]! * 7;
    const size =
      header +
      this.literalEncoding.bitLength(this.literalFreq) +
      this.offsetEncoding.bitLength(this.offsetFreq) +
      extraBits;
    return [size, numCodegens];
  }

  writeStoredHeader(length: number, isEof: boolean): void {
    this.writeBits(isEof ? 1 : 0, 3);
    this.flush();
    this.writeBits(length, 16);
    this.writeBits(~length & 0xffff, 16);
  }

  private writeDynamicHeader(
    numLiterals: number,
    numOffsets: number,
    numCodegens: number,
    isEof: boolean,
  ): void {
    this.writeBits(isEof ? 5 : 4, 3);
    this.writeBits(numLiterals - 257, 5);
    this.writeBits(numOffsets - 1, 5);
    this.writeBits(numCodegens - 4, 4);
    for (let i = 0; i < numCodegens; i++) this.writeBits(this.codegenEncoding.codeLen[codegenOrder[i]!]!, 3);
    for (let i = 0; ; ) {
      const codeWord = this.codegen[i++]!;
      if (codeWord === BAD_CODE) break;
      this.writeCode(this.codegenEncoding, codeWord);
      if (codeWord === 16) this.writeBits(this.codegen[i++]!, 2);
      else if (codeWord === 17) this.writeBits(this.codegen[i++]!, 3);
      else if (codeWord === 18) this.writeBits(this.codegen[i++]!, 7);
    }
  }

  private indexTokens(tokens: readonly number[]): [number, number] {
    this.literalFreq.fill(0);
    this.offsetFreq.fill(0);
    for (const t of tokens) {
      if (t < MATCH_TYPE) {
        this.literalFreq[t - LITERAL_TYPE]!++;
        continue;
      }
      this.literalFreq[LENGTH_CODES_START + lengthCodes[(t - MATCH_TYPE) >>> LENGTH_SHIFT]!]!++;
      this.offsetFreq[offsetCode(t & OFFSET_MASK)]!++;
    }
    let numLiterals = MAX_NUM_LIT;
    while (this.literalFreq[numLiterals - 1] === 0) numLiterals--;
    let numOffsets = OFFSET_CODE_COUNT;
    while (numOffsets > 0 && this.offsetFreq[numOffsets - 1] === 0) numOffsets--;
    if (numOffsets === 0) {
      this.offsetFreq[0] = 1;
      numOffsets = 1;
    }
    this.literalEncoding.generate(this.literalFreq, 15);
    this.offsetEncoding.generate(this.offsetFreq, 15);
    return [numLiterals, numOffsets];
  }

  private writeTokens(tokens: readonly number[], le: HuffmanEncoder, oe: HuffmanEncoder): void {
    for (const t of tokens) {
      if (t < MATCH_TYPE) {
        this.writeCode(le, t - LITERAL_TYPE);
        continue;
      }
      const length = (t - MATCH_TYPE) >>> LENGTH_SHIFT;
      const lc = lengthCodes[length]!;
      this.writeCode(le, lc + LENGTH_CODES_START);
      const extraLengthBits = lengthExtraBits[lc]!;
      if (extraLengthBits > 0) this.writeBits(length - lengthBase[lc]!, extraLengthBits);
      const offset = t & OFFSET_MASK;
      const oc = offsetCode(offset);
      this.writeCode(oe, oc);
      const extraOffsetBits = offsetExtraBits[oc]!;
      if (extraOffsetBits > 0) this.writeBits(offset - offsetBase[oc]!, extraOffsetBits);
    }
  }

  /** A block of tokens, as the cheapest of stored (when `input` is known), fixed and dynamic Huffman. */
  writeBlock(tokensIn: readonly number[], eof: boolean, input: Uint8Array | undefined): void {
    const tokens = [...tokensIn, END_BLOCK_MARKER];
    const [numLiterals, numOffsets] = this.indexTokens(tokens);
    let extraBits = 0;
    const storable = input !== undefined && input.length <= MAX_STORE_BLOCK_SIZE;
    const storedSize = storable ? (input.length + 5) * 8 : 0;
    if (storable) {
      for (let lc = LENGTH_CODES_START + 8; lc < numLiterals; lc++) {
        extraBits += this.literalFreq[lc]! * lengthExtraBits[lc - LENGTH_CODES_START]!;
      }
      for (let oc = 4; oc < numOffsets; oc++) extraBits += this.offsetFreq[oc]! * offsetExtraBits[oc]!;
    }
    let literalEncoding = fixedLiteralEncoding;
    let offsetEncoding = fixedOffsetEncoding;
    let size =
      3 +
      fixedLiteralEncoding.bitLength(this.literalFreq) +
      fixedOffsetEncoding.bitLength(this.offsetFreq) +
      extraBits;
    this.generateCodegen(numLiterals, numOffsets);
    this.codegenEncoding.generate(this.codegenFreq, 7);
    const [dynamicSize, numCodegens] = this.dynamicSize(extraBits);
    if (dynamicSize < size) {
      size = dynamicSize;
      literalEncoding = this.literalEncoding;
      offsetEncoding = this.offsetEncoding;
    }
    if (storable && storedSize < size) {
      this.writeStoredHeader(input.length, eof);
      this.writeBytes(input);
      return;
    }
    if (literalEncoding === fixedLiteralEncoding) this.writeBits(eof ? 3 : 2, 3);
    else this.writeDynamicHeader(numLiterals, numOffsets, numCodegens, eof);
    this.writeTokens(tokens, literalEncoding, offsetEncoding);
  }
}

// ---- the compressor (deflate.go) -------------------------------------------------------------------------

function hash4(w: Uint8Array, i: number): number {
  const v = (w[i + 3]! | (w[i + 2]! << 8) | (w[i + 1]! << 16) | (w[i]! << 24)) >>> 0;
  return Math.imul(v, HASHMUL) >>> (32 - HASH_BITS);
}

class Compressor {
  readonly w = new HuffmanBitWriter();
  private readonly window = new Uint8Array(2 * WINDOW_SIZE);
  private readonly hashHead = new Uint32Array(HASH_SIZE);
  private readonly hashPrev = new Uint32Array(WINDOW_SIZE);
  private hashOffset = 1;
  private chainHead = -1;
  private index = 0;
  private windowEnd = 0;
  private blockStart = 0;
  private byteAvailable = false;
  private tokens: number[] = [];
  private length = MIN_MATCH_LENGTH - 1;
  private offset = 0;
  private maxInsertIndex = 0;
  private sync = false;

  private fill(b: Uint8Array): number {
    if (this.index >= 2 * WINDOW_SIZE - (MIN_MATCH_LENGTH + MAX_MATCH_LENGTH)) {
      // Shift the window down by half.
      this.window.copyWithin(0, WINDOW_SIZE, 2 * WINDOW_SIZE);
      this.index -= WINDOW_SIZE;
      this.windowEnd -= WINDOW_SIZE;
      if (this.blockStart >= WINDOW_SIZE) this.blockStart -= WINDOW_SIZE;
      else this.blockStart = MAX_INT32;
      this.hashOffset += WINDOW_SIZE;
      if (this.hashOffset > MAX_HASH_OFFSET) {
        const delta = this.hashOffset - 1;
        this.hashOffset -= delta;
        this.chainHead -= delta;
        for (let i = 0; i < this.hashPrev.length; i++) {
          const v = this.hashPrev[i]!;
          this.hashPrev[i] = v > delta ? v - delta : 0;
        }
        for (let i = 0; i < this.hashHead.length; i++) {
          const v = this.hashHead[i]!;
          this.hashHead[i] = v > delta ? v - delta : 0;
        }
      }
    }
    const n = Math.min(b.length, this.window.length - this.windowEnd);
    this.window.set(b.subarray(0, n), this.windowEnd);
    this.windowEnd += n;
    return n;
  }

  private writeBlock(index: number): void {
    if (index > 0) {
      const window = this.blockStart <= index ? this.window.subarray(this.blockStart, index) : undefined;
      this.blockStart = index;
      this.w.writeBlock(this.tokens, false, window);
    }
  }

  private findMatch(
    pos: number,
    prevHead: number,
    prevLength: number,
    lookahead: number,
  ): [number, number, boolean] {
    const minMatchLook = Math.min(MAX_MATCH_LENGTH, lookahead);
    const win = this.window;
    const winLen = pos + minMatchLook;
    const nice = Math.min(NICE, winLen - pos);
    let tries = CHAIN;
    let length = prevLength;
    let offset = 0;
    let ok = false;
    if (length >= GOOD) tries >>= 2;
    let wEnd = win[pos + length];
    const minIndex = pos - WINDOW_SIZE;
    for (let i = prevHead; tries > 0; tries--) {
      if (wEnd === win[i + length]) {
        let n = 0;
        while (n < minMatchLook && win[i + n] === win[pos + n]) n++;
        if (n > length && (n > MIN_MATCH_LENGTH || pos - i <= 4096)) {
          length = n;
          offset = pos - i;
          ok = true;
          if (n >= nice) break;
          wEnd = win[pos + n];
        }
      }
      if (i === minIndex) break;
      i = this.hashPrev[i & WINDOW_MASK]! - this.hashOffset;
      if (i < minIndex || i < 0) break;
    }
    return [length, offset, ok];
  }

  private deflate(): void {
    if (this.windowEnd - this.index < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH && !this.sync) return;
    this.maxInsertIndex = this.windowEnd - (MIN_MATCH_LENGTH - 1);
    for (;;) {
      const lookahead = this.windowEnd - this.index;
      if (lookahead < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH) {
        if (!this.sync) return;
        if (lookahead === 0) {
          if (this.byteAvailable) {
            this.tokens.push(LITERAL_TYPE + this.window[this.index - 1]!);
            this.byteAvailable = false;
          }
          if (this.tokens.length > 0) {
            this.writeBlock(this.index);
            this.tokens = [];
          }
          return;
        }
      }
      if (this.index < this.maxInsertIndex) {
        const hash = hash4(this.window, this.index);
        this.chainHead = this.hashHead[hash & HASH_MASK]!;
        this.hashPrev[this.index & WINDOW_MASK] = this.chainHead;
        this.hashHead[hash & HASH_MASK] = this.index + this.hashOffset;
      }
      const prevLength = this.length;
      const prevOffset = this.offset;
      this.length = MIN_MATCH_LENGTH - 1;
      this.offset = 0;
      const minIndex = Math.max(this.index - WINDOW_SIZE, 0);
      if (this.chainHead - this.hashOffset >= minIndex && lookahead > prevLength && prevLength < LAZY) {
        const [newLength, newOffset, ok] = this.findMatch(
          this.index,
          this.chainHead - this.hashOffset,
          MIN_MATCH_LENGTH - 1,
          lookahead,
        );
        if (ok) {
          this.length = newLength;
          this.offset = newOffset;
        }
      }
      if (prevLength >= MIN_MATCH_LENGTH && this.length <= prevLength) {
        // The previous match was better: emit it, and skip the bytes it covers.
        this.tokens.push(
          MATCH_TYPE +
            (prevLength - BASE_MATCH_LENGTH) * 2 ** LENGTH_SHIFT +
            (prevOffset - BASE_MATCH_OFFSET),
        );
        const newIndex = this.index + prevLength - 1;
        let index = this.index;
        for (index++; index < newIndex; index++) {
          if (index < this.maxInsertIndex) {
            const hash = hash4(this.window, index);
            this.hashPrev[index & WINDOW_MASK] = this.hashHead[hash & HASH_MASK]!;
            this.hashHead[hash & HASH_MASK] = index + this.hashOffset;
          }
        }
        this.index = index;
        this.byteAvailable = false;
        this.length = MIN_MATCH_LENGTH - 1;
        if (this.tokens.length === MAX_FLATE_BLOCK_TOKENS) {
          this.writeBlock(this.index);
          this.tokens = [];
        }
      } else {
        if (this.byteAvailable) {
          const i = this.index - 1;
          this.tokens.push(LITERAL_TYPE + this.window[i]!);
          if (this.tokens.length === MAX_FLATE_BLOCK_TOKENS) {
            this.writeBlock(i + 1);
            this.tokens = [];
          }
        }
        this.index++;
        this.byteAvailable = true;
      }
    }
  }

  write(data: Uint8Array): void {
    let b = data;
    while (b.length > 0) {
      this.deflate();
      b = b.subarray(this.fill(b));
    }
  }

  syncFlush(): void {
    this.sync = true;
    this.deflate();
    this.w.writeStoredHeader(0, false);
    this.w.flush();
    this.sync = false;
  }

  close(): void {
    this.sync = true;
    this.deflate();
    this.w.writeStoredHeader(0, true);
    this.w.flush();
  }
}

/** Go's CRC-32 (IEEE). */
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** What Packer's base64gzip compresses `data` to (before base64): gzip.NewWriter, Write, Flush, Close. */
export function goGzip(data: Uint8Array): Uint8Array {
  const c = new Compressor();
  c.write(data);
  c.syncFlush();
  c.close();
  const header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
  const crc = crc32(data);
  const size = data.length >>> 0;
  const trailer = [
    crc & 0xff,
    (crc >>> 8) & 0xff,
    (crc >>> 16) & 0xff,
    crc >>> 24,
    size & 0xff,
    (size >>> 8) & 0xff,
    (size >>> 16) & 0xff,
    size >>> 24,
  ];
  return Uint8Array.from([...header, ...c.w.out, ...trailer]);
}
