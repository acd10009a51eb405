import { createHash } from 'node:crypto'
import type { Principal } from './principal.js'

/** Options of {@link createPrincipalCache}. */
export interface PrincipalCacheOptions {
  /** Longest life of an entry in ms; a session's entry never outlives its `expires_at`. @default 30000 */
  ttlMs?: number
  /** Entries kept at most; the oldest go first. @default 10000 */
  maxEntries?: number
  /** How long an ended session id is remembered, so a late in-flight lookup cannot revive it. @default 600000 */
  tombstoneMs?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

type Resolved = Exclude<Principal, { kind: 'anonymous' }>

/**
 * Principals by the SHA-256 of their credential. Per process.
 *
 * The raw credential is never a key, never logged: only its hash is kept. Entries expire after
 * `ttlMs` (and a session's at its `expires_at`); {@link PrincipalCache.evictClientSession} drops a
 * session's entries at once and remembers the id for `tombstoneMs`, so that a lookup that was
 * already in flight when the session ended cannot put it back.
 */
export interface PrincipalCache {
  /** The cached principal of a credential, or `undefined`. */
  get(credentialHash: string): Resolved | undefined
  /** Caches a principal unless its session has ended. */
  set(credentialHash: string, principal: Resolved): void
  /** Drops a live session's entries so its next request sees its new grants; returns how many. */
  forgetClientSession(clientSessionId: string): number
  /** Evicts every entry of an ended client session; returns how many were dropped. */
  evictClientSession(clientSessionId: string): number
  /** True once a session has been reported ended (deleted, revoked, expired). */
  hasEnded(clientSessionId: string): boolean
  /** Entries currently held. */
  readonly size: number
}

/** SHA-256 of a credential, hex: the only form in which the gateway keeps it. */
export const hashCredential = (secret: string): string => createHash('sha256').update(secret).digest('hex')

/** Creates an in-memory principal cache. */
export function createPrincipalCache(options: PrincipalCacheOptions = {}): PrincipalCache {
  const ttlMs = options.ttlMs ?? 30_000
  const maxEntries = options.maxEntries ?? 10_000
  const tombstoneMs = options.tombstoneMs ?? 600_000
  const now = options.now ?? Date.now

  const entries = new Map<string, { principal: Resolved; expiresAt: number }>()
  const bySession = new Map<string, Set<string>>()
  const tombstones = new Map<string, number>()

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

  const hasEnded = (clientSessionId: string): boolean => {
    const until = tombstones.get(clientSessionId)
    if (until === undefined) return false
    if (until > now()) return true
    tombstones.delete(clientSessionId)
    return false
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
        if (hasEnded(principal.clientSessionId)) return
        expiresAt = Math.min(expiresAt, principal.expiresAt.getTime())
        const hashes = bySession.get(principal.clientSessionId) ?? new Set<string>()
        hashes.add(hash)
        bySession.set(principal.clientSessionId, hashes)
      }
      forget(hash)
      entries.set(hash, { principal, expiresAt })
      if (entries.size > maxEntries) forget(entries.keys().next().value as string)
    },
    forgetClientSession(clientSessionId) {
      const hashes = [...(bySession.get(clientSessionId) ?? [])]
      for (const hash of hashes) forget(hash)
      return hashes.length
    },
    evictClientSession(clientSessionId) {
      tombstones.set(clientSessionId, now() + tombstoneMs)
      return this.forgetClientSession(clientSessionId)
    },
    hasEnded,
    get size() {
      return entries.size
    },
  }
}
