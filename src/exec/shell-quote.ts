/**
 * Quoting of command lines for messages and logs (never for execution: runProcess passes arguments as a list).
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a POSIX shell would need it: bare when safe, else in single quotes. */
export function shellQuote(arg: string): string {
  if (arg !== "" && SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** A command line for display: `/bin/sh -c 'echo hi'`. */
export function shellQuoteArgs(args: readonly string[]): string {
  return args.map(shellQuote).join(" ");
}
