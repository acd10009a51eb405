import type { ClientSession, Device } from '@seamapi/types/connect'
import { mayReadClientSessionToken } from '../auth/visibility.js'
import { badUserInput, notFound, unauthenticated } from '../contract/errors.js'
import { foundOrNone } from '../loaders/ids.js'
import { UpstreamError } from '../upstream/upstream-error.js'
import { builder } from './builder.js'
import { ConnectedAccountRef } from './connected-account.js'
import type { WorkspaceContext } from './context.js'
import { SESSION_ACCOUNTS_ESTIMATE } from './cost.js'
import { DeviceConnection } from './device.js'
import { connectionFromList } from './pagination.js'

/** A Seam client session. */
export const ClientSessionRef = builder.objectRef<ClientSession>('ClientSession')

builder.node(ClientSessionRef, {
  description:
    "A client session: a user's restricted access to the devices of its connected accounts. Its token lets a browser call this gateway as that user.",
  id: { resolve: (session) => session.client_session_id },
  isTypeOf: (value) =>
    typeof value === 'object' && value !== null && 'client_session_id' in value && 'token' in value,
  authScopes: (session) => ({ ownsClientSession: session }),
  fields: (t) => ({
    clientSessionId: t.exposeID('client_session_id', { description: 'Seam id of the client session.' }),
    workspaceId: t.exposeID('workspace_id', { description: 'Workspace of the session.' }),
    userIdentifierKey: t.string({
      nullable: true,
      description: 'Your id for the user of this session.',
      resolve: (s) => s.user_identifier_key ?? null,
    }),
    customerKey: t.string({
      nullable: true,
      description: 'Customer key of the session.',
      resolve: (s) => s.customer_key ?? null,
    }),
    userIdentityId: t.id({
      nullable: true,
      description: 'User identity of the session.',
      // Seam's newer `user_identity_id`; sessions from older routes carry only the deprecated list.
      resolve: (s) => s.user_identity_id ?? s.user_identity_ids[0] ?? null,
    }),
    userIdentityIds: t.idList({
      description: 'User identities of the session.',
      resolve: (s) => [...s.user_identity_ids],
    }),
    connectedAccountIds: t.idList({
      description: 'Connected accounts this session may reach.',
      resolve: (s) => [...s.connected_account_ids],
    }),
    connectWebviewIds: t.idList({
      description: 'Connect Webviews of the session.',
      resolve: (s) => [...s.connect_webview_ids],
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the session was created.',
      resolve: (s) => s.created_at,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When the session and its token expire.',
      resolve: (s) => s.expires_at,
    }),
    deviceCount: t.int({
      description: 'Number of devices the session can reach.',
      authScopes: { $any: { authenticated: true, publishableKey: true } },
      resolve: async (s, _args, { loaders, loadersAsSession }) => {
        // Seam counts them itself: no call.
        if (typeof s.device_count === 'number') return s.device_count
        // An answer without the count: the devices of the session's accounts, read as the caller
        // or, for a publishable key (which reads nothing), as the session it was just issued.
        const reader = loaders ?? loadersAsSession?.(s)
        if (reader === undefined) throw new Error('deviceCount was resolved for an anonymous caller')
        let count = 0
        for (const list of await reader.devicesByConnectedAccountId.loadMany(s.connected_account_ids)) {
          if (list instanceof Error) throw list
          count += list.length
        }
        return count
      },
    }),
    token: t.string({
      nullable: true,
      description:
        'The client session token. For workspace API keys, and for a publishable key in the payload of its own getOrCreateClientSession; FORBIDDEN for a client session.',
      authScopes: (s, _args, { principal, issuedSessionIds }) =>
        mayReadClientSessionToken(principal, s, issuedSessionIds),
      resolve: (s) => s.token,
    }),
    connectedAccounts: t.withAuth({ authenticated: true }).field({
      type: [ConnectedAccountRef],
      description: "The session's connected accounts (the query cost counts 10).",
      complexity: { field: 1, multiplier: SESSION_ACCOUNTS_ESTIMATE },
      resolve: async (s, _args, { loaders }) => {
        const accounts = await loaders.connectedAccountById.loadMany(s.connected_account_ids)
        // An account removed since the session was granted it is simply no longer listed; any
        // other failure (Seam unavailable) is this field's error, never an empty list.
        return accounts.filter((a): a is Exclude<typeof a, Error> => {
          if (!(a instanceof Error)) return true
          if ((a as { extensions?: { code?: unknown } }).extensions?.code === 'NOT_FOUND') return false
          throw a
        })
      },
    }),
    devices: t.withAuth({ authenticated: true }).field({
      type: DeviceConnection,
      description: "Devices of the session's connected accounts.",
      args: { first: t.arg.int({ description: 'Page size, 1 to 200. @default 50' }), after: t.arg.string() },
      resolve: async (s, args, { loaders, principal, cursors }) => {
        const lists = await loaders.devicesByConnectedAccountId.loadMany(s.connected_account_ids)
        // The loader fails only as a whole (Seam unavailable): that is this field's error, never
        // an empty list that reads as "no devices".
        const devices: Device[] = []
        for (const list of lists) {
          if (list instanceof Error) throw list
          for (const device of list) devices.push(device)
        }
        return connectionFromList(
          devices,
          args,
          cursors.bind('ClientSession.devices', s.client_session_id, principal),
        )
      },
    }),
  }),
})

builder.queryFields((t) => ({
  clientSession: t.withAuth({ authenticated: true }).field({
    type: ClientSessionRef,
    nullable: true,
    description: 'One client session by id; a client session token may read only its own.',
    args: { clientSessionId: t.arg.id({ required: true }) },
    resolve: (_root, { clientSessionId }, { loaders }) => loaders.clientSessionById.load(clientSessionId),
  }),
  clientSessions: t.withAuth({ workspace: true }).field({
    type: [ClientSessionRef],
    // Null with its error when Seam fails, so that the other root fields keep their data.
    nullable: { list: true, items: false },
    description:
      "The workspace's client sessions (workspace API keys only), optionally filtered; null, with the error, when Seam cannot list them. Seam does not page this list: the query cost counts 50 sessions.",
    args: {
      userIdentifierKey: t.arg.string(),
      userIdentityId: t.arg.id(),
      connectWebviewId: t.arg.id(),
      withoutUserIdentifierKey: t.arg.boolean(),
    },
    resolve: async (_root, args, { seam, principal }) => {
      const { client_sessions } = await seam.call('/client_sessions/list', {
        ...(args.userIdentifierKey != null ? { user_identifier_key: args.userIdentifierKey } : {}),
        ...(args.userIdentityId != null ? { user_identity_id: args.userIdentityId } : {}),
        ...(args.connectWebviewId != null ? { connect_webview_id: args.connectWebviewId } : {}),
        ...(args.withoutUserIdentifierKey != null
          ? { without_user_identifier_key: args.withoutUserIdentifierKey }
          : {}),
      })
      return client_sessions.filter((s) => s.workspace_id === principal.workspaceId)
    },
  }),
}))

const ClientSessionPayload = builder
  .objectRef<{ clientSession: ClientSession }>('ClientSessionPayload')
  .implement({
    description: 'The client session a mutation created or changed.',
    fields: (t) => ({ clientSession: t.expose('clientSession', { type: ClientSessionRef }) }),
  })

const ClientSessionEndedPayload = builder
  .objectRef<{ clientSessionId: string }>('ClientSessionEndedPayload')
  .implement({
    description: 'The id of the client session a mutation ended.',
    fields: (t) => ({ clientSessionId: t.exposeID('clientSessionId') }),
  })

const CreateClientSessionInput = builder.inputType('CreateClientSessionInput', {
  description: 'A new client session.',
  fields: (t) => ({
    userIdentifierKey: t.string({ description: 'Your id for the user.' }),
    connectedAccountIds: t.idList({ description: 'Connected accounts the session may reach.' }),
    connectWebviewIds: t.idList({ description: 'Connect Webviews of the session.' }),
    userIdentityId: t.id({ description: 'User identity of the session.' }),
    customerKey: t.string({ description: 'Customer key of the session.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When the session expires. @default Seam decides' }),
  }),
})

const GetOrCreateClientSessionInput = builder.inputType('GetOrCreateClientSessionInput', {
  description:
    'The client session to find, or create, for a user; an existing one gets the new expiry and ids. With a publishable key only userIdentifierKey may be set (BAD_USER_INPUT naming any other field).',
  fields: (t) => ({
    userIdentifierKey: t.string({
      description:
        'Your id for the user; with a publishable key it may come from the seam-user-identifier-key header instead.',
    }),
    connectedAccountIds: t.idList(),
    connectWebviewIds: t.idList(),
    userIdentityId: t.id(),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
})

const GrantClientSessionAccessInput = builder.inputType('GrantClientSessionAccessInput', {
  description: 'Resources to add to a client session, found by id or by user identifier key.',
  fields: (t) => ({
    clientSessionId: t.id(),
    userIdentifierKey: t.string(),
    connectedAccountIds: t.idList(),
    connectWebviewIds: t.idList(),
    userIdentityId: t.id(),
  }),
})

/** What only a backend may set on a session: a publishable key may not (see getOrCreateClientSession). */
const SET_BY_BACKEND_ONLY = [
  'expiresAt',
  'connectedAccountIds',
  'connectWebviewIds',
  'userIdentityId',
] as const

type SessionInput = {
  userIdentifierKey?: string | null
  connectedAccountIds?: string[] | null
  connectWebviewIds?: string[] | null
  userIdentityId?: string | null
  customerKey?: string | null
  expiresAt?: Date | null
}

const toSeamBody = (input: SessionInput) => ({
  ...(input.userIdentifierKey != null ? { user_identifier_key: input.userIdentifierKey } : {}),
  ...(input.connectedAccountIds != null ? { connected_account_ids: input.connectedAccountIds } : {}),
  ...(input.connectWebviewIds != null ? { connect_webview_ids: input.connectWebviewIds } : {}),
  ...(input.userIdentityId != null ? { user_identity_id: input.userIdentityId } : {}),
  ...(input.customerKey != null ? { customer_key: input.customerKey } : {}),
  ...(input.expiresAt != null ? { expires_at: input.expiresAt } : {}),
})

/** The caller's session by id, or by user identifier key; NOT_FOUND alike for missing and foreign. */
async function findSession(
  ctx: WorkspaceContext,
  input: { clientSessionId?: string | null; userIdentifierKey?: string | null },
): Promise<ClientSession> {
  if (input.clientSessionId != null) return ctx.loaders.clientSessionById.load(input.clientSessionId)
  const key = input.userIdentifierKey
  if (key == null) throw badUserInput('input needs clientSessionId or userIdentifierKey, got neither')
  const [session] = await foundOrNone(
    ctx.seam
      .call('/client_sessions/get', { user_identifier_key: key })
      .then((response) => response.client_session),
  )
  if (session === undefined || session.workspace_id !== ctx.principal.workspaceId)
    throw notFound('ClientSession', key)
  return session
}

/** Ends a session of the caller's workspace through Seam, then runs the event path. */
async function endSession(ctx: WorkspaceContext, clientSessionId: string, reason: 'DELETED' | 'REVOKED') {
  // The loader checks the session is in the caller's workspace: NOT_FOUND otherwise, as if missing.
  const session = await ctx.loaders.clientSessionById.load(clientSessionId)
  // Remembered first: Seam's own webhook for this deletion may arrive before Seam answers us.
  ctx.events.remember(session)
  if (reason === 'DELETED')
    await ctx.seam.call('/client_sessions/delete', { client_session_id: clientSessionId })
  else await ctx.seam.call('/client_sessions/revoke', { client_session_id: clientSessionId })
  await ctx.events.sessionEnded({
    clientSessionId,
    workspaceId: session.workspace_id,
    userIdentifierKey: session.user_identifier_key ?? null,
    reason,
    source: 'mutation',
  })
  return { clientSessionId }
}

builder.mutationFields((t) => ({
  createClientSession: t.withAuth({ workspace: true }).field({
    type: ClientSessionPayload,
    description: 'Creates a client session (workspace API keys only).',
    args: { input: t.arg({ type: CreateClientSessionInput, required: true }) },
    resolve: async (_root, { input }, { seam, events }) => {
      const { client_session } = await seam.call('/client_sessions/create', toSeamBody(input))
      // Known from birth: its expiry is timed and its end can name its user.
      events.remember(client_session)
      return { clientSession: client_session }
    },
  }),
  getOrCreateClientSession: t.withAuth({ $any: { workspace: true, publishableKey: true } }).field({
    type: ClientSessionPayload,
    description:
      'Finds or creates the client session of a user. Workspace API keys, and publishable keys (seam-publishable-key header) from a browser.',
    args: { input: t.arg({ type: GetOrCreateClientSessionInput, required: true }) },
    resolve: async (_root, { input }, { seam, principal, issuedSessionIds, events, signIn }) => {
      let userIdentifierKey = input.userIdentifierKey
      if (principal.kind === 'publishableKey') {
        // A publishable key is public, and get_or_create applies these to a session that already
        // exists: anyone knowing a user's identifier key could sign that user out, keep them
        // signed in, or grant their session more. With a publishable key, it only gets or creates.
        for (const field of SET_BY_BACKEND_ONLY) {
          if (input[field] != null) {
            throw badUserInput(
              `input.${field} cannot be set with a publishable key, which is public; set it with a workspace API key from your backend`,
            )
          }
        }
        const fromHeader = principal.userIdentifierKey
        if (fromHeader !== undefined && userIdentifierKey != null && fromHeader !== userIdentifierKey) {
          throw badUserInput('input.userIdentifierKey differs from the seam-user-identifier-key header')
        }
        userIdentifierKey = userIdentifierKey ?? fromHeader
        await signIn?.()
      }
      const { client_session } = await seam
        .call('/client_sessions/get_or_create', toSeamBody({ ...input, userIdentifierKey }))
        .catch((error: unknown) => {
          // Seam answers an unknown publishable key with a 401 or `workspace_not_found`.
          if (
            principal.kind === 'publishableKey' &&
            error instanceof UpstreamError &&
            (error.code === 'UNAUTHENTICATED' || error.details.seamType === 'workspace_not_found')
          ) {
            throw unauthenticated('The credential is unknown, expired or revoked')
          }
          throw error
        })
      issuedSessionIds.add(client_session.client_session_id)
      // An existing session took the new expiresAt: every instance re-arms its expiry.
      events.remember(client_session, { expiryChanged: input.expiresAt != null })
      return { clientSession: client_session }
    },
  }),
  grantClientSessionAccess: t.withAuth({ workspace: true }).field({
    type: ClientSessionPayload,
    description:
      'Adds connected accounts, Connect Webviews or a user identity to a client session (workspace API keys only).',
    args: { input: t.arg({ type: GrantClientSessionAccessInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const session = await findSession(ctx, input)
      await ctx.seam.call('/client_sessions/grant_access', {
        client_session_id: session.client_session_id,
        ...toSeamBody({ ...input, userIdentifierKey: null }),
      })
      const { client_session } = await ctx.seam.call('/client_sessions/get', {
        client_session_id: session.client_session_id,
      })
      ctx.events.sessionChanged(session.client_session_id)
      ctx.events.remember(client_session)
      return { clientSession: client_session }
    },
  }),
  revokeClientSession: t.withAuth({ workspace: true }).field({
    type: ClientSessionEndedPayload,
    description:
      'Revokes a client session: its token stops working and its sockets close (workspace API keys only).',
    args: { clientSessionId: t.arg.id({ required: true }) },
    resolve: (_root, { clientSessionId }, ctx) => endSession(ctx, clientSessionId, 'REVOKED'),
  }),
  deleteClientSession: t.withAuth({ workspace: true }).field({
    type: ClientSessionEndedPayload,
    description:
      'Deletes a client session: its token stops working and its sockets close (workspace API keys only).',
    args: { clientSessionId: t.arg.id({ required: true }) },
    resolve: (_root, { clientSessionId }, ctx) => endSession(ctx, clientSessionId, 'DELETED'),
  }),
}))
