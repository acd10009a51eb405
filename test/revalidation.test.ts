import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { updateClientSession } from '../sandbox/client-session-store.js'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import {
  ClientSessionDeletedDocument,
  CreateClientSessionDocument,
  DeleteClientSessionDocument,
  GrantClientSessionAccessDocument,
  SessionDevicesAndAccountsDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { issueApiKey, revokeApiKey } from './helpers/api-keys.js'
import {
  connectedAndSubscribed,
  createClientPool,
  queryWs,
  type Recording,
  sleep,
  subscribeWs,
  waitFor,
} from './helpers/clients.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { readMetrics, untilOpenSubscriptions } from './helpers/metrics.js'

// SPEC §4, long-lived connections: every open socket and SSE stream re-checks its principal with Seam
// at least every PRINCIPAL_CACHE_TTL_MS; a credential Seam no longer accepts closes them (4403 / the
// stream ends), an unavailable Seam does not.

const TTL_MS = 300
const WORKSPACE_ID = 'seed_workspace_1'
const MAIN_KEY = 'seam_apikey1_token'
const JOHN_ACCOUNT = 'john_connected_account_id'
const JANE_ACCOUNT = 'jane_connected_account_id'
const FORBIDDEN_CLOSE = { code: 4403, reason: 'Forbidden' }
const UNKNOWN_CREDENTIAL = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

const clients = createClientPool()
afterEach(async () => {
  await clients.disposeAll()
})

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`

/** Deletes a client session at Seam directly: no event, no webhook. */
function forgetSession(sandbox: Sandbox, clientSessionId: string): void {
  const store = getFakeStore(sandbox.fake)
  store.setState({
    client_sessions: store
      .getState()
      .client_sessions.filter((session) => session.client_session_id !== clientSessionId),
  })
}

async function simulateOutage(sandbox: Sandbox, routes: string[]): Promise<void> {
  const response = await fetch(`${sandbox.url}/_fake/simulate_workspace_outage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace_id: WORKSPACE_ID, routes }),
  })
  expect(response.status).toBe(200)
}

async function createSession(gw: TestGateway, prefix: string, expiresAt?: string) {
  const { status, body } = await gw.execute(
    CreateClientSessionDocument,
    {
      input: {
        userIdentifierKey: unique(prefix),
        connectedAccountIds: [JOHN_ACCOUNT],
        ...(expiresAt === undefined ? {} : { expiresAt }),
      },
    },
    bearer(MAIN_KEY),
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

async function deleteSession(gw: TestGateway, clientSessionId: string) {
  const deleted = await gw.execute(DeleteClientSessionDocument, { clientSessionId }, bearer(MAIN_KEY))
  expect({ status: deleted.status, errors: deleted.body.errors }).toEqual({ status: 200, errors: undefined })
}

const endedIds = (recording: Recording<unknown>) =>
  recording.results.map(
    (result) =>
      (result.data as { clientSessionDeleted: { clientSessionId: string } } | undefined)?.clientSessionDeleted
        .clientSessionId,
  )

describe('a credential revoked at Seam while its connections are open', () => {
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: String(TTL_MS) })
  })
  afterAll(async () => {
    await gw?.stop()
  })

  it('closes the revoked API key’s socket with 4403 and ends its SSE stream within 2×TTL; another key’s stay', async () => {
    const sandbox = gw.sandbox!
    const revoked = issueApiKey(sandbox, 'seam_revalidation')
    const healthy = issueApiKey(sandbox, 'seam_revalidation')
    const revokedSocket = clients.openWs(gw.url, { authorization: `Bearer ${revoked}` })
    const healthySocket = clients.openWs(gw.url, { authorization: `Bearer ${healthy}` })
    const overWs = subscribeWs(revokedSocket.client, ClientSessionDeletedDocument, {})
    const healthyWs = subscribeWs(healthySocket.client, ClientSessionDeletedDocument, {})
    const overSse = clients.subscribeSse(gw.url, bearer(revoked), ClientSessionDeletedDocument, {})
    await connectedAndSubscribed(revokedSocket, healthySocket)
    await untilOpenSubscriptions(gw.url, 3)

    // Both keys stream their workspace's events while Seam accepts them.
    const first = await createSession(gw, 'revalidation-first')
    await deleteSession(gw, first.clientSessionId)
    await waitFor(
      () => overWs.results.length === 1 && overSse.results.length === 1 && healthyWs.results.length === 1,
      'the first event on every stream',
    )

    const revokedAt = performance.now()
    revokeApiKey(sandbox, revoked)
    await waitFor(
      () => revokedSocket.closes.length > 0 && overSse.completed,
      'the revoked key’s socket and stream to end',
      2 * TTL_MS + 400,
    )
    const endedAfterMs = performance.now() - revokedAt
    console.log(`revoked API key → 4403 and SSE end: ${endedAfterMs.toFixed(0)} ms (TTL ${TTL_MS} ms)`)

    // Events after the revocation reach the healthy key only.
    const second = await createSession(gw, 'revalidation-second')
    await deleteSession(gw, second.clientSessionId)
    await waitFor(() => healthyWs.results.length === 2, 'the second event on the healthy socket')
    await sandbox.drainWebhooks()
    // A round trip on the healthy socket: every event published before has reached it.
    expect((await queryWs(healthySocket.client, ViewerDocument, {})).data?.viewer.kind).toBe('WORKSPACE')

    expect(revokedSocket.closes).toEqual([FORBIDDEN_CLOSE])
    expect(endedIds(overWs)).toEqual([first.clientSessionId])
    expect(overSse).toEqual({ results: [overSse.results[0]], errors: [], completed: true })
    expect(endedIds(overSse)).toEqual([first.clientSessionId])
    expect(healthySocket.closes).toEqual([])
    expect(endedIds(healthyWs)).toEqual([first.clientSessionId, second.clientSessionId])
    // HTTP agrees: the revoked key is refused, the healthy one served.
    expect(await gw.execute(ViewerDocument, {}, bearer(revoked))).toMatchObject({
      status: 401,
      body: UNKNOWN_CREDENTIAL,
    })
    expect((await gw.execute(ViewerDocument, {}, bearer(healthy))).status).toBe(200)
  })

  it('closes the socket of a session deleted at Seam without any event with 4403, and ends its SSE stream', async () => {
    const sandbox = gw.sandbox!
    const session = await createSession(gw, 'revalidation-forgotten')
    const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    const ownSse = clients.subscribeSse(gw.url, bearer(session.token), ClientSessionDeletedDocument, {})
    await connectedAndSubscribed(socket)
    await untilOpenSubscriptions(gw.url, 2)
    expect((await queryWs(socket.client, ViewerDocument, {})).data?.viewer.clientSession).toEqual({
      clientSessionId: session.clientSessionId,
    })

    forgetSession(sandbox, session.clientSessionId)
    await waitFor(
      () => socket.closes.length > 0 && ownSse.completed,
      'the forgotten session’s socket and stream to end',
      2 * TTL_MS + 400,
    )

    expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
    // No event was invented: nobody told the gateway why the session ended.
    expect(own.results).toEqual([])
    expect(ownSse).toEqual({ results: [], errors: [], completed: true })
    expect(await gw.execute(ViewerDocument, {}, bearer(session.token))).toMatchObject({
      status: 401,
      body: UNKNOWN_CREDENTIAL,
    })
  })
})

describe('cost and availability of re-validation', () => {
  // A gateway on a stand-alone sandbox, behind a proxy that counts the calls to Seam.
  let sandbox: Sandbox
  let proxy: CountingProxy
  let gw: TestGateway
  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 })
    proxy = await startCountingProxy(sandbox.url)
    gw = await startTestGateway({
      SEAM_ENDPOINT: proxy.url,
      SEAM_API_KEY: MAIN_KEY,
      PRINCIPAL_CACHE_TTL_MS: String(TTL_MS),
    })
  })
  afterAll(async () => {
    await gw?.stop()
    await proxy?.stop()
    await sandbox?.stop()
  })

  it('checks N sockets of one credential with one lookup per period, and keeps healthy ones open', async () => {
    const sockets = Array.from({ length: 5 }, () =>
      clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }),
    )
    const subscriptions = sockets.map((socket) =>
      subscribeWs(socket.client, ClientSessionDeletedDocument, {}),
    )
    await connectedAndSubscribed(...sockets)

    proxy.reset()
    const windowMs = 6 * TTL_MS
    await sleep(windowMs)
    const lookups = proxy.counts()['/workspaces/get'] ?? 0
    console.log(`/workspaces/get lookups for 5 sockets of one key over ${windowMs} ms: ${lookups}`)
    // About one per period for all five together (not five per period, and not none); one fewer
    // allowed for timers that run late on a busy machine.
    expect(lookups).toBeGreaterThanOrEqual(windowMs / TTL_MS - 2)
    expect(lookups).toBeLessThanOrEqual(windowMs / TTL_MS + 3)

    // Still open and serving, several periods on.
    for (const socket of sockets) expect(socket.closes).toEqual([])
    expect((await queryWs(sockets[0]!.client, ViewerDocument, {})).data?.viewer.kind).toBe('WORKSPACE')
    for (const subscription of subscriptions) expect(subscription.errors).toEqual([])
  })

  it('keeps sockets open while Seam is unavailable, and closes a revoked one once Seam answers again', async () => {
    const revoked = issueApiKey(sandbox, 'seam_revalidation')
    const session = await createSession(gw, 'revalidation-outage')
    const keySocket = clients.openWs(gw.url, { authorization: `Bearer ${revoked}` })
    const sessionSocket = clients.openWs(gw.url, { clientSessionToken: session.token })
    const keyEvents = subscribeWs(keySocket.client, ClientSessionDeletedDocument, {})
    await connectedAndSubscribed(keySocket, sessionSocket)

    await simulateOutage(sandbox, ['/workspaces/get', '/client_sessions/get'])
    proxy.reset()
    await sleep(6 * TTL_MS)
    // Seam was asked (and failed) while the sockets stayed open.
    expect(proxy.counts()['/workspaces/get'] ?? 0).toBeGreaterThan(0)
    expect(keySocket.closes).toEqual([])
    expect(sessionSocket.closes).toEqual([])

    // Seam back, the key revoked meanwhile: its socket closes; the session's stays.
    revokeApiKey(sandbox, revoked)
    await simulateOutage(sandbox, [])
    // The circuit breaker may still be open for a few seconds after the outage.
    await waitFor(() => keySocket.closes.length > 0, 'the revoked key’s socket to close', 8000)
    // The session's socket is re-validated twice more, and stays open.
    const rechecked = (proxy.counts()['/client_sessions/get'] ?? 0) + 2
    await waitFor(
      () => (proxy.counts()['/client_sessions/get'] ?? 0) >= rechecked,
      'two more checks of the session',
    )

    expect(keySocket.closes).toEqual([FORBIDDEN_CLOSE])
    expect(keyEvents.results).toEqual([])
    expect(sessionSocket.closes).toEqual([])
    expect((await queryWs(sessionSocket.client, ViewerDocument, {})).data?.viewer.kind).toBe('CLIENT_SESSION')
  }, 20_000)
})

describe('re-validation and the principal cache', () => {
  /** Answered `/client_sessions/get` calls (status 200) in a gateway's metrics. */
  async function sessionLookups(gw: TestGateway): Promise<number> {
    const line = /^seam_upstream_requests_total\{route="\/client_sessions\/get",status="200"\} (\d+)$/m
    return Number(line.exec(await readMetrics(gw.gateway))?.[1] ?? 0)
  }

  /** Waits for the next check of a session's socket: one more answered `/client_sessions/get`. */
  async function untilChecked(gw: TestGateway, withinMs: number): Promise<void> {
    const before = await sessionLookups(gw)
    const deadline = performance.now() + withinMs
    while ((await sessionLookups(gw)) === before) {
      if (performance.now() > deadline)
        throw new Error(`Expected a check of the session within ${withinMs} ms`)
      await sleep(20)
    }
  }

  /** Failed `/workspaces/get` calls (any status but 200) in a gateway's metrics. */
  async function failedLookups(gw: TestGateway): Promise<number> {
    let failed = 0
    for (const match of (await readMetrics(gw.gateway)).matchAll(
      /^seam_upstream_requests_total\{route="\/workspaces\/get",status="(\w+)"\} (\d+)$/gm,
    )) {
      if (match[1] !== '200') failed += Number(match[2])
    }
    return failed
  }

  it('asks Seam past the cache: a key revoked just after its socket opened closes at the first check', async () => {
    // Its own gateway: the first check of the only socket comes three quarters of a period after it
    // joined, while the principal its connection cached still has a quarter period to live.
    const gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: '4000' })
    try {
      const sandbox = gw.sandbox!
      const key = issueApiKey(sandbox, 'seam_revalidation')
      const socket = clients.openWs(gw.url, { authorization: `Bearer ${key}` })
      await waitFor(() => socket.connected === 1, 'connection_ack')
      revokeApiKey(sandbox, key)
      // At the first check (3 s), not once the cached principal ran out (4 s) and a later check came (6 s).
      await waitFor(() => socket.closes.length > 0, 'the socket to close at the first check', 4500)
      expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
    } finally {
      await clients.disposeAll()
      await gw.stop()
    }
  })

  it('keeps the cached principal when Seam cannot be asked at a check: HTTP requests are still served', async () => {
    const gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: '6000' })
    const sandbox = gw.sandbox!
    try {
      const key = issueApiKey(sandbox, 'seam_revalidation')
      // Looked up and cached now, for 6 s; the socket's first check comes 4.5 s after it opened.
      expect((await gw.execute(ViewerDocument, {}, bearer(key))).status).toBe(200)
      const socket = clients.openWs(gw.url, { authorization: `Bearer ${key}` })
      await waitFor(() => socket.connected === 1, 'connection_ack')
      await simulateOutage(sandbox, ['/workspaces/get'])
      // The check fails: its read and both retries (then the check gives up, a moment later).
      const deadline = performance.now() + 6000
      while ((await failedLookups(gw)) < 3) {
        if (performance.now() > deadline) throw new Error('Expected a failed check of the key within 6 s')
        await sleep(50)
      }
      await sleep(100)

      expect(await gw.execute(ViewerDocument, {}, bearer(key))).toMatchObject({
        status: 200,
        body: { data: { viewer: { kind: 'WORKSPACE', workspaceId: WORKSPACE_ID, clientSession: null } } },
      })
      expect(socket.closes).toEqual([])
    } finally {
      await simulateOutage(sandbox, [])
      await clients.disposeAll()
      await gw.stop()
    }
  })

  it("drops a checked session's cached principal when its grants change: its next request sees the new account", async () => {
    // The first check of the session's socket comes three quarters of a period after it joined;
    // the principal it caches would serve the old grants for a whole period.
    const gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: '3000' })
    try {
      const session = await createSession(gw, 'revalidation-grant')
      const accountsOf = async () => {
        const { status, body } = await gw.execute(
          SessionDevicesAndAccountsDocument,
          {},
          bearer(session.token),
        )
        expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
        return body.data!.connectedAccounts!.nodes.map((node) => node.connectedAccountId)
      }
      expect(await accountsOf()).toEqual([JOHN_ACCOUNT])
      const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
      await waitFor(() => socket.connected === 1, 'connection_ack')
      await untilChecked(gw, 4000)

      const granted = await gw.execute(
        GrantClientSessionAccessDocument,
        { input: { clientSessionId: session.clientSessionId, connectedAccountIds: [JANE_ACCOUNT] } },
        bearer(MAIN_KEY),
      )
      expect(granted.body.errors).toBeUndefined()
      expect(await accountsOf()).toEqual([JOHN_ACCOUNT, JANE_ACCOUNT])
      expect(socket.closes).toEqual([])
    } finally {
      await clients.disposeAll()
      await gw.stop()
    }
  })

  it("refuses a checked session's token over HTTP as soon as the session is deleted", async () => {
    const gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: '3000' })
    try {
      const session = await createSession(gw, 'revalidation-deleted')
      const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
      await waitFor(() => socket.connected === 1, 'connection_ack')
      // The check caches the session's principal again, for a whole period.
      await untilChecked(gw, 4000)
      expect((await gw.execute(ViewerDocument, {}, bearer(session.token))).status).toBe(200)

      await deleteSession(gw, session.clientSessionId)
      expect(await gw.execute(ViewerDocument, {}, bearer(session.token))).toMatchObject({
        status: 401,
        body: UNKNOWN_CREDENTIAL,
      })
      await waitFor(() => socket.closes.length > 0, 'the deleted session’s socket to close')
      expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
    } finally {
      await clients.disposeAll()
      await gw.stop()
    }
  })

  it('learns a later expiresAt from a check: no lookup at the old expiresAt, the session goes on', async () => {
    // Checks of the socket come 3 to 4 s apart (a quarter-period tick); the old expiry falls
    // between the first check and the second.
    const gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: '4000' })
    try {
      const session = await createSession(
        gw,
        'revalidation-extended',
        new Date(Date.now() + 5000).toISOString(),
      )
      const socket = clients.openWs(gw.url, { clientSessionToken: session.token })
      const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
      await connectedAndSubscribed(socket)
      // Extended in Seam's store: only the check of the socket can tell the gateway.
      updateClientSession(getFakeStore(gw.sandbox!.fake), session.clientSessionId, (stored) => ({
        ...stored,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      }))
      await untilChecked(gw, 4500)
      const checked = await sessionLookups(gw)
      await sleep(Math.max(0, Date.parse(session.expiresAt) + 400 - Date.now()))

      // The expiry timer moved with the check: Seam was not asked again at the old expiresAt.
      expect(await sessionLookups(gw)).toBe(checked)
      expect(own).toEqual({ results: [], errors: [], completed: false })
      expect(socket.closes).toEqual([])
    } finally {
      await clients.disposeAll()
      await gw.stop()
    }
  })
})
