import type { GraphQLError } from 'graphql'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Principal } from '../src/auth/principal.js'
import { createRateLimiter, PUBLISHABLE_KEY_ADDRESSES } from '../src/auth/rate-limit.js'
import { createMemorySharedState } from '../src/events/shared-state.js'
import { apiKeyPrincipal as apiKey, sessionPrincipal as session } from './helpers/principals.js'

// The rate limiter's budgets, counted in the memory shared state (the one an instance falls back
// to), on a clock the test sets: which budget a call spends, when it is spent, and the 429 it gives.

const WINDOW_START = Date.UTC(2026, 0, 1, 12, 0, 0)

const publishable = (token: string): Principal => ({
  kind: 'publishableKey',
  userIdentifierKey: undefined,
  credential: { kind: 'publishableKey', key: token },
})
const anonymous: Principal = { kind: 'anonymous' }

/** Round trips to the shared state, by every limiter made here. */
let roundTrips = 0

function limiter(limit: number, perAddressLimit: number, windowMs?: number) {
  const shared = createMemorySharedState()
  return createRateLimiter({
    limit,
    perAddressLimit,
    ...(windowMs === undefined ? {} : { windowMs }),
    hit: (key, ms) => {
      roundTrips++
      return shared.hit(key, ms)
    },
    hits: (budgets, ms) => {
      roundTrips++
      return shared.hits(budgets, ms)
    },
  })
}

/** The error `call` was refused with. */
async function refusal(call: Promise<void>): Promise<GraphQLError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as GraphQLError,
  )
  if (error === undefined) throw new Error('expected a refusal')
  return error
}

/** Runs `call` `times` times; every one must pass. */
async function spendAll(times: number, call: () => Promise<void>): Promise<void> {
  for (let i = 0; i < times; i++) await call()
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(WINDOW_START)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('createRateLimiter', () => {
  it('refuses with 429 and a Retry-After of the seconds left in the window, rounded up, at least 1', async () => {
    const limits = limiter(1, 0)
    await limits.consume(apiKey('seam_key_a'), '192.0.2.1')
    vi.setSystemTime(WINDOW_START + 500)
    const error = await refusal(limits.consume(apiKey('seam_key_a'), '192.0.2.1'))
    expect(error.message).toBe('Rate limit of 1 operations per 60 s reached; retry in 60 s')
    expect(error.extensions).toEqual({
      code: 'RATE_LIMITED',
      http: { status: 429, headers: { 'retry-after': '60' } },
    })
    vi.setSystemTime(WINDOW_START + 58_500)
    expect((await refusal(limits.consume(apiKey('seam_key_a'), '192.0.2.1'))).message).toBe(
      'Rate limit of 1 operations per 60 s reached; retry in 2 s',
    )
    vi.setSystemTime(WINDOW_START + 59_999)
    expect((await refusal(limits.consume(apiKey('seam_key_a'), '192.0.2.1'))).extensions.http).toEqual({
      status: 429,
      headers: { 'retry-after': '1' },
    })
  })

  it('names its window in seconds', async () => {
    const limits = limiter(1, 0, 10_000)
    await limits.consume(anonymous, '192.0.2.1')
    vi.setSystemTime(WINDOW_START + 2_500)
    expect((await refusal(limits.consume(anonymous, '192.0.2.1'))).message).toBe(
      'Rate limit of 1 operations per 10 s reached; retry in 8 s',
    )
  })

  it('gives each API key, client session, address of publishable-key traffic and anonymous address a budget of its own', async () => {
    const limits = limiter(2, 0)
    const budgets: Array<[Principal, string]> = [
      [apiKey('seam_key_a'), '192.0.2.1'],
      [apiKey('seam_key_b'), '192.0.2.1'],
      [session('cs_a'), '192.0.2.1'],
      [session('cs_b'), '192.0.2.1'],
      [publishable('seam_pk_a'), '192.0.2.1'],
      [publishable('seam_pk_a'), '192.0.2.2'],
      [anonymous, '192.0.2.1'],
      [anonymous, '192.0.2.2'],
    ]
    for (const [principal, address] of budgets) await spendAll(2, () => limits.consume(principal, address))
    for (const [principal, address] of budgets) {
      expect((await refusal(limits.consume(principal, address))).message).toMatch(
        /^Rate limit of 2 operations/,
      )
    }
    // An API key's budget follows the key to any address; publishable-key traffic is counted by address,
    // whichever key it sends.
    await refusal(limits.consume(apiKey('seam_key_a'), '192.0.2.9'))
    await refusal(limits.consume(publishable('seam_pk_b'), '192.0.2.1'))
  })

  it('counts requests per client address on their own, and not at all at 0', async () => {
    const limits = limiter(0, 2)
    await spendAll(2, () => limits.admitAddress('192.0.2.1'))
    expect((await refusal(limits.admitAddress('192.0.2.1'))).message).toBe(
      'Rate limit of 2 requests per client address per 60 s reached; retry in 60 s',
    )
    await spendAll(2, () => limits.admitAddress('192.0.2.2'))
    // limit 0: the principal's operations are not counted.
    await spendAll(10, () => limits.consume(apiKey('seam_key_a'), '192.0.2.1'))
    const unlimited = limiter(2, 0)
    await spendAll(10, () => unlimited.admitAddress('192.0.2.1'))
  })

  it('admits with only the budgets that are on, each refusing with its own message', async () => {
    const principalOnly = limiter(2, 0)
    await spendAll(2, () => principalOnly.admit('192.0.2.1', apiKey('seam_key_a')))
    expect((await refusal(principalOnly.admit('192.0.2.1', apiKey('seam_key_a')))).message).toBe(
      'Rate limit of 2 operations per 60 s reached; retry in 60 s',
    )
    const addressOnly = limiter(0, 2)
    await spendAll(2, () => addressOnly.admit('192.0.2.1', apiKey('seam_key_a')))
    expect((await refusal(addressOnly.admit('192.0.2.1', apiKey('seam_key_b')))).message).toBe(
      'Rate limit of 2 requests per client address per 60 s reached; retry in 60 s',
    )
    // Nothing to count: no round trip to the shared state.
    const before = roundTrips
    await spendAll(10, () => limiter(0, 0).admit('192.0.2.1', anonymous))
    expect(roundTrips).toBe(before)
  })

  it('caps the sign-ins of each publishable key at PUBLISHABLE_KEY_ADDRESSES × the limit', async () => {
    const limits = limiter(2, 0)
    const ceiling = 2 * PUBLISHABLE_KEY_ADDRESSES
    await spendAll(ceiling, () => limits.admitSignIn('seam_pk_a'))
    expect((await refusal(limits.admitSignIn('seam_pk_a'))).message).toBe(
      `Rate limit of ${ceiling} sign-ins of one publishable key from all clients per 60 s reached; retry in 60 s`,
    )
    // Another key has a ceiling of its own.
    await spendAll(ceiling, () => limits.admitSignIn('seam_pk_b'))
  })
})
