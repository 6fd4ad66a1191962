import { describe, expect, it } from "vitest";
import {
  formatValueHCL,
  numberFloatVal,
  numberIntVal,
  numberType,
  parseNumberVal,
  stringVal,
  unknownVal,
  type Value,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { networkFunctions } from "./network.js";

function run(name: string, ...args: Value[]): string {
  const r = callFunction(networkFunctions[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);
const n = (x: number | bigint) => numberIntVal(x);
const list = (...items: string[]) =>
  items.length === 0 ? "[]" : `[\n${items.map((i) => `  "${i}",\n`).join("")}]`;
const WHOLE = "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

// Expected values are what Packer 1.6.6 printed for the same calls.
describe("cidrhost", () => {
  it("computes host addresses, counting back for negative numbers", () => {
    expect(run("cidrhost", s("10.12.112.0/20"), n(16))).toBe("10.12.112.16");
    expect(run("cidrhost", s("10.12.112.0/20"), n(268))).toBe("10.12.113.12");
    expect(run("cidrhost", s("10.12.112.0/20"), n(-1))).toBe("10.12.127.255");
    expect(run("cidrhost", s("10.12.112.0/20"), n(-4096))).toBe("10.12.112.0");
    expect(run("cidrhost", s("10.0.0.5/32"), n(0))).toBe("10.0.0.5");
  });
  it("handles IPv6 with 64-bit host numbers", () => {
    expect(run("cidrhost", s("fd00:fd12:3456:7890:00a2::/72"), n(34))).toBe("fd00:fd12:3456:7890::22");
    expect(run("cidrhost", s("fd00::/64"), n(9223372036854775807n))).toBe("fd00::7fff:ffff:ffff:ffff");
    expect(run("cidrhost", s("fd00::/64"), n(-1))).toBe("fd00::ffff:ffff:ffff:ffff");
    expect(run("cidrhost", s("::/0"), n(-1))).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect(run("cidrhost", s("::ffff:10.0.0.0/104"), n(1))).toBe("0:1::ffff:a00:0");
  });
  it("reports out-of-range hosts as go-cidr does", () => {
    const err = (m: string) => `Call to function "cidrhost" failed: ${m}.`;
    expect(run("cidrhost", s("10.12.112.0/20"), n(-4097))).toBe(
      err("prefix of 20 does not accommodate a host numbered -1"),
    );
    expect(run("cidrhost", s("10.12.112.0/20"), n(4096))).toBe(
      err("prefix of 20 does not accommodate a host numbered 4096"),
    );
    expect(run("cidrhost", s("10.0.0.0/24"), n(-300))).toBe(
      err("prefix of 24 does not accommodate a host numbered -44"),
    );
    expect(run("cidrhost", s("10.0.0.5/32"), n(1))).toBe(
      err("prefix of 32 does not accommodate a host numbered 1"),
    );
    expect(run("cidrhost", s("10.0.0.0/8"), numberFloatVal(1.5))).toBe(err(WHOLE));
    const big = parseNumberVal("1e20");
    expect(big.ok && run("cidrhost", s("10.0.0.0/8"), big.value)).toBe(err(WHOLE));
  });
  it("rejects what net.ParseCIDR rejects", () => {
    for (const p of [
      "10.0.0.0",
      "10.0.0.0/33",
      "010.0.0.0/8",
      "fe80::1%eth0/64",
      "bad",
      "10.0.0.0/+8",
      "1::2::3/64",
      "::1:/64",
    ]) {
      expect(run("cidrhost", s(p), n(1))).toBe(
        `Call to function "cidrhost" failed: invalid CIDR expression: invalid CIDR address: ${p}.`,
      );
    }
  });
  it("is unknown when an argument is", () => {
    expect(run("cidrhost", s("10.0.0.0/8"), unknownVal(numberType))).toBe("<unknown>");
  });
});

describe("cidrnetmask", () => {
  it("prints the mask as an address", () => {
    expect(run("cidrnetmask", s("172.16.0.0/12"))).toBe("255.240.0.0");
    expect(run("cidrnetmask", s("10.0.0.0/0"))).toBe("0.0.0.0");
    expect(run("cidrnetmask", s("10.0.0.0/32"))).toBe("255.255.255.255");
    expect(run("cidrnetmask", s("10.0.0.0/08"))).toBe("255.0.0.0");
    expect(run("cidrnetmask", s("fd00::/64"))).toBe("ffff:ffff:ffff:ffff::");
    expect(run("cidrnetmask", s("::/0"))).toBe("::");
    expect(run("cidrnetmask", s("bad"))).toBe(
      `Call to function "cidrnetmask" failed: invalid CIDR expression: invalid CIDR address: bad.`,
    );
  });
});

describe("cidrsubnet", () => {
  it("computes subnets", () => {
    expect(run("cidrsubnet", s("172.16.0.0/12"), n(4), n(2))).toBe("172.18.0.0/16");
    expect(run("cidrsubnet", s("10.1.2.0/24"), n(4), n(15))).toBe("10.1.2.240/28");
    expect(run("cidrsubnet", s("fd00:fd12:3456:7890::/56"), n(16), n(162))).toBe(
      "fd00:fd12:3456:7800:a200::/72",
    );
    expect(run("cidrsubnet", s("fd00::/8"), n(32), n(4294967295))).toBe("fdff:ffff:ff00::/40");
    expect(run("cidrsubnet", s("10.1.2.3/24"), n(0), n(0))).toBe("10.1.2.0/24");
  });
  it("reproduces go-cidr's handling of negative numbers", () => {
    expect(run("cidrsubnet", s("10.0.0.0/8"), n(8), n(-1))).toBe("0.1.0.0/16");
    expect(run("cidrsubnet", s("10.1.2.0/24"), n(-8), n(0))).toBe("10.1.2.0/16");
    expect(run("cidrsubnet", s("10.1.2.0/24"), n(-30), n(0))).toBe("<nil>");
  });
  it("reports impossible extensions", () => {
    const err = (m: string) => `Call to function "cidrsubnet" failed: ${m}.`;
    expect(run("cidrsubnet", s("10.1.2.0/24"), n(4), n(16))).toBe(
      err("prefix extension of 4 does not accommodate a subnet numbered 16"),
    );
    expect(run("cidrsubnet", s("10.1.2.0/24"), n(9), n(0))).toBe(
      err("insufficient address space to extend prefix of 24 by 9"),
    );
    expect(run("cidrsubnet", s("10.1.2.0/24"), n(33), n(0))).toBe(
      err("may not extend prefix by more than 32 bits"),
    );
    expect(run("cidrsubnet", s("fd00::/8"), n(33), n(0))).toBe(
      err("may not extend prefix by more than 32 bits"),
    );
    expect(run("cidrsubnet", s("10.0.0.0/8"), numberFloatVal(1.5), n(0))).toBe(err(WHOLE));
  });
});

describe("cidrsubnets", () => {
  it("allocates consecutive subnets", () => {
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(4), n(4), n(8), n(4))).toBe(
      list("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"),
    );
    expect(run("cidrsubnets", s("fd00:fd12:3456:7890::/56"), n(16), n(16), n(16), n(32))).toBe(
      list(
        "fd00:fd12:3456:7800::/72",
        "fd00:fd12:3456:7800:100::/72",
        "fd00:fd12:3456:7800:200::/72",
        "fd00:fd12:3456:7800:300::/88",
      ),
    );
    expect(run("cidrsubnets", s("10.1.0.0/16"))).toBe("[]");
    expect(run("cidrsubnets", s("10.1.2.3/16"), n(8))).toBe(list("10.1.0.0/24"));
  });
  it("reports each bad length against the newbits parameter", () => {
    const err = (m: string) => `Invalid value for "newbits" parameter: ${m}.`;
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(0))).toBe(err("must extend prefix by at least one bit"));
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(33))).toBe(
      err("may not extend prefix by more than 32 bits"),
    );
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(17))).toBe(
      err("would extend prefix to 33 bits, which is too long for an IPv4 address"),
    );
    expect(run("cidrsubnets", s("10.1.0.0/16"), numberFloatVal(1.5))).toBe(err(WHOLE));
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(8), numberFloatVal(1.5))).toBe(err(WHOLE));
  });
  it("reports exhausted address space, including go-cidr's wrap-around at the zero address", () => {
    const err = (m: string) =>
      `Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of ${m}.`;
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(1), n(1), n(1))).toBe(err("17 bits after 10.1.128.0/17"));
    expect(run("cidrsubnets", s("10.1.0.0/16"), n(2), n(1), n(2))).toBe(err("18 bits after 10.1.128.0/17"));
    expect(run("cidrsubnets", s("0.0.0.0/0"), n(1), n(1))).toBe(err("1 bits after 128.0.0.0/1"));
    expect(run("cidrsubnets", s("255.255.255.0/24"), n(1), n(1), n(1))).toBe(
      err("25 bits after 255.255.255.128/25"),
    );
    expect(run("cidrsubnets", s("::/0"), n(32), n(32))).toBe(err("32 bits after ffff:ffff::/32"));
  });
  it("reports a bad prefix against the prefix parameter", () => {
    expect(run("cidrsubnets", s("bad"), n(1))).toBe(
      `Invalid value for "prefix" parameter: invalid CIDR expression: invalid CIDR address: bad.`,
    );
  });
});
