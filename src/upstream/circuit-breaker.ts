import { UpstreamError } from './upstream-error.js'

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures (5xx, network, timeout) that open the circuit. @default 8 */
  failureThreshold?: number
  /** How long an open circuit fails fast before one probe may try Seam again, in ms. @default 5000 */
  openMs?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
  /** Told when the circuit opens or closes. */
  onChange?: (state: 'open' | 'closed') => void
}

/**
 * A circuit breaker in front of Seam. Per process.
 *
 * Closed: calls go through; `failureThreshold` consecutive unavailability failures open it.
 * Open: calls fail at once with UPSTREAM_UNAVAILABLE (no socket, no timeout to wait out) until
 * `openMs` has passed; then exactly one call is let through as a probe (half-open). The probe's
 * success closes the circuit; its failure opens it for another `openMs`.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}) {
  const threshold = options.failureThreshold ?? 8
  const openMs = options.openMs ?? 5000
  const now = options.now ?? Date.now
  let failures = 0
  let openUntil = 0
  let probing = false

  const isUnavailability = (error: unknown) =>
    error instanceof UpstreamError &&
    (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT')

  return {
    /** Runs `call` unless the circuit is open. */
    async run<T>(route: string, call: () => Promise<T>): Promise<T> {
      let probe = false
      if (openUntil > 0) {
        if (now() < openUntil || probing) {
          throw new UpstreamError(
            'Seam is unavailable (failing fast while it recovers)',
            'UPSTREAM_UNAVAILABLE',
            { route, seamType: 'circuit_open' },
          )
        }
        probing = true
        probe = true
      }
      try {
        const result = await call()
        if (probe || failures > 0) {
          if (openUntil > 0) options.onChange?.('closed')
          failures = 0
          openUntil = 0
        }
        return result
      } catch (error) {
        if (isUnavailability(error)) {
          failures++
          if (probe || failures >= threshold) {
            if (openUntil === 0) options.onChange?.('open')
            openUntil = now() + openMs
          }
        } else if (probe) {
          // Seam answered (a 4xx is an answer): it is back.
          failures = 0
          openUntil = 0
          options.onChange?.('closed')
        }
        throw error
      } finally {
        if (probe) probing = false
      }
    },
    /** `open` while calls fail fast. */
    get state(): 'open' | 'closed' {
      return openUntil > 0 ? 'open' : 'closed'
    },
  }
}
