import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { followMessages } from "./progress.js";
import { authFor, canonicalReference, parseReference, registryHost } from "./reference.js";

describe("parseReference", () => {
  it("splits domain, repository, tag and digest like the docker CLI", () => {
    expect(parseReference("busybox")).toEqual({
      domain: "docker.io",
      repository: "busybox",
      fullRepository: "docker.io/library/busybox",
      tag: undefined,
      digest: undefined,
    });
    expect(parseReference("127.0.0.1:5000/a/b:t1")).toMatchObject({
      domain: "127.0.0.1:5000",
      repository: "127.0.0.1:5000/a/b",
      tag: "t1",
    });
    expect(parseReference("localhost/x@sha256:abc")).toMatchObject({
      domain: "localhost",
      digest: "sha256:abc",
    });
    expect(parseReference("kiln-test/busybox:latest")).toMatchObject({
      domain: "docker.io",
      fullRepository: "docker.io/kiln-test/busybox",
      tag: "latest",
    });
  });

  it("prints references fully qualified", () => {
    expect(canonicalReference("busybox")).toBe("docker.io/library/busybox:latest");
    expect(canonicalReference("127.0.0.1:5000/a:1")).toBe("127.0.0.1:5000/a:1");
  });

  it("reduces registry addresses to host[:port]", () => {
    expect(registryHost("https://index.docker.io/v1/")).toBe("docker.io");
    expect(registryHost("")).toBe("docker.io");
    expect(registryHost("http://127.0.0.1:5000")).toBe("127.0.0.1:5000");
  });
});

describe("authFor", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-docker-auth-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({
      auths: {
        "https://index.docker.io/v1/": { auth: Buffer.from("hub:hubpw").toString("base64") },
        "registry.example.com": { auth: Buffer.from("ex:ex:pw").toString("base64") },
      },
    }),
  );
  const env = { DOCKER_CONFIG: dir };

  it("uses the login for its registry only", () => {
    const login = { server: "registry.example.com", username: "u", password: "p" };
    expect(authFor("registry.example.com/x:1", login, env)).toEqual({
      username: "u",
      password: "p",
      serveraddress: "registry.example.com",
    });
    expect(authFor("busybox", login, env)).toEqual({
      username: "hub",
      password: "hubpw",
      serveraddress: "https://index.docker.io/v1/",
    });
  });

  it("falls back to the docker config file, then to no credentials", () => {
    expect(authFor("registry.example.com/x", undefined, env)).toEqual({
      username: "ex",
      password: "ex:pw",
      serveraddress: "registry.example.com",
    });
    expect(authFor("other.example.com/x", undefined, env)).toEqual({});
    expect(authFor("busybox", undefined, {})).toEqual({});
  });
});

describe("followMessages", () => {
  it("renders messages as the docker CLI does without a terminal", async () => {
    const stream = Readable.from([
      '{"status":"The push refers to repository [r/x]"}\n{"status":"Preparing","progressDetail":{},"id":"abc"}\n',
      '{"status":"Pushing","progressDetail":{"current":512,"total":1024},"progress":"[==>  ]","id":"abc"}\r\n',
      '{"status":"Pushed","progressDetail":{},"id":"abc"}\n{"status":"t: digest: sha256:1 size: 5"}\n',
      '{"progressDetail":{},"aux":{"Tag":"t","Digest":"sha256:1","Size":5}}\n',
    ]);
    const lines: string[] = [];
    const aux: unknown[] = [];
    await followMessages(stream, { onLine: (l) => lines.push(l), onAux: (a) => aux.push(a) });
    expect(lines).toEqual([
      "The push refers to repository [r/x]",
      "abc: Preparing",
      "abc: Pushed",
      "t: digest: sha256:1 size: 5",
    ]);
    expect(aux).toEqual([{ Tag: "t", Digest: "sha256:1", Size: 5 }]);
  });

  it("fails on an error record", async () => {
    const stream = Readable.from([
      '{"status":"Preparing","id":"a"}\n{"errorDetail":{"message":"denied"},"error":"denied"}\n',
    ]);
    await expect(followMessages(stream, {})).rejects.toThrow("denied");
  });
});
