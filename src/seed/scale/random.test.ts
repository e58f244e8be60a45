import { describe, expect, it } from 'vitest';
import { encodeRow } from './copy.js';
import { planShape } from './plan.js';
import { Random, apportion, fastUuid, zipfWeights } from './random.js';

describe('scale seed randomness', () => {
  it('repeats a stream for the same key and differs for another', () => {
    const draw = (key: number[]) => {
      const random = Random.of(key);
      return Array.from({ length: 5 }, () => random.uint32());
    };
    expect(draw([1, 2, 3])).toEqual(draw([1, 2, 3]));
    expect(draw([1, 2, 3])).not.toEqual(draw([1, 2, 4]));
  });

  it('derives version 4 UUIDs that do not collide', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50_000; i++) ids.add(fastUuid([7, 9, i % 100, Math.floor(i / 100)]));
    expect(ids.size).toBe(50_000);
    expect(fastUuid([1, 2])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fastUuid([1, 2])).toBe(fastUuid([1, 2]));
  });

  it('apportions a total exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    const parts = apportion(1_000_000, zipfWeights(Random.of([1]), 1_000, 1));
    expect(parts.reduce((sum, n) => sum + n, 0)).toBe(1_000_000);
    const sorted = [...parts].sort((a, b) => b - a);
    // Zipf: the largest tenant holds roughly a tenth of everything, the smallest a few hundred rows at most.
    expect(sorted[0]).toBeGreaterThan(80_000);
    expect(sorted[sorted.length - 1]).toBeLessThan(300);
  });

  it('plans the same shape from the same seed', () => {
    const options = { organizations: 20, tasks: 5_000, seed: 4, asOf: new Date('2026-01-15') };
    expect(planShape(options)).toEqual(planShape(options));
    const sizes = (seed: number) => planShape({ ...options, seed }).organizations.map((o) => o.tasks);
    expect(sizes(5)).not.toEqual(sizes(4));
  });

  it('escapes COPY text-format specials', () => {
    expect(encodeRow(['a\tb', null, true, 3, 'line\nnext \\ end'])).toBe('a\\tb\t\\N\tt\t3\tline\\nnext \\\\ end\n');
  });
});
