/**
 * `kiln fix [options] TEMPLATE`: rewrites a legacy JSON template from older Packer versions.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

export interface FixOptions extends MetaOptions {
  readonly path: string;
  /** Default true: parse and validate the fixed template. */
  readonly validate: boolean;
}

/** The fixers, in the order they run (Packer 1.16). */
export const FIXER_ORDER: readonly string[] = [
  "iso-md5",
  "createtime",
  "virtualbox-gaattach",
  "pp-vagrant-override",
  "virtualbox-rename",
  "vmware-rename",
  "parallels-headless",
  "parallels-deprecations",
  "sshkeypath",
  "sshdisableagent",
  "scaleway-access-key",
  "manifest-filename",
  "amazon-shutdown_behavior",
  "amazon-enhanced-networking",
  "amazon-private-ip",
  "amazon-temp-sec-cidrs",
  "docker-email",
  "docker-tag-tags",
  "powershell-escapes",
  "vmware-compaction",
  "hyperv-deprecations",
  "hyperv-vmxc-typo",
  "hyperv-cpu-and-ram",
  "clean-image-name",
  "spot-price-auto-product",
  "qemu-disk-size",
  "galaxy-command",
  "comm-config",
  "ssh-wait-timeout",
  "vsphere-iso-net-disk",
  "iso-checksum-type-and-url",
  "qemu-host-port",
  "azure-exclude_from_latest",
  "proxmox-type",
];

const flags = {
  validate: boolFlag(true),
  ...metaFlags,
};

function help(): string {
  return `Usage: kiln fix [options] TEMPLATE

  Reads a JSON template and fixes the known incompatibilities with older
  versions. The fixed template is written to standard output.

  If the template cannot be fixed, the errors are shown and the exit status
  is non-zero.

Fixes that are run (in order):

${FIXER_ORDER.map((name) => `  ${name}`).join("\n")}

Options:

  -validate=true      If true (default), validate the fixed template.`;
}

export const fixCommand = defineCommand<FixOptions>({
  name: "fix",
  synopsis: "fixes templates from old versions of packer",
  help,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) => {
      if (rest.length !== 1) return usage();
      return options({ ...metaOptions(v), path: rest[0]!, validate: v.validate });
    }),
  execute: runFix,
});

async function runFix(_options: FixOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("fix", ctx);
}
