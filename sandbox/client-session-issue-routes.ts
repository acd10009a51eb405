import type { IncomingMessage } from 'node:http'
import type { Database } from '@seamapi/fake-seam-connect'
import { assertNoSimulatedOutage, authenticateApiKey } from './api-key-auth.js'
import {
  assertGrantedIdsInWorkspace,
  findClientSessionByIdOrKey,
  findSessionOfUser,
  type GrantedIds,
  readGrants,
  updateClientSession,
  withGrants,
} from './client-session-store.js'
import { headerValue, usesApiKey, usesPublishableKey } from './credentials.js'
import type { FakeClientSession, FakeStore } from './fake-store.js'
import {
  interceptWhen,
  readRequestParams,
  type SandboxInterceptor,
  type SandboxLog,
  type SandboxRoute,
  SeamApiError,
} from './http.js'
import { ParamReader } from './params.js'
import { clientSessionAnswer } from './seam-shapes.js'

/** What the client session issuing routes need from the sandbox. */
export interface ClientSessionIssueRoutesOptions {
  /** The fake's store; the routes read and write its `client_sessions`. */
  readonly store: FakeStore
  /** Where a route that fails unexpectedly is reported. */
  readonly log: SandboxLog
}

/** Who is creating a session: a workspace API key, or a browser's publishable key. */
type Issuer =
  | { readonly kind: 'api_key'; readonly workspaceId: string; readonly apiKeyId: string }
  | { readonly kind: 'publishable_key'; readonly workspaceId: string; readonly publishableKey: string }

/** What a request asks of a new or existing session. */
interface SessionRequest {
  readonly userIdentifierKey: string | undefined
  readonly granted: GrantedIds
  readonly expiresAt: string | undefined
  readonly customerKey: string | undefined
}

/**
 * Serves `/client_sessions/create`, `/client_sessions/get_or_create` and `/client_sessions/get` where the
 * fake falls short of Seam, on the fake's own store (its `addClientSession` makes the ids and tokens, so
 * they look like the fake's own):
 *
 * - `create` with an API key or a publishable key: the fake drops `expires_at`, `customer_key` and
 *   `user_identity_id(s)`; here they land in the stored session and the response.
 * - `get_or_create` with an API key (the fake accepts only a publishable key) or a publishable key (the
 *   fake drops `expires_at` and never updates an existing session): an existing session of the user
 *   gets the new `expires_at` and the new ids merged in, as Seam documents.
 * - `get` with an API key: scoped to the key's workspace (the fake returns any workspace's session), in
 *   Seam's shape (the fake's carries private fields such as `api_key_id`).
 *
 * Every other request to these paths (client session tokens, personal access tokens, console sessions,
 * no credential) goes to the fake unchanged. The fake's own rules and messages are kept where they were
 * right: a publishable key creates only empty sessions, `create` refuses a second session for a
 * `user_identifier_key` (except by PUT, which returns the existing one).
 *
 * Lifecycle: created once per sandbox; holds no state of its own.
 */
export function createClientSessionIssueRoutes(
  options: ClientSessionIssueRoutesOptions,
): Map<string, SandboxInterceptor> {
  const { store, log } = options

  /** Adds a session with the fake's own action, which makes its id and token. */
  const addSession = (issuer: Issuer, request: SessionRequest): FakeClientSession => {
    const { granted } = request
    return store.getState().addClientSession({
      workspace_id: issuer.workspaceId,
      connected_account_ids: [...(granted.connectedAccountIds ?? [])],
      connect_webview_ids: [...(granted.connectWebviewIds ?? [])],
      user_identity_ids: [...granted.userIdentityIds],
      ...(request.userIdentifierKey === undefined ? {} : { user_identifier_key: request.userIdentifierKey }),
      ...(request.expiresAt === undefined ? {} : { expires_at: request.expiresAt }),
      // Not a field of the fake's type, but its action stores every param it is given.
      ...(request.customerKey === undefined ? {} : { customer_key: request.customerKey }),
      // As the fake records them: its client session auth tells the two origins apart by these.
      ...(issuer.kind === 'api_key'
        ? { api_key_id: issuer.apiKeyId }
        : { publishable_key: issuer.publishableKey }),
    })
  }

  const answer = (session: FakeClientSession) => clientSessionAnswer(session, store.getState().devices)

  const create: SandboxRoute = {
    methods: ['POST', 'PUT'],
    async handle(req, query) {
      const apiKey = usesApiKey(req) ? authenticateApiKey(req, store) : undefined
      const params = new ParamReader(await readRequestParams(req, query), [
        'connect_webview_ids',
        'connected_account_ids',
        'customer_id',
        'customer_key',
        'expires_at',
        'user_identifier_key',
        'user_identity_id',
        'user_identity_ids',
      ])
      const request = readSessionRequest(params, { withCustomer: true })

      let issuer: Issuer
      if (apiKey !== undefined) {
        issuer = { kind: 'api_key', ...apiKey }
      } else {
        // The fake's publishable key auth for create: the key needs a user_identifier_key in the body.
        if ((request.userIdentifierKey?.trim() ?? '') === '') {
          throw new SeamApiError(
            401,
            'publishable_key_requires_user_identifier_key',
            'user_identifier_key is required with publishable_key',
          )
        }
        issuer = authenticatePublishableKey(req, store, 401)
        assertEmptyForPublishableKey(request)
      }

      const state = store.getState()
      const existing = findExisting(state, issuer, request)
      if (existing !== undefined) {
        // The fake's rule and message: one session per user_identifier_key; PUT returns the existing one.
        if (req.method === 'PUT') return answer(existing)
        throw new SeamApiError(
          400,
          'client_session_token_already_exists',
          'A client session token already exists for this user, try using /client_session_tokens/get_or_create',
        )
      }
      assertGrantedIdsInWorkspace(state, issuer.workspaceId, request.granted)
      return answer(addSession(issuer, request))
    },
  }

  const getOrCreate: SandboxRoute = {
    methods: ['POST', 'PUT'],
    async handle(req, query) {
      const apiKey = usesApiKey(req) ? authenticateApiKey(req, store) : undefined
      const params = new ParamReader(await readRequestParams(req, query), [
        'connect_webview_ids',
        'connected_account_ids',
        'expires_at',
        'user_identifier_key',
        'user_identity_id',
        'user_identity_ids',
      ])
      let request = readSessionRequest(params, { withCustomer: false })

      let issuer: Issuer
      if (apiKey !== undefined) {
        issuer = { kind: 'api_key', ...apiKey }
      } else {
        // The fake's checks for a publishable key, in its order and with its messages. The user
        // identifier key may also come in a header, as the SDK's `fromPublishableKey` sends it.
        const userIdentifierKey =
          request.userIdentifierKey ??
          headerValue(req, 'user-identifier-key') ??
          headerValue(req, 'seam-user-identifier-key')
        if (userIdentifierKey === undefined) {
          throw new SeamApiError(
            400,
            'publishable_key_requires_user_identifier_key',
            'Must provide a user_identifier_key with a seam-publishable-key',
          )
        }
        request = { ...request, userIdentifierKey }
        assertEmptyForPublishableKey(request)
        issuer = authenticatePublishableKey(req, store, 400)
      }

      const state = store.getState()
      assertGrantedIdsInWorkspace(state, issuer.workspaceId, request.granted)
      const existing = findExisting(state, issuer, request)
      if (existing === undefined) return answer(addSession(issuer, request))

      // Seam: an existing session gets the new expiry and the new ids, then is returned.
      const { expiresAt } = request
      const updated = updateClientSession(store, existing.client_session_id, (session) => ({
        ...withGrants(session, request.granted),
        ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      }))
      return answer(updated)
    },
  }

  const get: SandboxRoute = {
    methods: ['GET', 'POST'],
    async handle(req, query) {
      const { workspaceId } = authenticateApiKey(req, store)
      const params = new ParamReader(await readRequestParams(req, query), [
        'client_session_id',
        'user_identifier_key',
      ])
      const session = findClientSessionByIdOrKey(
        store.getState(),
        workspaceId,
        params.optionalString('client_session_id'),
        params.optionalString('user_identifier_key'),
      )
      return answer(session)
    },
  }

  const byApiOrPublishableKey = (req: IncomingMessage) => usesApiKey(req) || usesPublishableKey(req)
  return new Map([
    ['/client_sessions/create', interceptWhen(byApiOrPublishableKey, create, log)],
    ['/client_sessions/get_or_create', interceptWhen(byApiOrPublishableKey, getOrCreate, log)],
    ['/client_sessions/get', interceptWhen(usesApiKey, get, log)],
  ])
}

/**
 * Reads the params a new or existing session takes. `customer_id` is accepted (Seam's create takes it)
 * but not kept: Seam's `client_session` has no field for it.
 */
function readSessionRequest(params: ParamReader, options: { withCustomer: boolean }): SessionRequest {
  const granted = readGrants(params)
  if (options.withCustomer) params.optionalString('customer_id')
  return {
    userIdentifierKey: params.optionalString('user_identifier_key'),
    granted,
    expiresAt: params.optionalFutureDateTime('expires_at'),
    customerKey: options.withCustomer ? params.optionalString('customer_key') : undefined,
  }
}

/** The issuer's workspace's session of the request's user, if the request names one. */
function findExisting(
  state: Database,
  issuer: Issuer,
  request: SessionRequest,
): FakeClientSession | undefined {
  if (request.userIdentifierKey === undefined) return undefined
  return findSessionOfUser(state, issuer.workspaceId, request.userIdentifierKey)
}

/**
 * The fake's rule, kept: a publishable key (a public value, shipped to browsers) creates only empty
 * sessions, which an API key then grants access. The same holds for user identities, which the fake
 * ignored: granting one from a browser would hand out that identity's access.
 *
 * @throws {SeamApiError} 403 `publishable_keys_must_create_empty_client_sessions`
 */
function assertEmptyForPublishableKey({ granted }: SessionRequest): void {
  if (granted.connectWebviewIds !== undefined || granted.connectedAccountIds !== undefined) {
    throw new SeamApiError(
      403,
      'publishable_keys_must_create_empty_client_sessions',
      'You cannot specify connect_webview_ids or connected_account_ids when using a publishable key',
    )
  }
  if (granted.userIdentityIds.length > 0) {
    throw new SeamApiError(
      403,
      'publishable_keys_must_create_empty_client_sessions',
      `You cannot specify ${granted.userIdentityParam} when using a publishable key`,
    )
  }
}

/**
 * Finds the workspace of the request's `seam-publishable-key`, then honours its simulated outage.
 *
 * @param unknownKeyStatus the fake answers an unknown key with 401 on create and 400 on get_or_create
 * @throws {SeamApiError} `workspace_not_found` with the fake's message
 */
function authenticatePublishableKey(
  req: IncomingMessage,
  store: FakeStore,
  unknownKeyStatus: number,
): Issuer {
  const publishableKey = headerValue(req, 'seam-publishable-key') ?? ''
  const workspace = store
    .getState()
    .workspaces.find((candidate) => candidate.publishable_key === publishableKey)
  if (workspace === undefined) {
    throw new SeamApiError(
      unknownKeyStatus,
      'workspace_not_found',
      'Cannot find workspace associated with this publishable_key',
    )
  }
  assertNoSimulatedOutage(store, workspace.workspace_id, req)
  return { kind: 'publishable_key', workspaceId: workspace.workspace_id, publishableKey }
}
