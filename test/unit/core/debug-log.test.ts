import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDebugLog,
  durafmt,
  durafmtMs,
  formatLogTimestamp,
  formatRfc3339,
  Redactor,
} from "../../../src/core/index.js";
import { Capture } from "./support.js";

const at = new Date(2026, 10, 22, 4, 31, 13);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(env: Record<string, string>) {
  const stderr = new Capture();
  const redactor = new Redactor();
  const created = createDebugLog({ env, stderr, redactor, now: () => at });
  return { created, stderr, redactor };
}

describe("debug log (PACKER_LOG / PACKER_LOG_PATH)", () => {
  it("writes nothing without PACKER_LOG, or with PACKER_LOG=0", () => {
    for (const env of [{}, { PACKER_LOG: "0" }, { PACKER_LOG: "" }]) {
      const { created, stderr } = open(env);
      if (!created.ok) throw new Error(created.error);
      expect(created.log.enabled).toBe(false);
      created.log.log("hello");
      expect(stderr.text).toBe("");
    }
  });

  it("writes Go log records to stderr, dropping lines that contain `ui:` / `ui error:`", () => {
    const { created, stderr } = open({ PACKER_LOG: "1" });
    if (!created.ok) throw new Error(created.error);
    const log = created.log;
    expect(log.enabled).toBe(true);
    log.log("Build debug mode: false");
    log.log("ui: ==> null.one: hello");
    log.log("ui error: ==> null.one: bad");
    log.log("ui: \n==> Wait completed after 64 milliseconds 725 microseconds");
    log.child("packer-builder-null plugin: ").log("Running the provision hook");
    expect(stderr.text).toBe(
      [
        "2026/11/22 04:31:13 Build debug mode: false",
        "==> Wait completed after 64 milliseconds 725 microseconds",
        "2026/11/22 04:31:13 packer-builder-null plugin: Running the provision hook",
        "",
      ].join("\n"),
    );
  });

  it("writes every record (ui lines too) to PACKER_LOG_PATH, even without PACKER_LOG, truncating it", () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-log-"));
    dirs.push(dir);
    const path = join(dir, "packer.log");
    writeFileSync(path, "old content\n");
    const { created, stderr, redactor } = open({ PACKER_LOG_PATH: path });
    if (!created.ok) throw new Error(created.error);
    redactor.add("pw");
    created.log.log("ui: hello pw");
    created.log.log("line\n");
    created.log.close();
    created.log.log("after close");
    expect(readFileSync(path, "utf8")).toBe(
      "2026/11/22 04:31:13 ui: hello <sensitive>\n2026/11/22 04:31:13 line\n",
    );
    expect(stderr.text).toBe("");
  });

  it("reports a log file that cannot be created as Go would", () => {
    const { created } = open({ PACKER_LOG: "1", PACKER_LOG_PATH: "/nonexistent-dir/x.log" });
    expect(created).toEqual({ ok: false, error: "open /nonexistent-dir/x.log: no such file or directory" });
  });
});

describe("time and duration formats", () => {
  it("formats Go's log timestamp and RFC 3339 in local time", () => {
    expect(formatLogTimestamp(at)).toBe("2026/11/22 04:31:13 ");
    const prev = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      expect(formatRfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02T03:04:05Z");
      process.env.TZ = "Asia/Kolkata";
      expect(formatRfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02T08:34:05+05:30");
      process.env.TZ = "America/New_York";
      expect(formatRfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-01T22:04:05-05:00");
    } finally {
      process.env.TZ = prev;
    }
  });

  it("durafmt keeps the first two non-zero units, singular for one", () => {
    const ms = 1_000_000n;
    expect(durafmt(28n * ms + 560_123n)).toBe("28 milliseconds 560 microseconds");
    expect(durafmt(1000n * ms)).toBe("1 second");
    expect(durafmt(4504n * ms + 100n)).toBe("4 seconds 504 milliseconds");
    expect(durafmt(61_001n * ms)).toBe("1 minute 1 second");
    expect(durafmt(3_600_000n * ms + 61_000n * ms)).toBe("1 hour 1 minute");
    expect(durafmt(8n * 24n * 3_600_000n * ms)).toBe("1 week 1 day");
    expect(durafmt(0n)).toBe("0 seconds");
    expect(durafmt(500n)).toBe("");
    expect(durafmtMs(10.5)).toBe("10 milliseconds 500 microseconds");
  });
});
