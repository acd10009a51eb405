/** Options of {@link createUnknownCredentials}. */
export interface UnknownCredentialsOptions {
  /** How long a refused credential is remembered, in ms. @default 60000 */
  ttlMs?: number
  /** Credentials remembered at most; the oldest go first. @default 10000 */
  maxEntries?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

/**
 * Credentials Seam refused, by their SHA-256, remembered briefly so that a client retrying a bad
 * token costs no upstream call. Only Seam's own refusals go in: a credential that could not be
 * checked (Seam unavailable) is not unknown. Per process; bounded in time and size, so a flood of
 * distinct bogus tokens (already capped per address by the rate limit) only pushes out old entries.
 */
export interface UnknownCredentials {
  /** True while `credentialHash` is remembered as refused. */
  has(credentialHash: string): boolean
  /** Remembers `credentialHash` as refused. */
  add(credentialHash: string): void
  /** Forgets a refusal that no longer holds (a session Seam gave a new lease). */
  delete(credentialHash: string): void
  /** Entries currently held. */
  readonly size: number
}

/** Creates an in-memory store of refused credentials. */
export function createUnknownCredentials(options: UnknownCredentialsOptions = {}): UnknownCredentials {
  const ttlMs = options.ttlMs ?? 60_000
  const maxEntries = options.maxEntries ?? 10_000
  const now = options.now ?? Date.now
  // Insertion order is expiry order (one TTL for all), so expired entries sit at the front.
  const until = new Map<string, number>()
  const sweep = (at: number) => {
    for (const [hash, expiresAt] of until) {
      if (expiresAt > at) break
      until.delete(hash)
    }
  }
  return {
    has(hash) {
      const expiresAt = until.get(hash)
      if (expiresAt === undefined) return false
      if (expiresAt > now()) return true
      until.delete(hash)
      return false
    },
    add(hash) {
      if (ttlMs === 0) return
      const at = now()
      sweep(at)
      until.delete(hash)
      until.set(hash, at + ttlMs)
      if (until.size > maxEntries) until.delete(until.keys().next().value as string)
    },
    delete(hash) {
      until.delete(hash)
    },
    get size() {
      return until.size
    },
  }
}
