/** One value as the API sends it (`serialize`, the statements' `sentRows`): a Date as its ISO text, anything else as it is. */
export const sentValue = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/**
 * A `timestamptz` as the database prints it, as JavaScript's ISO text (what `new Date(text)
 * .toISOString()` gives), without making a Date. PostgreSQL prints UTC times as
 * `2026-12-05 21:08:40.123456+00`, up to six fraction digits with trailing zeros dropped; a
 * Date keeps milliseconds, cutting the rest. Any other form (another session time zone, a year
 * past 9999, BC) goes through Date.
 */
export function timestamptzToIso(text: string): string {
  const length = text.length;
  const utc = length >= 22 && text.charCodeAt(length - 3) === 43 /* + */ && text.charCodeAt(length - 2) === 48 && text.charCodeAt(length - 1) === 48;
  if (!utc || text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(10) !== 32 /* space */) return new Date(text).toISOString();
  const fraction = length > 22 ? text.slice(20, Math.min(length - 3, 23)).padEnd(3, '0') : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}
