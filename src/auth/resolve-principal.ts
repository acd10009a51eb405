import { unauthenticated } from '../contract/errors.js'
import type { SeamClient, UpstreamCredential } from '../upstream/client.js'
import { UpstreamError } from '../upstream/upstream-error.js'
import type { CredentialRead } from './credentials.js'
import { clientSessionPrincipal, type Principal } from './principal.js'
import { credentialKey, type PrincipalCache } from './principal-cache.js'
import { createUnknownCredentials, type UnknownCredentials } from './unknown-credentials.js'

/** Options of one resolution. */
export interface ResolveOptions {
  /**
   * Asks Seam even when the cache holds the credential (re-validation of open connections); the
   * answer refreshes the cache, and a refusal drops the cached entry.
   */
  fresh?: boolean
}

/** Turns a credential into a principal. Per process; shares lookups already in flight. */
export type PrincipalResolver = ((read: CredentialRead, options?: ResolveOptions) => Promise<Principal>) & {
  /**
   * The principal the resolver would give at once, without asking Seam and without refusing: no
   * credential (anonymous), a publishable key, or a cached credential whose session has not ended.
   * `undefined` for anything else, which only the resolver itself answers.
   */
  peek(read: CredentialRead): Principal | undefined
}

const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND'])

const UNKNOWN_CREDENTIAL = 'The credential is unknown, expired or revoked'

const isUnauthenticated = (error: unknown): boolean =>
  (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'UNAUTHENTICATED'

/**
 * Creates the resolver: a client session token is checked with `/client_sessions/get` (its own
 * session), an API key with `/workspaces/get`; the answer is cached by the credential's SHA-256.
 * A publishable key is not checked here: it can only call `getOrCreateClientSession`, where Seam
 * checks it. A credential Seam refused is remembered in `unknown` for a while and refused again
 * without asking.
 */
export function createPrincipalResolver(
  clientFor: (credential: UpstreamCredential) => SeamClient,
  cache: PrincipalCache,
  unknown: UnknownCredentials = createUnknownCredentials(),
): PrincipalResolver {
  const inFlight = new Map<string, Promise<Principal>>()

  const lookup = async (credential: UpstreamCredential, hash: string): Promise<Principal> => {
    try {
      if (credential.kind === 'apiKey') {
        const { workspace } = await clientFor(credential).call('/workspaces/get', {})
        const principal = { kind: 'workspace' as const, workspaceId: workspace.workspace_id, credential }
        cache.set(hash, principal)
        return principal
      }
      if (credential.kind === 'clientSessionToken') {
        const { client_session: session } = await clientFor(credential).call('/client_sessions/get', {})
        // An ended session's tombstone outranks Seam's answer (which may lag a deletion), except for
        // a later lease than the one that expired.
        if (
          session.token !== credential.token ||
          cache.hasEnded(session.client_session_id, Date.parse(session.expires_at))
        ) {
          throw unauthenticated(UNKNOWN_CREDENTIAL)
        }
        const principal = clientSessionPrincipal(session)
        // Seam refuses an expired token itself, with a bare 401; an upstream that answers for it
        // anyway gets the very same refusal, not one that tells more.
        if (principal.expiresAt.getTime() <= Date.now()) throw unauthenticated(UNKNOWN_CREDENTIAL)
        cache.set(hash, principal)
        return principal
      }
      throw new Error('publishable keys are not looked up')
    } catch (error) {
      // Any refusal of the credential itself (Seam answers some malformed keys with a 400) means the
      // caller is not authenticated; an unavailable Seam stays UPSTREAM_UNAVAILABLE.
      if (error instanceof UpstreamError && REFUSALS.has(error.code)) {
        cache.delete(hash)
        unknown.add(hash)
        throw unauthenticated(UNKNOWN_CREDENTIAL)
      }
      if (isUnauthenticated(error)) cache.delete(hash)
      throw error
    }
  }

  const peek = (read: CredentialRead): Principal | undefined => {
    if (read.kind === 'none') return { kind: 'anonymous' }
    if (read.kind === 'refused') return undefined
    const { credential } = read
    if (credential.kind === 'publishableKey') {
      return { kind: 'publishableKey', credential, userIdentifierKey: read.userIdentifierKey }
    }
    const hash = credentialKey(credential)
    if (unknown.has(hash)) return undefined
    const cached = cache.get(hash)
    if (
      cached === undefined ||
      (cached.kind === 'clientSession' && cache.hasEnded(cached.clientSessionId, cached.expiresAt.getTime()))
    )
      return undefined
    return cached
  }

  const resolve = async (read: CredentialRead, options?: ResolveOptions): Promise<Principal> => {
    if (read.kind === 'none') return { kind: 'anonymous' }
    if (read.kind === 'refused') throw unauthenticated(read.message)
    const { credential } = read
    if (credential.kind === 'publishableKey') {
      return { kind: 'publishableKey', credential, userIdentifierKey: read.userIdentifierKey }
    }
    const hash = credentialKey(credential)
    if (unknown.has(hash)) throw unauthenticated(UNKNOWN_CREDENTIAL)
    const cached = options?.fresh === true ? undefined : cache.get(hash)
    if (cached !== undefined) {
      if (
        cached.kind === 'clientSession' &&
        cache.hasEnded(cached.clientSessionId, cached.expiresAt.getTime())
      ) {
        throw unauthenticated(UNKNOWN_CREDENTIAL)
      }
      return cached
    }
    const pending = inFlight.get(hash)
    if (pending !== undefined) return pending
    const promise = lookup(credential, hash).finally(() => inFlight.delete(hash))
    inFlight.set(hash, promise)
    return promise
  }
  return Object.assign(resolve, { peek })
}
