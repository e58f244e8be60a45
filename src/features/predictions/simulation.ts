/**
 * Monte Carlo delivery forecasting, as a pure function: no clock, no database, no randomness
 * that is not seeded. Each simulated future draws one of the project's past weekly throughputs
 * (tasks finished in a week) for every week ahead, until the open tasks run out.
 */

export type DeliverySimulationInput = {
  /** Tasks completed in each of the last weeks; zeros count, they are weeks that happened. */
  weeklyThroughput: readonly number[];
  /** Open tasks still to finish. */
  remaining: number;
  simulations: number;
  seed: number;
  /** A run still unfinished after this many weeks stops there (a censored sample). */
  maxWeeks?: number;
};

export type DeliverySimulation = {
  /** Whole weeks from now within which that share of runs finished. */
  weeks: { p50: number; p85: number; p95: number };
  meanWeeks: number;
  standardDeviationWeeks: number;
  simulations: number;
  /** Runs that hit `maxWeeks` without finishing. */
  censored: number;
};

/**
 * mulberry32: a small, fast 32-bit PRNG with good enough statistics for sampling, so the same
 * seed always gives the same forecast.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The nearest-rank percentile of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/**
 * Simulates finishing `remaining` tasks `simulations` times.
 *
 * @example
 * simulateDelivery({ weeklyThroughput: [3, 5, 0, 4], remaining: 20, simulations: 10_000, seed: 42 }).weeks.p85
 */
export function simulateDelivery(input: DeliverySimulationInput): DeliverySimulation {
  const { weeklyThroughput, remaining, simulations, seed, maxWeeks = 520 } = input;
  if (!weeklyThroughput.some((count) => count > 0)) throw new RangeError('the throughput history has no completed work');
  if (!Number.isInteger(remaining) || remaining < 1) throw new RangeError('remaining must be a positive integer');
  if (!Number.isInteger(simulations) || simulations < 1) throw new RangeError('simulations must be a positive integer');

  const random = seededRandom(seed);
  const outcomes = new Array<number>(simulations);
  let censored = 0;
  for (let run = 0; run < simulations; run += 1) {
    let left = remaining;
    let weeks = 0;
    while (left > 0 && weeks < maxWeeks) {
      left -= weeklyThroughput[Math.floor(random() * weeklyThroughput.length)] ?? 0;
      weeks += 1;
    }
    if (left > 0) censored += 1;
    outcomes[run] = weeks;
  }
  outcomes.sort((a, b) => a - b);
  const mean = outcomes.reduce((sum, weeks) => sum + weeks, 0) / simulations;
  const variance = outcomes.reduce((sum, weeks) => sum + (weeks - mean) ** 2, 0) / simulations;
  return {
    weeks: { p50: percentile(outcomes, 50), p85: percentile(outcomes, 85), p95: percentile(outcomes, 95) },
    meanWeeks: mean,
    standardDeviationWeeks: Math.sqrt(variance),
    simulations,
    censored,
  };
}

/**
 * How far to trust a forecast, in [0, 1]: how tightly the runs agree (p50 over p95, 1 when the
 * median and the pessimistic case coincide) times how much of the history had any completions
 * at all (a few busy weeks among many idle ones make a shaky sample).
 */
export function forecastConfidence(simulation: DeliverySimulation, weeklyThroughput: readonly number[]): number {
  const agreement = simulation.weeks.p50 / simulation.weeks.p95;
  const activeWeeks = weeklyThroughput.filter((count) => count > 0).length;
  const coverage = weeklyThroughput.length === 0 ? 0 : activeWeeks / weeklyThroughput.length;
  const uncensored = 1 - simulation.censored / simulation.simulations;
  return Math.round(agreement * coverage * uncensored * 10_000) / 10_000;
}
