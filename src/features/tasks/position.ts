import { generateKeyBetween } from 'fractional-indexing';

/**
 * Task order within a project: fractional index keys (migration 0010), compared byte-wise.
 * A key strictly between two neighbours always exists, so a move rewrites only the moved task.
 *
 * @example positionBetween('a0', 'a1') // 'a0V'
 */
export function positionBetween(after: string | null, before: string | null): string {
  return generateKeyBetween(after, before);
}

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The n-th key (from 0) of a fresh sequence: a0 … az, b00 … bzz, c000 …, exactly what appending
 * one task after another gives, and what migration 0010's backfill wrote. For bulk loaders that
 * write rows without the insert trigger's help.
 *
 * @example nthPositionKey(62) // 'b00'
 */
export function nthPositionKey(n: number): string {
  let width = 1;
  let rest = n;
  while (rest >= DIGITS.length ** width) {
    rest -= DIGITS.length ** width;
    width += 1;
  }
  let digits = '';
  for (let i = 0; i < width; i++) {
    digits = (DIGITS[rest % DIGITS.length] ?? '') + digits;
    rest = Math.floor(rest / DIGITS.length);
  }
  return String.fromCharCode('a'.charCodeAt(0) + width - 1) + digits;
}
