/**
 * Types boot commands over VNC as Packer's bootcommand vncDriver does: a character is sent as the keysym with
 * its code point, wrapped in left-shift down/up when it is an upper-case letter or one of the shifted
 * punctuation characters; special keys map to their X11 keysyms. After every key event the driver waits the
 * key interval (boot_key_interval, else PACKER_KEY_INTERVAL, else 100ms).
 */
import { KilnError, parseDuration } from "../../../sdk/index.js";
import { type BootCommandDriver, type KeyAction, sleepFor } from "./boot-command.js";

export const KEY_LEFT_SHIFT = 0xffe1;
const SHIFTED_CHARS = '~!@#$%^&*()_+{}|:"<>?';
export const DEFAULT_KEY_INTERVAL_MS = 100;

/** X11 keysyms of the special keys (lower-case names). */
export const SPECIAL_KEYSYMS: ReadonlyMap<string, number> = new Map([
  ["bs", 0xff08],
  ["del", 0xffff],
  ["down", 0xff54],
  ["end", 0xff57],
  ["enter", 0xff0d],
  ["esc", 0xff1b],
  ["f1", 0xffbe],
  ["f2", 0xffbf],
  ["f3", 0xffc0],
  ["f4", 0xffc1],
  ["f5", 0xffc2],
  ["f6", 0xffc3],
  ["f7", 0xffc4],
  ["f8", 0xffc5],
  ["f9", 0xffc6],
  ["f10", 0xffc7],
  ["f11", 0xffc8],
  ["f12", 0xffc9],
  ["home", 0xff50],
  ["insert", 0xff63],
  ["left", 0xff51],
  ["leftalt", 0xffe9],
  ["leftctrl", 0xffe3],
  ["leftshift", 0xffe1],
  ["leftsuper", 0xffeb],
  ["menu", 0xff67],
  ["pagedown", 0xff56],
  ["pageup", 0xff55],
  ["return", 0xff0d],
  ["right", 0xff53],
  ["rightalt", 0xffea],
  ["rightctrl", 0xffe4],
  ["rightshift", 0xffe2],
  ["rightsuper", 0xffec],
  ["spacebar", 0x020],
  ["tab", 0xff09],
  ["up", 0xff52],
  ["leftcommand", 0xffe9],
  ["rightcommand", 0xffea],
  ["leftoption", 0xffe7],
  ["rightoption", 0xffe8],
]);

/** Something that accepts RFB key events in order (VncClient). */
export interface KeyEventSink {
  keyEvent(keysym: number, down: boolean): Promise<void>;
}

/** Go's unicode.IsUpper for the characters a boot command contains. */
function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/**
 * The key interval: a positive boot_key_interval wins, else PACKER_KEY_INTERVAL when it parses as a Go
 * duration, else 100ms.
 */
export function keyIntervalMs(
  bootKeyIntervalMs: number,
  env: Readonly<Record<string, string | undefined>>,
): number {
  let interval = DEFAULT_KEY_INTERVAL_MS;
  const fromEnv = env.PACKER_KEY_INTERVAL;
  if (fromEnv !== undefined) {
    const parsed = parseDuration(fromEnv);
    if (parsed.ok) interval = Number(parsed.value.nanoseconds) / 1e6;
  }
  if (bootKeyIntervalMs > 0) interval = bootKeyIntervalMs;
  return Math.max(0, interval);
}

export class VncBootDriver implements BootCommandDriver {
  constructor(
    private readonly sink: KeyEventSink,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void = () => {},
  ) {}

  private async event(keysym: number, down: boolean, signal: AbortSignal): Promise<void> {
    await this.sink.keyEvent(keysym, down);
    if (this.intervalMs > 0) await sleepFor(this.intervalMs, signal);
  }

  async sendKey(char: string, action: KeyAction, signal: AbortSignal): Promise<void> {
    const code = char.codePointAt(0)!;
    const shift = isUpper(char) || SHIFTED_CHARS.includes(char);
    this.log(`Sending char '${char}', code 0x${code.toString(16).toUpperCase()}, shift ${shift}`);
    if (action !== "off") {
      if (shift) await this.event(KEY_LEFT_SHIFT, true, signal);
      await this.event(code, true, signal);
    }
    if (action !== "on") {
      await this.event(code, false, signal);
      if (shift) await this.event(KEY_LEFT_SHIFT, false, signal);
    }
  }

  async sendSpecial(key: string, action: KeyAction, signal: AbortSignal): Promise<void> {
    const keysym = SPECIAL_KEYSYMS.get(key.toLowerCase());
    if (keysym === undefined) throw new KilnError("VNC", `special ${key} not found.`);
    this.log(`Special code '<${key}>' found, replacing with: 0x${keysym.toString(16).toUpperCase()}`);
    if (action !== "off") await this.event(keysym, true, signal);
    if (action !== "on") await this.event(keysym, false, signal);
  }

  async flush(): Promise<void> {}
}
