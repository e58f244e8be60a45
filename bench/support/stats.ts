/** Summary statistics over latency samples (milliseconds). Medians and ratios, never single runs. */

export type Summary = { n: number; p50: number; p95: number; p99: number; mean: number; min: number; max: number };

/** The q-quantile (0..1) with linear interpolation between the closest ranks. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? Number.NaN;
  return low + (high - low) * (position - below);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export function summarize(samples: readonly number[]): Summary {
  const sum = samples.reduce((total, value) => total + value, 0);
  return {
    n: samples.length,
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    p99: quantile(samples, 0.99),
    mean: samples.length > 0 ? sum / samples.length : Number.NaN,
    // A loop, not Math.min(...samples): a pgbench log holds more values than a call has arguments.
    min: samples.length > 0 ? samples.reduce((low, value) => Math.min(low, value)) : Number.NaN,
    max: samples.length > 0 ? samples.reduce((high, value) => Math.max(high, value)) : Number.NaN,
  };
}

/**
 * The median of per-round ratios a[i] / b[i]. Pairing each A with the B measured right next to
 * it cancels drift in machine load that a ratio of two overall medians would keep.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const over = b[i];
    const top = a[i];
    if (top !== undefined && over !== undefined && over > 0) ratios.push(top / over);
  }
  return median(ratios);
}

/** Rounds for tables and JSON: three significant decimals below 10, fewer above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 10 ? 2 : 3;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
