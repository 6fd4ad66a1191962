/**
 * `kiln version`: prints kiln's version. Takes no flags and, like Packer, ignores its arguments.
 */
import { type Command, writeLine } from "../command.js";
import { formatMachineLine } from "../machine-line.js";
import { kilnVersion, versionLine } from "../version.js";

export const versionCommand: Command = {
  name: "version",
  synopsis: "Prints the kiln version",
  help: () => "Prints the kiln version and the Packer version it is compatible with.",
  async run(_args, ctx) {
    if (!ctx.global.machineReadable) {
      writeLine(ctx.io.stdout, versionLine());
      return 0;
    }
    // Packer's machine lines: version, version-prelease (sic), version-commit, then the `say` line.
    const now = new Date();
    const [release = "", ...prerelease] = kilnVersion().split("-");
    const lines: [string, string][] = [
      ["version", release],
      ["version-prelease", prerelease.join("-")],
      ["version-commit", ""],
    ];
    for (const [type, value] of lines) writeLine(ctx.io.stdout, formatMachineLine(now, "", type, [value]));
    writeLine(ctx.io.stdout, formatMachineLine(now, "", "ui", ["say", versionLine()]));
    return 0;
  },
};
