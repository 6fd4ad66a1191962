/**
 * The parts of Go's net package (IP, IPMask, IPNet, ParseCIDR on netip's address syntax) and of
 * apparentlymart/go-cidr (v1.1) that the cidr* functions use. IPs are byte arrays of length 4 or 16 exactly
 * as Go holds them, because results depend on which length an address has at each step.
 */

export type IP = Uint8Array;
export type IPMask = Uint8Array;

export interface IPNet {
  readonly ip: IP;
  /** Undefined where Go has a nil mask (a prefix length out of range). */
  readonly mask: IPMask | undefined;
}

const v4InV6Prefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

// ---- parsing (net/netip.ParseAddr rules) -----------------------------------------------------------------

function parseIPv4(s: string): Uint8Array | undefined {
  const fields = s.split(".");
  if (fields.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const f = fields[i]!;
    if (!/^[0-9]{1,3}$/.test(f)) return undefined;
    if (f.length > 1 && f[0] === "0") return undefined; // leading zeros are refused
    const v = Number(f);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  if (s.includes("%")) return undefined; // a zone: ParseCIDR refuses those
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  let i = 0;
  let rest = s;
  if (rest.startsWith("::")) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === "") return ip;
  }
  while (i < 16) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
    if (m === null) return undefined;
    // An embedded IPv4 address in the last 32 bits.
    if (rest.length > m[0].length && rest[m[0].length] === ".") {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4(rest);
      if (v4 === undefined) return undefined;
      ip.set(v4, i);
      i += 4;
      rest = "";
      break;
    }
    const v = Number.parseInt(m[0], 16);
    ip[i] = v >> 8;
    ip[i + 1] = v & 0xff;
    i += 2;
    rest = rest.slice(m[0].length);
    if (rest === "") break;
    if (rest[0] !== ":" || rest.length === 1) return undefined;
    rest = rest.slice(1);
    if (rest[0] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      rest = rest.slice(1);
      if (rest === "") break;
    }
  }
  if (rest !== "") return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined; // "::" must stand for at least one group
  }
  return ip;
}

/** net.ParseCIDR: the network (IP masked), or Go's "invalid CIDR address: s" error text. */
export function parseCIDR(s: string): { ok: true; net: IPNet } | { ok: false; message: string } {
  const fail = { ok: false as const, message: `invalid CIDR address: ${s}` };
  const slash = s.indexOf("/");
  if (slash < 0) return fail;
  const addr = s.slice(0, slash);
  const maskText = s.slice(slash + 1);
  let ip16: Uint8Array | undefined;
  let bitLen: number;
  const firstSep = /[.:%]/.exec(addr)?.[0];
  if (firstSep === ".") {
    const v4 = parseIPv4(addr);
    if (v4 === undefined) return fail;
    ip16 = Uint8Array.from([...v4InV6Prefix, ...v4]);
    bitLen = 32;
  } else if (firstSep === ":") {
    ip16 = parseIPv6(addr);
    bitLen = 128;
  } else {
    return fail;
  }
  if (ip16 === undefined) return fail;
  if (!/^[0-9]+$/.test(maskText) || maskText.length > 8) return fail;
  const n = Number(maskText);
  if (n > bitLen) return fail;
  const mask = cidrMask(n, bitLen)!;
  return { ok: true, net: { ip: ipMask(ip16, mask)!, mask } };
}

// ---- IP and mask operations ------------------------------------------------------------------------------

/** net.CIDRMask; undefined (nil) when out of range. */
export function cidrMask(ones: number, bits: number): IPMask | undefined {
  if (bits !== 32 && bits !== 128) return undefined;
  if (ones < 0 || ones > bits) return undefined;
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < m.length; i++) {
    const take = Math.max(0, Math.min(8, ones - i * 8));
    m[i] = (0xff << (8 - take)) & 0xff;
  }
  return m;
}

/** IPMask.Size: leading ones and total bits, or (0, 0) for a mask that is not canonical. */
export function maskSize(m: IPMask | undefined): [number, number] {
  if (m === undefined) return [0, 0];
  let ones = 0;
  let foundZero = false;
  for (const b of m) {
    for (let i = 7; i >= 0; i--) {
      if ((b >> i) & 1) {
        if (foundZero) return [0, 0];
        ones++;
      } else {
        foundZero = true;
      }
    }
  }
  return [ones, m.length * 8];
}

/** IP.To4: the 4-byte form, or undefined. */
export function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && v4InV6Prefix.every((b, i) => ip[i] === b)) return ip.subarray(12);
  return undefined;
}

/** IP.Mask; undefined (nil) when the lengths do not fit. */
export function ipMask(ipIn: IP, maskIn: IPMask): IP | undefined {
  let ip = ipIn;
  let mask = maskIn;
  if (mask.length === 16 && ip.length === 4 && mask.subarray(0, 12).every((b) => b === 0xff))
    mask = mask.subarray(12);
  if (mask.length === 4 && ip.length === 16 && v4InV6Prefix.every((b, i) => ip[i] === b))
    ip = ip.subarray(12);
  if (ip.length !== mask.length) return undefined;
  return ip.map((b, i) => b & mask[i]!);
}

function to16(ip: IP): IP | undefined {
  if (ip.length === 4) return Uint8Array.from([...v4InV6Prefix, ...ip]);
  if (ip.length === 16) return ip;
  return undefined;
}

/** IP.Equal */
export function ipEqual(a: IP, b: IP): boolean {
  if (a.length === b.length) return a.every((x, i) => x === b[i]);
  const a16 = to16(a);
  const b16 = to16(b);
  return a16 !== undefined && b16 !== undefined && a16.every((x, i) => x === b16[i]);
}

/** IP.String */
export function ipString(ip: IP): string {
  if (ip.length === 0) return "<nil>";
  if (ip.length !== 4 && ip.length !== 16) return `?${Buffer.from(ip).toString("hex")}`;
  const v4 = to4(ip);
  if (v4 !== undefined) return Array.from(v4).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i]! << 8) | ip[i + 1]!);
  // The first longest run of two or more zero groups becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.map((g) => g.toString(16)).join(":");
  const head = groups.slice(0, bestStart).map((g) => g.toString(16));
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16));
  return `${head.join(":")}::${tail.join(":")}`;
}

function networkNumberAndMask(n: IPNet): [IP, IPMask] | undefined {
  let ip = to4(n.ip);
  if (ip === undefined) {
    ip = n.ip;
    if (ip.length !== 16) return undefined;
  }
  let m = n.mask;
  if (m === undefined) return undefined;
  if (m.length === 4) {
    if (ip.length !== 4) return undefined;
  } else if (m.length === 16) {
    if (ip.length === 4) m = m.subarray(12);
  } else {
    return undefined;
  }
  return [ip, m];
}

/** IPNet.String */
export function ipNetString(n: IPNet): string {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return "<nil>";
  const [ones, bits] = maskSize(nm[1]);
  if (ones === 0 && bits === 0 && nm[1].some((b) => b !== 0)) {
    return `${ipString(nm[0])}/${Buffer.from(nm[1]).toString("hex")}`;
  }
  return `${ipString(nm[0])}/${ones}`;
}

/** IPNet.Contains */
export function ipNetContains(n: IPNet, ipIn: IP): boolean {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return false;
  const [nn, m] = nm;
  const ip = to4(ipIn) ?? ipIn;
  if (ip.length !== nn.length) return false;
  for (let i = 0; i < ip.length; i++) if ((nn[i]! & m[i]!) !== (ip[i]! & m[i]!)) return false;
  return true;
}

// ---- go-cidr ---------------------------------------------------------------------------------------------

function ipToInt(ip: IP): [bigint, number] {
  const hex = Buffer.from(ip).toString("hex");
  return [hex === "" ? 0n : BigInt(`0x${hex}`), ip.length * 8];
}

/** go-cidr's intToIP: the magnitude's bytes right-aligned in an address of `bits` bits. */
function intToIP(v: bigint, bits: number): IP {
  const abs = v < 0n ? -v : v;
  let hex = abs.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = abs === 0n ? new Uint8Array(0) : Uint8Array.from(Buffer.from(hex, "hex"));
  const ret = new Uint8Array(bits / 8);
  // Go would panic on an overlong value; the high bytes are dropped here instead.
  for (let i = 1; i <= Math.min(bytes.length, ret.length); i++)
    ret[ret.length - i] = bytes[bytes.length - i]!;
  return ret;
}

function insertNumIntoIP(ip: IP, num: bigint, prefixLen: number): IP {
  const [ipInt, totalBits] = ipToInt(ip);
  const shift = totalBits - prefixLen;
  const shifted = shift >= 0 ? num << BigInt(shift) : num >> BigInt(-shift);
  return intToIP(ipInt | shifted, totalBits);
}

/** big.Int.Uint64 of a (possibly negative) value: the low 64 bits of its magnitude. */
function lowUint64(v: bigint): bigint {
  return (v < 0n ? -v : v) & 0xffffffffffffffffn;
}

/** cidr.Host (HostBig with an int64). */
export function cidrHost(
  base: IPNet,
  hostNum: bigint,
): { ok: true; ip: IP } | { ok: false; message: string } {
  const [parentLen, addrLen] = maskSize(base.mask);
  const maxHostNum = (1n << BigInt(addrLen - parentLen)) - 1n;
  let num = hostNum;
  let numUint64 = BigInt.asIntN(64, lowUint64(num));
  if (num < 0n) {
    numUint64 = -num - 1n;
    num = maxHostNum - numUint64;
  }
  if (numUint64 > maxHostNum) {
    return { ok: false, message: `prefix of ${parentLen} does not accommodate a host numbered ${num}` };
  }
  const bitlength = to4(base.ip) !== undefined ? 32 : 128;
  return { ok: true, ip: insertNumIntoIP(base.ip, num, bitlength) };
}

/** cidr.Subnet (SubnetBig with an int64). */
export function cidrSubnet(
  base: IPNet,
  newBits: number,
  num: bigint,
): { ok: true; net: IPNet } | { ok: false; message: string } {
  const [parentLen, addrLen] = maskSize(base.mask);
  const newPrefixLen = parentLen + newBits;
  if (newPrefixLen > addrLen) {
    return {
      ok: false,
      message: `insufficient address space to extend prefix of ${parentLen} by ${newBits}`,
    };
  }
  // uint64(1<<uint64(newBits)) - 1, with Go's wrap-around for shifts of 64 or more (and negative counts).
  const shiftCount = BigInt.asUintN(64, BigInt(newBits));
  const maxNetNum = BigInt.asUintN(64, (shiftCount >= 64n ? 0n : 1n << shiftCount) - 1n);
  if (lowUint64(num) > maxNetNum) {
    return {
      ok: false,
      message: `prefix extension of ${newBits} does not accommodate a subnet numbered ${num}`,
    };
  }
  return {
    ok: true,
    net: { ip: insertNumIntoIP(base.ip, num, newPrefixLen), mask: cidrMask(newPrefixLen, addrLen) },
  };
}

function checkIPv4(ip: IP): IP {
  return to4(ip) ?? ip;
}

function incIP(ipIn: IP): IP {
  const ip = Uint8Array.from(checkIPv4(ipIn));
  for (let j = ip.length - 1; j >= 0; j--) {
    ip[j] = (ip[j]! + 1) & 0xff;
    if (ip[j]! > 0) break;
  }
  return ip;
}

function decIP(ipIn: IP): IP {
  const ip = Uint8Array.from(checkIPv4(ipIn));
  for (let j = ip.length - 1; j >= 0; j--) {
    ip[j] = (ip[j]! - 1) & 0xff;
    if (ip[j]! < 255) break;
  }
  return ip;
}

const isZeroAddress = (ip: IP) =>
  ipEqual(ip, new Uint8Array(16).fill(0xff, 10, 12)) || ipEqual(ip, new Uint8Array(16));

function addressRange(n: IPNet): [IP, IP] {
  const first = n.ip;
  const [prefixLen, maskBits] = maskSize(n.mask);
  if (prefixLen === maskBits) return [first, Uint8Array.from(first)];
  const [firstInt, bits] = ipToInt(first);
  const hostLen = BigInt(bits - prefixLen);
  const lastInt = ((1n << hostLen) - 1n) | firstInt;
  return [first, intToIP(lastInt, bits)];
}

/** cidr.PreviousSubnet: the subnet of the given length just before `n`, and whether it wrapped. */
export function previousSubnet(n: IPNet, prefixLen: number): [IPNet, boolean] {
  const startIP = checkIPv4(n.ip);
  const mask = cidrMask(prefixLen, 8 * startIP.length);
  const prev = decIP(startIP);
  const previous: IPNet = { ip: (mask && ipMask(prev, mask)) ?? new Uint8Array(0), mask };
  return [previous, isZeroAddress(startIP)];
}

/** cidr.NextSubnet: the subnet of the given length just after `n`, and whether it wrapped. */
export function nextSubnet(n: IPNet, prefixLen: number): [IPNet, boolean] {
  const [, currentLast] = addressRange(n);
  const mask = cidrMask(prefixLen, 8 * currentLast.length);
  const currentSubnet: IPNet = { ip: (mask && ipMask(currentLast, mask)) ?? new Uint8Array(0), mask };
  const [, last] = addressRange(currentSubnet);
  const inc = incIP(last);
  const next: IPNet = { ip: (mask && ipMask(inc, mask)) ?? new Uint8Array(0), mask };
  return [next, isZeroAddress(inc)];
}
