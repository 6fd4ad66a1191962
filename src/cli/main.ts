/**
 * Entry point of the kiln CLI. Returns the process exit code; bin/kiln.js sets it.
 */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`kiln: ${argv.join(" ")}\n`);
  return 0;
}
