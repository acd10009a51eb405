import type { Database } from '@seamapi/fake-seam-connect'
import type { FakeClientSession, FakeStore } from './fake-store.js'
import { SeamApiError } from './http.js'
import { invalidInput, type ParamReader } from './params.js'

/** Finds a session of the workspace by id; a session of another workspace is as missing as no session. */
export function findClientSession(
  state: Database,
  workspaceId: string,
  clientSessionId: string,
): FakeClientSession {
  const session = state.client_sessions.find(
    (candidate) => candidate.client_session_id === clientSessionId && candidate.workspace_id === workspaceId,
  )
  if (session === undefined) {
    throw new SeamApiError(
      404,
      'client_session_not_found',
      `Could not find a client session with client_session_id "${clientSessionId}" in this workspace`,
    )
  }
  return session
}

/**
 * The workspace's session of a user: the one with that `user_identifier_key` (the fake and Seam keep at
 * most one per workspace). Another workspace's session with the same key is not it.
 */
export function findSessionOfUser(
  state: Database,
  workspaceId: string,
  userIdentifierKey: string,
): FakeClientSession | undefined {
  return state.client_sessions.find(
    (candidate) =>
      candidate.user_identifier_key === userIdentifierKey && candidate.workspace_id === workspaceId,
  )
}

/**
 * Finds the session a request names by `client_session_id`, by `user_identifier_key`, or by both (they
 * must agree), in the workspace only (`/grant_access`, `/get`).
 *
 * @throws {SeamApiError} 404 `client_session_not_found`; 400 `invalid_input` for neither or a mismatch
 */
export function findClientSessionByIdOrKey(
  state: Database,
  workspaceId: string,
  clientSessionId: string | undefined,
  userIdentifierKey: string | undefined,
): FakeClientSession {
  if (clientSessionId !== undefined) {
    const session = findClientSession(state, workspaceId, clientSessionId)
    if (userIdentifierKey !== undefined && session.user_identifier_key !== userIdentifierKey) {
      throw invalidInput(
        `Invalid user_identifier_key: expected the user_identifier_key of client session "${clientSessionId}", got a different one`,
      )
    }
    return session
  }
  if (userIdentifierKey === undefined) {
    throw invalidInput(
      'Invalid client_session_id: expected client_session_id or user_identifier_key, got neither',
    )
  }
  const session = findSessionOfUser(state, workspaceId, userIdentifierKey)
  if (session === undefined) {
    throw new SeamApiError(
      404,
      'client_session_not_found',
      `Could not find a client session with user_identifier_key "${userIdentifierKey}" in this workspace`,
    )
  }
  return session
}

/**
 * Replaces one stored session (the store's objects are frozen) and returns the new one. The fake's own
 * `updateClientSession` action changes only the two id lists, not `user_identity_ids`, `expires_at` or
 * `revoked_at`.
 */
export function updateClientSession(
  store: FakeStore,
  clientSessionId: string,
  update: (session: FakeClientSession) => FakeClientSession,
): FakeClientSession {
  let updated: FakeClientSession | undefined
  store.setState({
    client_sessions: store.getState().client_sessions.map((session) => {
      if (session.client_session_id !== clientSessionId) return session
      updated = update(session)
      return updated
    }),
  })
  if (updated === undefined) {
    throw new Error(`Expected client session ${clientSessionId} in the store while updating it, found none`)
  }
  return updated
}

/**
 * What a request grants a session (`/create`, `/get_or_create`, `/grant_access`). An id list is
 * undefined when the request left it out, which a publishable key must (an empty list counts as given,
 * as the fake counts it).
 */
export interface GrantedIds {
  readonly connectedAccountIds: readonly string[] | undefined
  readonly connectWebviewIds: readonly string[] | undefined
  /** From `user_identity_id` and the deprecated `user_identity_ids`, without repeats. */
  readonly userIdentityIds: readonly string[]
  /** The user identity param to name in errors (`user_identity_id` or `user_identity_ids`). */
  readonly userIdentityParam: string
}

/**
 * Reads the grants of a request: `connected_account_ids`, `connect_webview_ids`, and Seam's user
 * identity params, the current `user_identity_id` and the deprecated `user_identity_ids`, which takes
 * exactly one id.
 *
 * @throws {SeamApiError} 400 `invalid_input` for a bad value or a `user_identity_ids` of another length
 */
export function readGrants(params: ParamReader): GrantedIds {
  const connectedAccountIds = params.optionalStringArray('connected_account_ids')
  const connectWebviewIds = params.optionalStringArray('connect_webview_ids')
  const userIdentityId = params.optionalString('user_identity_id')
  const userIdentityIds = params.optionalStringArray('user_identity_ids')
  if (userIdentityIds !== undefined && userIdentityIds.length !== 1) {
    // Seam's schema: the deprecated array takes exactly one id.
    throw invalidInput(`Invalid user_identity_ids: expected exactly one id, got ${userIdentityIds.length}`)
  }
  return {
    connectedAccountIds,
    connectWebviewIds,
    userIdentityIds: mergeIds(userIdentityId === undefined ? [] : [userIdentityId], userIdentityIds ?? []),
    userIdentityParam: userIdentityId === undefined ? 'user_identity_ids' : 'user_identity_id',
  }
}

/**
 * Checks that every granted connected account, Connect Webview and user identity is in the workspace,
 * as Seam does: a key never reaches another workspace's resources through a session.
 *
 * @throws {SeamApiError} 400 `invalid_input` naming the param and the unknown ids
 */
export function assertGrantedIdsInWorkspace(state: Database, workspaceId: string, granted: GrantedIds): void {
  assertAllInWorkspace(
    'connected_account_ids',
    'connected accounts',
    granted.connectedAccountIds ?? [],
    state.connected_accounts.filter((account) => account.workspace_id === workspaceId),
    (account) => account.connected_account_id,
  )
  assertAllInWorkspace(
    'connect_webview_ids',
    'Connect Webviews',
    granted.connectWebviewIds ?? [],
    state.connect_webviews.filter((webview) => webview.workspace_id === workspaceId),
    (webview) => webview.connect_webview_id,
  )
  assertAllInWorkspace(
    granted.userIdentityParam,
    'user identities',
    granted.userIdentityIds,
    state.user_identities.filter((identity) => identity.workspace_id === workspaceId),
    (identity) => identity.user_identity_id,
  )
}

/**
 * The session with the grants merged into its id lists: the existing ids, then the new ones, in order
 * and without repeats (`/grant_access`, and `/get_or_create` on an existing session).
 */
export function withGrants(session: FakeClientSession, granted: GrantedIds): FakeClientSession {
  return {
    ...session,
    connected_account_ids: mergeIds(session.connected_account_ids, granted.connectedAccountIds ?? []),
    connect_webview_ids: mergeIds(session.connect_webview_ids, granted.connectWebviewIds ?? []),
    user_identity_ids: mergeIds(session.user_identity_ids, granted.userIdentityIds),
  }
}

/**
 * Checks that every id names an item of the workspace; names all unknown ids at once.
 *
 * @throws {SeamApiError} 400 `invalid_input` naming `param` and the unknown ids
 */
function assertAllInWorkspace<T>(
  param: string,
  noun: string,
  ids: readonly string[],
  available: readonly T[],
  idOf: (item: T) => string,
): void {
  const known = new Set(available.map(idOf))
  const unknown = [...new Set(ids.filter((id) => !known.has(id)))]
  if (unknown.length === 0) return
  throw invalidInput(
    `Invalid ${param}: expected ids of ${noun} in this workspace, got unknown ${unknown.length === 1 ? 'id' : 'ids'} ${unknown.map((id) => `"${id}"`).join(', ')}`,
  )
}

/** The existing ids, then the added ones that are new, in order and without repeats. */
function mergeIds(existing: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...existing, ...added])]
}
