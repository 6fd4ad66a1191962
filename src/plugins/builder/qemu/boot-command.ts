/**
 * Packer's boot command language (packer-plugin-sdk bootcommand): the text typed into a machine's console
 * while it boots. A command is a sequence of
 *  - `<wait>`, `<wait5>` (seconds), `<wait1m30s>` (a Go duration): pause;
 *  - `<enter>`, `<f2>`, `<leftCtrl>` ...: press a special key; `<leftCtrlOn>` / `<leftCtrlOff>` hold or release
 *    it (key names are case-insensitive, `On`/`Off` too);
 *  - `<aOn>` / `<aOff>`: hold or release an ordinary character;
 *  - any other character: typed as it is (so a `<` that starts nothing above is typed as `<`).
 * The grammar is a PEG with ordered choice and no backtracking into a choice that matched, exactly as the
 * SDK's generated parser; validation rejects waits that are not positive.
 */
import { cancelledError, Duration, formatGoDuration, parseDuration } from "../../../sdk/index.js";

export type KeyAction = "on" | "off" | "press";

export type BootExpression =
  | { readonly kind: "wait"; readonly duration: Duration }
  | { readonly kind: "special"; readonly key: string; readonly action: KeyAction }
  | { readonly kind: "literal"; readonly char: string; readonly action: KeyAction };

/** The special key names, in the grammar's order (`f10` before `f1`, `left`/`right` after `leftAlt`...). */
export const SPECIAL_KEYS: readonly string[] = [
  "bs",
  "del",
  "enter",
  "esc",
  "f10",
  "f11",
  "f12",
  "f1",
  "f2",
  "f3",
  "f4",
  "f5",
  "f6",
  "f7",
  "f8",
  "f9",
  "return",
  "tab",
  "up",
  "down",
  "spacebar",
  "insert",
  "home",
  "end",
  "pageUp",
  "pageDown",
  "leftAlt",
  "leftCtrl",
  "leftShift",
  "rightAlt",
  "rightCtrl",
  "rightShift",
  "leftSuper",
  "rightSuper",
  "leftCommand",
  "rightCommand",
  "leftOption",
  "rightOption",
  "left",
  "right",
  "menu",
];

const TIME_UNITS = ["ns", "us", "\u00b5s", "ms", "s", "m", "h"];

function startsWithIgnoreCase(text: string, at: number, word: string): boolean {
  return text.slice(at, at + word.length).toLowerCase() === word.toLowerCase();
}

/** `Integer = '0' / [1-9][0-9]*` at `at`; the end index, or -1. */
function matchInteger(text: string, at: number): number {
  const c = text[at];
  if (c === "0") return at + 1;
  if (c === undefined || c < "1" || c > "9") return -1;
  let i = at + 1;
  while (i < text.length && text[i]! >= "0" && text[i]! <= "9") i++;
  return i;
}

/** `Number = '-'? Integer ('.' Digit+)?`; the end index, or -1. */
function matchNumber(text: string, at: number): number {
  let i = at;
  if (text[i] === "-") i++;
  i = matchInteger(text, i);
  if (i < 0) return -1;
  if (text[i] === ".") {
    let j = i + 1;
    while (j < text.length && text[j]! >= "0" && text[j]! <= "9") j++;
    if (j > i + 1) i = j;
  }
  return i;
}

/** `Duration = (Number TimeUnit)+`; the end index, or -1. */
function matchDuration(text: string, at: number): number {
  let i = at;
  let matched = false;
  for (;;) {
    const n = matchNumber(text, i);
    if (n < 0) break;
    const unit = TIME_UNITS.find((u) => text.startsWith(u, n));
    if (unit === undefined) break;
    i = n + unit.length;
    matched = true;
  }
  return matched ? i : -1;
}

/** `On = "on"i`, `Off = "off"i`: the action and the end index. */
function matchToggle(text: string, at: number): [KeyAction, number] | undefined {
  if (startsWithIgnoreCase(text, at, "on")) return ["on", at + 2];
  if (startsWithIgnoreCase(text, at, "off")) return ["off", at + 3];
  return undefined;
}

export type ParseBootCommandResult =
  | { readonly ok: true; readonly value: readonly BootExpression[] }
  | { readonly ok: false; readonly error: string };

/** Parses a boot command (the boot_command list joined). Only a bad wait duration makes it fail. */
export function parseBootCommand(command: string): ParseBootCommandResult {
  const out: BootExpression[] = [];
  // Iterate by code point: a literal is one rune.
  const text = command;
  let i = 0;
  while (i < text.length) {
    if (text[i] === "<") {
      // Wait = "<" "wait" (Duration / Integer)? ">"
      if (text.startsWith("wait", i + 1)) {
        const start = i + 5;
        let end = start;
        let duration: Duration | "error" | undefined;
        const d = matchDuration(text, start);
        if (d >= 0) {
          const parsed = parseDuration(text.slice(start, d));
          duration = parsed.ok ? parsed.value : "error";
          end = d;
        } else {
          const n = matchInteger(text, start);
          if (n >= 0) {
            const seconds = BigInt(text.slice(start, n));
            duration = seconds > 9223372036n ? "error" : Duration.fromNanoseconds(seconds * 1_000_000_000n);
            end = n;
          }
        }
        if (text[end] === ">") {
          if (duration === "error") {
            return { ok: false, error: `invalid wait duration in boot command: ${text.slice(i, end + 1)}` };
          }
          out.push({ kind: "wait", duration: duration ?? Duration.fromMilliseconds(1000) });
          i = end + 1;
          continue;
        }
      }
      // CharToggle = "<" Literal (On / Off) ">"
      const cp = text.codePointAt(i + 1);
      if (cp !== undefined) {
        const ch = String.fromCodePoint(cp);
        const toggle = matchToggle(text, i + 1 + ch.length);
        if (toggle !== undefined && text[toggle[1]] === ">") {
          out.push({ kind: "literal", char: ch, action: toggle[0] });
          i = toggle[1] + 1;
          continue;
        }
      }
      // Special = "<" SpecialKey (On / Off)? ">"
      const key = SPECIAL_KEYS.find((k) => startsWithIgnoreCase(text, i + 1, k));
      if (key !== undefined) {
        let j = i + 1 + key.length;
        let action: KeyAction = "press";
        const toggle = matchToggle(text, j);
        if (toggle !== undefined) [action, j] = toggle;
        if (text[j] === ">") {
          out.push({ kind: "special", key: key.toLowerCase(), action });
          i = j + 1;
          continue;
        }
      }
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out.push({ kind: "literal", char: ch, action: "press" });
    i += ch.length;
  }
  return { ok: true, value: out };
}

/** Packer's expressionSequence.Validate: one error per wait that is not positive. */
export function validateBootCommand(seq: readonly BootExpression[]): string[] {
  const errors: string[] = [];
  for (const e of seq) {
    if (e.kind === "wait" && e.duration.nanoseconds <= 0n) {
      errors.push(`Expecting a positive wait value. Got ${formatGoDuration(e.duration.nanoseconds)}`);
    }
  }
  return errors;
}

/** What types keys: a VNC connection (or anything that can press keys in order). */
export interface BootCommandDriver {
  sendKey(char: string, action: KeyAction, signal: AbortSignal): Promise<void>;
  sendSpecial(key: string, action: KeyAction, signal: AbortSignal): Promise<void>;
  flush(signal: AbortSignal): Promise<void>;
}

/** Resolves after `ms`, or rejects with a cancellation when `signal` fires. */
export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Types the sequence in order (Packer's expressionSequence.Do). */
export async function typeBootCommand(
  seq: readonly BootExpression[],
  driver: BootCommandDriver,
  signal: AbortSignal,
  onWait?: (d: Duration) => void,
): Promise<void> {
  for (const e of seq) {
    if (signal.aborted) throw cancelledError(signal.reason);
    switch (e.kind) {
      case "wait":
        await driver.flush(signal);
        onWait?.(e.duration);
        await sleepFor(e.duration.milliseconds, signal);
        break;
      case "special":
        await driver.sendSpecial(e.key, e.action, signal);
        break;
      case "literal":
        await driver.sendKey(e.char, e.action, signal);
        break;
    }
  }
  await driver.flush(signal);
}
