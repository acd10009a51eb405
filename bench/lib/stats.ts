/** Latency samples summarised the way the tables show them. */
export interface Summary {
  n: number
  p50: number
  p99: number
  max: number
  mean: number
}

/** The `p`-th percentile (0–100) of `samples` by the nearest-rank method; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/** Count, p50, p99, max and mean of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    // A loop, not Math.max(...samples): hundreds of thousands of samples overflow the call stack.
    max: samples.length === 0 ? Number.NaN : samples.reduce((a, b) => (b > a ? b : a), -Infinity),
    mean: samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length,
  }
}

/** Milliseconds with one decimal (two below 10 ms). */
export const ms = (value: number): string =>
  Number.isNaN(value) ? 'n/a' : `${value.toFixed(value < 10 ? 2 : 1)} ms`

/** A ratio such as `0.72×`. */
export const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a')

/** An integer with thousands separators. */
export const int = (value: number): string => Math.round(value).toLocaleString('en-US')

/** Bytes as MiB with one decimal. */
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/** Bytes as KiB with two decimals. */
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KiB`
