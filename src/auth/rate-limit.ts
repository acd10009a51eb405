import { gatewayError } from '../contract/errors.js'
import type { Principal } from './principal.js'
import { hashCredential } from './principal-cache.js'

/**
 * How many client addresses it takes to use up a publishable key's shared ceiling of sign-ins: the
 * key as a whole may get or create this many times the sessions (`RATE_LIMIT_PER_MINUTE`) that one
 * address may. Only sign-ins count against it (the key can do nothing else), and one address makes
 * at most its own budget of them, so an attacker needs a hundred addresses, each at its own limit,
 * to reach it; the ceiling (60,000 a minute at the default, 1,000 sign-ins a second) bounds a
 * distributed flood without being in reach of a few clients.
 */
export const PUBLISHABLE_KEY_ADDRESSES = 100

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Operations allowed per principal per window; 0 turns per-principal limits off. */
  limit: number
  /**
   * Requests allowed per client address per window, counted before the credential is looked up;
   * 0 turns it off.
   */
  perAddressLimit: number
  /** Window length in ms. @default 60000 */
  windowMs?: number
  /**
   * Counts one hit of a key in the current window, where instances share it (the shared state:
   * Redis, or this instance's memory while Redis is away).
   */
  hit: (key: string, windowMs: number) => Promise<number>
  /** Counts several keys at once, in order, stopping at the first over its limit (the shared state's `hits`). */
  hits: (budgets: ReadonlyArray<{ key: string; limit: number }>, windowMs: number) => Promise<number[]>
}

/** One budget: its key in the shared state, its limit per window, and what it counts. */
interface Budget {
  key: string
  limit: number
  budget: string
}

/** A per-principal rate limiter; see {@link createRateLimiter}. */
export type RateLimiter = ReturnType<typeof createRateLimiter>

/**
 * Rate limits as fixed windows, counted in the shared state, so that N instances
 * share one limit. While that store is away each instance counts alone (the shared state's
 * `withLocalFallback`): limits loosen to N times their value, never to none. Per process.
 *
 * Budgets: every request of a client address (before any credential lookup, so unknown credentials
 * cost a bounded number of upstream calls); then its principal's: each API key, each client
 * session, the publishable-key traffic of each address (with a shared ceiling of sign-ins per
 * key), each anonymous address.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const windowMs = options.windowMs ?? 60_000
  const seconds = windowMs / 1000

  /** The error of a spent budget: `limit` of them per window, retry when the window ends. */
  const limited = (limit: number, budget: string) => {
    const retryAfter = Math.max(1, Math.ceil((windowMs - (Date.now() % windowMs)) / 1000))
    return gatewayError(
      'RATE_LIMITED',
      `Rate limit of ${limit} ${budget} per ${seconds} s reached; retry in ${retryAfter} s`,
      { http: { status: 429, headers: { 'retry-after': String(retryAfter) } } },
    )
  }

  /** Counts one hit of `key`; throws RATE_LIMITED once it is over `limit` (0: not counted). */
  const spend = async (key: string, limit: number, budget: string): Promise<void> => {
    if (limit === 0) return
    if ((await options.hit(key, windowMs)) <= limit) return
    throw limited(limit, budget)
  }

  /** The budget of the operations of `principal` calling from `address`. */
  const budgetOf = (principal: Principal, address: string): Budget => {
    const { limit } = options
    switch (principal.kind) {
      case 'workspace':
        // Per API key, by its hash: two keys of one workspace are two budgets.
        return { key: `apikey:${hashCredential(principal.credential.token)}`, limit, budget: 'operations' }
      case 'clientSession':
        return { key: `session:${principal.clientSessionId}`, limit, budget: 'operations' }
      case 'publishableKey':
        // Every browser of an app holds the same key, so each address has a budget of its own.
        // The key is not checked before it is used (Seam checks it at sign-in): counted per key,
        // a made-up key per request would mint a fresh budget each time, so an address has one
        // budget for all the publishable keys it sends.
        return { key: `publishable:${address}`, limit, budget: 'operations' }
      default:
        return { key: `anonymous:${address}`, limit, budget: 'operations' }
    }
  }

  const addressBudget = (address: string): Budget => ({
    key: `address:${address}`,
    limit: options.perAddressLimit,
    budget: 'requests per client address',
  })

  return {
    /**
     * Counts one request (or WebSocket `connection_init`) of a client address, before its
     * credential is looked up.
     * @throws RATE_LIMITED (HTTP 429 with Retry-After) once the address is over its limit
     */
    admitAddress(address: string): Promise<void> {
      const { key, limit, budget } = addressBudget(address)
      return spend(key, limit, budget)
    },
    /**
     * Counts one operation of a principal calling from `address`.
     * @throws RATE_LIMITED (HTTP 429 with Retry-After) once one of its budgets is spent
     */
    consume(principal: Principal, address: string): Promise<void> {
      const { key, limit, budget } = budgetOf(principal, address)
      return spend(key, limit, budget)
    },
    /**
     * {@link admitAddress} then {@link consume}, for a principal known before any lookup (a cached
     * credential, or none): both counted in one round trip to the shared state, in that order, the
     * principal's not counted once the address is over its limit.
     * @throws RATE_LIMITED (HTTP 429 with Retry-After) once one of its budgets is spent
     */
    async admit(address: string, principal: Principal): Promise<void> {
      const budgets = [addressBudget(address), budgetOf(principal, address)].filter((b) => b.limit > 0)
      if (budgets.length === 0) return
      const counts = await options.hits(budgets, windowMs)
      for (const [i, count] of counts.entries()) {
        const { limit, budget } = budgets[i] as Budget
        if (count > limit) throw limited(limit, budget)
      }
    },
    /**
     * Counts one `getOrCreateClientSession` of a publishable key against the key's shared ceiling
     * (see {@link PUBLISHABLE_KEY_ADDRESSES}); the address's own budget was spent by `consume`.
     * @throws RATE_LIMITED (HTTP 429 with Retry-After) once the key's ceiling is spent
     */
    admitSignIn(publishableKey: string): Promise<void> {
      return spend(
        `publishable-key:${hashCredential(publishableKey)}`,
        options.limit * PUBLISHABLE_KEY_ADDRESSES,
        'sign-ins of one publishable key from all clients',
      )
    },
  }
}
