import { gatewayError } from '../errors.js'

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Operations allowed per principal per window; 0 turns limiting off. */
  limit: number
  /** Window length in ms. @default 60000 */
  windowMs?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

/**
 * Per-principal rate limits: a fixed window counter per key (a credential's hash, or the client's
 * address for anonymous callers). Per process; issue #5 moves the counters to Redis.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const windowMs = options.windowMs ?? 60_000
  const now = options.now ?? Date.now
  let windowStart = now()
  let counts = new Map<string, number>()

  return {
    /**
     * Counts one operation of `key`.
     * @throws RATE_LIMITED (HTTP 429 with Retry-After) once the key is over its limit
     */
    consume(key: string): void {
      if (options.limit === 0) return
      const at = now()
      if (at - windowStart >= windowMs) {
        // A new window: old counts go at once, so memory follows the active principals only.
        windowStart = at - ((at - windowStart) % windowMs)
        counts = new Map()
      }
      const count = (counts.get(key) ?? 0) + 1
      counts.set(key, count)
      if (count > options.limit) {
        const retryAfter = Math.ceil((windowStart + windowMs - at) / 1000)
        throw gatewayError(
          'RATE_LIMITED',
          `Rate limit of ${options.limit} operations per ${windowMs / 1000} s reached; retry in ${retryAfter} s`,
          { http: { status: 429, headers: { 'retry-after': String(retryAfter) } } },
        )
      }
    },
  }
}
