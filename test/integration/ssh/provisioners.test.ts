// The shell and file provisioners over the SSH communicator, against the test sshd.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshCommunicator } from "../../../src/communicator/index.js";
import { valueFromNative } from "../../../src/hcl/index.js";
import { FileProvisioner } from "../../../src/plugins/provisioner/file/index.js";
import {
  ShellProvisioner,
  UNEXPECTED_DISCONNECT_MESSAGE,
} from "../../../src/plugins/provisioner/shell/index.js";
import { type BuildInfo, type GeneratedData, noopLogger, type RunContext } from "../../../src/sdk/index.js";
import type { SshTarget } from "../../support/env.js";
import {
  connect,
  keyOptions,
  never,
  type RecordedUi,
  recordingUi,
  remoteTempDir,
  run,
  sh,
  target,
} from "./helpers.js";

let t: SshTarget;
let comm: SshCommunicator;
let remote: string;
let local: string;
const context: RunContext = { log: noopLogger, secrets: { add() {} } };

function info(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return {
    buildName: "ubuntu",
    builderType: "null",
    coreVersion: "1.16.0",
    debug: false,
    force: false,
    onError: "cleanup",
    userVariables: {},
    sensitiveVariables: [],
    runUuid: "7b0c4f4e-0000-4000-8000-000000000000",
    env: {},
    cwd: local,
    ...overrides,
  };
}

async function shell(
  config: Record<string, unknown>,
  options: { comm?: SshCommunicator; data?: GeneratedData; ui?: RecordedUi } = {},
): Promise<RecordedUi> {
  const p = new ShellProvisioner();
  const prepared = p.prepare(valueFromNative(config), info());
  expect(prepared.diagnostics).toEqual([]);
  const ui = options.ui ?? recordingUi();
  await p.provision(ui, options.comm ?? comm, options.data ?? {}, never(), context);
  return ui;
}

async function file(config: Record<string, unknown>, c: SshCommunicator = comm): Promise<RecordedUi> {
  const p = new FileProvisioner();
  expect(p.prepare(valueFromNative(config), info()).diagnostics).toEqual([]);
  const ui = recordingUi();
  await p.provision(ui, c, {}, never(), context);
  return ui;
}

beforeAll(async () => {
  t = await target();
  comm = await connect(t);
  remote = await remoteTempDir(comm);
  local = mkdtempSync(join(tmpdir(), "kiln-prov-"));
});

afterAll(async () => {
  if (comm !== undefined) {
    if (remote !== undefined) await sh(comm, `rm -rf ${remote}`);
    comm.close();
  }
  if (local !== undefined) rmSync(local, { recursive: true, force: true });
});

const messages = (ui: RecordedUi): string[] =>
  ui.lines.filter((l) => !l.startsWith("say: Provisioning with shell script"));

describe("shell provisioner", () => {
  it("runs inline commands with the environment and streams their output line by line", async () => {
    const path = `${remote}/inline.sh`;
    const ui = await shell(
      {
        inline: [
          'echo "foo=$FOO baz=$BAZ q=$QUOTE"',
          'echo "build=$PACKER_BUILD_NAME type=$PACKER_BUILDER_TYPE http=$PACKER_HTTP_ADDR"',
          "echo oops >&2",
          "printf 'no newline'",
        ],
        environment_vars: ["FOO=bar", 'QUOTE=it\'s "quoted"'],
        env: { BAZ: "from env" },
        remote_path: path,
      },
      { data: { PackerHTTPAddr: "10.0.2.2:8123", PackerHTTPIP: "10.0.2.2", PackerHTTPPort: "8123" } },
    );
    expect(ui.lines[0]).toMatch(/^say: Provisioning with shell script: \S+packer-shell\d+$/);
    expect(messages(ui)).toEqual([
      `message: foo=bar baz=from env q=it's "quoted"`,
      "message: build=ubuntu type=null http=10.0.2.2:8123",
      "error: oops",
      "message: no newline",
    ]);
    // The uploaded script is removed afterwards.
    expect((await run(comm, `test -e ${path}`)).exitStatus).toBe(1);
  });

  it("runs script files (CRLF converted) in order, each under its name", async () => {
    writeFileSync(join(local, "one.sh"), "#!/bin/sh\r\necho one $0\r\n");
    writeFileSync(join(local, "two.sh"), "#!/bin/sh\necho two\n");
    const ui = await shell({ scripts: ["one.sh", "two.sh"], remote_path: `${remote}/s.sh` });
    expect(ui.lines).toEqual([
      "say: Provisioning with shell script: one.sh",
      `message: one ${remote}/s.sh`,
      "say: Provisioning with shell script: two.sh",
      "message: two",
    ]);
  });

  it("fails on a non-zero exit unless valid_exit_codes allows it", async () => {
    await expect(
      shell({ inline: ["echo failing", "exit 42"], remote_path: `${remote}/f.sh` }),
    ).rejects.toThrow("Script exited with non-zero exit status: 42.Allowed exit codes are: [0]");
    const ui = await shell({ inline: ["exit 42"], valid_exit_codes: [0, 42], remote_path: `${remote}/f.sh` });
    expect(messages(ui)).toEqual([]);
    expect((await run(comm, `test -e ${remote}/f.sh`)).exitStatus).toBe(1);
  });

  it("uses a custom execute_command (sudo) and a variables file", async () => {
    const ui = await shell({
      inline: ['echo "uid=$(id -u) v=$V"'],
      environment_vars: ["V=from-file"],
      use_env_var_file: true,
      execute_command: "sudo -n sh -c '. {{.EnvVarFile}} && sh {{.Path}}'",
      remote_folder: remote,
    });
    expect(messages(ui)).toEqual(["message: uid=0 v=from-file"]);
    // Script and variables file are both gone.
    expect((await sh(comm, `ls -A ${remote} | grep -E '^(script|varfile)_' || true`)).trim()).toBe("");
  });

  it("keeps the script with skip_clean", async () => {
    await shell({ inline: ["true"], remote_path: `${remote}/kept.sh`, skip_clean: true });
    expect(await sh(comm, `stat -c %a ${remote}/kept.sh`)).toBe("755\n");
  });

  // Kills the sshd process serving this session: the connection drops with no exit status, as in a reboot.
  const dropConnection =
    'p=$$; while [ "$p" -gt 1 ]; do c=$(cat /proc/$p/comm); case "$c" in sshd*) kill -9 $p; sleep 5; exit 0;; esac; p=$(awk \'{print $4}\' /proc/$p/stat); done';

  it("fails on a dropped connection unless expect_disconnect is set", async () => {
    const c = await connect(t);
    try {
      await expect(
        shell({ inline: [dropConnection], remote_path: `${remote}/d1.sh` }, { comm: c }),
      ).rejects.toThrow(UNEXPECTED_DISCONNECT_MESSAGE);
    } finally {
      c.close();
    }
    await sh(comm, `rm -f ${remote}/d1.sh`);
  });

  it("survives a reboot-like disconnect with expect_disconnect, retrying while the machine is away", async () => {
    // The communicator reaches the sshd through a relay that can be switched off, like a rebooting machine.
    const relay = new Relay(t.host, t.port);
    const port = await relay.start();
    const c = await SshCommunicator.connect(keyOptions(t, { port }), never());
    try {
      const ui = recordingUi();
      const script = `${remote}/reboot.sh`;
      const marker = `${remote}/rebooted`;
      const provision = shell(
        {
          // The pause lets the test take the machine away before the drop, so the reconnection cannot
          // slip through the relay first.
          inline: ["echo going down", `touch ${marker}`, "sleep 2", dropConnection],
          remote_path: script,
          expect_disconnect: true,
        },
        { comm: c, ui },
      );
      // Once the script has started, take the "machine" away for a few seconds.
      await waitFor(async () => (await run(comm, `test -e ${marker}`)).exitStatus === 0);
      relay.stop();
      setTimeout(() => void relay.start(port), 3000);
      await provision;
      expect(messages(ui)).toEqual(["message: going down"]);
      expect(relay.refused).toBeGreaterThan(0);
      // The clean-up after the disconnect waited for the machine and removed the script.
      expect((await run(comm, `test -e ${script}`)).exitStatus).toBe(1);
      // The next provisioner runs on the same communicator.
      const next = await shell({ inline: ["echo back"], remote_path: `${remote}/next.sh` }, { comm: c });
      expect(messages(next)).toEqual(["message: back"]);
    } finally {
      c.close();
      relay.stop();
    }
  }, 60_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP relay to the sshd that can be stopped (refusing connections) and started again on the same port. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  refused = 0;
  private stopped = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async start(port = 0): Promise<number> {
    this.stopped = false;
    const server = createServer((sock) => {
      const up = netConnect({ host: this.host, port: this.port });
      this.sockets.add(sock);
      this.sockets.add(up);
      sock.pipe(up).pipe(sock);
      const end = (): void => {
        sock.destroy();
        up.destroy();
      };
      sock.on("error", end);
      up.on("error", end);
      sock.on("close", end);
      up.on("close", end);
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
    );
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const port = (this.server?.address() as { port: number } | null)?.port;
    this.server?.close();
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    // Count refused attempts while down: probe the port as a client would.
    if (port !== undefined) {
      const probe = (): void => {
        if (!this.stopped) return;
        const s = netConnect({ host: "127.0.0.1", port });
        s.on("error", () => {
          this.refused++;
        });
        s.on("connect", () => s.destroy());
      };
      probe();
    }
  }
}

describe("file provisioner", () => {
  it("uploads a file, content and sources, keeping modes", async () => {
    writeFileSync(join(local, "app.conf"), "key=value\n", { mode: 0o600 });
    writeFileSync(join(local, "b.txt"), "b\n");
    const ui = await file({ source: "app.conf", destination: `${remote}/app.conf` });
    expect(ui.lines).toEqual([`say: Uploading app.conf => ${remote}/app.conf`]);
    expect(await sh(comm, `stat -c %a ${remote}/app.conf; cat ${remote}/app.conf`)).toBe("600\nkey=value\n");
    await sh(comm, `mkdir -p ${remote}/many ${remote}/content`);
    await file({ sources: ["app.conf", "b.txt"], destination: `${remote}/many/` });
    expect(await sh(comm, `ls ${remote}/many`)).toBe("app.conf\nb.txt\n");
    await file({ content: "motd text", destination: `${remote}/content/` });
    expect(await sh(comm, `cat ${remote}/content/pkr-file-content`)).toBe("motd text");
  });

  it("uploads directories with and without the trailing slash", async () => {
    mkdirSync(join(local, "site", "css"), { recursive: true });
    writeFileSync(join(local, "site", "index.html"), "<h1>hi</h1>\n");
    writeFileSync(join(local, "site", "css", "a.css"), "body{}\n");
    await sh(comm, `mkdir -p ${remote}/www1 ${remote}/www2`);
    await file({ source: "site", destination: `${remote}/www1` });
    await file({ source: "site/", destination: `${remote}/www2` });
    expect(await sh(comm, `cd ${remote} && find www1 www2 -type f | LC_ALL=C sort`)).toBe(
      "www1/site/css/a.css\nwww1/site/index.html\nwww2/css/a.css\nwww2/index.html\n",
    );
  });

  it("downloads files and directories as Packer lays them out", async () => {
    await sh(
      comm,
      `mkdir -p ${remote}/dl/sub && echo one > ${remote}/dl/one && echo two > ${remote}/dl/sub/two && chmod 700 ${remote}/dl/sub`,
    );
    const ui = await file({ source: `${remote}/dl/one`, destination: "fetched/", direction: "download" });
    expect(ui.lines).toEqual([`say: Downloading ${remote}/dl/one => fetched/`]);
    expect(readFileSync(join(local, "fetched", "one"), "utf8")).toBe("one\n");
    await file({ source: `${remote}/dl/`, destination: "tree/", direction: "download" });
    expect(readFileSync(join(local, "tree", "dl", "sub", "two"), "utf8")).toBe("two\n");
    expect(statSync(join(local, "tree", "dl", "sub")).mode & 0o777).toBe(0o700);
  });

  it("does the same over sftp", async () => {
    const c = await connect(t, { fileTransferMethod: "sftp" });
    try {
      await sh(c, `mkdir -p ${remote}/sftp`);
      await file({ source: "site/", destination: `${remote}/sftp/` }, c);
      await file({ source: `${remote}/sftp/`, destination: "sftp-back/", direction: "download" }, c);
      expect(readFileSync(join(local, "sftp-back", "sftp", "css", "a.css"), "utf8")).toBe("body{}\n");
    } finally {
      c.close();
    }
  });
});
