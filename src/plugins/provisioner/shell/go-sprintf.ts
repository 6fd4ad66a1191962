/**
 * Go's fmt.Sprintf for the verbs that `env_var_format` strings use: `%s`, `%v`, `%q` and `%%`. A verb without
 * an argument prints `%!s(MISSING)` and extra arguments are appended as `%!(EXTRA string=...)`, as Go does.
 */
import { goQuote } from "../../../sdk/index.js";

export function goSprintf(format: string, ...args: string[]): string {
  let out = "";
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%" || i + 1 >= format.length) {
      out += c;
      continue;
    }
    const verb = format[++i]!;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[next++]!;
    switch (verb) {
      case "s":
      case "v":
        out += arg;
        break;
      case "q":
        out += goQuote(arg);
        break;
      default:
        out += `%!${verb}(string=${arg})`;
    }
  }
  if (next < args.length)
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => `string=${a}`)
      .join(", ")})`;
  return out;
}
