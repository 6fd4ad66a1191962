import { describe, expect, it } from "vitest";
import { buildCommand } from "../../../src/cli/commands/build.js";
import { consoleCommand } from "../../../src/cli/commands/console.js";
import { fixCommand } from "../../../src/cli/commands/fix.js";
import { fmtCommand } from "../../../src/cli/commands/fmt.js";
import { hcl2UpgradeCommand } from "../../../src/cli/commands/hcl2-upgrade.js";
import { initCommand } from "../../../src/cli/commands/init.js";
import { inspectCommand } from "../../../src/cli/commands/inspect.js";
import { pluginsInstallCommand } from "../../../src/cli/commands/plugins-install.js";
import { pluginsInstalledCommand } from "../../../src/cli/commands/plugins-installed.js";
import { pluginsRemoveCommand } from "../../../src/cli/commands/plugins-remove.js";
import { pluginsRequiredCommand } from "../../../src/cli/commands/plugins-required.js";
import { validateCommand } from "../../../src/cli/commands/validate.js";
import type { ParseOutcome, ParsingCommand } from "../../../src/cli/define-command.js";
import { COMMANDS } from "../../../src/cli/registry.js";

function parsed<T>(command: ParsingCommand<T>, ...args: string[]): T {
  const outcome: ParseOutcome<T> = command.parse(args);
  if (outcome.kind !== "options") throw new Error(`expected options, got ${JSON.stringify(outcome)}`);
  return outcome.options;
}

const META_DEFAULTS = { only: [], except: [], vars: new Map(), varFiles: [], configType: "json" };

describe("build", () => {
  it("has Packer's defaults", () => {
    expect(parsed(buildCommand, "t.pkr.hcl")).toEqual({
      ...META_DEFAULTS,
      path: "t.pkr.hcl",
      color: true,
      debug: false,
      force: false,
      machineReadable: false,
      onError: "",
      parallelBuilds: Number.POSITIVE_INFINITY,
      timestampUi: false,
      warnOnUndeclaredVar: false,
      ignorePrereleasePlugins: false,
      useSequentialEvaluation: false,
      skipEnforcement: false,
    });
  });

  it("parses every flag of the spec", () => {
    const o = parsed(
      buildCommand,
      "-color=false",
      "-debug",
      "-force",
      "-on-error=run-cleanup-provisioner",
      "-parallel-builds",
      "0x2",
      "-timestamp-ui",
      "-warn-on-undeclared-var",
      "-ignore-prerelease-plugins",
      "-use-sequential-evaluation",
      "-skip-enforcement",
      "-only=docker.*,null.a",
      "-except",
      "x",
      "-var",
      "k=v=w",
      "-var-file=a.pkrvars.hcl",
      "-var-file=b.json",
      "-config-type=HCL2",
      ".",
    );
    expect(o).toEqual({
      only: ["docker.*", "null.a"],
      except: ["x"],
      vars: new Map([["k", "v=w"]]),
      varFiles: ["a.pkrvars.hcl", "b.json"],
      configType: "hcl2",
      path: ".",
      color: false,
      debug: true,
      force: true,
      machineReadable: false,
      onError: "run-cleanup-provisioner",
      parallelBuilds: 2,
      timestampUi: true,
      warnOnUndeclaredVar: true,
      ignorePrereleasePlugins: true,
      useSequentialEvaluation: true,
      skipEnforcement: true,
    });
  });

  it("treats -parallel-builds below 1 as unlimited", () => {
    expect(parsed(buildCommand, "-parallel-builds=-3", "t").parallelBuilds).toBe(Number.POSITIVE_INFINITY);
    expect(parsed(buildCommand, "-parallel-builds=1", "t").parallelBuilds).toBe(1);
  });

  it("rejects an unknown -on-error and -config-type with Packer's messages", () => {
    expect(buildCommand.parse(["-on-error=x", "t"])).toEqual({
      kind: "usage",
      messages: [
        'invalid value "x" for flag -on-error: expected one of ["cleanup" "abort" "ask" "run-cleanup-provisioner"]',
      ],
    });
    expect(buildCommand.parse(["-config-type=yaml", "t"])).toEqual({
      kind: "usage",
      messages: ['invalid value "yaml" for flag -config-type: yaml does not belong to configType values'],
    });
  });

  it("needs exactly one template, after the flags", () => {
    expect(buildCommand.parse([])).toEqual({ kind: "usage", messages: [] });
    expect(buildCommand.parse(["a", "b"])).toEqual({ kind: "usage", messages: [] });
    expect(buildCommand.parse(["t", "-force"])).toEqual({ kind: "usage", messages: [] });
  });
});

describe("validate", () => {
  it("parses its flags", () => {
    expect(
      parsed(
        validateCommand,
        "-syntax-only",
        "-no-warn-undeclared-var",
        "-evaluate-datasources",
        "-only=a",
        "t",
      ),
    ).toMatchObject({
      path: "t",
      only: ["a"],
      syntaxOnly: true,
      noWarnUndeclaredVar: true,
      evaluateDatasources: true,
      ignorePrereleasePlugins: false,
      useSequentialEvaluation: false,
    });
  });

  it("has no -force or -machine-readable flag", () => {
    expect(validateCommand.parse(["-force", "t"])).toEqual({
      kind: "usage",
      messages: ["flag provided but not defined: -force"],
    });
  });
});

describe("fmt", () => {
  it("defaults -write to true and takes several paths", () => {
    expect(parsed(fmtCommand, "a.pkr.hcl", "-", "dir")).toEqual({
      ...META_DEFAULTS,
      paths: ["a.pkr.hcl", "-", "dir"],
      check: false,
      diff: false,
      write: true,
      recursive: false,
    });
  });

  it("parses its flags", () => {
    expect(parsed(fmtCommand, "-check", "-diff", "-write=false", "-recursive", ".")).toMatchObject({
      check: true,
      diff: true,
      write: false,
      recursive: true,
    });
  });
});

describe("inspect and console", () => {
  it("take an optional template and ignore anything but exactly one argument", () => {
    expect(parsed(inspectCommand, "t").path).toBe("t");
    expect(parsed(inspectCommand).path).toBe("");
    expect(parsed(inspectCommand, "a", "b").path).toBe("");
    expect(parsed(consoleCommand, "-config-type=hcl2")).toEqual({
      ...META_DEFAULTS,
      configType: "hcl2",
      path: "",
      useSequentialEvaluation: false,
    });
    expect(parsed(consoleCommand, "-use-sequential-evaluation", "-var", "a=b", "t")).toMatchObject({
      path: "t",
      vars: new Map([["a", "b"]]),
      useSequentialEvaluation: true,
    });
  });
});

describe("init, hcl2_upgrade, fix", () => {
  it("init parses -upgrade and -force", () => {
    expect(parsed(initCommand, "-upgrade", "-force", ".")).toMatchObject({
      path: ".",
      upgrade: true,
      force: true,
    });
  });

  it("hcl2_upgrade defaults the output file to TEMPLATE.pkr.hcl", () => {
    expect(parsed(hcl2UpgradeCommand, "t.json")).toMatchObject({
      path: "t.json",
      outputFile: "t.json.pkr.hcl",
      withAnnotations: false,
    });
    expect(
      parsed(hcl2UpgradeCommand, "-output-file", "o.pkr.hcl", "-with-annotations", "t.json"),
    ).toMatchObject({
      outputFile: "o.pkr.hcl",
      withAnnotations: true,
    });
  });

  it("fix defaults -validate to true", () => {
    expect(parsed(fixCommand, "t.json").validate).toBe(true);
    expect(parsed(fixCommand, "-validate=false", "t.json").validate).toBe(false);
  });
});

describe("plugins sub-commands", () => {
  it("install takes a source and an optional constraint", () => {
    expect(parsed(pluginsInstallCommand, "github.com/hashicorp/docker")).toMatchObject({
      source: "github.com/hashicorp/docker",
      versionConstraint: "",
      binaryPath: "",
      force: false,
    });
    expect(parsed(pluginsInstallCommand, "--path", "./bin", "-force", "github.com/a/b")).toMatchObject({
      source: "github.com/a/b",
      binaryPath: "./bin",
      force: true,
    });
    expect(parsed(pluginsInstallCommand, "github.com/a/b", ">= 1.0").versionConstraint).toBe(">= 1.0");
  });

  it("install rejects a wrong argument count and -path with a constraint", () => {
    expect(pluginsInstallCommand.parse([])).toEqual({
      kind: "usage",
      messages: ["Invalid arguments, expected either 1 or 2 positional arguments, got 0"],
    });
    expect(pluginsInstallCommand.parse(["-path=x", "github.com/a/b", "1.0"])).toEqual({
      kind: "usage",
      messages: [
        "Invalid arguments: a version cannot be specified when using --path to install a local plugin binary",
      ],
    });
  });

  it("installed ignores its arguments", () => {
    expect(parsed(pluginsInstalledCommand, "-whatever", "x")).toEqual({});
  });

  it("remove parses no flags and tells sources from absolute binary paths", () => {
    expect(parsed(pluginsRemoveCommand, "-x")).toEqual({
      kind: "source",
      source: "-x",
      versionConstraint: "",
    });
    expect(parsed(pluginsRemoveCommand, "github.com/a/b", "< 2")).toEqual({
      kind: "source",
      source: "github.com/a/b",
      versionConstraint: "< 2",
    });
    expect(parsed(pluginsRemoveCommand, "/p/packer-plugin-b")).toEqual({
      kind: "binary",
      binaryPath: "/p/packer-plugin-b",
    });
    expect(pluginsRemoveCommand.parse([])).toEqual({ kind: "help", messages: [] });
    expect(pluginsRemoveCommand.parse(["a", "b", "c"])).toEqual({ kind: "help", messages: [] });
  });

  it("required needs exactly one template and otherwise asks for the full help", () => {
    expect(parsed(pluginsRequiredCommand, "-var-file=v.hcl", ".")).toMatchObject({
      path: ".",
      varFiles: ["v.hcl"],
    });
    expect(pluginsRequiredCommand.parse([])).toEqual({ kind: "help", messages: [] });
  });
});

describe("help texts", () => {
  it("name kiln, never packer, in their usage lines", () => {
    for (const c of COMMANDS) {
      const help = c.help();
      expect(help.endsWith("\n")).toBe(false);
      expect(help).not.toMatch(
        /\bpacker (build|validate|fmt|init|plugins|fix|inspect|console|hcl2_upgrade)\b/,
      );
      if (help.startsWith("Usage:")) expect(help).toMatch(/^Usage: kiln /);
    }
  });

  // Every -flag a help text documents must be one the command accepts (`-machine-readable` is global).
  it.each([
    buildCommand,
    validateCommand,
    fmtCommand,
    inspectCommand,
    consoleCommand,
    initCommand,
    hcl2UpgradeCommand,
    fixCommand,
    pluginsInstallCommand,
  ] as ParsingCommand<unknown>[])("$name documents only flags it accepts", (command) => {
    const documented = [...command.help().matchAll(/^ {2}-([a-z0-9-]+)/gm)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThan(0);
    for (const name of documented.filter((n) => n !== "machine-readable")) {
      const outcome = command.parse([`-${name}=x`, "t"]);
      const messages = outcome.kind === "usage" ? outcome.messages : [];
      expect(messages.join()).not.toContain("not defined");
    }
  });

  it("build's help lists every build flag of Packer 1.16", () => {
    const help = buildCommand.help();
    for (const flag of [
      "color",
      "debug",
      "except",
      "only",
      "force",
      "machine-readable",
      "on-error",
      "parallel-builds",
      "timestamp-ui",
      "var",
      "var-file",
      "warn-on-undeclared-var",
      "ignore-prerelease-plugins",
      "use-sequential-evaluation",
      "skip-enforcement",
    ]) {
      expect(help).toMatch(new RegExp(`^ {2}-${flag}[ =]`, "m"));
    }
  });
});
