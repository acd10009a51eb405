import { authenticateApiKey } from './api-key-auth.js'
import {
  assertGrantedIdsInWorkspace,
  findClientSession,
  findClientSessionByIdOrKey,
  readGrants,
  updateClientSession,
  withGrants,
} from './client-session-store.js'
import type { FakeStore } from './fake-store.js'
import { readRequestParams, type SandboxRoute } from './http.js'
import { ParamReader } from './params.js'
import {
  type ClientSessionDeletedEvent,
  clientSessionAnswer,
  toSeamClientSession,
  toSeamClientSessionDeletedEvent,
} from './seam-shapes.js'

/** What the client session routes need from the sandbox. */
export interface ClientSessionRoutesOptions {
  /** The fake's store; the routes read and write its `client_sessions` and `events`. */
  readonly store: FakeStore
  /**
   * Called synchronously with each `client_session.deleted` event `/client_sessions/delete` records,
   * before the response is sent, so a delivery it starts is already in flight when the caller hears back.
   * It must not throw and must not wait for the delivery.
   */
  readonly onClientSessionDeleted: (event: ClientSessionDeletedEvent) => void
}

/**
 * Creates the client session routes the fake lacks — `/client_sessions/list`, `/delete`, `/revoke` and
 * `/grant_access` — with Seam's params, methods and response shapes, working on the fake's own store so
 * the fake's routes (`/client_sessions/get`, token auth on `/devices/list`, …) see every change at once.
 *
 * All four are API-key only and scoped to the key's workspace: a session of another workspace is
 * 404 `client_session_not_found`, exactly like a missing one, so a key learns nothing about other
 * workspaces.
 *
 * Lifecycle: created once per sandbox; holds no state of its own.
 */
export function createClientSessionRoutes(options: ClientSessionRoutesOptions): Map<string, SandboxRoute> {
  const { store, onClientSessionDeleted } = options

  const list: SandboxRoute = {
    methods: ['GET', 'POST'],
    async handle(req, query) {
      const { workspaceId } = authenticateApiKey(req, store)
      const params = new ParamReader(await readRequestParams(req, query), [
        'client_session_id',
        'connect_webview_id',
        'user_identifier_key',
        'user_identity_id',
        'without_user_identifier_key',
      ])
      const clientSessionId = params.optionalString('client_session_id')
      const connectWebviewId = params.optionalString('connect_webview_id')
      const userIdentifierKey = params.optionalString('user_identifier_key')
      const userIdentityId = params.optionalString('user_identity_id')
      const withoutUserIdentifierKey = params.optionalBoolean('without_user_identifier_key') ?? false

      // Revoked and expired sessions stay in the list: Seam's description is "a list of all client
      // sessions", with no status filter, and a revoked session still exists until it is deleted.
      // Not paginated and tokens included, as Seam's list is.
      const state = store.getState()
      const sessions = state.client_sessions.filter(
        (session) =>
          session.workspace_id === workspaceId &&
          (clientSessionId === undefined || session.client_session_id === clientSessionId) &&
          (connectWebviewId === undefined || session.connect_webview_ids.includes(connectWebviewId)) &&
          (userIdentifierKey === undefined || session.user_identifier_key === userIdentifierKey) &&
          (userIdentityId === undefined || session.user_identity_ids.includes(userIdentityId)) &&
          (!withoutUserIdentifierKey || session.user_identifier_key == null),
      )
      return {
        client_sessions: sessions.map((session) => toSeamClientSession(session, state.devices)),
        ok: true,
      }
    },
  }

  const remove: SandboxRoute = {
    methods: ['DELETE', 'POST'],
    async handle(req, query) {
      const { workspaceId } = authenticateApiKey(req, store)
      const params = new ParamReader(await readRequestParams(req, query), ['client_session_id'])
      const clientSessionId = params.requiredString('client_session_id')

      const session = findClientSession(store.getState(), workspaceId, clientSessionId)
      // The store has no delete method; replace the list. From here on every route of the fake answers
      // the session's token with 401 (its auth middleware no longer finds it).
      store.setState({
        client_sessions: store
          .getState()
          .client_sessions.filter((candidate) => candidate.client_session_id !== session.client_session_id),
      })
      // Recorded in the fake's events too, so `/events/list` reports the deletion as Seam's does.
      const stored = store.getState().addEvent({
        event_type: 'client_session.deleted',
        workspace_id: session.workspace_id,
        client_session_id: session.client_session_id,
      })
      onClientSessionDeleted(toSeamClientSessionDeletedEvent(stored))
      return { ok: true }
    },
  }

  const revoke: SandboxRoute = {
    methods: ['POST'],
    async handle(req, query) {
      const { workspaceId } = authenticateApiKey(req, store)
      const params = new ParamReader(await readRequestParams(req, query), ['client_session_id'])
      const clientSessionId = params.requiredString('client_session_id')

      const session = findClientSession(store.getState(), workspaceId, clientSessionId)
      // The fake's client session auth rejects a token once `revoked_at < now`, so a timestamp one
      // millisecond in the past makes the very next request with the token a 401. Revoking twice keeps
      // the first timestamp. Seam has no revocation event, so none is recorded or delivered.
      if (session.revoked_at === undefined) {
        const revokedAt = new Date(Date.now() - 1).toISOString()
        updateClientSession(store, session.client_session_id, (current) => ({
          ...current,
          revoked_at: revokedAt,
        }))
      }
      return { ok: true }
    },
  }

  const grantAccess: SandboxRoute = {
    methods: ['PATCH', 'POST'],
    async handle(req, query) {
      const { workspaceId } = authenticateApiKey(req, store)
      const params = new ParamReader(await readRequestParams(req, query), [
        'client_session_id',
        'user_identifier_key',
        'connected_account_ids',
        'connect_webview_ids',
        'user_identity_id',
        'user_identity_ids',
      ])
      const clientSessionId = params.optionalString('client_session_id')
      const userIdentifierKey = params.optionalString('user_identifier_key')
      const granted = readGrants(params)

      const state = store.getState()
      const session = findClientSessionByIdOrKey(state, workspaceId, clientSessionId, userIdentifierKey)
      // Every granted resource must exist in the caller's workspace; name all unknown ids at once.
      assertGrantedIdsInWorkspace(state, workspaceId, granted)

      const updated = updateClientSession(store, session.client_session_id, (current) =>
        withGrants(current, granted),
      )
      // Seam's grant_access answers with the updated session as well as `ok`.
      return clientSessionAnswer(updated, store.getState().devices)
    },
  }

  return new Map([
    ['/client_sessions/list', list],
    ['/client_sessions/delete', remove],
    ['/client_sessions/revoke', revoke],
    ['/client_sessions/grant_access', grantAccess],
  ])
}
