import { describe, expect, it } from 'vitest';
import { forecastConfidence, percentile, seededRandom, simulateDelivery } from './simulation.js';

describe('delivery simulation', () => {
  it('draws the same numbers from the same seed, and different ones from another', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([percentile(sorted, 50), percentile(sorted, 85), percentile(sorted, 95), percentile(sorted, 100)]).toEqual([5, 9, 10, 10]);
    expect(percentile([4], 1)).toBe(4);
  });

  it('is exact when every week delivers the same', () => {
    const result = simulateDelivery({ weeklyThroughput: [5, 5, 5], remaining: 12, simulations: 1000, seed: 1 });
    expect(result.weeks).toEqual({ p50: 3, p85: 3, p95: 3 });
    expect(result.standardDeviationWeeks).toBe(0);
    expect(forecastConfidence(result, [5, 5, 5])).toBe(1);
  });

  it('is deterministic for a seed, ordered p50 ≤ p85 ≤ p95, and near the average-throughput estimate', () => {
    const input = { weeklyThroughput: [2, 6, 0, 4, 8, 3, 5, 0, 7, 5], remaining: 40, simulations: 10_000, seed: 42 };
    const result = simulateDelivery(input);
    expect(simulateDelivery(input)).toEqual(result);
    expect(result.weeks.p50).toBeLessThanOrEqual(result.weeks.p85);
    expect(result.weeks.p85).toBeLessThanOrEqual(result.weeks.p95);
    // Average throughput is 4 a week, so about 10 weeks for 40 tasks.
    expect(result.meanWeeks).toBeGreaterThan(9);
    expect(result.meanWeeks).toBeLessThan(12);
    expect(result.weeks.p95).toBeGreaterThan(result.weeks.p50);
    const confidence = forecastConfidence(result, input.weeklyThroughput);
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThan(1);
  });

  it('counts runs that never finish within the cap, and refuses an empty history', () => {
    const result = simulateDelivery({ weeklyThroughput: [0, 0, 0, 1], remaining: 50, simulations: 200, seed: 3, maxWeeks: 20 });
    expect(result.censored).toBe(200);
    expect(result.weeks.p50).toBe(20);
    expect(() => simulateDelivery({ weeklyThroughput: [0, 0], remaining: 3, simulations: 10, seed: 1 })).toThrow(RangeError);
    expect(() => simulateDelivery({ weeklyThroughput: [1], remaining: 0, simulations: 10, seed: 1 })).toThrow(RangeError);
  });
});
