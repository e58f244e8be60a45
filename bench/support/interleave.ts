/**
 * Runs competing variants side by side: A, B, then B, A, … so that whatever the shared machine
 * does in the meantime lands on both. Bounded by rounds and by wall time, whichever comes first.
 */

/** One measured variant. `run` returns the timings it wants recorded, by metric name, in ms. */
export type Variant = { name: string; run: () => Promise<Record<string, number>> };

export type InterleaveOptions = {
  /** Untimed rounds first: caches, plans and connections warm up. */
  warmupRounds: number;
  maxRounds: number;
  /** Stop after this much measuring, even with rounds left. */
  maxSeconds: number;
  /** Called once the warm-up is over, right before the measured rounds (to start counters). */
  beforeMeasuring?: () => Promise<void>;
};

/** samples[variant][metric] → one value per completed round, in round order (so rounds pair up). */
export type Samples = Record<string, Record<string, number[]>>;

export async function interleave(variants: readonly Variant[], options: InterleaveOptions): Promise<{ samples: Samples; rounds: number; seconds: number }> {
  for (let round = 0; round < options.warmupRounds; round++) {
    for (const variant of variants) await variant.run();
  }
  await options.beforeMeasuring?.();
  const samples: Samples = Object.fromEntries(variants.map((variant) => [variant.name, {}]));
  const started = performance.now();
  let rounds = 0;
  while (rounds < options.maxRounds && performance.now() - started < options.maxSeconds * 1000) {
    // Alternate the order so neither variant always runs right after the other.
    const order = rounds % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const timings = await variant.run();
      const bucket = samples[variant.name] ?? {};
      for (const [metric, ms] of Object.entries(timings)) (bucket[metric] ??= []).push(ms);
      samples[variant.name] = bucket;
    }
    rounds++;
  }
  return { samples, rounds, seconds: (performance.now() - started) / 1000 };
}

/** Times one call, in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
