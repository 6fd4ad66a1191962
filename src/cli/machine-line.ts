/**
 * One line of Packer's machine-readable output: `<unix seconds>,<target>,<type>,<arg>,...`.
 */

/** Packer's escaping of one field: commas, CR and LF would break the line format. */
export function escapeMachineField(field: string): string {
  return field.replaceAll(",", "%!(PACKER_COMMA)").replaceAll("\r", "\\r").replaceAll("\n", "\\n");
}

export function formatMachineLine(now: Date, target: string, type: string, args: readonly string[]): string {
  const seconds = Math.floor(now.getTime() / 1000);
  return [String(seconds), target, type, ...args].map(escapeMachineField).join(",");
}
