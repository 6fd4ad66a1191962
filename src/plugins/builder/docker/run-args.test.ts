import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunArgs, type RunSpec, ramInBytes } from "./run-args.js";

const ctx = { env: { FROM_ENV: "env-value", HOME: "/home/u" }, cwd: "/work/dir" };

function spec(args: string[]): RunSpec {
  const r = parseRunArgs(args, ctx);
  if ("error" in r) throw new Error(r.error);
  return r.spec;
}

function error(args: string[]): string {
  const r = parseRunArgs(args, ctx);
  if (!("error" in r)) throw new Error("expected an error");
  return r.error;
}

describe("parseRunArgs", () => {
  it("reads Packer's default run command", () => {
    const s = spec([
      "-v",
      "/host/tmp:/dev/kiln-files",
      "-d",
      "-i",
      "-t",
      "--entrypoint=/bin/sh",
      "--",
      "img:1",
    ]);
    expect(s.image).toBe("img:1");
    expect(s.pull).toBe("missing");
    expect(s.body).toMatchObject({
      Image: "img:1",
      Entrypoint: ["/bin/sh"],
      OpenStdin: true,
      Tty: true,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: { Binds: ["/host/tmp:/dev/kiln-files"], NetworkMode: "default" },
    });
    expect(s.body.Cmd).toBeUndefined();
  });

  it("takes the image's command after the image, flags and all (no interspersed flags)", () => {
    const s = spec(["-dit", "-u", "42", "img", "/bin/sh", "-c", "--rm"]);
    expect(s.body).toMatchObject({
      Image: "img",
      Cmd: ["/bin/sh", "-c", "--rm"],
      User: "42",
      Tty: true,
      OpenStdin: true,
    });
    expect(s.body.HostConfig.AutoRemove).toBeUndefined();
  });

  it("accepts short flags with attached or separate values and long flags with = or a separate value", () => {
    const s = spec([
      "-u42",
      "-w=/srv",
      "--hostname",
      "h",
      "--name=n",
      "-eA=1",
      "-e",
      "FROM_ENV",
      "-e",
      "UNSET",
      "img",
    ]);
    expect(s.body).toMatchObject({
      User: "42",
      WorkingDir: "/srv",
      Hostname: "h",
      Env: ["A=1", "FROM_ENV=env-value"],
    });
    expect(s.name).toBe("n");
  });

  it("maps host options", () => {
    const s = spec([
      "--privileged",
      "--rm=false",
      "--init",
      "--read-only",
      "--cap-add",
      "SYS_ADMIN",
      "--cap-drop=NET_RAW",
      "--device",
      "/dev/fuse",
      "--device",
      "/dev/a:/dev/b:r",
      "--tmpfs",
      "/run:rw,size=1m",
      "--shm-size",
      "64m",
      "-m",
      "1g",
      "--memory-swap=-1",
      "--cpus",
      "1.5",
      "--ulimit",
      "nofile=1024:2048",
      "--sysctl",
      "net.ipv4.ip_forward=1",
      "--security-opt",
      "no-new-privileges",
      "--add-host",
      "h:127.0.0.1",
      "--dns=1.1.1.1",
      "--restart",
      "on-failure:3",
      "--runtime",
      "runc",
      "--network",
      "none",
      "--pids-limit",
      "100",
      "--log-driver",
      "json-file",
      "--log-opt",
      "max-size=1m",
      "img",
    ]);
    expect(s.body.HostConfig).toEqual({
      Privileged: true,
      AutoRemove: false,
      Init: true,
      ReadonlyRootfs: true,
      CapAdd: ["SYS_ADMIN"],
      CapDrop: ["NET_RAW"],
      Devices: [
        { PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" },
        { PathOnHost: "/dev/a", PathInContainer: "/dev/b", CgroupPermissions: "r" },
      ],
      Tmpfs: { "/run": "rw,size=1m" },
      ShmSize: 64 * 1024 * 1024,
      Memory: 1024 ** 3,
      MemorySwap: -1,
      NanoCpus: 1_500_000_000,
      Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }],
      Sysctls: { "net.ipv4.ip_forward": "1" },
      SecurityOpt: ["no-new-privileges"],
      ExtraHosts: ["h:127.0.0.1"],
      Dns: ["1.1.1.1"],
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      Runtime: "runc",
      NetworkMode: "none",
      PidsLimit: 100,
      LogConfig: { Type: "json-file", Config: { "max-size": "1m" } },
    });
  });

  it("reads volumes, mounts, ports, labels and env files", () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-run-args-"));
    writeFileSync(join(dir, "env"), "# comment\n\nFILE_VAR=1\nFROM_ENV\n");
    const s = parseRunArgs(
      [
        "-v",
        "/data",
        "-v",
        "./rel:/rel:ro",
        "-v",
        "~/cache:/cache",
        "-v",
        "named:/named",
        "--mount",
        "type=bind,source=/src,target=/dst,readonly",
        "--mount",
        "type=tmpfs,dst=/t,tmpfs-size=1m",
        "-p",
        "127.0.0.1:8080:80",
        "-p",
        "9000-9001:9000-9001/udp",
        "--expose",
        "7000",
        "-l",
        "a=b",
        "--label",
        "flag",
        "--env-file",
        "env",
        "img",
      ],
      { env: ctx.env, cwd: dir },
    );
    rmSync(dir, { recursive: true, force: true });
    if ("error" in s) throw new Error(s.error);
    const body = s.spec.body;
    expect(body.Volumes).toEqual({ "/data": {} });
    expect(body.HostConfig.Binds).toEqual([`${dir}/rel:/rel:ro`, "/home/u/cache:/cache", "named:/named"]);
    expect(body.HostConfig.Mounts).toEqual([
      { Type: "bind", Source: "/src", Target: "/dst", ReadOnly: true },
      { Type: "tmpfs", Target: "/t", TmpfsOptions: { SizeBytes: 1024 * 1024 } },
    ]);
    expect(body.ExposedPorts).toEqual({ "80/tcp": {}, "9000/udp": {}, "9001/udp": {}, "7000/tcp": {} });
    expect(body.HostConfig.PortBindings).toEqual({
      "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }],
      "9000/udp": [{ HostIp: "", HostPort: "9000" }],
      "9001/udp": [{ HostIp: "", HostPort: "9001" }],
    });
    expect(body.Labels).toEqual({ a: "b", flag: "" });
    expect(body.Env).toEqual(["FILE_VAR=1", "FROM_ENV=env-value"]);
  });

  it("keeps an empty --entrypoint (reset) and reads platform, pull and cidfile", () => {
    const s = spec([
      "--entrypoint",
      "",
      "--platform=linux/amd64",
      "--pull",
      "never",
      "--cidfile",
      "/tmp/cid",
      "img",
    ]);
    expect(s.body.Entrypoint).toEqual([""]);
    expect([s.platform, s.pull, s.cidfile]).toEqual(["linux/amd64", "never", "/tmp/cid"]);
  });

  it("builds health checks and networking config", () => {
    const s = spec([
      "--health-cmd",
      "true",
      "--health-interval=5s",
      "--health-retries",
      "2",
      "--net=none",
      "--network-alias",
      "x",
      "img",
    ]);
    expect(s.body.Healthcheck).toEqual({ Test: ["CMD-SHELL", "true"], Interval: 5_000_000_000, Retries: 2 });
    expect(s.body.NetworkingConfig).toEqual({ EndpointsConfig: { none: { Aliases: ["x"] } } });
  });

  it("fails like the docker CLI", () => {
    expect(error(["--bogus", "img"])).toBe("unknown flag: --bogus\nSee 'docker run --help'.");
    expect(error(["-dz", "img"])).toBe("unknown shorthand flag: 'z' in -dz\nSee 'docker run --help'.");
    expect(error(["-d"])).toBe(`"docker run" requires at least 1 argument.\nSee 'docker run --help'.`);
    expect(error(["--user"])).toBe("flag needs an argument: --user\nSee 'docker run --help'.");
    expect(error(["-u"])).toBe("flag needs an argument: 'u' in -u\nSee 'docker run --help'.");
    expect(error(["--rm=maybe", "img"])).toBe(
      `invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee 'docker run --help'.`,
    );
    expect(error(["--shm-size", "lots", "img"])).toBe(
      `invalid argument "lots" for "--shm-size" flag: invalid size: 'lots'\nSee 'docker run --help'.`,
    );
    expect(error(["--rm", "--restart=always", "img"])).toBe("Conflicting options: --restart and --rm");
  });
});

describe("ramInBytes", () => {
  it("reads go-units sizes", () => {
    expect([
      ramInBytes("1024"),
      ramInBytes("1k"),
      ramInBytes("1.5m"),
      ramInBytes("2GiB"),
      ramInBytes("3 MB"),
    ]).toEqual([1024, 1024, 1572864, 2 * 1024 ** 3, 3 * 1024 ** 2]);
    expect(ramInBytes("x")).toBeUndefined();
  });
});
