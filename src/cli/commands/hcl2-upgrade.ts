/**
 * `kiln hcl2_upgrade [options] TEMPLATE`: turns a legacy JSON template into an HCL2 configuration.
 */
import { hcl2UpgradeFile } from "../../template/index.js";
import type { CommandContext } from "../command.js";
import { loadBuiltinCatalog } from "../component-catalog.js";
import { defineCommand, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag, stringFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";
import { openCommandRuntime } from "../template-runtime.js";
import { PACKER_COMPATIBLE_VERSION } from "../version.js";

export interface Hcl2UpgradeOptions extends MetaOptions {
  readonly path: string;
  /** `-output-file`, defaulting to the template path with `.pkr.hcl` appended. */
  readonly outputFile: string;
  readonly withAnnotations: boolean;
}

const flags = {
  "output-file": stringFlag(""),
  "with-annotations": boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln hcl2_upgrade [options] TEMPLATE

  Turns a JSON template into an HCL2 configuration.

Options:

  -output-file=path    The output file. Defaults to the TEMPLATE name with
                       ".pkr.hcl" appended. To be read as an HCL2 template,
                       the name must end in ".pkr.hcl".
  -with-annotations    Add comments explaining the generated blocks, for
                       readers new to the HCL2 format.`;

export const hcl2UpgradeCommand = defineCommand<Hcl2UpgradeOptions>({
  name: "hcl2_upgrade",
  synopsis: "transform a JSON template into an HCL2 configuration",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) => {
      if (rest.length !== 1) return usage();
      const path = rest[0]!;
      return options({
        ...metaOptions(v),
        path,
        outputFile: v["output-file"] === "" ? `${path}.pkr.hcl` : v["output-file"],
        withAnnotations: v["with-annotations"],
      });
    }),
  execute: runHcl2Upgrade,
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

async function runHcl2Upgrade(options: Hcl2UpgradeOptions, ctx: CommandContext): Promise<number> {
  const opened = openCommandRuntime(ctx);
  if ("exitCode" in opened) return opened.exitCode;
  const { ui, log } = opened.runtime;
  try {
    const catalog = await loadBuiltinCatalog();
    const result = await hcl2UpgradeFile({
      path: options.path,
      outputFile: options.outputFile,
      withAnnotations: options.withAnnotations,
      varFiles: options.varFiles,
      vars: options.vars,
      env: ctx.io.env,
      cwd: ctx.io.cwd,
      coreVersion: PACKER_COMPATIBLE_VERSION,
      ...(options.path === "-" ? { stdin: await readAll(ctx.io.stdin) } : {}),
      hasBuilder: (type) => catalog.builders.get(type) !== undefined,
    });
    for (const m of result.messages) {
      if (m.kind === "error") ui.error(m.text);
      else ui.say(m.text);
    }
    return result.exitCode;
  } finally {
    log.close();
  }
}
