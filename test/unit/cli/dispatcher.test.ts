import { describe, expect, it } from "vitest";
import { type Command, type CommandContext, RUN_RESULT_HELP } from "../../../src/cli/command.js";
import { dispatch, processArgs } from "../../../src/cli/dispatcher.js";
import { extractMachineReadable, machineReadableIO, main } from "../../../src/cli/main.js";
import { kilnVersion } from "../../../src/cli/version.js";
import { fakeIO } from "./fake-io.js";

const NAMES = [
  "build",
  "version",
  "plugins",
  "plugins install",
  "plugins installed",
  "plugin",
  "plugin install",
];

async function run(...argv: string[]) {
  const io = fakeIO();
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

const LIST_HEAD = "Usage: kiln [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n";

describe("processArgs", () => {
  it("finds the command and its arguments", () => {
    expect(processArgs(["build", "-force", "t"], NAMES)).toEqual({
      subcommand: "build",
      subcommandArgs: ["-force", "t"],
      topFlags: [],
      isHelp: false,
      isVersion: false,
    });
  });

  it("resolves nested commands by the longest run of words", () => {
    expect(processArgs(["plugins", "install", "x"], NAMES)).toMatchObject({
      subcommand: "plugins install",
      subcommandArgs: ["x"],
    });
    expect(processArgs(["plugins", "installed"], NAMES)).toMatchObject({
      subcommand: "plugins installed",
      subcommandArgs: [],
    });
    expect(processArgs(["plugins", "instal", "x"], NAMES)).toMatchObject({
      subcommand: "plugins",
      subcommandArgs: ["instal", "x"],
    });
    expect(processArgs(["plugin", "install"], NAMES)).toMatchObject({ subcommand: "plugin install" });
  });

  it("does not match a command by a prefix of a word", () => {
    expect(processArgs(["pluginsx"], NAMES)).toMatchObject({ subcommand: "pluginsx", subcommandArgs: [] });
    expect(processArgs(["buil"], NAMES).subcommand).toBe("buil");
  });

  it("sees help flags anywhere before --", () => {
    expect(processArgs(["build", "x", "-h"], NAMES).isHelp).toBe(true);
    expect(processArgs(["-help", "build"], NAMES).isHelp).toBe(true);
    expect(processArgs(["build", "--help"], NAMES).isHelp).toBe(true);
    expect(processArgs(["build", "--", "-h"], NAMES).isHelp).toBe(false);
    expect(processArgs(["build", "-h=1"], NAMES).isHelp).toBe(false);
    expect(processArgs(["build", "--h"], NAMES).isHelp).toBe(false);
  });

  it("sees version flags only before the command", () => {
    expect(processArgs(["-v"], NAMES).isVersion).toBe(true);
    expect(processArgs(["--version", "build"], NAMES).isVersion).toBe(true);
    expect(processArgs(["build", "-v"], NAMES).isVersion).toBe(false);
  });

  it("records other flags before the command", () => {
    expect(processArgs(["-x", "--y=1", "build", "-z"], NAMES)).toMatchObject({
      subcommand: "build",
      topFlags: ["-x", "--y=1"],
      subcommandArgs: ["-z"],
    });
  });

  it("skips empty arguments when looking for the command", () => {
    expect(processArgs(["", "build"], NAMES)).toMatchObject({ subcommand: "build", subcommandArgs: [] });
  });

  it("does not look for a command after --", () => {
    expect(processArgs(["--", "build"], NAMES).subcommand).toBe("");
  });
});

describe("extractMachineReadable", () => {
  it("removes only the first exact -machine-readable, wherever it is", () => {
    expect(extractMachineReadable(["build", "-machine-readable", "t"])).toEqual({
      args: ["build", "t"],
      machineReadable: true,
    });
    expect(extractMachineReadable(["-machine-readable", "-machine-readable"]).args).toEqual([
      "-machine-readable",
    ]);
    expect(extractMachineReadable(["build", "--", "t", "-machine-readable"]).args).toEqual([
      "build",
      "--",
      "t",
    ]);
  });

  it("leaves other spellings alone", () => {
    expect(extractMachineReadable(["--machine-readable", "-machine-readable=true"])).toEqual({
      args: ["--machine-readable", "-machine-readable=true"],
      machineReadable: false,
    });
  });
});

describe("main: command list", () => {
  it("shows the list on stderr and exits 127 with no command", async () => {
    const r = await run();
    expect(r.code).toBe(127);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(LIST_HEAD)).toBe(true);
  });

  it("lays the list out like Packer: sorted, aligned, blank line at the end, aliases hidden", async () => {
    const r = await run();
    const rows = r.stderr.slice(LIST_HEAD.length).split("\n");
    expect(rows.slice(-2)).toEqual(["", ""]);
    const names = rows.filter((l) => l !== "").map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual([
      "build",
      "console",
      "fix",
      "fmt",
      "hcl2_upgrade",
      "init",
      "inspect",
      "plugins",
      "validate",
      "version",
    ]);
    expect(rows).toContain("    build           build image(s) from template");
    expect(rows).toContain("    hcl2_upgrade    transform a JSON template into an HCL2 configuration");
  });

  it("shows the list on stdout and exits 0 for -h, -help and --help", async () => {
    for (const flag of ["-h", "-help", "--help"]) {
      const r = await run(flag);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(LIST_HEAD)).toBe(true);
      expect(r.stderr).toBe("");
    }
  });

  it("exits 127 with the list for an unknown command, even with -h", async () => {
    for (const argv of [["nope"], ["-h", "nope"], ["nope", "-v"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(127);
      expect(r.stderr.startsWith(`kiln: unknown command "nope"\n\n${LIST_HEAD}`)).toBe(true);
    }
    for (const argv of [["-x"], ["-machine-readable"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(127);
      expect(r.stderr.startsWith(LIST_HEAD)).toBe(true);
    }
  });
});

describe("main: help, version and flag errors", () => {
  it("prints a command's help on stdout for -h anywhere before --", async () => {
    for (const argv of [
      ["build", "-h"],
      ["build", "-force", "t", "--help"],
      ["-help", "build"],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith("Usage: kiln build [options] TEMPLATE\n")).toBe(true);
      expect(r.stdout.endsWith("\n")).toBe(true);
      expect(r.stderr).toBe("");
    }
  });

  it("passes -h after -- to the command as an argument", async () => {
    const r = await run("init", "--", "-h");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("kiln init: not implemented yet\n");
  });

  it("answers -h=1 and --h with usage only and exit 1, as Go's flag package does", async () => {
    for (const flag of ["-h=1", "--h"]) {
      const r = await run("build", flag);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith("Usage: kiln build")).toBe(true);
    }
  });

  it("runs version for -v, -version and --version before the command", async () => {
    for (const argv of [
      ["-v"],
      ["-version"],
      ["--version"],
      ["-v", "build"],
      ["-x", "-v"],
      ["version", "ignored"],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`kiln v${kilnVersion()} (compatible with Packer v1.16.0)\n`);
    }
  });

  it("prints Packer's machine lines for -machine-readable version", async () => {
    const r = await run("-machine-readable", "version");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const ts = lines[0]!.split(",")[0]!;
    expect(ts).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(lines.map((l) => l.slice(ts.length))).toEqual([
      `,,version,${kilnVersion()}`,
      ",,version-prelease,",
      ",,version-commit,",
      `,,ui,say,kiln v${kilnVersion()} (compatible with Packer v1.16.0)`,
    ]);
  });

  it("rejects flags before the command with the command's help", async () => {
    const r = await run("-x", "build");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^Invalid flags before the subcommand\. If these flags are for\nthe subcommand, please put them after the subcommand\.\n\nUsage: kiln build /,
    );
  });

  it("treats --machine-readable before the command as an invalid flag", async () => {
    const r = await run("--machine-readable", "version");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Invalid flags before the subcommand");
  });

  it("reports an unknown command flag in one Go line followed by the usage", async () => {
    const r = await run("build", "-nope", ".");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const [first, second] = r.stderr.split("\n");
    expect(first).toBe("flag provided but not defined: -nope");
    expect(second).toBe("Usage: kiln build [options] TEMPLATE");
  });

  it("shows only the usage for a wrong number of arguments", async () => {
    for (const argv of [
      ["build"],
      ["build", "a", "b"],
      ["validate"],
      ["init"],
      ["fix"],
      ["hcl2_upgrade"],
      ["fmt"],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith(`Usage: kiln ${argv[0]} `)).toBe(true);
    }
  });

  it("accepts --machine-readable as build's own inert flag but not validate's", async () => {
    const b = await run("build", "--machine-readable", "missing.pkr.hcl");
    expect(b.stderr).not.toContain("flag provided but not defined");
    expect(b.stdout).toContain("missing.pkr.hcl");
    const r = await run("validate", "--machine-readable", "t");
    expect(r.stderr.split("\n")[0]).toBe("flag provided but not defined: -machine-readable");
  });

  it("strips -machine-readable before the command's flags are parsed", async () => {
    const r = await run("validate", "-machine-readable", "missing.pkr.hcl");
    expect(r.stderr).not.toContain("flag provided but not defined");
    expect(r.stdout).toContain("missing.pkr.hcl");
  });
});

describe("main: plugins group", () => {
  it("shows the group's help with its sub-commands and exits 1 when no sub-command is given", async () => {
    for (const argv of [["plugins"], ["plugins", "nope"], ["plugin"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Usage: kiln plugins <subcommand>");
      expect(r.stderr).toContain(
        "\n\nSubcommands:\n" +
          "    install      Install latest Packer plugin [matching version constraint]\n" +
          "    installed    List all installed Packer plugin binaries\n" +
          "    remove       Remove Packer plugins [matching a version]\n" +
          "    required     List plugins required by a config\n",
      );
    }
  });

  it("shows a sub-command's help for -h", async () => {
    const r = await run("plugins", "install", "-h");
    expect(r.code).toBe(0);
    expect(
      r.stdout.startsWith("Usage: kiln plugins install [OPTIONS...] <plugin> [<version constraint>]"),
    ).toBe(true);
    expect(r.stdout).not.toContain("Subcommands:");
  });

  it("runs sub-commands through the hidden plugin alias", async () => {
    const r = await run("plugin", "installed");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("kiln plugins installed: not implemented yet\n");
  });

  it("shows full help after a message for plugins remove with a path and a constraint", async () => {
    const r = await run("plugins", "remove", "/abs/path", "v1");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^Unsupported: no version constraint may be specified with a local plugin path\.\n\nUsage: kiln plugins remove /,
    );
  });
});

describe("main: robustness", () => {
  it("sets PACKER_NO_COLOR for commands in machine-readable mode without touching the caller's env", async () => {
    const env: Record<string, string> = { A: "1" };
    const io = { ...fakeIO(), env };
    expect(machineReadableIO(io, false).env).toEqual({ A: "1", PACKER_NO_COLOR: "1" });
    await main(["-machine-readable", "version"], io);
    expect(env).toEqual({ A: "1" });
  });

  it("turns a thrown error into one line and exit 1", async () => {
    const io = fakeIO();
    const broken = { ...io, stdout: null as unknown as NodeJS.WritableStream };
    const code = await main(["version"], broken);
    expect(code).toBe(1);
    expect(io.stderr.text).toMatch(/^kiln: internal error: [^\n]+\n$/);
  });
});

describe("dispatch", () => {
  function recorder(name: string, result: number) {
    const calls: { args: readonly string[]; ctx: CommandContext }[] = [];
    const command: Command = {
      name,
      synopsis: `the ${name} command`,
      help: () => `Usage: kiln ${name}`,
      run: async (args, ctx) => {
        calls.push({ args, ctx });
        return result;
      },
    };
    return { command, calls };
  }

  it("hands the command its arguments and the context unchanged", async () => {
    const { command, calls } = recorder("go", 7);
    const io = fakeIO();
    const ctx: CommandContext = {
      io,
      signal: new AbortController().signal,
      global: { machineReadable: true },
    };
    expect(await dispatch(["go", "-x", "--", "-h"], [command], ctx)).toBe(7);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual(["-x", "--", "-h"]);
    expect(calls[0]!.ctx).toBe(ctx);
  });

  it("turns RUN_RESULT_HELP into the command's help on stderr and exit 1", async () => {
    const { command } = recorder("go", RUN_RESULT_HELP);
    const io = fakeIO();
    const ctx: CommandContext = {
      io,
      signal: new AbortController().signal,
      global: { machineReadable: false },
    };
    expect(await dispatch(["go"], [command], ctx)).toBe(1);
    expect(io.stderr.text).toBe("Usage: kiln go\n");
  });
});
