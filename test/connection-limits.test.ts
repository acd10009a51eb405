import { randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { createConnectionLimits } from '../src/auth/connection-limits.js'
import type { Principal } from '../src/auth/principal.js'
import {
  CreateClientSessionDocument,
  DeleteClientSessionDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { issueApiKey, revokeApiKey } from './helpers/api-keys.js'
import { createClientPool, graphqlWsUrl, queryWs, type WsConnection, waitFor } from './helpers/clients.js'
import { startFaultyUpstream } from './helpers/faulty-upstream.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { readMetrics } from './helpers/metrics.js'

// SPEC §9, connections open at once: graphql-ws sockets and SSE subscription streams share one
// budget per credential (MAX_CONNECTIONS_PER_PRINCIPAL), one per client address
// (MAX_CONNECTIONS_PER_ADDRESS, counted from the upgrade or the stream's start) and one per instance
// (MAX_CONNECTIONS). Over a cap a socket closes with 4429 and an SSE stream answers 429, both naming
// the limit and its variable; every place comes back when its connection ends, however it ends.

const WORKSPACE_ID = 'seed_workspace_1'
const MAIN_KEY = 'seam_apikey1_token'
const JOHN_ACCOUNT = 'john_connected_account_id'
const TTL_MS = 300
const SUBSCRIPTION = 'subscription { clientSessionDeleted { eventId } }'

const PRINCIPAL_MESSAGE = (n: number) =>
  `At most ${n} connections of one credential may be open at once (MAX_CONNECTIONS_PER_PRINCIPAL)`
const ADDRESS_MESSAGE = (n: number) =>
  `At most ${n} connections from one client address may be open at once (MAX_CONNECTIONS_PER_ADDRESS)`
const INSTANCE_MESSAGE = (n: number) =>
  `At most ${n} connections may be open at once on this instance (MAX_CONNECTIONS)`
const FORBIDDEN_CLOSE = { code: 4403, reason: 'Forbidden' }

/** The whole answer to an SSE subscription refused before its stream started. */
const refusedStream = (message: string) => ({
  status: 429,
  text: `:\n\nevent: next\ndata: ${JSON.stringify({
    errors: [{ message, extensions: { code: 'RATE_LIMITED' } }],
  })}\n\nevent: complete\ndata:\n\n`,
})

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`

// Every client, raw socket and stream a test opens is closed after it, pass or fail.
const clients = createClientPool()
const rawSockets: WebSocket[] = []
const streams: SseStream[] = []
async function closeAll() {
  for (const socket of rawSockets.splice(0)) socket.terminate()
  for (const stream of streams.splice(0)) stream.abort()
  await clients.disposeAll()
}
afterEach(closeAll)

/** An SSE subscription stream, read as it arrives. */
interface SseStream {
  status: number
  /** Everything received so far. */
  readonly text: string
  /** Resolves once the server ended the stream (or it was aborted). */
  ended: Promise<void>
  /** Ends the stream from the client's side, as a closed browser tab does. */
  abort(): void
}

/** Starts `subscription { clientSessionDeleted }` over SSE (Yoga's distinct connections) with these headers. */
async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController()
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: SUBSCRIPTION }),
    signal: controller.signal,
  })
  let text = ''
  const decoder = new TextDecoder()
  const ended = (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true })
      }
    } catch {
      // Aborted by the test.
    }
  })()
  const stream: SseStream = {
    status: response.status,
    get text() {
      return text
    },
    ended,
    abort: () => controller.abort(),
  }
  streams.push(stream)
  return stream
}

/** An SSE subscription that must be refused: its status and whole text, or what was still open after 2 s. */
async function refusedSse(url: string, headers: Record<string, string>) {
  const stream = await openSse(url, headers)
  const outcome = await Promise.race([stream.ended.then(() => 'ended'), delay(2000, 'still open')])
  stream.abort()
  return outcome === 'ended'
    ? { status: stream.status, text: stream.text }
    : { status: stream.status, text: `(still streaming after 2 s) ${stream.text}` }
}

/** Resolves once the socket is acknowledged; fails the test when it closes instead. */
async function accepted(connection: WsConnection): Promise<WsConnection> {
  await waitFor(() => connection.connected === 1 || connection.closes.length > 0, 'connection_ack or a close')
  expect({ connected: connection.connected, closes: connection.closes }).toEqual({ connected: 1, closes: [] })
  return connection
}

/** Resolves with the close of a socket that must be refused; fails the test when it is acknowledged. */
async function refusedWith(connection: WsConnection) {
  await waitFor(() => connection.closes.length > 0 || connection.connected === 1, 'a close or connection_ack')
  // A socket that was acknowledged first would show `connected: 1` here.
  return { connected: connection.connected, closes: connection.closes }
}

/** The open graphql-ws sockets and subscriptions (graphql-ws and SSE) a gateway reports. */
async function openCounts(gw: TestGateway) {
  const text = await readMetrics(gw.url)
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
  return { sockets: gauge('gateway_open_sockets'), subscriptions: gauge('gateway_open_subscriptions') }
}

/** Resolves once the gateway has seen every closed connection close (its own gauges say so). */
async function settled(gw: TestGateway, expected: { sockets: number; subscriptions: number }) {
  const deadline = Date.now() + 3000
  let counts = await openCounts(gw)
  while (counts.sockets !== expected.sockets || counts.subscriptions !== expected.subscriptions) {
    if (Date.now() > deadline) {
      throw new Error(
        `Expected open ${JSON.stringify(expected)} within 3000 ms, got ${JSON.stringify(counts)}`,
      )
    }
    await delay(10)
    counts = await openCounts(gw)
  }
}

async function createSession(gw: TestGateway, prefix: string) {
  const { status, body } = await gw.execute(
    CreateClientSessionDocument,
    { input: { userIdentifierKey: unique(prefix), connectedAccountIds: [JOHN_ACCOUNT] } },
    bearer(MAIN_KEY),
  )
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token! }
}

describe('MAX_CONNECTIONS_PER_PRINCIPAL: connections open at once with one credential', () => {
  const CAP = 3
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway({ MAX_CONNECTIONS_PER_PRINCIPAL: String(CAP) })
  })
  afterAll(async () => {
    await gw?.stop()
  })
  // Each test starts with every place free.
  afterEach(async () => {
    await closeAll()
    await settled(gw, { sockets: 0, subscriptions: 0 })
  })

  it('closes the 4th socket of one token with 4429 naming the limit; the first three stay open and serve; a closed one frees its place', async () => {
    const session = await createSession(gw, 'conn-principal')
    const params = { clientSessionToken: session.token }
    const first = [
      clients.openWs(gw.url, params),
      clients.openWs(gw.url, params),
      clients.openWs(gw.url, params),
    ]
    for (const socket of first) await accepted(socket)

    const fourth = clients.openWs(gw.url, params)
    expect(await refusedWith(fourth)).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: PRINCIPAL_MESSAGE(CAP) }],
    })
    // The reason fits a close frame (123 bytes) at the largest cap the configuration allows.
    expect(Buffer.byteLength(PRINCIPAL_MESSAGE(100_000))).toBeLessThanOrEqual(123)

    for (const socket of first) {
      expect(socket.closes).toEqual([])
      expect((await queryWs(socket.client, ViewerDocument, {})).data?.viewer.clientSession).toEqual({
        clientSessionId: session.clientSessionId,
      })
    }
    // Another credential from the same address has a budget of its own.
    const other = await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    expect((await queryWs(other.client, ViewerDocument, {})).data?.viewer.kind).toBe('WORKSPACE')

    // One of the three goes away: its place is free again.
    await first[0]!.client.dispose()
    await settled(gw, { sockets: 3, subscriptions: 0 })
    const fifth = await accepted(clients.openWs(gw.url, params))
    expect((await queryWs(fifth.client, ViewerDocument, {})).data?.viewer.kind).toBe('CLIENT_SESSION')
    expect(await refusedWith(clients.openWs(gw.url, params))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: PRINCIPAL_MESSAGE(CAP) }],
    })
  })

  it('counts SSE streams in the same budget: the 4th connection answers 429 RATE_LIMITED; a stream that ends frees its place', async () => {
    const session = await createSession(gw, 'conn-principal-sse')
    const params = { clientSessionToken: session.token }
    await accepted(clients.openWs(gw.url, params))
    await accepted(clients.openWs(gw.url, params))
    const stream = await openSse(gw.url, bearer(session.token))
    expect(stream.status).toBe(200)

    // Full, whichever transport asks: a 4th stream, a 4th socket.
    expect(await refusedSse(gw.url, bearer(session.token))).toEqual(refusedStream(PRINCIPAL_MESSAGE(CAP)))
    expect(await refusedWith(clients.openWs(gw.url, params))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: PRINCIPAL_MESSAGE(CAP) }],
    })

    // The client goes away: the stream ends and its place is free again, for a socket or a stream.
    stream.abort()
    await settled(gw, { sockets: 2, subscriptions: 0 })
    const next = await openSse(gw.url, { 'client-session-token': session.token })
    expect(next.status).toBe(200)
    expect(await refusedWith(clients.openWs(gw.url, params))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: PRINCIPAL_MESSAGE(CAP) }],
    })
    next.abort()
    await settled(gw, { sockets: 2, subscriptions: 0 })
    await accepted(clients.openWs(gw.url, params))
  })

  it('takes no place for a subscription that is answered 406 Not Acceptable instead of streamed', async () => {
    const session = await createSession(gw, 'conn-principal-406')
    for (let i = 0; i < 2 * CAP; i++) {
      const response = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...bearer(session.token) },
        body: JSON.stringify({ query: SUBSCRIPTION }),
      })
      await response.arrayBuffer()
      expect(response.status).toBe(406)
    }
    // Nothing of them is left open: neither their subscriptions nor their places.
    await settled(gw, { sockets: 0, subscriptions: 0 })
    for (let i = 0; i < CAP; i++) expect((await openSse(gw.url, bearer(session.token))).status).toBe(200)
    expect(await refusedSse(gw.url, bearer(session.token))).toEqual(refusedStream(PRINCIPAL_MESSAGE(CAP)))
  })

  it('holds an API key to the same cap over both transports', async () => {
    const key = issueApiKey(gw.sandbox!, 'seam_connlimit')
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${key}` }))
    expect((await openSse(gw.url, bearer(key))).status).toBe(200)
    expect((await openSse(gw.url, bearer(key))).status).toBe(200)
    expect(await refusedWith(clients.openWs(gw.url, { authorization: `Bearer ${key}` }))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: PRINCIPAL_MESSAGE(CAP) }],
    })
    expect(await refusedSse(gw.url, bearer(key))).toEqual(refusedStream(PRINCIPAL_MESSAGE(CAP)))
  })
})

describe('an SSE stream whose client left before it was ready', () => {
  const CAP = 3
  const LOOKUP_MS = 300
  let sandbox: Sandbox
  let upstream: Awaited<ReturnType<typeof startFaultyUpstream>>
  let gw: TestGateway
  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 })
    upstream = await startFaultyUpstream(sandbox.url)
    gw = await startTestGateway({
      SEAM_ENDPOINT: upstream.url,
      SEAM_API_KEY: MAIN_KEY,
      // Every stream looks its credential up, slowly: a client can leave in the middle.
      PRINCIPAL_CACHE_TTL_MS: '0',
      MAX_CONNECTIONS_PER_PRINCIPAL: String(CAP),
    })
  })
  afterAll(async () => {
    await gw?.stop()
    await upstream?.close()
    await sandbox?.stop()
  })

  it('ends the stream and gives its place back', async () => {
    const session = await createSession(gw, 'conn-left-early')
    upstream.delay(LOOKUP_MS)
    for (let i = 0; i < 2 * CAP; i++) {
      const controller = new AbortController()
      const request = fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...bearer(session.token),
        },
        body: JSON.stringify({ query: SUBSCRIPTION }),
        signal: controller.signal,
      })
      await delay(LOOKUP_MS / 3)
      controller.abort()
      await expect(request).rejects.toThrow('This operation was aborted')
      // Its lookup comes back (none is shared with the next request) and its stream is set up.
      await delay(LOOKUP_MS + 100)
    }
    upstream.delay(0)
    await settled(gw, { sockets: 0, subscriptions: 0 })
    for (let i = 0; i < CAP; i++) expect((await openSse(gw.url, bearer(session.token))).status).toBe(200)
    expect(await refusedSse(gw.url, bearer(session.token))).toEqual(refusedStream(PRINCIPAL_MESSAGE(CAP)))
  })
})

describe('MAX_CONNECTIONS_PER_ADDRESS: connections open at once from one client address', () => {
  const CAP = 5
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway({
      MAX_CONNECTIONS_PER_PRINCIPAL: '3',
      MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
      PRINCIPAL_CACHE_TTL_MS: String(TTL_MS),
    })
  })
  afterAll(async () => {
    await gw?.stop()
  })
  afterEach(async () => {
    await closeAll()
    await settled(gw, { sockets: 0, subscriptions: 0 })
  })

  const refusedByAddress = { connected: 0, closes: [{ code: 4429, reason: ADDRESS_MESSAGE(CAP) }] }

  it('serves a second credential from the address until the address cap, then refuses every credential', async () => {
    const first = await createSession(gw, 'conn-address-a')
    const late = await createSession(gw, 'conn-address-c')
    const firstSockets = [1, 2, 3].map(() => clients.openWs(gw.url, { clientSessionToken: first.token }))
    for (const socket of firstSockets) await accepted(socket)
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    expect((await openSse(gw.url, bearer(MAIN_KEY))).status).toBe(200)

    // Five open from this address: a third credential is refused on both transports.
    expect(await refusedWith(clients.openWs(gw.url, { clientSessionToken: late.token }))).toEqual(
      refusedByAddress,
    )
    expect(await refusedSse(gw.url, bearer(late.token))).toEqual(refusedStream(ADDRESS_MESSAGE(CAP)))
    expect(Buffer.byteLength(ADDRESS_MESSAGE(1_000_000))).toBeLessThanOrEqual(123)
    // Without TRUST_PROXY, an X-Forwarded-For of the caller's choosing is no way around it.
    expect(
      await refusedWith(
        clients.openWs(gw.url, { clientSessionToken: late.token }, { 'x-forwarded-for': '198.51.100.9' }),
      ),
    ).toEqual(refusedByAddress)
    expect(await refusedSse(gw.url, { ...bearer(late.token), 'x-forwarded-for': '198.51.100.9' })).toEqual(
      refusedStream(ADDRESS_MESSAGE(CAP)),
    )

    await firstSockets[0]!.client.dispose()
    await settled(gw, { sockets: 3, subscriptions: 1 })
    const lateSocket = await accepted(clients.openWs(gw.url, { clientSessionToken: late.token }))
    expect((await queryWs(lateSocket.client, ViewerDocument, {})).data?.viewer.kind).toBe('CLIENT_SESSION')
  })

  it('counts a socket from its upgrade, before connection_init', async () => {
    const opened = Array.from({ length: CAP }, () => {
      const socket = new WebSocket(graphqlWsUrl(gw.url), 'graphql-transport-ws')
      rawSockets.push(socket)
      return new Promise((resolve) => socket.once('open', resolve))
    })
    await Promise.all(opened)
    // Five sockets that never said who they are hold the address's five places.
    expect(await refusedWith(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))).toEqual(
      refusedByAddress,
    )
    for (const socket of rawSockets.splice(0)) socket.terminate()
    await settled(gw, { sockets: 0, subscriptions: 0 })
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
  })

  it("gives back a client session's places when the session ends (sockets closed 4403, streams ended)", async () => {
    const ending = await createSession(gw, 'conn-address-ending')
    const endingSockets = [1, 2].map(() => clients.openWs(gw.url, { clientSessionToken: ending.token }))
    for (const socket of endingSockets) await accepted(socket)
    const endingStream = await openSse(gw.url, bearer(ending.token))
    expect(endingStream.status).toBe(200)
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    const later = await createSession(gw, 'conn-address-later')
    expect(await refusedWith(clients.openWs(gw.url, { clientSessionToken: later.token }))).toEqual(
      refusedByAddress,
    )

    const deleted = await gw.execute(
      DeleteClientSessionDocument,
      { clientSessionId: ending.clientSessionId },
      bearer(MAIN_KEY),
    )
    expect({ status: deleted.status, errors: deleted.body.errors }).toEqual({
      status: 200,
      errors: undefined,
    })
    await waitFor(
      () => endingSockets.every((socket) => socket.closes.length > 0),
      'the ended session’s sockets to close',
    )
    await endingStream.ended
    for (const socket of endingSockets) expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
    await settled(gw, { sockets: 2, subscriptions: 0 })

    // Three places are free again.
    for (const socket of [1, 2, 3].map(() => clients.openWs(gw.url, { clientSessionToken: later.token })))
      await accepted(socket)
  })

  it('gives back the places of a credential Seam refuses on re-validation', async () => {
    const sandbox = gw.sandbox!
    const revoked = issueApiKey(sandbox, 'seam_connlimit')
    const revokedSockets = [1, 2].map(() => clients.openWs(gw.url, { authorization: `Bearer ${revoked}` }))
    for (const socket of revokedSockets) await accepted(socket)
    const revokedStream = await openSse(gw.url, bearer(revoked))
    expect(revokedStream.status).toBe(200)
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    const later = await createSession(gw, 'conn-address-after-revoke')
    expect(await refusedWith(clients.openWs(gw.url, { clientSessionToken: later.token }))).toEqual(
      refusedByAddress,
    )

    revokeApiKey(sandbox, revoked)
    await waitFor(
      () => revokedSockets.every((socket) => socket.closes.length > 0),
      'the revoked key’s sockets to close',
      2 * TTL_MS + 1000,
    )
    await revokedStream.ended
    for (const socket of revokedSockets) expect(socket.closes).toEqual([FORBIDDEN_CLOSE])
    await settled(gw, { sockets: 2, subscriptions: 0 })

    for (const socket of [1, 2, 3].map(() => clients.openWs(gw.url, { clientSessionToken: later.token })))
      await accepted(socket)
  })
})

describe('MAX_CONNECTIONS_PER_ADDRESS behind TRUST_PROXY', () => {
  const CAP = 2
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway({ TRUST_PROXY: '1', MAX_CONNECTIONS_PER_ADDRESS: String(CAP) })
  })
  afterAll(async () => {
    await gw?.stop()
  })

  it('gives each forwarded client address a budget of its own', async () => {
    const params = { authorization: `Bearer ${MAIN_KEY}` }
    const from = (address: string) => ({ 'x-forwarded-for': address })
    await accepted(clients.openWs(gw.url, params, from('203.0.113.7')))
    await accepted(clients.openWs(gw.url, params, from('203.0.113.7')))
    expect(await refusedWith(clients.openWs(gw.url, params, from('203.0.113.7')))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: ADDRESS_MESSAGE(CAP) }],
    })
    expect(await refusedSse(gw.url, { ...bearer(MAIN_KEY), ...from('203.0.113.7') })).toEqual(
      refusedStream(ADDRESS_MESSAGE(CAP)),
    )

    // Another client behind the same proxy: its own two places, over either transport.
    const other = await accepted(clients.openWs(gw.url, params, from('203.0.113.8')))
    expect((await queryWs(other.client, ViewerDocument, {})).data?.viewer.kind).toBe('WORKSPACE')
    expect((await openSse(gw.url, { ...bearer(MAIN_KEY), ...from('203.0.113.8') })).status).toBe(200)
    expect(await refusedWith(clients.openWs(gw.url, params, from('203.0.113.8')))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: ADDRESS_MESSAGE(CAP) }],
    })
  })
})

describe('MAX_CONNECTIONS: connections open at once on one instance', () => {
  const CAP = 3
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway({ MAX_CONNECTIONS: String(CAP) })
  })
  afterAll(async () => {
    await gw?.stop()
  })

  it('refuses the 4th connection of anyone with the instance limit, and still answers /health and queries', async () => {
    const session = await createSession(gw, 'conn-instance')
    const keySocket = await accepted(clients.openWs(gw.url, { authorization: `Bearer ${MAIN_KEY}` }))
    await accepted(clients.openWs(gw.url, { clientSessionToken: gw.demoToken }))
    expect((await openSse(gw.url, bearer(session.token))).status).toBe(200)

    expect(await refusedWith(clients.openWs(gw.url, { clientSessionToken: session.token }))).toEqual({
      connected: 0,
      closes: [{ code: 4429, reason: INSTANCE_MESSAGE(CAP) }],
    })
    expect(await refusedSse(gw.url, bearer(MAIN_KEY))).toEqual(refusedStream(INSTANCE_MESSAGE(CAP)))

    // Short requests are not connections held open: the instance still answers them.
    const health = await fetch(`${gw.url}/health`)
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { ok: true } })
    const viewer = await gw.execute(ViewerDocument, {}, bearer(MAIN_KEY))
    expect({ status: viewer.status, kind: viewer.body.data?.viewer.kind }).toEqual({
      status: 200,
      kind: 'WORKSPACE',
    })

    await keySocket.client.dispose()
    await settled(gw, { sockets: 1, subscriptions: 1 })
    await accepted(clients.openWs(gw.url, { clientSessionToken: session.token }))
  })
})

describe('createConnectionLimits', () => {
  const principal = (token: string): Principal => ({
    kind: 'workspace',
    workspaceId: WORKSPACE_ID,
    credential: { kind: 'apiKey', token },
  })

  it('keeps no entry for an address or credential once its last connection is gone', () => {
    const limits = createConnectionLimits({ perPrincipal: 2, perAddress: 3, perInstance: 100 })
    const releases = Array.from({ length: 50 }, (_, i) => [
      limits.acquireAddress(`192.0.2.${i}`),
      limits.acquirePrincipal(principal(`seam_key_${i}`)),
      limits.acquireStream(principal(`seam_key_${i}`), `192.0.2.${i}`),
    ]).flat()
    expect(limits.tracked).toEqual({ open: 100, addresses: 50, principals: 50 })
    // Twice: a connection that reports its end more than once gives back one place.
    for (const release of [...releases, ...releases]) release()
    expect(limits.tracked).toEqual({ open: 0, addresses: 0, principals: 0 })
  })

  it('takes a stream’s places all or none', () => {
    const limits = createConnectionLimits({ perPrincipal: 1, perAddress: 5, perInstance: 5 })
    limits.acquireStream(principal('seam_key_a'), '192.0.2.1')
    expect(() => limits.acquireStream(principal('seam_key_a'), '192.0.2.2')).toThrow(PRINCIPAL_MESSAGE(1))
    // The refused stream holds no place of its address or of the instance.
    expect(limits.tracked).toEqual({ open: 1, addresses: 1, principals: 1 })
  })

  it('refuses at each cap exactly, names the budget that refused, and serves again once a place is given back', () => {
    const refused: string[] = []
    const limits = createConnectionLimits({
      perPrincipal: 2,
      perAddress: 3,
      perInstance: 4,
      onRefused: (limit) => refused.push(limit),
    })
    const first = limits.acquirePrincipal(principal('seam_key_a'))
    limits.acquirePrincipal(principal('seam_key_a'))
    expect(() => limits.acquirePrincipal(principal('seam_key_a'))).toThrow(PRINCIPAL_MESSAGE(2))
    // Another credential has places of its own.
    limits.acquirePrincipal(principal('seam_key_b'))
    first()
    limits.acquirePrincipal(principal('seam_key_a'))

    const address = limits.acquireAddress('192.0.2.1')
    limits.acquireAddress('192.0.2.1')
    limits.acquireAddress('192.0.2.1')
    expect(() => limits.acquireAddress('192.0.2.1')).toThrow(ADDRESS_MESSAGE(3))
    limits.acquireAddress('192.0.2.2')
    // The instance is full: it is named first, whatever the address.
    expect(() => limits.acquireAddress('192.0.2.3')).toThrow(INSTANCE_MESSAGE(4))
    expect(() => limits.acquireAddress('192.0.2.1')).toThrow(INSTANCE_MESSAGE(4))
    address()
    limits.acquireAddress('192.0.2.3')
    expect(refused).toEqual(['principal', 'address', 'instance', 'instance'])
    expect(limits.tracked).toEqual({ open: 4, addresses: 3, principals: 2 })
  })

  it('counts a client session by its token, and refuses with a 429 without Retry-After', () => {
    const limits = createConnectionLimits({ perPrincipal: 1, perAddress: 100, perInstance: 100 })
    const session = (token: string) =>
      ({
        kind: 'clientSession',
        workspaceId: WORKSPACE_ID,
        clientSessionId: 'cs_1',
        credential: { kind: 'clientSessionToken', token },
      }) as unknown as Principal
    limits.acquirePrincipal(session('seam_cst_a'))
    limits.acquirePrincipal(session('seam_cst_b'))
    let refusal: unknown
    try {
      limits.acquirePrincipal(session('seam_cst_a'))
    } catch (error) {
      refusal = error
    }
    expect(refusal).toMatchObject({
      message: PRINCIPAL_MESSAGE(1),
      extensions: { code: 'RATE_LIMITED', http: { status: 429 } },
    })
    expect((refusal as { extensions: { http: object } }).extensions.http).toEqual({ status: 429 })
  })

  it('takes no place of a credential for a publishable key or an anonymous caller', () => {
    const limits = createConnectionLimits({ perPrincipal: 1, perAddress: 100, perInstance: 100 })
    const publishable: Principal = {
      kind: 'publishableKey',
      userIdentifierKey: undefined,
      credential: { kind: 'publishableKey', key: 'seam_pk1_token' },
    }
    for (let i = 0; i < 3; i++) {
      limits.acquirePrincipal(publishable)()
      limits.acquirePrincipal({ kind: 'anonymous' })
      limits.acquireStream(publishable, '192.0.2.1')
    }
    expect(limits.tracked).toEqual({ open: 3, addresses: 1, principals: 0 })
  })

  it('refuses a stream naming the first full budget: the instance, then the address, then the credential', () => {
    const refused: string[] = []
    const limits = createConnectionLimits({
      perPrincipal: 1,
      perAddress: 1,
      perInstance: 2,
      onRefused: (limit) => refused.push(limit),
    })
    limits.acquireStream(principal('seam_key_a'), '192.0.2.1')
    expect(() => limits.acquireStream(principal('seam_key_a'), '192.0.2.1')).toThrow(ADDRESS_MESSAGE(1))
    expect(() => limits.acquireStream(principal('seam_key_a'), '192.0.2.2')).toThrow(PRINCIPAL_MESSAGE(1))
    limits.acquireStream(principal('seam_key_b'), '192.0.2.2')
    expect(() => limits.acquireStream(principal('seam_key_c'), '192.0.2.3')).toThrow(INSTANCE_MESSAGE(2))
    expect(refused).toEqual(['address', 'principal', 'instance'])
  })

  it('caps nothing at 0', () => {
    const limits = createConnectionLimits({ perPrincipal: 0, perAddress: 0, perInstance: 0 })
    for (let i = 0; i < 1000; i++) limits.acquireStream(principal('seam_key_a'), '192.0.2.1')
    expect(limits.tracked).toEqual({ open: 1000, addresses: 1, principals: 1 })
  })
})
