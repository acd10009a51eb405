import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ClientSessionDeletedDocument,
  type ClientSessionDeletedSubscription,
  CreateClientSessionDocument,
  DeleteClientSessionDocument,
  RevokeClientSessionDocument,
  ViewerDocument,
} from './generated/graphql.js'
import {
  connectedAndSubscribed,
  createClientPool,
  queryWs,
  type Recording,
  sleep,
  subscribeWs,
  waitFor,
} from './helpers/clients.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { metricsUrlOf, untilOpenSubscriptions } from './helpers/metrics.js'

const WORKSPACE_ID = 'seed_workspace_1'
const JOHN_ACCOUNT = 'john_connected_account_id'
const UNKNOWN_CREDENTIAL = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

// One gateway (with its embedded sandbox) for the file: every test makes its own client sessions.
let gw: TestGateway
beforeAll(async () => {
  gw = await startTestGateway()
})
afterAll(async () => {
  await gw?.stop()
})

// Every client a test opens is disposed after it, pass or fail.
const clients = createClientPool()
afterEach(async () => {
  await clients.disposeAll()
})

/** A real graphql-ws client on the gateway; records how its socket closed. */
const ws = (connectionParams: Record<string, unknown> | undefined) => clients.openWs(gw.url, connectionParams)

/** One subscription over SSE on the gateway, with these request headers. */
const subscribeSse = <TData, TVariables>(
  headers: Record<string, string>,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
) => clients.subscribeSse(gw.url, headers, document, variables)

async function createSession(userIdentifierKey: string) {
  const { status, body } = await gw.execute(
    CreateClientSessionDocument,
    { input: { userIdentifierKey, connectedAccountIds: [JOHN_ACCOUNT] } },
    bearer(gw.apiKey),
  )
  expect(status).toBe(200)
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token!, userIdentifierKey }
}

/** Verified webhook deliveries that reached the event path so far, from the gateway's own metrics. */
async function verifiedWebhookEvents(): Promise<number> {
  const metrics = await (await fetch(metricsUrlOf(gw.url))).text()
  const line = /^gateway_session_events_total\{source="webhook"\} (\d+)$/m.exec(metrics)
  return line === null ? 0 : Number(line[1])
}

/** Ends reported again and dropped as repeats so far, from the gateway's own metrics. */
async function duplicatesDropped(): Promise<number> {
  const metrics = await (await fetch(metricsUrlOf(gw.url))).text()
  const line = /^gateway_event_duplicates_dropped_total (\d+)$/m.exec(metrics)
  return line === null ? 0 : Number(line[1])
}

const uniqueKey = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`

/**
 * Deletes one more session and waits until `witness` (an unfiltered workspace subscription) has
 * heard of it. The gateway sends a socket its events in the order it published them, so whatever
 * was to reach that socket before (a repeat above all) has arrived by then.
 */
async function barrier(witness: Recording<ClientSessionDeletedSubscription>) {
  const last = await createSession(uniqueKey('transports-barrier'))
  const deleted = await gw.execute(
    DeleteClientSessionDocument,
    { clientSessionId: last.clientSessionId },
    bearer(gw.apiKey),
  )
  expect(deleted.status).toBe(200)
  await waitFor(
    () => witness.results.some((r) => r.data?.clientSessionDeleted.clientSessionId === last.clientSessionId),
    'the barrier event',
  )
  return last
}

function endedEvent(
  session: { clientSessionId: string; userIdentifierKey: string },
  reason: 'DELETED' | 'REVOKED',
) {
  return {
    data: {
      clientSessionDeleted: {
        eventId: expect.any(String),
        clientSessionId: session.clientSessionId,
        workspaceId: WORKSPACE_ID,
        userIdentifierKey: session.userIdentifierKey,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
        reason,
      },
    },
  }
}

describe('queries over graphql-ws', () => {
  it('authenticates a socket by connectionParams.authorization (API key)', async () => {
    const socket = ws({ authorization: `Bearer ${gw.apiKey}` })
    expect(await queryWs(socket.client, ViewerDocument, {})).toEqual({
      data: { viewer: { kind: 'WORKSPACE', workspaceId: WORKSPACE_ID, clientSession: null } },
    })
  })

  it('authenticates a socket by connectionParams.clientSessionToken', async () => {
    const socket = ws({ clientSessionToken: gw.demoToken })
    expect(await queryWs(socket.client, ViewerDocument, {})).toEqual({
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: WORKSPACE_ID,
          clientSession: { clientSessionId: gw.demo!.clientSessionId },
        },
      },
    })
  })

  it('authenticates a socket by connectionParams.authorization with a client session token', async () => {
    const socket = ws({ authorization: `Bearer ${gw.demoToken}` })
    expect(await queryWs(socket.client, ViewerDocument, {})).toEqual({
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: WORKSPACE_ID,
          clientSession: { clientSessionId: gw.demo!.clientSessionId },
        },
      },
    })
  })

  it('reads connectionParams.authorization as the header: whitespace after the token is not part of it', async () => {
    // A vertical tab survives in a header value (HTTP trims only spaces and tabs), and is whitespace.
    const socket = ws({ authorization: `Bearer ${gw.apiKey}\u000b` })
    expect(await queryWs(socket.client, ViewerDocument, {})).toEqual({
      data: { viewer: { kind: 'WORKSPACE', workspaceId: WORKSPACE_ID, clientSession: null } },
    })
  })

  it.each([
    ['an unknown client session token', { clientSessionToken: 'seam_cst_unknown_token' }],
    ['a connectionParams.authorization that is not a string', { authorization: 123 }],
    [
      'a connectionParams.clientSessionToken that is not a string',
      { clientSessionToken: ['seam_cst1_token'] },
    ],
    ['an unknown API key', { authorization: 'Bearer seam_unknown_api_key' }],
    ['a malformed authorization', { authorization: 'Basic abc' }],
    ['no credential at all', undefined],
    ['empty connection params', {}],
  ])('closes the socket with 4403 at connection_init for %s', async (_name, params) => {
    const socket = ws(params)
    await waitFor(() => socket.closes.length > 0, 'the socket to close')
    expect(socket.closes).toEqual([{ code: 4403, reason: 'Forbidden' }])
    expect(socket.connected).toBe(0)
  })
})

describe('clientSessionDeleted over graphql-ws', () => {
  it.each([
    {
      mutationName: 'deleteClientSession',
      reason: 'DELETED',
      // Seam reports a deletion as a client_session.deleted webhook too.
      webhooks: 1,
      end: (clientSessionId: string) =>
        gw.execute(DeleteClientSessionDocument, { clientSessionId }, bearer(gw.apiKey)),
    },
    {
      mutationName: 'revokeClientSession',
      reason: 'REVOKED',
      // Seam has no revocation event.
      webhooks: 0,
      end: (clientSessionId: string) =>
        gw.execute(RevokeClientSessionDocument, { clientSessionId }, bearer(gw.apiKey)),
    },
  ] as const)(
    '$mutationName: the session, its workspace and only the matching subscribers hear of it once',
    async ({ mutationName, reason, webhooks, end }) => {
      const session = await createSession(uniqueKey('transports-ended'))
      const other = await createSession(uniqueKey('transports-other'))

      const sessionSocket = ws({ clientSessionToken: session.token })
      const workspaceSocket = ws({ authorization: `Bearer ${gw.apiKey}` })
      const otherSocket = ws({ clientSessionToken: other.token })
      const own = subscribeWs(sessionSocket.client, ClientSessionDeletedDocument, {})
      const workspace = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {})
      const filteredToOther = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {
        clientSessionId: other.clientSessionId,
      })
      const otherOwn = subscribeWs(otherSocket.client, ClientSessionDeletedDocument, {})
      const otherStream = subscribeSse(bearer(other.token), ClientSessionDeletedDocument, {})
      await waitFor(
        () => [sessionSocket, workspaceSocket, otherSocket].every((s) => s.connected === 1),
        'acks',
      )
      await untilOpenSubscriptions(gw.url, 5)
      const webhooksBefore = await verifiedWebhookEvents()
      const droppedBefore = await duplicatesDropped()

      const ended = await end(session.clientSessionId)
      expect(ended.status).toBe(200)
      expect(ended.body).toEqual({ data: { [mutationName]: { clientSessionId: session.clientSessionId } } })

      await waitFor(() => own.completed && workspace.results.length > 0, 'both subscribers to hear of it')
      // The sandbox also delivers a signed client_session.deleted webhook for a deletion: it has
      // landed, and was dropped as a repeat, once this resolves.
      await gw.sandbox!.drainWebhooks()
      expect((await verifiedWebhookEvents()) - webhooksBefore).toBe(webhooks)
      expect((await duplicatesDropped()) - droppedBefore).toBe(webhooks)
      const last = await barrier(workspace)

      expect(own).toEqual({ results: [endedEvent(session, reason)], errors: [], completed: true })
      expect(workspace).toEqual({
        results: [endedEvent(session, reason), endedEvent(last, 'DELETED')],
        errors: [],
        completed: false,
      })
      expect(filteredToOther).toEqual({ results: [], errors: [], completed: false })
      // The session and the workspace saw the same event.
      expect(own.results[0]!.data!.clientSessionDeleted.eventId).toBe(
        workspace.results[0]!.data!.clientSessionDeleted.eventId,
      )

      const afterwards = await gw.execute(ViewerDocument, {}, bearer(session.token))
      expect(afterwards.status).toBe(401)
      expect(afterwards.body).toEqual(UNKNOWN_CREDENTIAL)

      // The other session is untouched: its token, its socket and its stream still serve it.
      const otherViewer = {
        data: {
          viewer: {
            kind: 'CLIENT_SESSION',
            workspaceId: WORKSPACE_ID,
            clientSession: { clientSessionId: other.clientSessionId },
          },
        },
      }
      const untouched = await gw.execute(ViewerDocument, {}, bearer(other.token))
      expect({ status: untouched.status, body: untouched.body }).toEqual({ status: 200, body: otherViewer })
      expect(otherSocket.closes).toEqual([])
      expect(await queryWs(otherSocket.client, ViewerDocument, {})).toEqual(otherViewer)
      expect(otherOwn).toEqual({ results: [], errors: [], completed: false })
      expect(otherStream).toEqual({ results: [], errors: [], completed: false })
      // And they still hear of their own end, when it comes.
      expect((await end(other.clientSessionId)).status).toBe(200)
      await waitFor(() => otherOwn.completed && otherStream.completed, "the other session's own end")
      expect(otherOwn).toEqual({ results: [endedEvent(other, reason)], errors: [], completed: true })
      expect(otherStream).toEqual({ results: [endedEvent(other, reason)], errors: [], completed: true })
      await waitFor(() => otherSocket.closes.length > 0, "the other session's socket to close")
      expect(otherSocket.closes).toEqual([{ code: 4403, reason: 'Forbidden' }])
    },
  )

  it('a workspace subscriber filtered by userIdentifierKey hears of that user only', async () => {
    const session = await createSession(uniqueKey('transports-user'))
    const other = await createSession(uniqueKey('transports-user-other'))
    const workspaceSocket = ws({ authorization: `Bearer ${gw.apiKey}` })
    const byUser = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {
      userIdentifierKey: session.userIdentifierKey,
    })
    const bySession = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    const all = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {})
    await waitFor(() => workspaceSocket.connected === 1, 'connection_ack')
    await untilOpenSubscriptions(gw.url, 3)

    for (const ended of [other, session]) {
      const response = await gw.execute(
        DeleteClientSessionDocument,
        { clientSessionId: ended.clientSessionId },
        bearer(gw.apiKey),
      )
      expect(response.status).toBe(200)
    }
    await waitFor(() => byUser.results.length > 0 && bySession.results.length > 0, 'the filtered events')
    await gw.sandbox!.drainWebhooks()
    await barrier(all)

    expect(byUser).toEqual({ results: [endedEvent(session, 'DELETED')], errors: [], completed: false })
    expect(bySession).toEqual({ results: [endedEvent(session, 'DELETED')], errors: [], completed: false })
  })

  it("closes an ended session's socket with 4403 right after its clientSessionDeleted event", async () => {
    const session = await createSession(uniqueKey('transports-close'))
    const sessionSocket = ws({ clientSessionToken: session.token })
    const own = subscribeWs(sessionSocket.client, ClientSessionDeletedDocument, {})
    await connectedAndSubscribed(sessionSocket)

    const deleted = await gw.execute(
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      bearer(gw.apiKey),
    )
    expect(deleted.status).toBe(200)

    await waitFor(() => own.completed, 'the session subscriber to hear of its end')
    expect(own.results).toEqual([endedEvent(session, 'DELETED')])
    // SPEC §6: the socket of an ended session is closed with 4403 Forbidden once it has its event. Wait a
    // second for it; the assertion below then says what arrived.
    await waitFor(() => sessionSocket.closes.length > 0, 'the ended session socket to be closed', 1000).catch(
      () => {},
    )
    expect(sessionSocket.closes).toEqual([{ code: 4403, reason: 'Forbidden' }])
  })

  it("stops serving an ended session's socket: an operation on it gets no data", async () => {
    const session = await createSession(uniqueKey('transports-stale'))
    const sessionSocket = ws({ clientSessionToken: session.token })
    expect(await queryWs(sessionSocket.client, ViewerDocument, {})).toEqual({
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: WORKSPACE_ID,
          clientSession: { clientSessionId: session.clientSessionId },
        },
      },
    })

    const deleted = await gw.execute(
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      bearer(gw.apiKey),
    )
    expect(deleted.status).toBe(200)
    await sleep(200)

    // The socket was authenticated at connection_init, when the session was alive; it must not keep
    // acting for the deleted session (SPEC §4, §6).
    const viewer = subscribeWs(sessionSocket.client, parse('{ viewer { kind workspaceId } }'), {})
    await waitFor(() => viewer.completed || viewer.errors.length > 0, 'the operation to settle')
    expect(viewer.results).toEqual([])
    expect(viewer.errors).toEqual([expect.objectContaining({ code: 4403 })])
  })

  it("refuses a client session's subscription to another session's end with FORBIDDEN", async () => {
    const session = await createSession(uniqueKey('transports-forbidden'))
    const other = await createSession(uniqueKey('transports-forbidden-other'))
    const socket = ws({ clientSessionToken: session.token })

    const forOther = subscribeWs(socket.client, ClientSessionDeletedDocument, {
      clientSessionId: other.clientSessionId,
    })
    await waitFor(() => forOther.completed || forOther.errors.length > 0, 'the subscription to be refused')
    const forOtherUser = subscribeWs(socket.client, ClientSessionDeletedDocument, {
      userIdentifierKey: other.userIdentifierKey,
    })
    await waitFor(
      () => forOtherUser.completed || forOtherUser.errors.length > 0,
      'the subscription to be refused',
    )

    // The refusal is a field error of the subscription's source stream (graphql-js `subscribe`
    // semantics): one `next` carrying the located error, then `complete`, on every transport.
    const refusal = {
      results: [
        {
          errors: [
            {
              message: "A client session token may subscribe only to its own session's end",
              locations: [{ line: 2, column: 3 }],
              path: ['clientSessionDeleted'],
              extensions: { code: 'FORBIDDEN' },
            },
          ],
        },
      ],
      errors: [],
      completed: true,
    }
    expect(forOther).toEqual(refusal)
    expect(forOtherUser).toEqual(refusal)
    // A refused subscription does not cost the socket.
    expect(socket.closes).toEqual([])
    expect(await queryWs(socket.client, ViewerDocument, {})).toEqual({
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: WORKSPACE_ID,
          clientSession: { clientSessionId: session.clientSessionId },
        },
      },
    })
  })
})

describe('clientSessionDeleted over SSE', () => {
  it('delivers the end to the session and to its workspace, and ends the session stream', async () => {
    const session = await createSession(uniqueKey('transports-sse'))
    const own = subscribeSse(bearer(session.token), ClientSessionDeletedDocument, {})
    const ownByHeader = subscribeSse(
      { 'client-session-token': session.token },
      ClientSessionDeletedDocument,
      {},
    )
    const workspace = subscribeSse(bearer(gw.apiKey), ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    // SSE has no acknowledgement: the gateway says when the three streams are open.
    await untilOpenSubscriptions(gw.url, 3)
    const droppedBefore = await duplicatesDropped()

    const deleted = await gw.execute(
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      bearer(gw.apiKey),
    )
    expect(deleted.status).toBe(200)

    await waitFor(
      () => own.completed && ownByHeader.completed && workspace.results.length > 0,
      'the SSE subscribers to hear of it',
    )
    // Seam's webhook for the deletion, the one other report of it, has landed and was dropped.
    await gw.sandbox!.drainWebhooks()
    expect((await duplicatesDropped()) - droppedBefore).toBe(1)

    expect(own).toEqual({ results: [endedEvent(session, 'DELETED')], errors: [], completed: true })
    expect(ownByHeader).toEqual({ results: [endedEvent(session, 'DELETED')], errors: [], completed: true })
    expect(workspace).toEqual({ results: [endedEvent(session, 'DELETED')], errors: [], completed: false })
  })

  it("refuses a client session's SSE subscription to another session's end with FORBIDDEN", async () => {
    const session = await createSession(uniqueKey('transports-sse-forbidden'))
    const other = await createSession(uniqueKey('transports-sse-forbidden-other'))
    const forOther = subscribeSse(bearer(session.token), ClientSessionDeletedDocument, {
      clientSessionId: other.clientSessionId,
    })
    await waitFor(() => forOther.completed || forOther.errors.length > 0, 'the subscription to be refused')
    expect(forOther).toEqual({
      results: [
        {
          errors: [
            {
              message: "A client session token may subscribe only to its own session's end",
              locations: [{ line: 2, column: 3 }],
              path: ['clientSessionDeleted'],
              extensions: { code: 'FORBIDDEN' },
            },
          ],
        },
      ],
      errors: [],
      completed: true,
    })
  })

  it('refuses an SSE subscription without a credential with 401', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { clientSessionDeleted { reason } }' }),
    })
    expect({
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.text(),
    }).toEqual({
      status: 401,
      contentType: 'text/event-stream',
      text: [
        ':',
        '',
        'event: next',
        `data: ${JSON.stringify({
          errors: [
            {
              message:
                'A credential is required: send Authorization: Bearer <API key or client session token>',
              locations: [{ line: 1, column: 16 }],
              path: ['clientSessionDeleted'],
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        })}`,
        '',
        'event: complete',
        'data:',
        '',
        '',
      ].join('\n'),
    })
  })
})

describe('resources of closed sockets', () => {
  it('releases the subscriptions of a socket that closes, filtered ones included, without any event', async () => {
    const local = await startTestGateway()
    const pool = createClientPool()
    const open = async () => {
      const text = await (await fetch(metricsUrlOf(local.url))).text()
      return Number(/^gateway_open_subscriptions (\d+)$/m.exec(text)?.[1] ?? 'NaN')
    }
    try {
      const socket = pool.openWs(local.url, { authorization: `Bearer ${local.apiKey}` })
      subscribeWs(socket.client, ClientSessionDeletedDocument, { clientSessionId: 'cs_that_never_ends' })
      subscribeWs(socket.client, ClientSessionDeletedDocument, { userIdentifierKey: 'nobody' })
      subscribeWs(socket.client, ClientSessionDeletedDocument, {})
      await connectedAndSubscribed(socket)
      expect(await open()).toBe(3)
      await pool.disposeAll()
      const deadline = Date.now() + 2000
      while ((await open()) !== 0 && Date.now() < deadline) await sleep(20)
      expect(await open()).toBe(0)
    } finally {
      await pool.disposeAll()
      await local.stop()
    }
  })
})
