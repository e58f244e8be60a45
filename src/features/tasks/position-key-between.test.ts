import { generateKeyBetween } from 'fractional-indexing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engine } from '../../../test/support/database.js';
import { migrate } from '../../db/migrator/runner.js';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEADS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const FAILED = '!failed';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The package's answer, or FAILED where it throws. */
function libraryKey(a: string | null, b: string | null): string {
  try {
    return generateKeyBetween(a, b);
  } catch {
    return FAILED;
  }
}

/**
 * Valid keys, most near the edges: digits mostly from the ends of the alphabet (where carries
 * and borrows happen), heads near 'A', 'Z', 'a' and 'z', fractions up to 40 digits.
 */
function randomKeys(next: () => number, count: number): string[] {
  const pick = (alphabet: string, edgy: string) => {
    const from = next() < 0.7 ? edgy : alphabet;
    return from.charAt(Math.floor(next() * from.length));
  };
  const keys: string[] = [];
  while (keys.length < count) {
    const head = pick(HEADS, 'ABYZabyz');
    const index = HEADS.indexOf(head);
    const length = index < 26 ? 27 - index : index - 24;
    let key = head;
    for (let i = 1; i < length; i++) key += pick(DIGITS, '01yz');
    const fraction = next() < 0.5 ? 0 : Math.floor(next() * (next() < 0.2 ? 40 : 4));
    for (let i = 0; i < fraction; i++) key += pick(DIGITS, '01Vyz');
    while (key.length > length && key.endsWith('0')) key = key.slice(0, -1);
    if (key !== `A${'0'.repeat(26)}`) keys.push(key);
  }
  return keys;
}

/** A key just above or below `key`, sharing a long prefix with it: where the midpoint walks the common digits. */
function neighbourOf(key: string, next: () => number): string {
  const at = Math.max(1, Math.floor(next() * key.length));
  const digit = DIGITS.indexOf(key.charAt(at));
  const changed = DIGITS.charAt(Math.min(61, Math.max(1, digit + (next() < 0.5 ? -1 : 1))));
  const tail = next() < 0.5 ? '' : 'z0V1'.slice(0, 1 + Math.floor(next() * 3)).replace(/0$/, '');
  return key.slice(0, at) + changed + tail;
}

/**
 * app.key_between (migration 0042) against the package's generateKeyBetween, which the ordinary
 * move uses: the same key for every pair of valid keys and null ends, and a failure (an error in
 * the database, a throw in the package) for the same pairs.
 */
describe(`position keys: app.key_between gives what generateKeyBetween gives (${engine})`, async () => {
  const test = await createTestDatabase();
  beforeAll(async () => {
    await migrate(test.db);
    // An error as a value, so thousands of pairs go in one statement.
    await test.db.query(`create function public.key_or_failure(a text, b text) returns text language plpgsql as $$
      begin return app.key_between(a, b); exception when others then return '${FAILED}'; end $$`);
  });
  afterAll(async () => {
    await test.destroy();
  });

  const databaseKeys = async (pairs: [string | null, string | null][]) => {
    const rows = await test.db.query<{ key: string }>(
      'select public.key_or_failure(a, b) as key from unnest($1::text[], $2::text[]) with ordinality as p(a, b, n) order by n',
      [pairs.map(([a]) => a), pairs.map(([, b]) => b)],
    );
    return rows.map((row) => row.key);
  };

  const expectSameKeys = async (pairs: [string | null, string | null][]) => {
    const database = await databaseKeys(pairs);
    const mismatches = pairs.flatMap(([a, b], i) => (database[i] === libraryKey(a, b) ? [] : [{ a, b, database: database[i], library: libraryKey(a, b) }]));
    expect(mismatches).toEqual([]);
  };

  it('at the edges: null ends, a0, Zz, the largest and smallest integers, digit boundaries, fractions', async () => {
    const largest = `z${'z'.repeat(26)}`;
    const smallest = `A${'0'.repeat(26)}`;
    const edges = [
      'a0', 'a1', 'az', 'b00', 'b01', 'bzz', 'c000', 'Zz', 'Z0', 'Yzz', 'Y00', 'a0V', 'a0z', 'a01', 'a0001', 'Zzz', 'ZzV', 'a3zzzV',
      largest, `${largest}V`, `${largest}zzz`, `${smallest}1`, `${smallest}V`, `A${'0'.repeat(25)}1`, `A${'0'.repeat(25)}1V`, `B${'z'.repeat(25)}`,
    ];
    const pairs: [string | null, string | null][] = [[null, null]];
    for (const a of edges) {
      pairs.push([a, null], [null, a], [a, a]);
      for (const b of edges) if (a !== b) pairs.push([a, b]);
    }
    // Invalid keys fail in both: too short, an unknown head, the smallest integer, a fraction ending in 0.
    for (const bad of ['a', 'b0', '0a', smallest, 'a00', 'a0V0', '']) pairs.push([bad, null], [null, bad], ['a0', bad]);
    await expectSameKeys(pairs);
    // The comparison means something only if both answer keys and both fail somewhere.
    const database = await databaseKeys(pairs);
    expect(database.filter((key) => key === FAILED).length).toBeGreaterThan(20);
    expect(database.filter((key) => key !== FAILED).length).toBeGreaterThan(600);
  });

  it('over thousands of generated keys, alone, in random pairs, and next to keys sharing a long prefix', async () => {
    const next = random(15);
    const keys = randomKeys(next, 1500);
    const pairs: [string | null, string | null][] = [];
    for (const key of keys) pairs.push([key, null], [null, key]);
    for (let i = 0; i < 3000; i++) {
      const a = keys[Math.floor(next() * keys.length)] ?? null;
      const b = keys[Math.floor(next() * keys.length)] ?? null;
      pairs.push([a, b]);
    }
    for (const key of keys) {
      const near = neighbourOf(key, next);
      pairs.push([key, near], [near, key]);
    }
    // Keys a board really makes: drags into the same gap, which lengthen the fraction.
    let low = 'a0';
    let high = 'a1';
    for (let i = 0; i < 200; i++) {
      const middle = generateKeyBetween(low, high);
      pairs.push([low, high]);
      if (i % 2 === 0) low = middle;
      else high = middle;
    }
    expect(low.length).toBeGreaterThan(30);
    await expectSameKeys(pairs);
  });
});
