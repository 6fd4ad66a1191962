/**
 * Go time formats Packer prints, in the local time zone of the process.
 */
import { type GoTime, goFormat, goIn, goTimeFromEpochMillis, RFC3339 } from "../hcl/index.js";

/**
 * `date` in the process's local zone at that instant: a fixed offset, no abbreviation. The offset is read to
 * the second from the local clock fields (getTimezoneOffset rounds historical offsets such as +00:19:32 to
 * minutes), so the clock printed is the local one and the zone is Go's (minutes, truncated).
 */
function localTime(date: Date): GoTime {
  const ms = date.getTime();
  // The local clock read as if it were UTC (setUTCFullYear, unlike Date.UTC, takes years 0-99 as they are).
  const wall = new Date(0);
  wall.setUTCFullYear(date.getFullYear(), date.getMonth(), date.getDate());
  wall.setUTCHours(date.getHours(), date.getMinutes(), date.getSeconds(), 0);
  const offset = Math.round((wall.getTime() - (ms - (((ms % 1000) + 1000) % 1000))) / 1000);
  return goIn(goTimeFromEpochMillis(ms), offset, "");
}

/** `2006-01-02T15:04:05Z07:00` (RFC 3339 as Go formats it: `Z` for UTC, else `+hh:mm`), local time. */
export function formatRfc3339(date: Date): string {
  return goFormat(localTime(date), RFC3339);
}

/** The prefix Go's log package writes with its standard flags: `2006/01/02 15:04:05 `, local time. */
export function formatLogTimestamp(date: Date): string {
  return goFormat(localTime(date), "2006/01/02 15:04:05 ");
}
