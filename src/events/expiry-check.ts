import type { ClientSession } from '@seamapi/types/connect'
import type { Upstream } from '../upstream/client.js'
import { UpstreamError } from '../upstream/upstream-error.js'
import type { ExpiryVerdict } from './session-events.js'

/** Options of {@link createExpiryCheck}. */
export interface ExpiryCheckOptions {
  /** The process's upstream. */
  upstream: Upstream
  /**
   * The gateway's own workspace API key, when it has one: asks Seam about a session whose token the
   * gateway does not know.
   */
  apiKey: string | undefined
}

// Seam refusing a client session token: it is expired, revoked, deleted or was never issued.
const TOKEN_REFUSED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT'])

/**
 * Asks Seam about a session whose known `expires_at` has come, before the event path declares it
 * EXPIRED: with the session's own token (Seam answers for its own session, and refuses the token
 * once the session expired), or else with the gateway's API key. A later `expires_at` means the
 * session was extended (at Seam directly, or through another instance); a refusal means it ended.
 * Per process; one upstream read per expiry.
 */
export function createExpiryCheck(options: ExpiryCheckOptions) {
  const verdictOf = (session: ClientSession, clientSessionId: string): ExpiryVerdict => {
    if (session.client_session_id !== clientSessionId) return { kind: 'ended' }
    return Date.parse(session.expires_at) > Date.now()
      ? { kind: 'extended', expiresAt: session.expires_at }
      : { kind: 'ended' }
  }
  const unconfirmed = (error: unknown): ExpiryVerdict => ({
    kind: 'unconfirmed',
    reason: error instanceof Error ? error.message : String(error),
  })

  return async (session: {
    clientSessionId: string
    token: string | undefined
    expiresAt: number
  }): Promise<ExpiryVerdict> => {
    if (session.token !== undefined) {
      try {
        const { client_session } = await options.upstream
          .as({ kind: 'clientSessionToken', token: session.token })
          .call('/client_sessions/get', {})
        return verdictOf(client_session, session.clientSessionId)
      } catch (error) {
        if (error instanceof UpstreamError && TOKEN_REFUSED.has(error.code)) return { kind: 'ended' }
        return unconfirmed(error)
      }
    }
    const { apiKey } = options
    if (apiKey === undefined) {
      return { kind: 'unconfirmed', reason: 'neither the session token nor an API key to ask Seam with' }
    }
    try {
      const { client_session } = await options.upstream
        .as({ kind: 'apiKey', token: apiKey })
        .call('/client_sessions/get', { client_session_id: session.clientSessionId })
      return verdictOf(client_session, session.clientSessionId)
    } catch (error) {
      // Only a missing session is an answer about the session; a refused key is not.
      if (error instanceof UpstreamError && error.code === 'NOT_FOUND') return { kind: 'ended' }
      return unconfirmed(error)
    }
  }
}
