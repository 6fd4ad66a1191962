// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
// `kiln build` with the null builder over the SSH communicator, against the test sshd (scripts/test-env.sh):
// key and password logins, failed logins, the shell provisioner's output and exit codes, the build.*
// connection variables, and a connection that drops while a script runs.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SshTarget, sshTarget } from "../support/env.js";
import {
  DROP_OWN_CONNECTION,
  hclString,
  kilnBuild,
  kilnBuildTimed,
  linesInOrder,
  nullSshSource,
  Workdir,
} from "./ssh-support.js";

let t: SshTarget;
let work: Workdir;

beforeAll(async () => {
  t = await sshTarget();
});
beforeEach(() => {
  work = new Workdir();
});
afterEach(() => work.remove());

/** A template: the source, then a build block over it holding `body`. */
function template(source: string, name: string, body: string): string {
  return `${source}build {\n  sources = ["source.null.${name}"]\n${body}}\n`;
}

function inline(commands: readonly string[], extra: readonly string[] = []): string {
  return [
    '  provisioner "shell" {',
    `    inline = [${commands.map(hclString).join(", ")}]`,
    ...extra.map((l) => `    ${l}`),
    "  }",
    "",
  ].join("\n");
}

const ARTIFACT = (name: string): string =>
  `--> null.${name}: Did not export anything. This is the null builder`;

describe("kiln build: logging in", () => {
  it("logs in with ssh_private_key_file and runs the provisioners as the user", () => {
    work.write("a.pkr.hcl", template(nullSshSource(t, "key", "key"), "key", inline(["id -un", "pwd"])));
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, [
      "==> null.key: Waiting for SSH to become available...",
      "==> null.key: Connected to SSH!",
      /^==> null\.key: Provisioning with shell script: \S*packer-shell\d+$/,
      "    null.key: kiln",
      /^ {4}null\.key: \/\S+$/,
      /^Build 'null\.key' finished after /,
      "==> Builds finished. The artifacts of successful builds are:",
      ARTIFACT("key"),
    ]);
    expect(r.stderr).toBe("");
  });

  it("logs in with ssh_password", () => {
    work.write("a.pkr.hcl", template(nullSshSource(t, "pw", "password"), "pw", inline(["id -un"])));
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, ["==> null.pw: Connected to SSH!", "    null.pw: kiln", ARTIFACT("pw")]);
  });

  it.each([
    ["a key the server does not accept", "unauthorized-key", "publickey"],
    ["a wrong password", "wrong-password", "password"],
  ] as const)("fails with %s: exit 1, naming user@host:port and the method tried", (_what, auth, method) => {
    work.write(
      "a.pkr.hcl",
      template(
        nullSshSource(t, "bad", auth, ["ssh_handshake_attempts = 1"]),
        "bad",
        inline(["echo must-not-run"]),
      ),
    );
    const started = performance.now();
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // One attempt: the failure is reported at once, not after ssh_timeout.
    expect(performance.now() - started).toBeLessThan(30_000);
    const reason = `authentication failed for ${t.username}@${t.host}:${t.port}: attempted methods [${method}]`;
    const [errorLine, summaryLine] = linesInOrder(r.stdout, [
      /^==> null\.bad: Error waiting for SSH: /,
      /^--> null\.bad: /,
    ]).map((i) => r.stdout.split("\n")[i] ?? "");
    expect(errorLine).toContain(reason);
    expect(summaryLine).toContain(reason);
    expect(r.stdout).toContain("==> Builds finished but no artifacts were created.");
    expect(r.stdout).not.toContain("must-not-run");
    expect(r.stdout).not.toContain("Connected to SSH!");
    // A failed login is a user error, never a crash.
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe("kiln build: the shell provisioner over SSH", () => {
  it("runs inline commands and scripts with environment_vars, streaming output with the build's prefix", () => {
    // CRLF line endings are converted (binary = false), so the script runs under sh.
    work.write(
      "scripts/setup.sh",
      '#!/bin/sh\r\necho "script: $GREETING"\r\necho "path: $0"\r\necho "script-err" >&2\r\n',
    );
    work.write(
      "a.pkr.hcl",
      template(
        nullSshSource(t, "sh", "key"),
        "sh",
        inline(
          [
            'echo "$GREETING from $(id -un)"',
            'echo "$QUOTED"',
            "echo to-stderr >&2",
            'echo "$PACKER_BUILD_NAME $PACKER_BUILDER_TYPE"',
          ],
          ['environment_vars = ["GREETING=hello world", "QUOTED=it\'s \\"quoted\\" $HOME"]'],
        ) +
          [
            '  provisioner "shell" {',
            '    script           = "scripts/setup.sh"',
            '    environment_vars = ["GREETING=from a script"]',
            "  }",
            "",
          ].join("\n"),
      ),
    );
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Standard output as messages (`    null.sh: ...`), in order; standard error as errors (`==> null.sh:
    // ...`), whose place among the output lines depends on when each stream's data arrives.
    linesInOrder(r.stdout, [
      /^==> null\.sh: Provisioning with shell script: \S*packer-shell\d+$/,
      "    null.sh: hello world from kiln",
      // Values are single-quoted for the remote shell: nothing in them is expanded.
      '    null.sh: it\'s "quoted" $HOME',
      "    null.sh: sh null",
      "==> null.sh: Provisioning with shell script: scripts/setup.sh",
      "    null.sh: script: from a script",
      /^ {4}null\.sh: path: \/tmp\/script_\d+\.sh$/,
      ARTIFACT("sh"),
    ]);
    const [inlineStart, scriptStart, end] = linesInOrder(r.stdout, [
      /^==> null\.sh: Provisioning with shell script: \S*packer-shell\d+$/,
      "==> null.sh: Provisioning with shell script: scripts/setup.sh",
      /^Build 'null\.sh' finished after /,
    ]);
    const lines = r.stdout.split("\n");
    const inlineErr = lines.indexOf("==> null.sh: to-stderr");
    const scriptErr = lines.indexOf("==> null.sh: script-err");
    expect(inlineErr).toBeGreaterThan(inlineStart!);
    expect(inlineErr).toBeLessThan(scriptStart!);
    expect(scriptErr).toBeGreaterThan(scriptStart!);
    expect(scriptErr).toBeLessThan(end!);
  });

  it("streams a command's output while it runs, not when it ends", async () => {
    work.write(
      "a.pkr.hcl",
      template(nullSshSource(t, "live", "key"), "live", inline(["echo first", "sleep 2", "echo second"])),
    );
    const r = await kilnBuildTimed(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const first = r.lines.find((l) => l.text === "    null.live: first");
    const second = r.lines.find((l) => l.text === "    null.live: second");
    expect(first, r.stdout).toBeDefined();
    expect(second, r.stdout).toBeDefined();
    expect(second!.at - first!.at).toBeGreaterThan(1500);
  });

  it("fails the build with exit 1 on a non-zero exit status, with Packer's message", () => {
    work.write(
      "a.pkr.hcl",
      template(
        nullSshSource(t, "fail", "key"),
        "fail",
        inline(["echo before", "exit 3"]) + inline(["echo must-not-run"]),
      ),
    );
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const message = "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]";
    linesInOrder(r.stdout, [
      "    null.fail: before",
      "==> null.fail: Provisioning step had errors: Running the cleanup provisioner, if present...",
      new RegExp(`^Build 'null\\.fail' errored after .*: ${message.replace(/[.[\]]/g, "\\$&")}$`),
      "==> Some builds didn't complete successfully and had errors:",
      `--> null.fail: ${message}`,
      "==> Builds finished but no artifacts were created.",
    ]);
    expect(r.stdout).not.toContain("must-not-run");
  });

  it("accepts an exit status listed in valid_exit_codes and goes on", () => {
    work.write(
      "a.pkr.hcl",
      template(
        nullSshSource(t, "codes", "key"),
        "codes",
        inline(["echo before", "exit 3"], ["valid_exit_codes = [0, 3]"]) + inline(["echo next ran"]),
      ),
    );
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, ["    null.codes: before", "    null.codes: next ran", ARTIFACT("codes")]);
  });
});

describe("kiln build: build.* connection variables", () => {
  // The keys Packer fills for the null builder (§5.1 of the spec; compared with Packer 1.6.6's output).
  // SSHPrivateKey and SSHPublicKey hold keys the builder generated or received: empty with a key file.
  const FIELDS =
    "ID=${build.ID} Host=${build.Host} Port=${build.Port} User=${build.User} Password=${build.Password} " +
    "ConnType=${build.ConnType} HTTPIP=${build.PackerHTTPIP} HTTPPort=${build.PackerHTTPPort} " +
    "HTTPAddr=${build.PackerHTTPAddr} Pub=[${build.SSHPublicKey}] Priv=[${build.SSHPrivateKey}] " +
    "WinRM=[${build.WinRMPassword}]";

  function localAndRemote(): string {
    return [
      '  provisioner "shell-local" {',
      `    inline = ["echo '${FIELDS}'", "echo uuid=\${build.PackerRunUUID}"]`,
      "  }",
      '  provisioner "shell" {',
      `    inline = ["echo remote sees \${build.Host}:\${build.Port} \${build.User} \${build.ID}"]`,
      "  }",
      "",
    ].join("\n");
  }

  it("gives provisioners Host, Port, User, Password, ID and the rest, as Packer fills them", () => {
    work.write("a.pkr.hcl", template(nullSshSource(t, "vars", "password"), "vars", localAndRemote()));
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, [
      `    null.vars: ID=Null Host=${t.host} Port=${t.port} User=${t.username} Password=${t.password} ` +
        "ConnType=ssh HTTPIP=ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER " +
        "HTTPPort=ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER HTTPAddr=ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER " +
        "Pub=[] Priv=[] WinRM=[]",
      /^ {4}null\.vars: uuid=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      `    null.vars: remote sees ${t.host}:${t.port} ${t.username} Null`,
    ]);
  });

  it("leaves Password empty with key authentication", () => {
    work.write("a.pkr.hcl", template(nullSshSource(t, "k", "key"), "k", localAndRemote()));
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `    null.k: ID=Null Host=${t.host} Port=${t.port} User=${t.username} Password= `,
    );
    expect(r.stdout).toContain(`    null.k: remote sees ${t.host}:${t.port} ${t.username} Null`);
  });

  it("refuses a build.* key Packer does not declare, before connecting", () => {
    work.write(
      "a.pkr.hcl",
      template(
        nullSshSource(t, "undeclared", "key"),
        "undeclared",
        '  provisioner "shell-local" {\n    inline = ["echo ${build.SSHPrivateKeyFile}"]\n  }\n',
      ),
    );
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Unsupported attribute");
    expect(r.stdout).toContain('This object does not have an attribute named "SSHPrivateKeyFile".');
    expect(r.stdout).not.toContain("Connected to SSH!");
  });
});

describe("kiln build: a connection dropped while a script runs", () => {
  function dropping(name: string, expectDisconnect: boolean): string {
    return template(
      nullSshSource(t, name, "key"),
      name,
      inline(
        ["echo dropping", DROP_OWN_CONNECTION, "sleep 10", "echo not-reached"],
        [`expect_disconnect = ${expectDisconnect}`],
      ) + inline(["echo after reconnect: $(id -un)"]),
    );
  }

  it("with expect_disconnect, carries on and reconnects for the next provisioner", () => {
    work.write("a.pkr.hcl", dropping("drop", true));
    const started = performance.now();
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    linesInOrder(r.stdout, [
      "    null.drop: dropping",
      "    null.drop: after reconnect: kiln",
      ARTIFACT("drop"),
    ]);
    expect(r.stdout).not.toContain("not-reached");
    // The drop is noticed when the connection closes, not after the script's sleep.
    expect(performance.now() - started).toBeLessThan(9_000);
  });

  it("without expect_disconnect, fails with Packer's message", () => {
    work.write("a.pkr.hcl", dropping("nodrop", false));
    const r = kilnBuild(work.dir, ["."]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    linesInOrder(r.stdout, [
      "    null.nodrop: dropping",
      "--> null.nodrop: Script disconnected unexpectedly. If you expected your script to disconnect, i.e. from " +
        'a restart, you can try adding `"expect_disconnect": true` or `"valid_exit_codes": [0, 2300218]` to ' +
        "the shell provisioner parameters.",
    ]);
    expect(r.stdout).not.toContain("after reconnect");
  });
});
