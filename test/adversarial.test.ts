import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DocumentNode, parse } from 'graphql'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createClientPool, graphqlWsUrl, queryWs, sleep, subscribeWs, waitFor } from './helpers/clients.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { metricsUrlOf } from './helpers/metrics.js'
import { oneWindow } from './helpers/rate-window.js'

// What an attacker tries against the gateway, and the exact refusal of each: forged and smuggled
// credentials, documents over the abuse limits (over HTTP and replayed over graphql-ws), CSRF, CORS,
// production hardening, the persisted-operations allow-list, hostile ids and graphql-ws protocol
// abuse. Each case also checks that nothing ran (no upstream call, no session created) and that no
// credential came back.

const API_KEY = 'seam_apikey1_token'
const JOHN_TOKEN = 'seam_cst1_token'

const NOT_BEARER = 'The Authorization header must be "Bearer <token>"'
const UNKNOWN = 'The credential is unknown, expired or revoked'
const NO_CREDENTIAL = 'A credential is required: send Authorization: Bearer <API key or client session token>'
const TWO_CREDENTIALS = 'The request carries two different credentials; send exactly one'
const CSRF_REFUSAL = {
  errors: [{ message: 'Required CSRF header(s) not present', extensions: { code: 'FORBIDDEN' } }],
}

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8'
const VIEWER = '{ viewer { kind } }'
const DEVICES = '{ devices { nodes { deviceId } } }'
const CREATE_SESSION = (userIdentifierKey: string) =>
  `mutation { createClientSession(input: { userIdentifierKey: "${userIdentifierKey}" }) { clientSession { clientSessionId token } } }`

/** A response as the tests compare it. */
interface Answer {
  status: number
  body: unknown
  text: string
  headers: Headers
}

/** POSTs a JSON body (anything, even a batch) to `${url}/graphql`. */
async function post(url: string, body: unknown, headers: Record<string, string> = bearer(API_KEY)) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  })
  return answer(response)
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: response.status, body, text, headers: response.headers }
}

/** Every upstream call the gateway made so far, from its own /metrics. */
async function upstreamCalls(url: string): Promise<number> {
  const text = await (await fetch(metricsUrlOf(url))).text()
  let total = 0
  for (const match of text.matchAll(/^seam_upstream_requests_total\{[^}]*\} (\S+)$/gm))
    total += Number(match[1])
  return total
}

/** Client sessions in the sandbox's store. */
const sessionCount = (t: TestGateway) => getFakeStore(t.sandbox!.fake).getState().client_sessions.length

/** Asserts that a response repeats no secret and shows nothing of the upstream. */
function expectNothingLeaked(text: string, secrets: string[] = []) {
  for (const fragment of ['http://', '127.0.0.1', '    at ', 'stack', API_KEY, JOHN_TOKEN, ...secrets]) {
    expect(text).not.toContain(fragment)
  }
}

/**
 * Sends raw bytes as one HTTP/1.1 request (what `fetch` refuses to send: CR/LF in a header,
 * repeated headers, folded lines) and resolves with the whole raw response.
 */
function rawRequest(url: string, headerLines: string[], body: string): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let received = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`Expected an answer within 3000 ms, got: ${JSON.stringify(received)}`))
    }, 3000)
    socket.on('data', (chunk) => {
      received += chunk.toString()
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(received)
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.write(
      [
        'POST /graphql HTTP/1.1',
        `Host: ${hostname}:${port}`,
        'Content-Type: application/json',
        'Connection: close',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...headerLines,
        '',
        body,
      ].join('\r\n'),
    )
  })
}

/** The status line and JSON body of a raw HTTP response. */
function parseRaw(raw: string): { statusLine: string; body: unknown } {
  const [head = '', rest = ''] = raw.split('\r\n\r\n')
  return { statusLine: head.split('\r\n')[0]!, body: rest === '' ? '' : JSON.parse(rest) }
}

// Every client and raw socket a test opens is closed after it, pass or fail.
const clients = createClientPool()
const rawSockets: WebSocket[] = []
afterEach(async () => {
  for (const socket of rawSockets.splice(0)) socket.terminate()
  await clients.disposeAll()
})

/** A raw WebSocket on `/graphql` that records every message, error and its close. */
function openRaw(url: string, protocols?: string | string[]) {
  const socket =
    protocols === undefined ? new WebSocket(graphqlWsUrl(url)) : new WebSocket(graphqlWsUrl(url), protocols)
  rawSockets.push(socket)
  const messages: unknown[] = []
  const errors: string[] = []
  socket.on('message', (data) => messages.push(JSON.parse(String(data))))
  socket.on('error', (error) => errors.push(error.message))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return {
    socket,
    messages,
    errors,
    closed,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    /** Resolves with the close, or rejects when the socket is still open after `ms`. */
    closedWithin: (ms: number) =>
      Promise.race([
        closed,
        sleep(ms).then(() => {
          throw new Error(
            `Expected the socket to close within ${ms} ms; got messages ${JSON.stringify(messages)}`,
          )
        }),
      ]),
  }
}

/** Opens a raw graphql-transport-ws socket and completes connection_init with the API key. */
async function openAcknowledged(url: string) {
  const raw = openRaw(url, 'graphql-transport-ws')
  await once(raw.socket, 'open')
  raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${API_KEY}` } })
  await waitFor(() => raw.messages.length > 0, 'connection_ack')
  expect(raw.messages).toEqual([{ type: 'connection_ack' }])
  return raw
}

/**
 * Runs `document` on a fresh graphql-ws socket with the API key, and resolves with how the socket
 * ended up: what the operation received and whether the socket was closed.
 */
async function overGraphqlWs(url: string, document: DocumentNode) {
  const socket = clients.openWs(url, { authorization: `Bearer ${API_KEY}` })
  const recording = subscribeWs(socket.client, document, {})
  await waitFor(
    () => recording.completed || recording.errors.length > 0 || socket.closes.length > 0,
    'the operation to end',
  )
  // A close that follows the error would show here.
  await sleep(50)
  return { socket, recording }
}

describe('credentials', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  // `lookups`: upstream calls the first refusal may cost, the one check of the credential itself; the
  // retry costs none (Seam's refusal is remembered by the credential's hash); a malformed one costs none.
  it.each<[string, Record<string, string>, string, number]>([
    ['a forged API key with a real prefix', bearer('seam_apikey1_token_forged'), UNKNOWN, 1],
    ['an API key that differs from a real one only in case', bearer('seam_apikey1_tokeN'), UNKNOWN, 1],
    ['a forged client session token with a real prefix', bearer('seam_cst1_token_forged'), UNKNOWN, 1],
    [
      'a forged client session token in seam-client-session-token',
      { 'seam-client-session-token': 'seam_cst_forged_0000000000' },
      UNKNOWN,
      1,
    ],
    ['a 10 kB bearer token', bearer(`seam_${'a'.repeat(10_240)}`), NOT_BEARER, 0],
    [
      'the same API key twice in one Authorization header',
      { authorization: `Bearer ${API_KEY}, Bearer ${API_KEY}` },
      NOT_BEARER,
      0,
    ],
  ])(
    'refuses %s with HTTP 401 UNAUTHENTICATED, and reads nothing',
    async (_name, headers, message, lookups) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const before = await upstreamCalls(t.url)
        const { status, body, text } = await post(t.url, { query: DEVICES }, headers)
        expect({ attempt, status, body }).toEqual({
          attempt,
          status: 401,
          body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] },
        })
        expect(await upstreamCalls(t.url)).toBe(before + (attempt === 0 ? lookups : 0))
        expectNothingLeaked(
          text,
          Object.values(headers).map((value) => value.replace(/^Bearer /, '').slice(0, 40)),
        )
      }
    },
  )

  it('refuses a forged publishable key with HTTP 401 and creates no session', async () => {
    const before = sessionCount(t)
    const { status, body, text } = await post(
      t.url,
      {
        query: 'mutation { getOrCreateClientSession(input: {}) { clientSession { clientSessionId token } } }',
      },
      { 'seam-publishable-key': 'seam_pk1_token_forged', 'seam-user-identifier-key': 'forged-user' },
    )
    expect(status).toBe(401)
    expect(body).toEqual({
      errors: [
        {
          message: UNKNOWN,
          locations: [{ line: 1, column: 12 }],
          path: ['getOrCreateClientSession'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
      data: null,
    })
    expect(sessionCount(t)).toBe(before)
    expectNothingLeaked(text, ['seam_pk1_token_forged'])
  })

  it('never reads a credential from the query string (?authorization=, ?token=, ?clientSessionToken=)', async () => {
    const before = sessionCount(t)
    const query = new URLSearchParams({
      authorization: `Bearer ${API_KEY}`,
      token: API_KEY,
      clientSessionToken: JOHN_TOKEN,
      client_session_token: JOHN_TOKEN,
    })
    for (const document of [VIEWER, CREATE_SESSION('query-string')]) {
      const response = await fetch(`${t.url}/graphql?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document }),
      })
      const { status, body, text } = await answer(response)
      const field = document === VIEWER ? 'viewer' : 'createClientSession'
      expect({ status, body }).toEqual({
        status: 401,
        body: {
          errors: [
            {
              message: NO_CREDENTIAL,
              locations: [{ line: 1, column: document === VIEWER ? 3 : 12 }],
              path: [field],
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
          data: null,
        },
      })
      expectNothingLeaked(text)
    }
    expect(sessionCount(t)).toBe(before)
  })

  it.each([
    ['a bare CR in Authorization', [`Authorization: Bearer ${API_KEY}\rX-Injected: 1`]],
    [
      'a bare LF that smuggles a second credential header',
      [`Authorization: Bearer ${API_KEY}\nclient-session-token: ${JOHN_TOKEN}`],
    ],
    ['a folded (obs-fold) Authorization line', ['Authorization: Bearer', ` ${API_KEY}`]],
  ])('answers %s with 400 Bad Request from the HTTP parser, running nothing', async (_name, lines) => {
    const before = await upstreamCalls(t.url)
    const raw = await rawRequest(t.url, lines, JSON.stringify({ query: DEVICES }))
    expect(raw).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    expect(await upstreamCalls(t.url)).toBe(before)
  })

  it('accepts the scheme in any case (RFC 9110: auth schemes are case-insensitive): BEARER and bEaReR', async () => {
    for (const scheme of ['BEARER', 'bEaReR']) {
      const { status, body } = await post(t.url, { query: VIEWER }, { authorization: `${scheme} ${API_KEY}` })
      expect({ status, body }).toEqual({ status: 200, body: { data: { viewer: { kind: 'WORKSPACE' } } } })
    }
  })

  it('accepts the same API key sent twice as two Authorization lines', async () => {
    const raw = parseRaw(
      await rawRequest(
        t.url,
        [`Authorization: Bearer ${API_KEY}`, `Authorization: Bearer ${API_KEY}`],
        JSON.stringify({ query: VIEWER }),
      ),
    )
    expect(raw).toEqual({ statusLine: 'HTTP/1.1 200 OK', body: { data: { viewer: { kind: 'WORKSPACE' } } } })
  })

  it('refuses two different API keys sent as two Authorization lines (two credentials), as it refuses two headers', async () => {
    const raw = parseRaw(
      await rawRequest(
        t.url,
        [`Authorization: Bearer ${API_KEY}`, 'Authorization: Bearer seam_apikey2_token'],
        JSON.stringify({ query: '{ viewer { kind workspaceId } }' }),
      ),
    )
    expect(raw).toEqual({
      statusLine: 'HTTP/1.1 401 Unauthorized',
      body: { errors: [{ message: TWO_CREDENTIALS, extensions: { code: 'UNAUTHENTICATED' } }] },
    })
  })

  it('refuses two different client session tokens sent as two client-session-token lines', async () => {
    const raw = parseRaw(
      await rawRequest(
        t.url,
        [`client-session-token: ${JOHN_TOKEN}`, 'client-session-token: seam_cst2_token'],
        JSON.stringify({ query: VIEWER }),
      ),
    )
    expect(raw.statusLine).toBe('HTTP/1.1 401 Unauthorized')
    expect(raw.body).toEqual({
      errors: [{ message: TWO_CREDENTIALS, extensions: { code: 'UNAUTHENTICATED' } }],
    })
  })

  it.each([
    ['seam-client-session-token', JOHN_TOKEN, 'seam_cst2_token'],
    ['seam-publishable-key', 'seam_pk1_token', 'seam_pk2_token'],
  ])(
    'refuses two different credentials sent as two %s lines, as two credentials',
    async (name, one, other) => {
      const raw = parseRaw(
        await rawRequest(t.url, [`${name}: ${one}`, `${name}: ${other}`], JSON.stringify({ query: VIEWER })),
      )
      expect(raw.statusLine).toBe('HTTP/1.1 401 Unauthorized')
      expect(raw.body).toEqual({
        errors: [{ message: TWO_CREDENTIALS, extensions: { code: 'UNAUTHENTICATED' } }],
      })
    },
  )

  it.each([
    [
      'CR/LF in connectionParams.authorization',
      { authorization: `Bearer ${API_KEY}\r\nclient-session-token: ${JOHN_TOKEN}` },
    ],
    [
      'a 10 kB token in connectionParams.authorization',
      { authorization: `Bearer seam_${'a'.repeat(10_240)}` },
    ],
    [
      'a forged token in connectionParams.clientSessionToken',
      // Not the HTTP test's forged token: its refusal would be remembered, and that test counts the lookup.
      { clientSessionToken: 'seam_cst1_token_forged_over_ws' },
    ],
    [
      'a publishable key in connectionParams',
      { 'seam-publishable-key': 'seam_pk1_token', publishableKey: 'seam_pk1_token' },
    ],
  ])('closes a graphql-ws socket with 4403 at connection_init for %s', async (_name, params) => {
    const socket = clients.openWs(t.url, params)
    await waitFor(() => socket.closes.length > 0, 'the socket to close')
    expect(socket.closes).toEqual([{ code: 4403, reason: 'Forbidden' }])
    expect(socket.connected).toBe(0)
  })
})

describe('abuse limits over HTTP and over graphql-ws', () => {
  const LIMITS = {
    MAX_DEPTH: '4',
    MAX_ALIASES: '3',
    MAX_TOKENS: '100',
    MAX_DIRECTIVES: '2',
    MAX_COST: '40',
    MAX_BODY_BYTES: '4096',
  }
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway(LIMITS)
    // The API key's principal is looked up once here, so that the upstream counts below see only
    // what an operation itself would cost (a socket's connection_init would look it up otherwise).
    expect((await post(t.url, { query: VIEWER })).status).toBe(200)
  })

  afterAll(async () => {
    await t?.stop()
  })

  /** Each document breaks exactly one limit (and would call upstream if it ran). */
  const cases: Array<{ limit: string; document: string; status: number; error: Record<string, unknown> }> = [
    {
      limit: 'depth > MAX_DEPTH (5 > 4)',
      document: '{ viewer { clientSession { devices { nodes { deviceId } } } } }',
      status: 400,
      error: {
        message: 'Syntax Error: Query depth limit of 4 exceeded, found 5.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    },
    {
      limit: 'aliases > MAX_ALIASES (4 > 3)',
      document:
        '{ a: devices { nodes { deviceId } } b: viewer { kind } c: viewer { kind } d: viewer { kind } }',
      status: 400,
      error: {
        message: 'Syntax Error: Aliases limit of 3 exceeded, found 4.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    },
    {
      limit: 'tokens > MAX_TOKENS (> 100)',
      document: `{ devices { nodes { ${'deviceId '.repeat(100)} } } }`,
      status: 400,
      error: {
        message: 'Syntax Error: Token limit of 100 exceeded.',
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    },
    {
      limit: 'directives > MAX_DIRECTIVES (3 > 2)',
      document:
        '{ devices { nodes { deviceId @include(if: true) displayName @skip(if: false) deviceType @include(if: true) } } }',
      status: 400,
      error: {
        message: 'Syntax Error: Directives limit of 2 exceeded, found 3.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    },
    {
      limit: 'cost > MAX_COST (851 > 40)',
      document:
        '{ devices { nodes { deviceId displayName deviceType workspaceId createdAt isManaged online locked batteryLevel manufacturer properties customMetadata capabilitiesSupported connectedAccount { connectedAccountId displayName } } } }',
      status: 400,
      error: {
        message:
          'Query cost 851 exceeds the limit of 40 (MAX_COST): the selections of a connection count once per item of its page (first, 50 when absent)',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    },
  ]

  it.each(cases)(
    'HTTP: refuses $limit before anything runs, with HTTP 400 like every invalid document',
    async ({ document, status, error }) => {
      const before = await upstreamCalls(t.url)
      const response = await post(t.url, { query: document })
      expect(await upstreamCalls(t.url)).toBe(before)
      // GraphQL over HTTP: a response in application/graphql-response+json without `data` MUST be a
      // 4xx or 5xx, and a document that fails validation SHOULD be a 400.
      expect({
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: response.body,
      }).toEqual({ status, contentType: GRAPHQL_RESPONSE_JSON, body: { errors: [error] } })
      expectNothingLeaked(response.text)
    },
  )

  it.each(cases)(
    'graphql-ws: refuses $limit with the same error as HTTP, and keeps the socket',
    async ({ document, error }) => {
      const before = await upstreamCalls(t.url)
      const { socket, recording } = await overGraphqlWs(t.url, parse(document, { noLocation: true }))
      expect(socket.closes).toEqual([])
      expect(recording).toEqual({ results: [], errors: [[error]], completed: false })
      expect(await upstreamCalls(t.url)).toBe(before)
      // The socket still serves.
      expect(await queryWs(socket.client, parse(VIEWER), {})).toEqual({
        data: { viewer: { kind: 'WORKSPACE' } },
      })
    },
  )

  it('HTTP: refuses a batch (a JSON array body) with 400 and runs none of it', async () => {
    const before = sessionCount(t)
    const calls = await upstreamCalls(t.url)
    const response = await post(t.url, [
      { query: CREATE_SESSION('batched-1') },
      { query: CREATE_SESSION('batched-2') },
    ])
    expect({ status: response.status, body: response.body }).toEqual({
      status: 400,
      body: { errors: [{ message: 'Batching is not supported.', extensions: { code: 'BAD_REQUEST' } }] },
    })
    expect(sessionCount(t)).toBe(before)
    expect(await upstreamCalls(t.url)).toBe(calls)
  })

  it('HTTP: answers a body over MAX_BODY_BYTES with 413 and runs nothing', async () => {
    const before = sessionCount(t)
    const body = JSON.stringify({ query: CREATE_SESSION('too-large'), variables: { pad: 'x'.repeat(4096) } })
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
      body,
    })
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 413,
      body: {
        errors: [
          { message: 'Request body is larger than 4096 bytes', extensions: { code: 'BAD_USER_INPUT' } },
        ],
      },
    })
    expect(sessionCount(t)).toBe(before)
  })

  it('graphql-ws: closes a socket whose message is larger than MAX_BODY_BYTES with 1009, running nothing', async () => {
    const before = sessionCount(t)
    const raw = await openAcknowledged(t.url)
    raw.send({
      id: '1',
      type: 'subscribe',
      payload: { query: CREATE_SESSION('too-large-ws'), variables: { pad: 'x'.repeat(4096) } },
    })
    expect(await raw.closedWithin(3000)).toEqual({ code: 1009, reason: '' })
    expect(raw.messages).toEqual([{ type: 'connection_ack' }])
    expect(sessionCount(t)).toBe(before)
  })
})

describe('rate limit (RATE_LIMIT_PER_MINUTE=5)', () => {
  let t: TestGateway

  // A gateway per test: each spends budgets of its own, whatever ran before it.
  beforeEach(async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '5' })
    await oneWindow()
  })

  afterEach(async () => {
    await t?.stop()
  })

  it('HTTP: serves 5 operations of a principal, then answers the 6th with 429 RATE_LIMITED and retry-after', async () => {
    for (let i = 0; i < 5; i++) {
      const { status, body } = await post(t.url, { query: DEVICES })
      expect(status).toBe(200)
      expect((body as { errors?: unknown }).errors).toBeUndefined()
    }
    const before = await upstreamCalls(t.url)
    const sixth = await post(t.url, { query: DEVICES })
    expect(await upstreamCalls(t.url)).toBe(before)
    const retryAfter = sixth.headers.get('retry-after')
    expect(retryAfter).toMatch(/^\d+$/)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
    expect(Number(retryAfter)).toBeLessThanOrEqual(60)
    expect({ status: sixth.status, body: sixth.body }).toEqual({
      status: 429,
      body: {
        errors: [
          {
            message: `Rate limit of 5 operations per 60 s reached; retry in ${retryAfter} s`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      },
    })
    // Another principal has its own budget.
    const other = await post(t.url, { query: VIEWER }, bearer(t.demoToken))
    expect({ status: other.status, body: other.body }).toEqual({
      status: 200,
      body: { data: { viewer: { kind: 'CLIENT_SESSION' } } },
    })
  })

  it('graphql-ws: answers the 6th operation of a socket with RATE_LIMITED and keeps the socket', async () => {
    const socket = clients.openWs(t.url, { clientSessionToken: t.demoToken })
    for (let i = 0; i < 5; i++) {
      expect(await queryWs(socket.client, parse(VIEWER), {})).toEqual({
        data: { viewer: { kind: 'CLIENT_SESSION' } },
      })
    }
    const recording = subscribeWs(socket.client, parse(VIEWER), {})
    await waitFor(
      () => recording.completed || recording.errors.length > 0 || socket.closes.length > 0,
      'the 6th operation to end',
    )
    // One more operation on the socket: its answer (refused too) follows anything sent before it.
    const probe = subscribeWs(socket.client, parse(VIEWER), {})
    await waitFor(() => probe.completed || probe.errors.length > 0 || socket.closes.length > 0, 'the probe')
    expect(socket.closes).toEqual([])
    expect(recording).toEqual({
      results: [],
      errors: [
        [
          {
            message: expect.stringMatching(/^Rate limit of 5 operations per 60 s reached; retry in \d+ s$/),
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      ],
      completed: false,
    })
  })
})

describe('CSRF prevention: a browser-"simple" request never executes', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  /** Sends a request, and checks that it created no session and read nothing upstream. */
  async function refusedWithoutEffect(request: () => Promise<Response>): Promise<Answer> {
    const sessions = sessionCount(t)
    const calls = await upstreamCalls(t.url)
    const response = await answer(await request())
    expect(sessionCount(t)).toBe(sessions)
    expect(await upstreamCalls(t.url)).toBe(calls)
    return response
  }

  const mutation = JSON.stringify({ query: CREATE_SESSION('csrf-victim') })
  // The key in the URL, where a cross-site form could put it: never read as a credential.
  const withKeyInUrl = () => `${t.url}/graphql?${new URLSearchParams({ authorization: `Bearer ${API_KEY}` })}`

  it('refuses a text/plain POST of a mutation with 403', async () => {
    const { status, body } = await refusedWithoutEffect(() =>
      fetch(withKeyInUrl(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: mutation }),
    )
    expect({ status, body }).toEqual({ status: 403, body: CSRF_REFUSAL })
  })

  it('refuses an application/x-www-form-urlencoded POST with 403', async () => {
    const { status, body } = await refusedWithoutEffect(() =>
      fetch(withKeyInUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: CREATE_SESSION('csrf-form') }).toString(),
      }),
    )
    expect({ status, body }).toEqual({ status: 403, body: CSRF_REFUSAL })
  })

  it('refuses a multipart/form-data POST with 403', async () => {
    const form = new FormData()
    form.set('operations', mutation)
    form.set('map', '{}')
    const { status, body } = await refusedWithoutEffect(() =>
      fetch(withKeyInUrl(), { method: 'POST', body: form }),
    )
    expect({ status, body }).toEqual({ status: 403, body: CSRF_REFUSAL })
  })

  it('refuses a GET without a custom header with 403, query or mutation', async () => {
    for (const document of [DEVICES, CREATE_SESSION('csrf-get')]) {
      const { status, body } = await refusedWithoutEffect(() =>
        fetch(
          `${t.url}/graphql?${new URLSearchParams({ query: document, authorization: `Bearer ${API_KEY}` })}`,
          {
            headers: { accept: 'application/json' },
          },
        ),
      )
      expect({ status, body }).toEqual({ status: 403, body: CSRF_REFUSAL })
    }
  })

  it('does not parse a text/plain body even with a credential header: 415, nothing runs', async () => {
    const { status, text } = await refusedWithoutEffect(() =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...bearer(API_KEY) },
        body: mutation,
      }),
    )
    expect({ status, text }).toEqual({ status: 415, text: '' })
  })

  it('never runs a mutation from a GET, even with a credential header: 405', async () => {
    const { status, body } = await refusedWithoutEffect(() =>
      fetch(`${t.url}/graphql?${new URLSearchParams({ query: CREATE_SESSION('csrf-get-header') })}`, {
        headers: { accept: 'application/json', ...bearer(API_KEY) },
      }),
    )
    expect({ status, body }).toEqual({
      status: 405,
      body: {
        errors: [
          {
            message: 'Can only perform a mutation operation from a POST request.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    })
  })
})

describe('CORS allow-list (CORS_ORIGINS=https://app.example.com)', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway({ CORS_ORIGINS: 'https://app.example.com' })
  })

  afterAll(async () => {
    await t?.stop()
  })

  const preflight = (origin: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, client-session-token',
      },
    })

  const corsHeaders = (headers: Headers) =>
    Object.fromEntries([...headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'))

  it('allows a preflight from the listed origin, with the credential headers', async () => {
    const response = await preflight('https://app.example.com')
    expect(response.status).toBe(204)
    expect(corsHeaders(response.headers)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers':
        'authorization, client-session-token, seam-client-session-token, seam-publishable-key, seam-user-identifier-key, content-type',
    })
  })

  it('refuses the preflight of another origin with 403, naming the origin and CORS_ORIGINS, and no CORS headers', async () => {
    const response = await preflight('https://evil.example')
    expect(corsHeaders(response.headers)).toEqual({})
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 403,
      body: {
        errors: [
          {
            message:
              'The origin "https://evil.example" may not call this gateway: CORS_ORIGINS lists the origins that may',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
    })
  })

  it('answers a request of another origin that is no preflight (no browser sent it); its CORS headers name only the listed origin', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', ...bearer(t.apiKey) },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    })
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { data: { viewer: { kind: 'WORKSPACE' } } },
    })
  })
})

describe('CORS without CORS_ORIGINS: no other origin may call', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  it('refuses a cross-origin preflight with 403 and a CORS message', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([])
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 403,
      body: {
        errors: [
          {
            message:
              'The origin "https://app.example.com" may not call this gateway: CORS_ORIGINS lists the origins that may',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
    })
  })
})

describe('production (NODE_ENV=production)', () => {
  let production: TestGateway
  let reEnabled: TestGateway

  beforeAll(async () => {
    production = await startTestGateway({ NODE_ENV: 'production' })
    reEnabled = await startTestGateway({ NODE_ENV: 'production', GRAPHIQL: 'true', INTROSPECTION: 'true' })
  })

  afterAll(async () => {
    await production?.stop()
    await reEnabled?.stop()
  })

  const graphiql = (url: string) => fetch(`${url}/graphql`, { headers: { accept: 'text/html' } }).then(answer)
  const introspect = (url: string) => post(url, { query: '{ __schema { queryType { name } } }' })
  const misspelled = (url: string) => post(url, { query: '{ viewer { kin } }' })

  it('serves no GraphiQL', async () => {
    const { status, text } = await graphiql(production.url)
    expect({ status, text }).toEqual({ status: 406, text: '' })
  })

  it('refuses introspection, with a credential or without', async () => {
    for (const headers of [bearer(API_KEY), {}]) {
      const { status, body } = await post(
        production.url,
        { query: '{ __schema { queryType { name } } }' },
        headers,
      )
      expect({ status, body }).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message:
                'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
              locations: [{ line: 1, column: 3 }],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
            {
              message:
                'GraphQL introspection has been disabled, but the requested query contained the field "queryType".',
              locations: [{ line: 1, column: 14 }],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        },
      })
    }
  })

  it('refuses introspection over graphql-ws too', async () => {
    const socket = clients.openWs(production.url, { authorization: `Bearer ${API_KEY}` })
    await waitFor(() => socket.connected === 1, 'connection_ack')
    const recording = subscribeWs(socket.client, parse('{ __schema { queryType { name } } }'), {})
    await waitFor(() => recording.completed || recording.errors.length > 0, 'the introspection to end')
    expect(recording.results).toEqual([])
    expect(recording.errors).toEqual([
      [
        {
          message:
            'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
          // Locations in the document as the client printed it, one field a line.
          locations: [{ line: 2, column: 3 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
        {
          message:
            'GraphQL introspection has been disabled, but the requested query contained the field "queryType".',
          locations: [{ line: 3, column: 5 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    ])
  })

  it('hides field suggestions ("Did you mean") in validation errors', async () => {
    const { status, body, text } = await misspelled(production.url)
    expect({ status, body }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Cannot query field "kin" on type "Viewer". [Suggestion hidden]',
            locations: [{ line: 1, column: 12 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    })
    expect(text).not.toContain('Did you mean')
  })

  it('turns GraphiQL, introspection and suggestions back on with GRAPHIQL=true INTROSPECTION=true', async () => {
    const page = await graphiql(reEnabled.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html')
    expect(page.text).toContain('<title>Seam GraphQL Gateway</title>')

    const schema = await introspect(reEnabled.url)
    expect({ status: schema.status, body: schema.body }).toEqual({
      status: 200,
      body: { data: { __schema: { queryType: { name: 'Query' } } } },
    })

    const suggestion = await misspelled(reEnabled.url)
    expect(suggestion.body).toEqual({
      errors: [
        {
          message: 'Cannot query field "kin" on type "Viewer". Did you mean "kind"?',
          locations: [{ line: 1, column: 12 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    })
  })
})

describe('persisted operations (PERSISTED_OPERATIONS_FILE)', () => {
  let t: TestGateway
  let directory: string
  const persisted = (sha256Hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } })

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'gateway-persisted-'))
    const file = join(directory, 'operations.json')
    writeFileSync(file, JSON.stringify({ 'viewer-1': 'query { viewer { kind } }' }))
    t = await startTestGateway({ PERSISTED_OPERATIONS_FILE: file })
    // The API key's principal is looked up once here (by a listed operation), so that the upstream
    // counts below see only what a refused document would cost, whichever test runs first.
    expect((await post(t.url, persisted('viewer-1'))).status).toBe(200)
  })

  afterAll(async () => {
    await t?.stop()
    rmSync(directory, { recursive: true, force: true })
  })

  it('runs a listed operation by its id (extensions.persistedQuery.sha256Hash)', async () => {
    const { status, body } = await post(t.url, persisted('viewer-1'))
    expect({ status, body }).toEqual({ status: 200, body: { data: { viewer: { kind: 'WORKSPACE' } } } })
  })

  it('refuses an arbitrary document, even one identical to a listed operation', async () => {
    for (const query of ['query { viewer { kind } }', DEVICES]) {
      const before = await upstreamCalls(t.url)
      const { status, body, headers } = await post(t.url, { query })
      // Without `data` in application/graphql-response+json: a 4xx (GraphQL over HTTP, MUST).
      expect({ status, contentType: headers.get('content-type'), body }).toEqual({
        status: 400,
        contentType: GRAPHQL_RESPONSE_JSON,
        body: {
          errors: [{ message: 'PersistedQueryOnly', extensions: { code: 'CANNOT_SEND_PQ_ID_AND_BODY' } }],
        },
      })
      expect(await upstreamCalls(t.url)).toBe(before)
    }
  })

  it('refuses an unknown id', async () => {
    const { status, body, headers } = await post(t.url, persisted('devices-1'))
    expect({ status, contentType: headers.get('content-type'), body }).toEqual({
      status: 400,
      contentType: GRAPHQL_RESPONSE_JSON,
      body: {
        errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }],
      },
    })
  })

  it('runs a listed operation by documentId, as the PERSISTED_OPERATIONS_FILE documentation promises', async () => {
    const { status, body } = await post(t.url, { documentId: 'viewer-1' })
    expect({ status, body }).toEqual({ status: 200, body: { data: { viewer: { kind: 'WORKSPACE' } } } })
  })

  it('graphql-ws: refuses an arbitrary document as HTTP does, and runs nothing', async () => {
    const before = await upstreamCalls(t.url)
    const { socket, recording } = await overGraphqlWs(t.url, parse(DEVICES))
    expect(socket.closes).toEqual([])
    expect(recording).toEqual({
      results: [],
      errors: [[{ message: 'PersistedQueryOnly', extensions: { code: 'CANNOT_SEND_PQ_ID_AND_BODY' } }]],
      completed: false,
    })
    expect(await upstreamCalls(t.url)).toBe(before)
  })
})

describe('hostile ids and page sizes', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
    // Both principals are looked up once here, so that the upstream counts below see only what the
    // refused lookups themselves would cost, whichever test runs first.
    expect((await post(t.url, { query: VIEWER })).status).toBe(200)
    expect((await post(t.url, { query: VIEWER }, bearer(JOHN_TOKEN))).status).toBe(200)
  })

  afterAll(async () => {
    await t?.stop()
  })

  const FIELDS = [
    { field: 'device', arg: 'deviceId', entity: 'Device' },
    { field: 'connectedAccount', arg: 'connectedAccountId', entity: 'ConnectedAccount' },
    { field: 'clientSession', arg: 'clientSessionId', entity: 'ClientSession' },
  ] as const

  /** The NOT_FOUND body of a missing id, exactly as for `missing_id` (long ids are cut at 200). */
  const notFoundBody = (field: string, entity: string, id: string) => ({
    errors: [
      {
        message: `${entity} ${JSON.stringify(id.length > 200 ? `${id.slice(0, 200)}…` : id)} was not found`,
        locations: [{ line: 1, column: 19 }],
        path: [field],
        extensions: { code: 'NOT_FOUND' },
      },
    ],
    data: { [field]: null },
  })

  const lookUp = (field: string, arg: string, id: string, token: string) =>
    post(
      t.url,
      { query: `query($id: ID!) { ${field}(${arg}: $id) { __typename } }`, variables: { id } },
      bearer(token),
    )

  it.each([
    ['a plain missing id', 'missing_id'],
    ['a slash', 'john_connected_account_id/../jane'],
    ['dot-dot', '..'],
    ['a percent-encoded slash', 'august_device_1%2F..%2Fschlage_device_id'],
    ['a question mark', 'august_device_1?workspace_id=seed_workspace_2'],
    ['a hash', 'august_device_1#fragment'],
    ['CR/LF', 'august_device_1\r\nseam-request-id: injected'],
    ['10 000 characters', 'x'.repeat(10_000)],
    ['unicode (accents, emoji, RTL override, NUL)', 'dévice-🔒-\u202e-\u0000'],
  ])(
    'answers an id with %s with the plain NOT_FOUND of a missing id, for every entity and principal',
    async (_name, id) => {
      for (const { field, arg, entity } of FIELDS) {
        for (const token of [API_KEY, JOHN_TOKEN]) {
          const { status, body, text } = await lookUp(field, arg, id, token)
          expect({ field, token, status, body }).toEqual({
            field,
            token,
            status: 200,
            body: notFoundBody(field, entity, id),
          })
          expectNothingLeaked(text)
        }
      }
    },
  )

  it('answers an empty clientSessionId with NOT_FOUND, alike for a workspace and a session, asking Seam nothing', async () => {
    const before = await upstreamCalls(t.url)
    const workspace = await lookUp('clientSession', 'clientSessionId', '', API_KEY)
    expect(workspace.body).toEqual(notFoundBody('clientSession', 'ClientSession', ''))
    const session = await lookUp('clientSession', 'clientSessionId', '', JOHN_TOKEN)
    expect(session.body).toEqual(notFoundBody('clientSession', 'ClientSession', ''))
    expect(await upstreamCalls(t.url)).toBe(before)
  })

  it.each([-1, 0, 201])('refuses first: %i with BAD_USER_INPUT before calling upstream', async (first) => {
    const before = await upstreamCalls(t.url)
    const { status, body } = await post(t.url, {
      query: 'query($first: Int) { devices(first: $first) { nodes { deviceId } } }',
      variables: { first },
    })
    expect({ status, body }).toEqual({
      status: 200,
      body: {
        errors: [
          {
            message: `first must be an integer from 1 to 200, got ${first}`,
            locations: [{ line: 1, column: 22 }],
            path: ['devices'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
        data: { devices: null },
      },
    })
    expect(await upstreamCalls(t.url)).toBe(before)
  })

  it('refuses first: 2147483648 (beyond Int) in a variable as bad input, not as an internal error', async () => {
    const { status, body } = await post(t.url, {
      query: 'query($first: Int) { devices(first: $first) { nodes { deviceId } } }',
      variables: { first: 2_147_483_648 },
    })
    expect({ status, body }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'Variable "$first" got invalid value 2147483648; Int cannot represent non 32-bit signed integer value: 2147483648',
            locations: [{ line: 1, column: 7 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    })
  })

  it('refuses first: 2147483648 written in the document as a validation failure', async () => {
    // Beyond Int: the document is invalid, and its cost is never computed.
    const { status, body } = await post(t.url, {
      query: '{ devices(first: 2147483648) { nodes { deviceId } } }',
    })
    expect({ status, body }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Int cannot represent non 32-bit signed integer value: 2147483648',
            locations: [{ line: 1, column: 18 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    })
  })
})

describe('an empty deviceId', () => {
  const EMPTY_DEVICE = '{ device(deviceId: "") { deviceId } }'

  it('is NOT_FOUND, like any id that names no device', async () => {
    const t = await startTestGateway()
    try {
      const { status, body } = await post(t.url, { query: EMPTY_DEVICE }, bearer(JOHN_TOKEN))
      expect({ status, body }).toEqual({
        status: 200,
        body: {
          errors: [
            {
              message: 'Device "" was not found',
              locations: [{ line: 1, column: 3 }],
              path: ['device'],
              extensions: { code: 'NOT_FOUND' },
            },
          ],
          data: { device: null },
        },
      })
    } finally {
      await t.stop()
    }
  })

  it("cannot open the circuit breaker for every other caller: three of them leave /ready and others' reads alone", async () => {
    const t = await startTestGateway()
    try {
      for (let i = 0; i < 3; i++) {
        expect((await post(t.url, { query: EMPTY_DEVICE }, bearer(JOHN_TOKEN))).status).toBe(200)
      }
      const workspace = await post(t.url, { query: '{ devices(first: 1) { nodes { deviceId } } }' })
      expect(workspace.body).toEqual({ data: { devices: { nodes: [{ deviceId: 'august_device_1' }] } } })
      expect((await fetch(`${t.url}/ready`)).status).toBe(200)
    } finally {
      await t.stop()
    }
  })
})

describe('graphql-ws protocol abuse, on a raw WebSocket', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  it('closes a socket that sends no connection_init within 3 s with 4408', async () => {
    const raw = openRaw(t.url, 'graphql-transport-ws')
    await once(raw.socket, 'open')
    const opened = performance.now()
    expect(await raw.closedWithin(4000)).toEqual({ code: 4408, reason: 'Connection initialisation timeout' })
    const elapsed = performance.now() - opened
    expect(elapsed).toBeGreaterThanOrEqual(2900)
    expect(elapsed).toBeLessThan(3800)
  })

  it('closes a socket that sends a second connection_init with 4429', async () => {
    const raw = await openAcknowledged(t.url)
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${API_KEY}` } })
    expect(await raw.closedWithin(2000)).toEqual({ code: 4429, reason: 'Too many initialisation requests' })
  })

  it('closes a socket that subscribes before connection_ack with 4401, running nothing', async () => {
    const before = sessionCount(t)
    const raw = openRaw(t.url, 'graphql-transport-ws')
    await once(raw.socket, 'open')
    raw.send({ id: '1', type: 'subscribe', payload: { query: CREATE_SESSION('before-ack') } })
    expect(await raw.closedWithin(2000)).toEqual({ code: 4401, reason: 'Unauthorized' })
    expect(raw.messages).toEqual([])
    expect(sessionCount(t)).toBe(before)
  })

  it('closes a socket that reuses a live subscription id with 4409', async () => {
    const raw = await openAcknowledged(t.url)
    const subscription = {
      id: 'same',
      type: 'subscribe',
      payload: { query: 'subscription { clientSessionDeleted { eventId } }' },
    }
    raw.send(subscription)
    raw.send(subscription)
    expect(await raw.closedWithin(2000)).toEqual({ code: 4409, reason: 'Subscriber for same already exists' })
  })

  it.each([
    ['not JSON', '{"type": "connection_init"'],
    ['a message without a type', { payload: {} }],
    ['an unknown message type', { type: 'start', id: '1', payload: { query: VIEWER } }],
    ['a subscribe without an id', { type: 'subscribe', payload: { query: VIEWER } }],
  ])('closes a socket that sends %s with 4400', async (_name, message) => {
    const raw = openRaw(t.url, 'graphql-transport-ws')
    await once(raw.socket, 'open')
    raw.send(message)
    expect(await raw.closedWithin(2000)).toEqual({ code: 4400, reason: 'Invalid message received' })
  })

  it('closes a socket that asks for no subprotocol with 4406', async () => {
    const raw = openRaw(t.url)
    expect(await raw.closedWithin(2000)).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' })
  })

  it("picks no subprotocol for the legacy 'graphql-ws' one, so the client fails the handshake", async () => {
    const raw = openRaw(t.url, 'graphql-ws')
    expect(await raw.closedWithin(2000)).toEqual({ code: 1006, reason: '' })
    expect(raw.errors).toEqual(['Server sent no subprotocol'])
  })

  it('answers a document that does not parse with an error message, not by closing the socket', async () => {
    const raw = await openAcknowledged(t.url)
    raw.send({ id: '1', type: 'subscribe', payload: { query: '{ viewer { kind ' } })
    // Once its error has come, a ping: the pong comes back after anything the gateway sent before
    // it, a close that followed the error included.
    const arrived = (type: string) => raw.messages.some((m) => (m as { type?: string }).type === type)
    let closed = false
    const answered = await Promise.race([
      raw.closed.then((close) => {
        closed = true
        return close
      }),
      (async () => {
        while (!arrived('error') && !closed) await sleep(10)
        raw.send({ type: 'ping' })
        while (!arrived('pong') && !closed) await sleep(10)
        return 'still open'
      })(),
    ])
    expect(answered).toBe('still open')
    expect(raw.messages).toEqual([
      { type: 'connection_ack' },
      {
        id: '1',
        type: 'error',
        payload: [
          {
            message: 'Syntax Error: Expected Name, found <EOF>.',
            locations: [{ line: 1, column: 17 }],
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          },
        ],
      },
      { type: 'pong' },
    ])
  })
})
