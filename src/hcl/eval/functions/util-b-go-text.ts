/**
 * Small pieces of Go's standard library that Packer's function messages and results depend on: strconv.Quote
 * (fmt's %q), encoding/base64's strict StdEncoding decoder (with its CorruptInputError offsets), UTF-8
 * validation, and a %v-like rendering of cty values for the few messages that print them.
 */

const utf8 = new TextEncoder();
const strictUTF8 = new TextDecoder("utf-8", { fatal: true });

/** The UTF-8 bytes of a string. */
export function utf8Bytes(s: string): Uint8Array {
  return utf8.encode(s);
}

/** utf8.Valid + string(b): the text, or undefined when the bytes are not valid UTF-8. */
export function decodeUTF8(bytes: Uint8Array): string | undefined {
  try {
    return strictUTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** strconv.Quote, which is what fmt's %q prints for a string (shared with the other layers). */
export { goQuote } from "../../go/strconv.js";

const base64DecodeMap = (() => {
  const m = new Int16Array(256).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
})();

export type Base64Result =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly offset: number };

/**
 * base64.StdEncoding.DecodeString: padding required, "\r" and "\n" ignored anywhere, non-zero trailing bits
 * accepted. On failure, the byte offset Go's CorruptInputError reports.
 */
export function goBase64Decode(s: string): Base64Result {
  const src = utf8.encode(s);
  const out: number[] = [];
  let si = 0;
  const isNL = (b: number | undefined) => b === 10 || b === 13;
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailingErr: number | undefined;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0)
          return trailingErr === undefined
            ? { ok: true, bytes: Uint8Array.from(out) }
            : { ok: false, offset: trailingErr };
        return { ok: false, offset: si - j };
      }
      const inb = src[si]!;
      si++;
      const v = base64DecodeMap[inb]!;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNL(inb)) {
        j--;
        continue;
      }
      if (inb !== 61 /* = */) return { ok: false, offset: si - 1 };
      // Padding: only at the third or fourth position of a quantum.
      if (j === 0 || j === 1) return { ok: false, offset: si - 1 };
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++;
        if (si === src.length) return { ok: false, offset: src.length };
        if (src[si] !== 61) return { ok: false, offset: si - 1 };
        si++;
      }
      while (si < src.length && isNL(src[si])) si++;
      if (si < src.length) trailingErr = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!);
    if (trailingErr !== undefined) return { ok: false, offset: trailingErr };
    if (dlen < 4) return { ok: true, bytes: Uint8Array.from(out) };
  }
}

/** base64.StdEncoding.EncodeToString */
export function goBase64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
