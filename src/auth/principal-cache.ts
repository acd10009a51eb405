import { hash } from 'node:crypto'
import type { Principal } from './principal.js'

/** Options of {@link createPrincipalCache}. */
export interface PrincipalCacheOptions {
  /** Longest life of an entry in ms; a session's entry never outlives its `expires_at`. @default 30000 */
  ttlMs?: number
  /** Entries kept at most; the oldest go first. @default 10000 */
  maxEntries?: number
  /** How long an ended session is remembered, so that a late or stale answer cannot revive it. @default 600000 */
  tombstoneMs?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

type Resolved = Exclude<Principal, { kind: 'anonymous' }>

/**
 * What ended a session, as its tombstone keeps it. A deletion or a revocation ends the session for
 * good; an expiry ends only the lease that ran out: the same session seen later with a later
 * `expires_at` (extended at Seam) is a new lease, not a revival.
 */
export type SessionEnd = { reason: 'DELETED' | 'REVOKED' } | { reason: 'EXPIRED'; expiresAt: number }

/**
 * Principals by the SHA-256 of their credential. Per process.
 *
 * The raw credential is never a key, never logged: only its hash is kept. Entries expire after
 * `ttlMs` (and a session's at its `expires_at`); {@link PrincipalCache.evictClientSession} drops a
 * session's entries at once and keeps a tombstone of the end for `tombstoneMs`, so that a lookup
 * that was already in flight when the session ended, or Seam still answering for a session it has
 * just deleted, cannot put it back. The tombstone guards exactly what ended: a deletion or a
 * revocation the session, an expiry only the `expires_at` that ran out.
 */
export interface PrincipalCache {
  /** The cached principal of a credential, or `undefined`. */
  get(credentialHash: string): Resolved | undefined
  /** Caches a principal unless its session has ended. */
  set(credentialHash: string, principal: Resolved): void
  /** Drops one credential's entry (Seam refused it). */
  delete(credentialHash: string): void
  /** Drops a live session's entries so its next request sees its new grants; returns how many. */
  forgetClientSession(clientSessionId: string): number
  /**
   * Evicts every entry of an ended client session and keeps a tombstone of `end` (a deletion when
   * not given); returns how many entries were dropped. A deletion or revocation outranks an expiry.
   */
  evictClientSession(clientSessionId: string, end?: SessionEnd): number
  /**
   * True once a session has been reported ended: deleted or revoked, or expired, in which case
   * only while it is seen with the `expires_at` that ran out (or an earlier one). Without
   * `expiresAt`, any end counts.
   */
  hasEnded(clientSessionId: string, expiresAt?: number): boolean
  /** True while some credential's entry of this session is held (a client is using it). */
  holdsClientSession(clientSessionId: string): boolean
  /** Entries currently held. */
  readonly size: number
}

/**
 * SHA-256 of a credential, hex: the only form in which the gateway keeps it. One-shot (no Hash
 * object): it runs on every request.
 */
export const hashCredential = (secret: string): string => hash('sha256', secret, 'hex')

/** The key of an API key or client session token in the principal cache and its neighbours. */
export const credentialKey = (credential: { kind: 'apiKey' | 'clientSessionToken'; token: string }): string =>
  hashCredential(`${credential.kind}:${credential.token}`)

/** Creates an in-memory principal cache. */
export function createPrincipalCache(options: PrincipalCacheOptions = {}): PrincipalCache {
  const ttlMs = options.ttlMs ?? 30_000
  const maxEntries = options.maxEntries ?? 10_000
  const tombstoneMs = options.tombstoneMs ?? 600_000
  const now = options.now ?? Date.now

  const entries = new Map<string, { principal: Resolved; expiresAt: number }>()
  const bySession = new Map<string, Set<string>>()
  // Ended session → until when it is remembered, and for an expiry the `expires_at` that ran out
  // (undefined: deleted or revoked, for good).
  const tombstones = new Map<string, { until: number; expiredAt: number | undefined }>()

  const forget = (hash: string) => {
    const entry = entries.get(hash)
    if (entry === undefined) return
    entries.delete(hash)
    if (entry.principal.kind === 'clientSession') {
      const hashes = bySession.get(entry.principal.clientSessionId)
      hashes?.delete(hash)
      if (hashes?.size === 0) bySession.delete(entry.principal.clientSessionId)
    }
  }

  const hasEnded = (clientSessionId: string, expiresAt?: number): boolean => {
    const tombstone = tombstones.get(clientSessionId)
    if (tombstone === undefined) return false
    if (tombstone.until <= now()) {
      tombstones.delete(clientSessionId)
      return false
    }
    if (tombstone.expiredAt === undefined || expiresAt === undefined) return true
    return expiresAt <= tombstone.expiredAt
  }

  return {
    get(hash) {
      const entry = entries.get(hash)
      if (entry === undefined) return undefined
      if (entry.expiresAt <= now()) {
        forget(hash)
        return undefined
      }
      return entry.principal
    },
    set(hash, principal) {
      if (ttlMs === 0) return
      let expiresAt = now() + ttlMs
      if (principal.kind === 'clientSession') {
        if (hasEnded(principal.clientSessionId, principal.expiresAt.getTime())) return
        expiresAt = Math.min(expiresAt, principal.expiresAt.getTime())
      }
      // The entry it replaces goes first, with its place in its session's set: a credential cached
      // again (a re-validated connection) stays in that set.
      forget(hash)
      if (principal.kind === 'clientSession') {
        const hashes = bySession.get(principal.clientSessionId) ?? new Set<string>()
        hashes.add(hash)
        bySession.set(principal.clientSessionId, hashes)
      }
      entries.set(hash, { principal, expiresAt })
      if (entries.size > maxEntries) forget(entries.keys().next().value as string)
    },
    delete(hash) {
      forget(hash)
    },
    forgetClientSession(clientSessionId) {
      const hashes = [...(bySession.get(clientSessionId) ?? [])]
      for (const hash of hashes) forget(hash)
      return hashes.length
    },
    evictClientSession(clientSessionId, end = { reason: 'DELETED' }) {
      const previous = tombstones.get(clientSessionId)
      const stillPrevious = previous !== undefined && previous.until > now()
      let expiredAt = end.reason === 'EXPIRED' ? end.expiresAt : undefined
      if (stillPrevious) {
        // For good stays for good; of two expiries, the later one ran out last.
        expiredAt =
          previous.expiredAt === undefined || expiredAt === undefined
            ? undefined
            : Math.max(previous.expiredAt, expiredAt)
      }
      tombstones.delete(clientSessionId)
      tombstones.set(clientSessionId, { until: now() + tombstoneMs, expiredAt })
      // Tombstones are kept in the order they were written: the expired ones at the front go.
      for (const [id, tombstone] of tombstones) {
        if (tombstone.until > now()) break
        tombstones.delete(id)
      }
      return this.forgetClientSession(clientSessionId)
    },
    hasEnded,
    holdsClientSession(clientSessionId) {
      return bySession.has(clientSessionId)
    },
    get size() {
      return entries.size
    },
  }
}
