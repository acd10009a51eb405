import type { ClientSession } from '@seamapi/types/connect'
import type { UpstreamCredential } from '../upstream/client.js'

/** A caller with a workspace API key: everything in its workspace that Seam allows. */
export interface WorkspacePrincipal {
  kind: 'workspace'
  workspaceId: string
  credential: Extract<UpstreamCredential, { kind: 'apiKey' }>
}

/** A caller with a client session token: its own session, its accounts and their devices. */
export interface ClientSessionPrincipal {
  kind: 'clientSession'
  workspaceId: string
  clientSessionId: string
  /** The session as Seam returned it when the principal was resolved (token included). */
  session: ClientSession
  connectedAccountIds: ReadonlySet<string>
  expiresAt: Date
  credential: Extract<UpstreamCredential, { kind: 'clientSessionToken' }>
}

/** The principal of `session`'s own token, as Seam returned the session. */
export const clientSessionPrincipal = (session: ClientSession): ClientSessionPrincipal => ({
  kind: 'clientSession',
  workspaceId: session.workspace_id,
  clientSessionId: session.client_session_id,
  session,
  connectedAccountIds: new Set(session.connected_account_ids),
  expiresAt: new Date(session.expires_at),
  credential: { kind: 'clientSessionToken', token: session.token },
})

/** A browser holding a publishable key: it may only call `getOrCreateClientSession`. */
export interface PublishableKeyPrincipal {
  kind: 'publishableKey'
  /** From the `seam-user-identifier-key` header, when sent. */
  userIdentifierKey: string | undefined
  credential: Extract<UpstreamCredential, { kind: 'publishableKey' }>
}

/** A caller without credentials: may introspect the schema and nothing else. */
export interface AnonymousPrincipal {
  kind: 'anonymous'
}

/**
 * Who is calling. Resolved once per request (or per socket) from the credential, cached by the
 * credential's SHA-256; scope-auth narrows it by `kind`.
 */
export type Principal =
  | WorkspacePrincipal
  | ClientSessionPrincipal
  | PublishableKeyPrincipal
  | AnonymousPrincipal
