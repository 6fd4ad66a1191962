/**
 * Packer's IP network functions (go-cty-funcs on apparentlymart/go-cidr): cidrhost, cidrnetmask, cidrsubnet
 * and cidrsubnets, for IPv4 and IPv6, with host and network numbers up to 64-bit integers (negative host
 * numbers count back from the end of the range) and Go's messages.
 */
import {
  listType,
  listValEmpty,
  listValOf,
  numberType,
  stringType,
  stringVal,
  type Value,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";
import {
  cidrHost,
  cidrSubnet,
  type IPNet,
  ipNetContains,
  ipNetString,
  ipString,
  maskSize,
  nextSubnet,
  parseCIDR,
  previousSubnet,
} from "./util-b-go-net.js";

const WHOLE_NUMBER = "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

/** gocty.FromCtyValue into a Go int (int64 here): the value, or undefined when it is not a whole int64. */
function toInt(v: Value): bigint | undefined {
  const i = v.asBigFloat().toInt64();
  return i.exact ? i.value : undefined;
}

function intOrFail(v: Value): bigint {
  const i = toInt(v);
  if (i === undefined) throw new FunctionError(WHOLE_NUMBER);
  return i;
}

function network(prefix: string): IPNet {
  const r = parseCIDR(prefix);
  if (!r.ok) throw new FunctionError(`invalid CIDR expression: ${r.message}`);
  return r.net;
}

const cidrhost: FunctionSpec = {
  description: "Calculates a full host IP address within a given IP network address prefix.",
  params: [
    { name: "prefix", type: stringType },
    { name: "hostnum", type: numberType },
  ],
  type: () => stringType,
  impl: ([prefix, hostnum]) => {
    const num = intOrFail(hostnum!);
    const r = cidrHost(network(prefix!.asString()), num);
    if (!r.ok) throw new FunctionError(r.message);
    return stringVal(ipString(r.ip));
  },
};

const cidrnetmask: FunctionSpec = {
  description: "Converts an IPv4 address prefix given in CIDR notation into a subnet mask address.",
  params: [{ name: "prefix", type: stringType }],
  type: () => stringType,
  impl: ([prefix]) => stringVal(ipString(network(prefix!.asString()).mask!)),
};

const cidrsubnet: FunctionSpec = {
  description: "Calculates a subnet address within a given IP network address prefix.",
  params: [
    { name: "prefix", type: stringType },
    { name: "newbits", type: numberType },
    { name: "netnum", type: numberType },
  ],
  type: () => stringType,
  impl: ([prefix, newbitsArg, netnumArg]) => {
    const newbits = intOrFail(newbitsArg!);
    const netnum = intOrFail(netnumArg!);
    const net = network(prefix!.asString());
    if (newbits > 32n) throw new FunctionError("may not extend prefix by more than 32 bits");
    const r = cidrSubnet(net, Number(newbits), netnum);
    if (!r.ok) throw new FunctionError(r.message);
    return stringVal(ipNetString(r.net));
  },
};

const cidrsubnets: FunctionSpec = {
  description:
    "Calculates a sequence of consecutive IP address ranges within a particular CIDR prefix, each extending the prefix by the given number of bits.",
  params: [{ name: "prefix", type: stringType }],
  varParam: { name: "newbits", type: numberType },
  type: () => listType(stringType),
  impl: ([prefix, ...lengths]) => {
    const parsed = parseCIDR(prefix!.asString());
    if (!parsed.ok) throw new FunctionArgError(0, `invalid CIDR expression: ${parsed.message}`);
    const net = parsed.net;
    const [startPrefixLen] = maskSize(net.mask);
    if (lengths.length === 0) return listValEmpty(stringType);
    const lengthOf = (i: number): number => {
      const v = toInt(lengths[i]!);
      if (v === undefined) throw new FunctionArgError(i + 1, WHOLE_NUMBER);
      // Values beyond any prefix length fail the range checks below, as they do in Go.
      return v > 1_000_000n ? 1_000_000 : v < -1_000_000n ? -1_000_000 : Number(v);
    };
    const firstLength = lengthOf(0) + startPrefixLen;
    let [current] = previousSubnet(net, firstLength);
    const out: Value[] = [];
    for (let i = 0; i < lengths.length; i++) {
      let length = lengthOf(i);
      if (length < 1) throw new FunctionArgError(i + 1, "must extend prefix by at least one bit");
      if (length > 32) throw new FunctionArgError(i + 1, "may not extend prefix by more than 32 bits");
      length += startPrefixLen;
      const addrBits = net.ip.length * 8;
      if (length > addrBits) {
        const protocol = addrBits === 32 ? "IPv4" : addrBits === 128 ? "IPv6" : "IP";
        throw new FunctionArgError(
          i + 1,
          `would extend prefix to ${length} bits, which is too long for an ${protocol} address`,
        );
      }
      const [next, rollover] = nextSubnet(current, length);
      if (rollover || !ipNetContains(net, next.ip)) {
        throw new FunctionArgError(
          i + 1,
          `not enough remaining address space for a subnet with a prefix of ${length} bits after ${ipNetString(current)}`,
        );
      }
      current = next;
      out.push(stringVal(ipNetString(current)));
    }
    return listValOf(stringType, out);
  },
};

export const networkFunctions: Record<string, FunctionSpec> = {
  cidrhost,
  cidrnetmask,
  cidrsubnet,
  cidrsubnets,
};
