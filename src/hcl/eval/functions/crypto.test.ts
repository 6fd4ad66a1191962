import bcryptjs from "bcryptjs";
import { describe, expect, it } from "vitest";
import {
  formatValueHCL,
  numberFloatVal,
  numberIntVal,
  stringType,
  stringVal,
  unknownVal,
  type Value,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { cryptoFunctions } from "./crypto.js";

function run(name: string, ...args: Value[]): string {
  const r = callFunction(cryptoFunctions[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);

// A throwaway 1024-bit key in the forms rsadecrypt meets, and ciphertexts made for it with OpenSSL.
const PKCS1_PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC9PhcHeVUkVT4330CV14PHknsZ3Uzm9mKwE8Wq5srwQYM8HjLB\nhgsyuSo4OeYP2kg5ZuczLC+VIGmJ7Mu/4vvrHEji+86NUSlhLOn+yNzeARpB/qJv\n7Xu2nvS9Vsh7Bsyyaw3oUqDApKjAcooHKAYtrPwGQ4LdK7ffpP+aTce8wQIDAQAB\nAoGBAKQYPufgMg/7SqQwFlTYOBDJ16yp1JFBfHmp63EyBy8l36I1nVVp4jPtk8qF\nihSc9puvuzMIUYpCPMG4b0TIkh/h5dUx2AQgc0+3vdvSgK4ZAlc2kCIEhOo9siMt\n/5e1mrDusx6X9tsH0j4tnf2KdNzXCRTSJX9na6j4Y2PjTgixAkEA7ZU4dOLGSUTc\nAwlRo5ReHUl8QAiZ6jTF/aDTLIOmTzqwyaH9PuvQvZJLo1zlj9vR/uOLeNZbMON7\nDJ+B8YirQwJBAMvpkN54pLO1hm3gFWvvP1G2kkcChoI+7U2JUebKy++wiaJEqpus\nfZgjtaASt//WbW300fRXjs4unR8anI5CXasCQAUvGlpCkH0MyZgvXd6p4BvXfKSR\nC3q2yBMurSztenWEHFNp+3KiBp38UTYxUrj+3Ogo4uQyGS9J52dxG46/oq0CQChf\npn9mA7ZRSryWkac9R5w2OeA1b8x6CSJA/iZkINzkZ1vpnJ4WGQf2ig+XpTbSjfgn\ncSqf63aHZDS0YCsKmOECQGjNe9QxOQo3QS84bF1ux+rbbu4QTLaQJy+TF0Z/lwIg\n7yHfCyXTnnYJK7vn8V2XTk5bGSxjzHqAEkLcKLi9QTA=\n-----END RSA PRIVATE KEY-----\n";
const PKCS8_PEM =
  "-----BEGIN PRIVATE KEY-----\nMIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAL0+Fwd5VSRVPjff\nQJXXg8eSexndTOb2YrATxarmyvBBgzweMsGGCzK5Kjg55g/aSDlm5zMsL5UgaYns\ny7/i++scSOL7zo1RKWEs6f7I3N4BGkH+om/te7ae9L1WyHsGzLJrDehSoMCkqMBy\nigcoBi2s/AZDgt0rt9+k/5pNx7zBAgMBAAECgYEApBg+5+AyD/tKpDAWVNg4EMnX\nrKnUkUF8eanrcTIHLyXfojWdVWniM+2TyoWKFJz2m6+7MwhRikI8wbhvRMiSH+Hl\n1THYBCBzT7e929KArhkCVzaQIgSE6j2yIy3/l7WasO6zHpf22wfSPi2d/Yp03NcJ\nFNIlf2drqPhjY+NOCLECQQDtlTh04sZJRNwDCVGjlF4dSXxACJnqNMX9oNMsg6ZP\nOrDJof0+69C9kkujXOWP29H+44t41lsw43sMn4HxiKtDAkEAy+mQ3niks7WGbeAV\na+8/UbaSRwKGgj7tTYlR5srL77CJokSqm6x9mCO1oBK3/9ZtbfTR9FeOzi6dHxqc\njkJdqwJABS8aWkKQfQzJmC9d3qngG9d8pJELerbIEy6tLO16dYQcU2n7cqIGnfxR\nNjFSuP7c6Cji5DIZL0nnZ3Ebjr+irQJAKF+mf2YDtlFKvJaRpz1HnDY54DVvzHoJ\nIkD+JmQg3ORnW+mcnhYZB/aKD5elNtKN+CdxKp/rdodkNLRgKwqY4QJAaM171DE5\nCjdBLzhsXW7H6ttu7hBMtpAnL5MXRn+XAiDvId8LJdOedgkru+fxXZdOTlsZLGPM\neoASQtwouL1BMA==\n-----END PRIVATE KEY-----\n";
const EC_PEM =
  "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAtxwer3zxCTI6gtqasWFXJbv2MFaHMhswV3JipLvXLLoAoGCCqGSM49\nAwEHoUQDQgAE8VsHUmHNgj2svXVdofw2xespU+h0ibX27gGPAnn2mK7W9vfu9wow\nRpIfbk5U/U4cteBg7PRwhGmz5VaLJ7dzCg==\n-----END EC PRIVATE KEY-----\n";
const ENC_PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,AC040A742468B4DADE684C009D8BFBC4\n\nuDRzsGbYf87LvFaWGLVWd4YWRCLkWbBaQTJda1FNzUVXe51PbY5AvEvZ8T6Rkdqp\nDkCY2PPQ1kTLgHjKz6oLoYm/okc5YwKzjPwccwuVZzVrJX2VeZo+Gb6r+pQyBsHy\nUmdfQfnDkNd3x3m0HqM+x8gQJ6vQzyWwcXDa4+Pb2iMMGuAgO3LzZUqX2MjVhfAX\nhDR9vmM26DQyHOweumS7rqZCIJ/o5l0YuvccqzXRuuZb3N5V+Pbm4MeVwJCNKC9N\nyk3xIAsMMQjbyqLhoRMkZToX4uA37SfTFQzuLM85bL8kNr/hF3GYv55LBXWjF5Mu\nGq6dQG4EdxL/OVvkh/xvjUk66ygznDPHTPb3Tpn3JTH7ta0hmBJIRIDV+G/sTQxn\nx2Vlbv+kb2RFM+RZHLfBWyhBgGvxZVgo6ZdiPjDGL3IYnjX3zBUM8dr0dOpgHDe5\nTRKgeWqbdmC946nAHt6Az4Mj8D5I8pUZTLGlVbA5VFZzNpG0A9tsuvb0Gm/xUdjH\nXgQImI/w1AJZH4bDNSV6DYPJDSmkh0kDBGonwJ5jMD8uY1haYR+BJkwUHM6LRU/l\nhCji5X/Xi9Qt3XpcU6vKepeZhIpjRTPo+R7oxPNkvvFtds4h0hTUKuOx5VeA2RZH\n08MYpltgcAi7gNVXl/ckmijXuYNdFgc826JKGp9Q5hE05cutAuAKhhiuhfIGTVaH\naYqmzyK0Yxns0HoZoxwP7jAHIhnZ81G6JXdYZsPmmg5liAB4HlQiyyp039nKeRzD\nvor4MtYYfVNBXPAW9RbFyPcN8GOuD7SGHgsVZix7mgmjdOhsIdnXGeyOON1X2Ghq\n-----END RSA PRIVATE KEY-----\n";
const CT_B64 =
  "fya02K7DAWulYDpnxS3VUayLv36SO2NVNko0DrDi/TRDpakCl5yUJSLFT+2Owh8ohGAb3fWdfUwCPOsRgo7D6Ops6qoOj04h2aUBx+gjsXLTcYL1CpFp4eWyE3pROKRfeHZpKPdPrPnRnVFqpSqYhFmeuJlPhvSGxKvDqxGVMs0=";
const CT2_B64 =
  "sayxfe2oLWxYjGLcW8OjhQAhmjI8/iJWY50NYLumWjkQR6FzvXZWRxXhyLK4pMWY3l9V5RFA/9MimEnUj9xLndbh2RIeBEkBKoisaO3osIVi17GsUO/5pmIJa4D2jP4D0uUnI3bcuyolG7Oh6ysULD8Bw1otn9jNSIhtCL/Q9/U=";
const OAEP_B64 =
  "fSyVc/dXX70WuGTeJLGh+ctMUqrhIpY7DO4Ipcd10q2cuSKELHPf87jtLnhb739uFShBqWf4JIg7ppJV7Ckj9g51WGRAUh64c9GGwXMwJlO4A9jLlmwYzCAGyhvhP4GgOGp08Mdk4mGElze6U9oPAiL5XaOtXr5+FCkNhzhj32w=";

// Expected values are what Packer 1.6.6 printed for the same calls (hashes, errors), or Go's bcrypt rules.
describe("hash functions", () => {
  it("hash the UTF-8 bytes and print hex", () => {
    expect(run("md5", s("hello"))).toBe("5d41402abc4b2a76b9719d911017c592");
    expect(run("md5", s(""))).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(run("sha1", s("hello"))).toBe("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
    expect(run("sha256", s("hello"))).toBe(
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    );
    expect(run("sha256", s("é☃"))).toBe("85336da7a98ef7c782aec8005e1de5f7488ec5911969cc570a4a83bb339f97ed");
    expect(run("sha512", s("hello"))).toBe(
      "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
    );
  });
  it("are unknown for unknown input", () => {
    expect(run("sha256", unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("bcrypt", () => {
  it("produces $2a$ hashes with cost 10 by default", () => {
    const h = run("bcrypt", s("secret"));
    expect(h).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcryptjs.compareSync("secret", h)).toBe(true);
    expect(bcryptjs.compareSync("other", h)).toBe(false);
    expect(run("bcrypt", s("secret"))).not.toBe(h);
  });
  it("honours the cost, raising costs below 4 to 10", () => {
    expect(run("bcrypt", s("é"), numberIntVal(4))).toMatch(/^\$2a\$04\$/);
    expect(run("bcrypt", s("a"), numberIntVal(3))).toMatch(/^\$2a\$10\$/);
    expect(bcryptjs.compareSync("é", run("bcrypt", s("é"), numberIntVal(5)))).toBe(true);
  });
  it("reports bad costs, extra arguments and long passwords", () => {
    expect(run("bcrypt", s("a"), numberIntVal(32))).toBe(
      `Call to function "bcrypt" failed: error occured generating password crypto/bcrypt: cost 32 is outside allowed range (4,31).`,
    );
    expect(run("bcrypt", s("a"), numberFloatVal(1.5))).toBe(
      `Call to function "bcrypt" failed: value must be a whole number, between -9223372036854775808 and 9223372036854775807.`,
    );
    expect(run("bcrypt", s("a"), numberIntVal(4), numberIntVal(5))).toBe(
      `Call to function "bcrypt" failed: bcrypt() takes no more than two arguments.`,
    );
    expect(run("bcrypt", s("x".repeat(73)))).toBe(
      `Call to function "bcrypt" failed: error occured generating password bcrypt: password length exceeds 72 bytes.`,
    );
    expect(run("bcrypt", s("x".repeat(72)))).toMatch(/^\$2a\$10\$/);
  });
});

describe("rsadecrypt", () => {
  it("decrypts PKCS #1 v1.5 ciphertext with a PKCS #1 key", () => {
    expect(run("rsadecrypt", s(CT_B64), s(PKCS1_PEM))).toBe("Hello, World!");
    expect(run("rsadecrypt", s(CT2_B64), s(PKCS1_PEM))).toBe("é☃");
    expect(run("rsadecrypt", s(CT_B64), s(`junk before\n${PKCS1_PEM}`))).toBe("Hello, World!");
  });
  it("reports keys it cannot use as Go does", () => {
    const err = (m: string) => `Call to function "rsadecrypt" failed: ${m}.`;
    expect(run("rsadecrypt", s(CT_B64), s(PKCS8_PEM))).toBe(
      err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"),
    );
    expect(run("rsadecrypt", s(CT_B64), s(EC_PEM))).toBe(
      err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"),
    );
    expect(run("rsadecrypt", s(CT_B64), s(ENC_PEM))).toBe(
      err(
        "failed to parse key: password protected keys are not supported. Please decrypt the key prior to use",
      ),
    );
    expect(run("rsadecrypt", s(CT_B64), s("nokey"))).toBe(err("failed to parse key: no key found"));
    expect(
      run(
        "rsadecrypt",
        s(CT_B64),
        s("-----BEGIN RSA PRIVATE KEY-----\naGVsbG8=\n-----END RSA PRIVATE KEY-----\n"),
      ),
    ).toBe(
      err(
        "asn1: structure error: tags don't match (16 vs {class:1 tag:8 length:101 isCompound:true}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs1PrivateKey @2",
      ),
    );
  });
  it("reports bad ciphertext", () => {
    const err = (m: string) => `Call to function "rsadecrypt" failed: ${m}.`;
    expect(run("rsadecrypt", s("!!notb64"), s(PKCS1_PEM))).toBe(
      err('failed to decode input "!!notb64": cipher text must be base64-encoded'),
    );
    expect(run("rsadecrypt", s(OAEP_B64), s(PKCS1_PEM))).toBe(err("crypto/rsa: decryption error"));
    expect(run("rsadecrypt", s("aGVsbG8="), s(PKCS1_PEM))).toBe(err("crypto/rsa: decryption error"));
  });
});
