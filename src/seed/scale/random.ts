/**
 * Seeded randomness for the scale seed. Every value is derived from the run's seed and the
 * position of what it describes (organization, project, task number…), never from a shared
 * stream, so a table can be generated again for its audit rows or its child rows and come out
 * identical, and the output does not depend on the order in which tables are written.
 */

/**
 * MurmurHash3's 32-bit mixing of `salt` and small integers: cheap, well spread and
 * deterministic. Hot path (several calls per generated row): no arrays are built, no closures.
 */
export function hash32(salt: number, parts: readonly number[]): number {
  let h = mixIn(0x9747b28c, salt);
  for (let i = 0; i < parts.length; i++) h = mixIn(h, parts[i] ?? 0);
  h ^= (parts.length + 1) * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixIn(state: number, part: number): number {
  let k = Math.imul(part | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = state ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(word: number): string {
  return (
    (HEX[(word >>> 24) & 0xff] ?? '00') + (HEX[(word >>> 16) & 0xff] ?? '00') +
    (HEX[(word >>> 8) & 0xff] ?? '00') + (HEX[word & 0xff] ?? '00')
  );
}

/**
 * A random-looking version 4 UUID that is a pure function of `parts`, far cheaper than the
 * SHA-1 of `seedId` for the millions of task, comment and audit ids. Random-looking matters:
 * the application's ids come from gen_random_uuid(), and sequential ids would make the
 * primary-key indexes of a benchmark database unrealistically compact.
 *
 * @example
 * fastUuid([seed, KIND.task, organization, project, number]) // '3f2a…-…-4…-8…-…'
 */
export function fastUuid(parts: readonly number[]): string {
  // Four differently salted hashes: 122 random-looking bits once version and variant are set.
  const a = hash32(0x51a7e, parts);
  const b = hex32(((hash32(0x2b0b, parts) & 0xffff0fff) | 0x00004000) >>> 0);
  const c = hex32(((hash32(0x7c3d, parts) & 0x3fffffff) | 0x80000000) >>> 0);
  const d = hash32(0x1e55, parts);
  return `${hex32(a)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex32(d)}`;
}

/** Choices with relative weights, e.g. `[['todo', 3], ['done', 1]]`. */
export type Weighted<T> = readonly (readonly [T, number])[];

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG): 128 bits of state, passes PractRand. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // The first outputs of a freshly keyed sfc32 are still correlated with the key.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A generator keyed by `parts` (seed first, then what it describes). */
  static of(parts: readonly number[]): Random {
    return new Random(hash32(1, parts), hash32(2, parts), hash32(3, parts), 1);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  weighted<T>(choices: Weighted<T>): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** An exponentially distributed count with the given mean: many zeros and ones, a long tail. */
  count(mean: number, max: number): number {
    return Math.min(max, Math.floor(-Math.log(1 - this.next()) * mean));
  }

  /** Fisher–Yates on a copy: `n` distinct items of `items` (all of them when n ≥ length). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const take = Math.min(n, copy.length);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const [first, second] = [copy[i], copy[j]];
      if (first === undefined || second === undefined) break;
      copy[i] = second;
      copy[j] = first;
    }
    return copy.slice(0, take);
  }
}

/**
 * Splits `total` into parts proportional to `weights` that add up to exactly `total`
 * (largest remainder), so `--tasks 1000000` loads one million tasks, not 999 998.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, w) => acc + w, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) throw new RangeError('apportion needs a positive weight');
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((acc, n) => acc + n, 0);
  const byRemainder = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((x, y) => y.rest - x.rest || x.i - y.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

/**
 * Zipf weights (1/rank^exponent) handed to `n` items in a seeded random order, with a little
 * jitter: a few items get most of the weight and many get little, and which ones is random.
 */
export function zipfWeights(random: Random, n: number, exponent: number): number[] {
  const ranks = random.sample(
    Array.from({ length: n }, (_, i) => i + 1),
    n,
  );
  return ranks.map((rank) => (0.8 + 0.4 * random.next()) / rank ** exponent);
}
