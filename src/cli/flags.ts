/**
 * A command-line flag parser with the semantics of Go's `flag` package (FlagSet with ContinueOnError), which
 * Packer uses for every sub-command:
 *  - `-name` and `--name` are the same flag; a value is given as `-name=value` or `-name value`;
 *  - a boolean flag takes no separate argument: `-name` or `-name=<Go bool>`, never `-name false`;
 *  - parsing stops at the first non-flag argument, at a lone `-` (a positional), or after `--`;
 *  - errors carry Go's exact wording.
 * Flags are declared as a spec object; parsing yields a fully typed values object.
 */
import { type ConvError, goQuote, parseGoBool, parseGoInt64 } from "../hcl/index.js";

/** One flag's behaviour. `set` folds a raw value into the current one, or returns the reason it was refused. */
export interface Flag<T> {
  /** Boolean flags never consume the next argument. */
  readonly isBool: boolean;
  /** A fresh default value (a new array or map each call, so parses never share state). */
  initial(): T;
  set(current: T, raw: string): { readonly value: T } | { readonly error: string };
}

export type FlagSpec = { readonly [name: string]: Flag<unknown> };

/** The parsed value of every flag in a spec, keyed by flag name. */
export type FlagValues<S extends FlagSpec> = {
  -readonly [K in keyof S]: S[K] extends Flag<infer T> ? T : never;
};

export type FlagParseResult<S extends FlagSpec> =
  | {
      readonly ok: true;
      readonly values: FlagValues<S>;
      /** The arguments left after the flags (Go's `FlagSet.Args()`). */
      readonly args: readonly string[];
      /** Names of the flags that were given (Go's `FlagSet.Visit`). */
      readonly seen: ReadonlySet<string>;
    }
  | {
      readonly ok: false;
      /** Go's error line, e.g. `flag provided but not defined: -nope`. */
      readonly message: string;
      /**
       * True for an undefined `-h`/`-help` (e.g. `-h=1`, `--h`): Go prints only the usage then, no error line,
       * and still fails.
       */
      readonly helpRequested: boolean;
    };

/** Parses `args` against `spec` exactly as Go's `FlagSet.Parse` would. */
export function parseFlags<S extends FlagSpec>(spec: S, args: readonly string[]): FlagParseResult<S> {
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec)) values[name] = flag.initial();
  const seen = new Set<string>();
  const fail = (message: string, helpRequested = false) => ({ ok: false as const, message, helpRequested });

  let i = 0;
  while (i < args.length) {
    const s = args[i]!;
    if (s.length < 2 || s[0] !== "-") break;
    let minuses = 1;
    if (s[1] === "-") {
      minuses = 2;
      if (s.length === 2) {
        i++;
        break;
      }
    }
    let name = s.slice(minuses);
    if (name.length === 0 || name[0] === "-" || name[0] === "=") return fail(`bad flag syntax: ${s}`);
    i++;
    let value: string | undefined;
    const eq = name.indexOf("=", 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }

    const flag = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (flag === undefined) {
      if (name === "help" || name === "h") return fail("", true);
      return fail(`flag provided but not defined: -${name}`);
    }
    if (value === undefined && flag.isBool) value = "true";
    if (value === undefined) {
      if (i >= args.length) return fail(`flag needs an argument: -${name}`);
      value = args[i++]!;
    }
    const result = flag.set(values[name], value);
    if ("error" in result) {
      const what = flag.isBool
        ? `invalid boolean value ${goQuote(value)} for -${name}`
        : `invalid value ${goQuote(value)} for flag -${name}`;
      return fail(`${what}: ${result.error}`);
    }
    values[name] = result.value;
    seen.add(name);
  }
  return { ok: true, values: values as FlagValues<S>, args: args.slice(i), seen };
}

function fromConv<T extends boolean | bigint>(v: T | ConvError): { value: T } | { error: string } {
  return typeof v === "string" ? { error: v } : { value: v };
}

/** Go's BoolVar. */
export function boolFlag(initial: boolean): Flag<boolean> {
  return { isBool: true, initial: () => initial, set: (_, raw) => fromConv(parseGoBool(raw)) };
}

/** Go's StringVar. */
export function stringFlag(initial = ""): Flag<string> {
  return { isBool: false, initial: () => initial, set: (_, raw) => ({ value: raw }) };
}

/** Go's Int64Var (and IntVar on 64-bit hosts): base prefixes, `_` separators, 64-bit range. */
export function int64Flag(initial: bigint): Flag<bigint> {
  return { isBool: false, initial: () => initial, set: (_, raw) => fromConv(parseGoInt64(raw)) };
}

/** A repeatable flag keeping every value in order (Packer's `-var-file`). */
export function stringListFlag(): Flag<string[]> {
  return { isBool: false, initial: () => [], set: (cur, raw) => ({ value: [...cur, raw] }) };
}

/** A repeatable flag whose values are split at commas (`-only=a,b -only=c` gives [a, b, c]). */
export function commaListFlag(): Flag<string[]> {
  return { isBool: false, initial: () => [], set: (cur, raw) => ({ value: [...cur, ...raw.split(",")] }) };
}

/** Packer's `-var k=v`: split at the first `=`; repeatable, a later value for the same key wins. */
export function keyValueFlag(): Flag<Map<string, string>> {
  return {
    isBool: false,
    initial: () => new Map(),
    set: (cur, raw) => {
      const eq = raw.indexOf("=");
      if (eq < 0) return { error: `No '=' value in arg: ${raw}` };
      return { value: new Map(cur).set(raw.slice(0, eq), raw.slice(eq + 1)) };
    },
  };
}

/** A flag accepting one of `options` exactly (Packer's `-on-error`); the initial value may be outside them. */
export function enumFlag<T extends string, I extends string = T>(
  options: readonly T[],
  initial: I,
): Flag<T | I> {
  return {
    isBool: false,
    initial: () => initial,
    set: (_, raw) =>
      (options as readonly string[]).includes(raw)
        ? { value: raw as T }
        : { error: `expected one of [${options.map(goQuote).join(" ")}]` },
  };
}
