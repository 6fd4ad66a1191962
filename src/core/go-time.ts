/**
 * Go time formats Packer prints, in the local time zone of the process (or UTC when asked).
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `2006-01-02T15:04:05Z07:00` (RFC 3339 as Go formats it: `Z` for UTC, else `+hh:mm`), local time. */
export function formatRfc3339(date: Date): string {
  const offsetMin = -date.getTimezoneOffset();
  let zone = "Z";
  if (offsetMin !== 0) {
    const sign = offsetMin > 0 ? "+" : "-";
    const abs = Math.abs(offsetMin);
    zone = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`
  );
}

/** The prefix Go's log package writes with its standard flags: `2006/01/02 15:04:05 `, local time. */
export function formatLogTimestamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} `
  );
}
