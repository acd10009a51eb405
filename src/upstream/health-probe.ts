/** Options of {@link createHealthProbe}. */
export interface HealthProbeOptions {
  /** Seam's base URL. */
  endpoint: string
  /** How long an answer is reused, in ms. @default 1000 */
  cacheMs?: number
  /** Timeout of one probe, in ms. @default 2000 */
  timeoutMs?: number
}

/**
 * Is Seam reachable? Asks its `/health` (no credential needed) and reuses the answer for
 * `cacheMs`: `/ready` is anonymous, and a balancer or an attacker polling it must not turn each of
 * its hits into a call to Seam. Concurrent callers share the probe in flight. Per process.
 */
export function createHealthProbe(options: HealthProbeOptions): () => Promise<boolean> {
  const cacheMs = options.cacheMs ?? 1000
  const timeoutMs = options.timeoutMs ?? 2000
  let last: { ok: boolean; at: number } | undefined
  let inFlight: Promise<boolean> | undefined

  const probe = async (): Promise<boolean> => {
    try {
      const response = await fetch(`${options.endpoint}/health`, { signal: AbortSignal.timeout(timeoutMs) })
      await response.body?.cancel()
      // Any HTTP answer below 500 means Seam is reachable.
      return response.status < 500
    } catch {
      return false
    }
  }

  return () => {
    if (last !== undefined && performance.now() - last.at < cacheMs) return Promise.resolve(last.ok)
    inFlight ??= probe().then((ok) => {
      last = { ok, at: performance.now() }
      inFlight = undefined
      return ok
    })
    return inFlight
  }
}
