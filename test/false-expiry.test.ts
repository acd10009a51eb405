import { randomBytes } from 'node:crypto'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { updateClientSession } from '../sandbox/client-session-store.js'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import type { ClientSessionPrincipal } from '../src/auth/principal.js'
import { createPrincipalCache, hashCredential } from '../src/auth/principal-cache.js'
import { createSessionEvents, type SessionEndedEvent } from '../src/events/session-events.js'
import { createMemorySharedState } from '../src/events/shared-state.js'
import { createSocketRegistry } from '../src/ws/socket-registry.js'
import {
  ClientSessionDeletedDocument,
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
  type WsConnection,
  waitFor,
} from './helpers/clients.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute } from './helpers/execute.js'
import { bearer, startTestGateway, type TestGateway, testConfig } from './helpers/gateway.js'
import { untilOpenSubscriptions } from './helpers/metrics.js'
import { startTestRedis, type TestRedis } from './helpers/redis.js'

// SPEC §6: an end is deduped by what ended (a deletion, a revocation, the expiry at one expires_at),
// never by the session id alone. A session Seam extended is not ended at its old expiry, on any
// instance; a real deletion after an earlier end is delivered and kills the token at once.

const WORKSPACE_ID = 'seed_workspace_1'
const API_KEY = 'seam_apikey1_token'
const JOHN_ACCOUNT = 'john_connected_account_id'
const FORBIDDEN_CLOSE = { code: 4403, reason: 'Forbidden' }
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/
const UNKNOWN_CREDENTIAL = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

/** getOrCreateClientSession with the fields these tests read (the shared operation has no expiresAt). */
const GetOrCreateWithExpiry = parse(`
  mutation GetOrCreateWithExpiry($input: GetOrCreateClientSessionInput!) {
    getOrCreateClientSession(input: $input) { clientSession { clientSessionId expiresAt } }
  }
`)

const clients = createClientPool()
afterEach(async () => {
  await clients.disposeAll()
})

interface TestSession {
  clientSessionId: string
  token: string
  userIdentifierKey: string
  expiresAt: string
}

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString()
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`

async function createSession(url: string, prefix: string, expiresAt?: string): Promise<TestSession> {
  const { status, body } = await execute(
    url,
    CreateClientSessionDocument,
    {
      input: {
        userIdentifierKey: unique(prefix),
        connectedAccountIds: [JOHN_ACCOUNT],
        ...(expiresAt === undefined ? {} : { expiresAt }),
      },
    },
    bearer(API_KEY),
  )
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
  const session = body.data!.createClientSession.clientSession
  return {
    clientSessionId: session.clientSessionId,
    token: session.token!,
    userIdentifierKey: session.userIdentifierKey!,
    expiresAt: session.expiresAt,
  }
}

/** Extends a session through a gateway's getOrCreateClientSession (API key, later expiresAt). */
async function extendThrough(url: string, session: TestSession, expiresAt: string) {
  const { status, body } = await execute(
    url,
    GetOrCreateWithExpiry,
    { input: { userIdentifierKey: session.userIdentifierKey, expiresAt } },
    bearer(API_KEY),
  )
  expect({ status, body }).toEqual({
    status: 200,
    body: {
      data: {
        getOrCreateClientSession: { clientSession: { clientSessionId: session.clientSessionId, expiresAt } },
      },
    },
  })
}

async function endThrough(url: string, session: TestSession, how: 'delete' | 'revoke') {
  const document: TypedDocumentNode<unknown, { clientSessionId: string }> =
    how === 'delete' ? DeleteClientSessionDocument : RevokeClientSessionDocument
  const { status, body } = await execute(
    url,
    document,
    { clientSessionId: session.clientSessionId },
    bearer(API_KEY),
  )
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
}

async function expectServed(url: string, session: TestSession) {
  const { status, body } = await execute(url, ViewerDocument, {}, bearer(session.token))
  expect({ status, body }).toEqual({
    status: 200,
    body: {
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: WORKSPACE_ID,
          clientSession: { clientSessionId: session.clientSessionId },
        },
      },
    },
  })
}

async function expectRefused(url: string, session: TestSession) {
  const { status, body } = await execute(url, ViewerDocument, {}, bearer(session.token))
  expect({ status, body }).toEqual({ status: 401, body: UNKNOWN_CREDENTIAL })
}

type Reason = 'DELETED' | 'REVOKED' | 'EXPIRED'

function ended(session: TestSession, reason: Reason) {
  return {
    data: {
      clientSessionDeleted: {
        eventId: expect.any(String),
        clientSessionId: session.clientSessionId,
        workspaceId: WORKSPACE_ID,
        userIdentifierKey: session.userIdentifierKey,
        occurredAt: expect.stringMatching(ISO_DATE_TIME),
        reason,
      },
    },
  }
}

const reasons = (recording: Recording<unknown>) =>
  recording.results.map(
    (result) => (result.data as { clientSessionDeleted: { reason: Reason } }).clientSessionDeleted.reason,
  )
const eventIds = (recording: Recording<unknown>) =>
  recording.results.map(
    (result) => (result.data as { clientSessionDeleted: { eventId: string } }).clientSessionDeleted.eventId,
  )

/**
 * A query round trip on an open workspace socket. The gateway writes a socket's messages in order,
 * and sends an event in the turns right after it publishes it: every event published before has
 * arrived once this resolves.
 */
async function roundTrip(socket: WsConnection): Promise<void> {
  expect((await queryWs(socket.client, ViewerDocument, {})).data?.viewer.kind).toBe('WORKSPACE')
}

/** Waits until `at` (an ISO time) plus `afterMs`. */
const until = (at: string, afterMs: number) => sleep(Math.max(0, Date.parse(at) - Date.now()) + afterMs)

describe('one instance', () => {
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway()
  })
  afterAll(async () => {
    await gw?.stop()
  })

  it('does not end a session extended at Seam directly at its old expiresAt', async () => {
    const session = await createSession(gw.url, 'extended-at-seam', inMs(1500))
    const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    const workspace = subscribeWs(
      clients.openWs(gw.url, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      { clientSessionId: session.clientSessionId },
    )
    await connectedAndSubscribed(socket)
    await expectServed(gw.url, session)

    // Extended in Seam's store: the gateway is told nothing.
    const extendedTo = inMs(3_600_000)
    updateClientSession(getFakeStore(gw.sandbox!.fake), session.clientSessionId, (stored) => ({
      ...stored,
      expires_at: extendedTo,
    }))
    await until(session.expiresAt, 800)

    expect(own).toEqual({ results: [], errors: [], completed: false })
    expect(workspace).toEqual({ results: [], errors: [], completed: false })
    expect(socket.closes).toEqual([])
    await expectServed(gw.url, session)
  })

  it('delivers a deletion after an earlier real expiry, refuses the token at once and closes its socket', async () => {
    const workspaceSocket = clients.openWs(gw.url, { authorization: `Bearer ${API_KEY}` })
    const session = await createSession(gw.url, 'deleted-after-expiry', inMs(1500))
    const workspace = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    await connectedAndSubscribed(workspaceSocket)
    await waitFor(() => workspace.results.length === 1, 'the session to expire', 4000)
    await expectRefused(gw.url, session)

    // The workspace gives the user a new lease on the same session; Seam accepts its token again.
    await extendThrough(gw.url, session, inMs(3_600_000))
    await expectServed(gw.url, session)
    const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    await connectedAndSubscribed(socket)

    await endThrough(gw.url, session, 'delete')
    // At once, before any cache entry could expire.
    await expectRefused(gw.url, session)
    await waitFor(() => socket.closes.length > 0, 'the socket to close')
    await gw.sandbox!.drainWebhooks()
    await roundTrip(workspaceSocket)

    expect(workspace).toEqual({
      results: [ended(session, 'EXPIRED'), ended(session, 'DELETED')],
      errors: [],
      completed: false,
    })
    expect(own).toEqual({ results: [ended(session, 'DELETED')], errors: [], completed: true })
    expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
  })

  it('delivers a deletion after a revocation', async () => {
    const session = await createSession(gw.url, 'deleted-after-revoke')
    const workspaceSocket = clients.openWs(gw.url, { authorization: `Bearer ${API_KEY}` })
    const workspace = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    await connectedAndSubscribed(socket)

    await endThrough(gw.url, session, 'revoke')
    await waitFor(() => workspace.results.length === 1 && socket.closes.length > 0, 'the revocation')
    await endThrough(gw.url, session, 'delete')
    await expectRefused(gw.url, session)
    await waitFor(() => workspace.results.length === 2, 'the deletion')
    await gw.sandbox!.drainWebhooks()
    await roundTrip(workspaceSocket)

    expect(workspace).toEqual({
      results: [ended(session, 'REVOKED'), ended(session, 'DELETED')],
      errors: [],
      completed: false,
    })
    expect(own).toEqual({ results: [ended(session, 'REVOKED')], errors: [], completed: true })
    expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
  })

  it('gives every subscriber exactly one event for a deletion reported by the mutation and the webhook', async () => {
    const session = await createSession(gw.url, 'mutation-and-webhook')
    const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
    const workspaceSocket = clients.openWs(gw.url, { authorization: `Bearer ${API_KEY}` })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    const all = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {})
    const byUser = subscribeWs(workspaceSocket.client, ClientSessionDeletedDocument, {
      userIdentifierKey: session.userIdentifierKey,
    })
    const overSse = clients.subscribeSse(gw.url, bearer(API_KEY), ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    await connectedAndSubscribed(socket, workspaceSocket)
    // SSE has no acknowledgement: the gateway says when all four are open.
    await untilOpenSubscriptions(gw.url, 4)

    await endThrough(gw.url, session, 'delete')
    await gw.sandbox!.drainWebhooks()
    await waitFor(() => overSse.results.length > 0, 'the event over SSE')
    await roundTrip(workspaceSocket)

    expect(own).toEqual({ results: [ended(session, 'DELETED')], errors: [], completed: true })
    for (const recording of [all, byUser, overSse]) {
      expect(recording).toEqual({ results: [ended(session, 'DELETED')], errors: [], completed: false })
    }
    expect(new Set([own, all, byUser, overSse].flatMap(eventIds)).size).toBe(1)
  })
})

describe('two instances over Redis', () => {
  let redis: TestRedis
  let sandbox: Sandbox
  let proxy: CountingProxy
  let a: App
  let b: App
  let urlA: string
  let urlB: string

  beforeAll(async () => {
    redis = await startTestRedis()
    sandbox = await createSandbox({ port: 0 })
    proxy = await startCountingProxy(sandbox.url)
    const prefix = `false-expiry-${randomBytes(4).toString('hex')}:`
    const config = (port: string) =>
      testConfig({
        PORT: port,
        SEAM_ENDPOINT: proxy.url,
        SEAM_API_KEY: API_KEY,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: prefix,
        SHUTDOWN_GRACE_MS: '500',
      })
    a = createApp(config('0'))
    b = createApp(config('0'))
    urlA = await a.start()
    urlB = await b.start()
    for (const url of [urlA, urlB]) {
      const deadline = Date.now() + 8000
      while (((await (await fetch(`${url}/ready`)).json()) as { redis?: boolean }).redis !== true) {
        if (Date.now() > deadline) throw new Error(`${url} did not report Redis ready within 8000 ms`)
        await sleep(50)
      }
    }
  }, 30_000)
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await proxy?.stop()
    await sandbox?.stop()
    await redis?.stop()
  })

  it('a session extended through instance B is re-armed on instance A: no EXPIRED, no re-read, token served', async () => {
    const session = await createSession(urlA, 'extended-through-b', inMs(2000))
    const socket = clients.openWs(urlA, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    const onA = subscribeWs(
      clients.openWs(urlA, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      { clientSessionId: session.clientSessionId },
    )
    const onB = subscribeWs(
      clients.openWs(urlB, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      { clientSessionId: session.clientSessionId },
    )
    await connectedAndSubscribed(socket)
    await expectServed(urlA, session)

    await extendThrough(urlB, session, inMs(3_600_000))
    await until(session.expiresAt, -300)
    proxy.reset()
    await until(session.expiresAt, 800)

    // A knew the new expiresAt from B before its old one came: it had nothing to ask Seam.
    expect(proxy.counts()['/client_sessions/get'] ?? 0).toBe(0)
    expect(own).toEqual({ results: [], errors: [], completed: false })
    expect(onA).toEqual({ results: [], errors: [], completed: false })
    expect(onB).toEqual({ results: [], errors: [], completed: false })
    expect(socket.closes).toEqual([])
    await expectServed(urlA, session)
  })

  it('a genuine expiry ends the session with EXPIRED exactly once across both instances', async () => {
    const session = await createSession(urlA, 'expired-twice-known', inMs(2000))
    // Both instances know the session, so both time its expiry.
    await expectServed(urlB, session)
    const socket = clients.openWs(urlB, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    const onA = subscribeWs(
      clients.openWs(urlA, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      {},
    )
    const onB = subscribeWs(
      clients.openWs(urlB, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      { userIdentifierKey: session.userIdentifierKey },
    )
    await connectedAndSubscribed(socket)

    await waitFor(() => onA.results.length > 0 && onB.results.length > 0, 'the expiry', 4000)
    await sleep(800)

    expect(own).toEqual({ results: [ended(session, 'EXPIRED')], errors: [], completed: true })
    expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
    expect(onA).toEqual({ results: [ended(session, 'EXPIRED')], errors: [], completed: false })
    expect(onB).toEqual({ results: [ended(session, 'EXPIRED')], errors: [], completed: false })
    expect(new Set([own, onA, onB].flatMap(eventIds)).size).toBe(1)
    await expectRefused(urlA, session)
    await expectRefused(urlB, session)
  })

  it('a deletion through B after a revocation through A reaches A and kills the token on both', async () => {
    const session = await createSession(urlA, 'revoked-then-deleted')
    await expectServed(urlB, session)
    const socketOnA = clients.openWs(urlA, { authorization: `Bearer ${API_KEY}` })
    const onA = subscribeWs(socketOnA.client, ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    await untilOpenSubscriptions(a, 1)

    await endThrough(urlA, session, 'revoke')
    await waitFor(() => onA.results.length === 1, 'the revocation on A')
    await endThrough(urlB, session, 'delete')
    await waitFor(() => onA.results.length === 2, 'the deletion on A')
    await roundTrip(socketOnA)

    expect(reasons(onA)).toEqual(['REVOKED', 'DELETED'])
    expect(onA).toEqual({
      results: [ended(session, 'REVOKED'), ended(session, 'DELETED')],
      errors: [],
      completed: false,
    })
    await expectRefused(urlA, session)
    await expectRefused(urlB, session)
  })
})

describe('known sessions', () => {
  it('never forgets the expiry of a live session to stay under its bound, and forgets idle ones', async () => {
    const cache = createPrincipalCache()
    const events = createSessionEvents({
      cache,
      sockets: createSocketRegistry(),
      bus: createMemorySharedState(),
      logger: pino({ level: 'silent' }),
      maxKnownSessions: 2,
    })
    const session = (id: string, expiresInMs: number) => ({
      client_session_id: id,
      workspace_id: WORKSPACE_ID,
      user_identifier_key: `user-of-${id}`,
      expires_at: inMs(expiresInMs),
    })
    try {
      const live = session('cst_live', 400)
      const idle = session('cst_idle', 400)
      // The live session's principal is cached: a client is using its token right now.
      cache.set(hashCredential('clientSessionToken:seam_cst1_live'), {
        kind: 'clientSession',
        workspaceId: WORKSPACE_ID,
        clientSessionId: live.client_session_id,
        session: live,
        connectedAccountIds: new Set(),
        expiresAt: new Date(Date.now() + 60_000),
        credential: { kind: 'clientSessionToken', token: 'seam_cst1_live' },
      } as unknown as ClientSessionPrincipal)
      const liveEnds = events.subscribe('session:cst_live')
      const idleEnds = events.subscribe('session:cst_idle')
      const received: SessionEndedEvent[] = []
      void liveEnds.next().then((next) => !next.done && received.push(next.value))
      void idleEnds.next().then((next) => !next.done && received.push(next.value))

      events.remember(live)
      events.remember(idle)
      // Five more sessions: far over the bound of two.
      for (let i = 0; i < 5; i++) events.remember(session(`cst_other_${i}`, 3_600_000))
      await sleep(800)

      expect(received).toEqual([
        {
          eventId: expect.any(String),
          clientSessionId: 'cst_live',
          workspaceId: WORKSPACE_ID,
          userIdentifierKey: 'user-of-cst_live',
          occurredAt: expect.stringMatching(ISO_DATE_TIME),
          reason: 'EXPIRED',
          // The expires_at that ran out, which other instances' tombstones guard (not in the schema).
          expiredAt: Date.parse(live.expires_at),
        },
      ])
      await idleEnds.return?.()
      await liveEnds.return?.()
    } finally {
      events.close()
    }
  })
})
