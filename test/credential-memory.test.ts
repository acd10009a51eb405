import type { ClientSession } from '@seamapi/types/connect'
import { describe, expect, it } from 'vitest'
import { clientSessionPrincipal, type WorkspacePrincipal } from '../src/auth/principal.js'
import { createPrincipalCache, type PrincipalCacheOptions } from '../src/auth/principal-cache.js'
import { createUnknownCredentials } from '../src/auth/unknown-credentials.js'

// What the gateway remembers of credentials, and for exactly how long: the principal cache (with
// the tombstones of ended sessions) and the refused credentials. The gateway builds both with their
// defaults (minutes, tens of thousands of entries), which no test through a server can wait out or
// fill; here each runs on a clock the test moves, to the millisecond.

const WORKSPACE: WorkspacePrincipal = {
  kind: 'workspace',
  workspaceId: 'seed_workspace_1',
  credential: { kind: 'apiKey', token: 'seam_apikey1_token' },
}

/** The principal of a client session that expires at `expiresAt` (epoch ms). */
const sessionPrincipal = (clientSessionId: string, expiresAt = 10_000_000) =>
  clientSessionPrincipal({
    client_session_id: clientSessionId,
    workspace_id: 'seed_workspace_1',
    token: `seam_cst_${clientSessionId}`,
    connected_account_ids: [],
    expires_at: new Date(expiresAt).toISOString(),
  } as unknown as ClientSession)

/** A cache on a clock the test sets. */
function cacheAt(options: Omit<PrincipalCacheOptions, 'now'> = {}) {
  const clock = { now: 0 }
  return { clock, cache: createPrincipalCache({ ...options, now: () => clock.now }) }
}

describe('the principal cache', () => {
  it('keeps an entry for ttlMs and not a millisecond longer', () => {
    const { clock, cache } = cacheAt({ ttlMs: 100 })
    cache.set('h', WORKSPACE)
    clock.now = 99
    expect(cache.get('h')).toBe(WORKSPACE)
    clock.now = 100
    expect(cache.get('h')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('keeps nothing with ttlMs 0 (PRINCIPAL_CACHE_TTL_MS=0), not even for the millisecond', () => {
    const { cache } = cacheAt({ ttlMs: 0 })
    cache.set('h', WORKSPACE)
    cache.set('s', sessionPrincipal('cs1'))
    expect(cache.get('h')).toBeUndefined()
    expect(cache.size).toBe(0)
    expect(cache.holdsClientSession('cs1')).toBe(false)
  })

  it('holds at most maxEntries, the oldest going first', () => {
    const { cache } = cacheAt({ maxEntries: 2 })
    cache.set('a', WORKSPACE)
    cache.set('b', WORKSPACE)
    expect(cache.size).toBe(2)
    expect(cache.get('a')).toBe(WORKSPACE)
    cache.set('c', WORKSPACE)
    expect(cache.size).toBe(2)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBe(WORKSPACE)
    expect(cache.get('c')).toBe(WORKSPACE)
  })

  it('drops a refused credential, and with its last credential the session is no longer held', () => {
    const { cache } = cacheAt()
    const principal = sessionPrincipal('cs1')
    cache.set('first', principal)
    cache.set('second', principal)
    cache.delete('first')
    expect(cache.get('first')).toBeUndefined()
    expect(cache.get('second')).toBe(principal)
    expect(cache.holdsClientSession('cs1')).toBe(true)
    cache.delete('second')
    expect(cache.holdsClientSession('cs1')).toBe(false)
    expect(cache.size).toBe(0)
  })

  it("forgets every credential of a session at once, and counts only that session's", () => {
    const { cache } = cacheAt()
    cache.set('first', sessionPrincipal('cs1'))
    cache.set('second', sessionPrincipal('cs1'))
    cache.set('other', sessionPrincipal('cs2'))
    expect(cache.forgetClientSession('cs-unknown')).toBe(0)
    expect(cache.forgetClientSession('cs1')).toBe(2)
    expect(cache.holdsClientSession('cs1')).toBe(false)
    expect(cache.get('other')).toEqual(sessionPrincipal('cs2'))
    expect(cache.size).toBe(1)
  })

  it("keeps a credential cached again (a re-validated connection) among its session's entries", () => {
    const { cache } = cacheAt()
    cache.set('h', sessionPrincipal('cs1'))
    cache.set('h', sessionPrincipal('cs1'))
    expect(cache.holdsClientSession('cs1')).toBe(true)
    expect(cache.forgetClientSession('cs1')).toBe(1)
    expect(cache.get('h')).toBeUndefined()
    cache.set('h', sessionPrincipal('cs1'))
    cache.set('h', sessionPrincipal('cs1'))
    expect(cache.evictClientSession('cs1')).toBe(1)
    expect(cache.size).toBe(0)
  })

  it("never keeps a session's entry past the session's expires_at, however long ttlMs is", () => {
    const { clock, cache } = cacheAt({ ttlMs: 1000 })
    const principal = sessionPrincipal('cs1', 400)
    cache.set('h', principal)
    clock.now = 399
    expect(cache.get('h')).toBe(principal)
    clock.now = 400
    expect(cache.get('h')).toBeUndefined()
    expect(cache.holdsClientSession('cs1')).toBe(false)
  })

  it('counts a credential cached again as the newest entry, and its ttlMs from then', () => {
    const { clock, cache } = cacheAt({ ttlMs: 100, maxEntries: 2 })
    cache.set('a', WORKSPACE)
    cache.set('b', WORKSPACE)
    clock.now = 50
    cache.set('a', WORKSPACE)
    cache.set('c', WORKSPACE)
    expect(cache.get('b')).toBeUndefined()
    clock.now = 149
    expect(cache.get('a')).toBe(WORKSPACE)
    expect(cache.get('c')).toBe(WORKSPACE)
  })

  it('lets a session go with its last entry pushed out by maxEntries', () => {
    const { cache } = cacheAt({ maxEntries: 1 })
    cache.set('s', sessionPrincipal('cs1'))
    cache.set('w', WORKSPACE)
    expect(cache.holdsClientSession('cs1')).toBe(false)
    expect(cache.forgetClientSession('cs1')).toBe(0)
    expect(cache.get('w')).toBe(WORKSPACE)
  })

  describe("an ended session's tombstone", () => {
    it('lasts tombstoneMs and not a millisecond longer', () => {
      const { clock, cache } = cacheAt({ tombstoneMs: 1000 })
      cache.evictClientSession('cs1')
      clock.now = 999
      expect(cache.hasEnded('cs1')).toBe(true)
      clock.now = 1000
      expect(cache.hasEnded('cs1')).toBe(false)
    })

    it("of one session leaves another session's tombstone alone", () => {
      const { clock, cache } = cacheAt({ tombstoneMs: 1000 })
      cache.evictClientSession('cs1')
      clock.now = 10
      cache.evictClientSession('cs2', { reason: 'REVOKED' })
      clock.now = 20
      cache.evictClientSession('cs3', { reason: 'EXPIRED', expiresAt: 5000 })
      expect(cache.hasEnded('cs1', 9000)).toBe(true)
      expect(cache.hasEnded('cs2', 9000)).toBe(true)
      expect(cache.hasEnded('cs3', 5000)).toBe(true)
    })

    it('is written again by a later end: it lasts tombstoneMs from the last one', () => {
      const { clock, cache } = cacheAt({ tombstoneMs: 1000 })
      cache.evictClientSession('cs1', { reason: 'REVOKED' })
      clock.now = 500
      cache.evictClientSession('cs1')
      clock.now = 1499
      expect(cache.hasEnded('cs1')).toBe(true)
      clock.now = 1500
      expect(cache.hasEnded('cs1')).toBe(false)
    })

    it('keeps the ended session out of the cache', () => {
      const { cache } = cacheAt()
      cache.evictClientSession('cs1', { reason: 'REVOKED' })
      cache.set('h', sessionPrincipal('cs1'))
      expect(cache.get('h')).toBeUndefined()
      expect(cache.holdsClientSession('cs1')).toBe(false)
    })

    it('of an expiry guards that expires_at and earlier ones, not a later lease', () => {
      const { cache } = cacheAt()
      cache.evictClientSession('cs1', { reason: 'EXPIRED', expiresAt: 5000 })
      expect(cache.hasEnded('cs1', 4999)).toBe(true)
      expect(cache.hasEnded('cs1', 5000)).toBe(true)
      expect(cache.hasEnded('cs1', 5001)).toBe(false)
      expect(cache.hasEnded('cs1')).toBe(true)
      cache.set('h', sessionPrincipal('cs1', 9000))
      expect(cache.get('h')).toEqual(sessionPrincipal('cs1', 9000))
    })

    it('of a deletion outranks a later expiry: the session stays ended for any lease', () => {
      const { cache } = cacheAt()
      cache.evictClientSession('cs1', { reason: 'DELETED' })
      cache.evictClientSession('cs1', { reason: 'EXPIRED', expiresAt: 5000 })
      expect(cache.hasEnded('cs1', 5001)).toBe(true)
    })

    it('of two expiries keeps the later expires_at, whichever came first', () => {
      const { cache } = cacheAt()
      cache.evictClientSession('early-then-late', { reason: 'EXPIRED', expiresAt: 5000 })
      cache.evictClientSession('early-then-late', { reason: 'EXPIRED', expiresAt: 7000 })
      cache.evictClientSession('late-then-early', { reason: 'EXPIRED', expiresAt: 7000 })
      cache.evictClientSession('late-then-early', { reason: 'EXPIRED', expiresAt: 5000 })
      for (const id of ['early-then-late', 'late-then-early']) {
        expect(cache.hasEnded(id, 7000)).toBe(true)
        expect(cache.hasEnded(id, 7001)).toBe(false)
      }
    })

    it('that has run out no longer counts: an expiry after it guards only its own expires_at', () => {
      const { clock, cache } = cacheAt({ tombstoneMs: 1000 })
      cache.evictClientSession('cs1', { reason: 'DELETED' })
      clock.now = 1000
      cache.evictClientSession('cs1', { reason: 'EXPIRED', expiresAt: 5000 })
      expect(cache.hasEnded('cs1', 5000)).toBe(true)
      expect(cache.hasEnded('cs1', 5001)).toBe(false)
    })
  })
})

describe('the refused credentials', () => {
  const unknownAt = (options: { ttlMs?: number; maxEntries?: number } = {}) => {
    const clock = { now: 0 }
    return { clock, unknown: createUnknownCredentials({ ...options, now: () => clock.now }) }
  }

  it('remembers a refusal for ttlMs and not a millisecond longer', () => {
    const { clock, unknown } = unknownAt({ ttlMs: 100 })
    unknown.add('h')
    clock.now = 99
    expect(unknown.has('h')).toBe(true)
    clock.now = 100
    expect(unknown.has('h')).toBe(false)
    expect(unknown.size).toBe(0)
  })

  it('remembers nothing with ttlMs 0', () => {
    const { unknown } = unknownAt({ ttlMs: 0 })
    unknown.add('h')
    expect(unknown.size).toBe(0)
    expect(unknown.has('h')).toBe(false)
  })

  it('holds at most maxEntries, the oldest going first', () => {
    const { unknown } = unknownAt({ maxEntries: 2 })
    unknown.add('a')
    unknown.add('b')
    expect(unknown.size).toBe(2)
    expect(unknown.has('a')).toBe(true)
    unknown.add('c')
    expect(unknown.size).toBe(2)
    expect(unknown.has('a')).toBe(false)
    expect(unknown.has('b')).toBe(true)
    expect(unknown.has('c')).toBe(true)
  })

  it('counts a refusal remembered again from then: a new ttlMs, the newest entry', () => {
    const { clock, unknown } = unknownAt({ ttlMs: 100, maxEntries: 2 })
    unknown.add('a')
    clock.now = 50
    unknown.add('b')
    clock.now = 60
    unknown.add('a')
    clock.now = 150
    // `b` ran out; `a`, remembered again at 60, has not.
    unknown.add('c')
    expect(unknown.size).toBe(2)
    expect(unknown.has('a')).toBe(true)
    clock.now = 159
    unknown.add('d')
    expect(unknown.has('a')).toBe(false)
    expect(unknown.has('c')).toBe(true)
    expect(unknown.has('d')).toBe(true)
  })

  it('forgets a refusal that no longer holds at once', () => {
    const { unknown } = unknownAt()
    unknown.add('a')
    unknown.add('b')
    unknown.delete('a')
    expect(unknown.has('a')).toBe(false)
    expect(unknown.has('b')).toBe(true)
    expect(unknown.size).toBe(1)
  })

  it('lets the refusals that ran out go as new ones come, and keeps the others', () => {
    const { clock, unknown } = unknownAt({ ttlMs: 100 })
    unknown.add('first')
    clock.now = 50
    unknown.add('second')
    expect(unknown.size).toBe(2)
    expect(unknown.has('first')).toBe(true)
    // `first` runs out at 100 exactly; nothing asked about it, yet it is gone.
    clock.now = 100
    unknown.add('third')
    expect(unknown.size).toBe(2)
    expect(unknown.has('second')).toBe(true)
    expect(unknown.has('third')).toBe(true)
  })
})
