import { gatewayError } from '../errors.js'
import type { Principal } from './principal.js'
import { hashCredential } from './principal-cache.js'

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Operations allowed per principal per window; 0 turns limiting off. */
  limit: number
  /** Window length in ms. @default 60000 */
  windowMs?: number
  /** Counts one hit of a key in the current window (the event bus: memory or Redis). */
  hit: (key: string, windowMs: number) => Promise<number>
  /** Told when counting fails (Redis away): the operation is let through. */
  onError?: (error: unknown) => void
}

/**
 * Per-principal rate limits: a fixed window counter per key (a principal, or the client's address
 * for anonymous callers), kept where the event bus keeps shared state, so that N instances share
 * one limit. Per process.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const windowMs = options.windowMs ?? 60_000
  return {
    /**
     * Counts one operation of `key`.
     * @throws RATE_LIMITED (HTTP 429 with Retry-After) once the key is over its limit
     */
    async consume(key: string): Promise<void> {
      if (options.limit === 0) return
      let count: number
      try {
        count = await options.hit(key, windowMs)
      } catch (error) {
        // Availability over strictness: without the shared counter, nobody is limited.
        options.onError?.(error)
        return
      }
      if (count > options.limit) {
        const retryAfter = Math.max(1, Math.ceil((windowMs - (Date.now() % windowMs)) / 1000))
        throw gatewayError(
          'RATE_LIMITED',
          `Rate limit of ${options.limit} operations per ${windowMs / 1000} s reached; retry in ${retryAfter} s`,
          { http: { status: 429, headers: { 'retry-after': String(retryAfter) } } },
        )
      }
    },
  }
}

export function rateLimitKey(principal: Principal, address: string | undefined): string {
  switch (principal.kind) {
    case 'workspace':
      return `workspace:${principal.workspaceId}`
    case 'clientSession':
      return `session:${principal.clientSessionId}`
    case 'publishableKey':
      return `publishable:${hashCredential(principal.credential.key)}`
    default:
      return `address:${address ?? 'unknown'}`
  }
}
