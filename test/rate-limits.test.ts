import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { createClient } from 'graphql-ws'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { type CloseRecord, graphqlWsUrl, sleep, waitFor } from './helpers/clients.js'
import { SEAM_DOWN, startFaultyUpstream } from './helpers/faulty-upstream.js'
import { startTestGateway, type TestGateway, testConfig } from './helpers/gateway.js'
import { oneWindow } from './helpers/rate-window.js'
import { startTestRedis, type TestRedis } from './helpers/redis.js'

// Rate limits an attacker cannot turn against others or around (SPEC §9): a budget per client
// address before any credential lookup, unknown credentials remembered by hash, publishable-key
// traffic counted per address (whichever key it carries) with a shared ceiling of sign-ins per key
// and one sign-in per operation, each API key on its own, client addresses from X-Forwarded-For only
// behind TRUST_PROXY hops, and per-instance counters while Redis is away.

const API_KEY = 'seam_apikey1_token'
const PUBLISHABLE_KEY = 'seam_pk1_token'
const UNKNOWN = 'The credential is unknown, expired or revoked'
const SIGN_IN =
  'mutation { getOrCreateClientSession(input: { userIdentifierKey: "rate-user" }) { clientSession { userIdentifierKey } } }'
const SIGNED_IN = {
  data: { getOrCreateClientSession: { clientSession: { userIdentifierKey: 'rate-user' } } },
}
const VIEWER = '{ viewer { kind workspaceId } }'
const WORKSPACE = { data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_1' } } }

/** An HTTP answer: status, parsed body, and its Retry-After. */
interface Answer {
  status: number
  body: unknown
  retryAfter: string | undefined
}

/**
 * POSTs `query` to `${url}/graphql` from the loopback address `from` (Linux routes all of 127/8 to
 * the loopback interface, so each is a distinct client address to the gateway).
 */
function postFrom(
  from: string,
  url: string,
  query: string,
  headers: Record<string, string>,
): Promise<Answer> {
  const body = JSON.stringify({ query })
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text),
            retryAfter: res.headers['retry-after'],
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** The 429 of a spent budget, with the Retry-After it carried. */
const limited = (answer: Answer, budget: string) => ({
  status: 429,
  body: {
    errors: [
      {
        message: `Rate limit of ${budget} per 60 s reached; retry in ${answer.retryAfter} s`,
        extensions: { code: 'RATE_LIMITED' },
      },
    ],
  },
  retryAfter: answer.retryAfter,
})

const ok = (body: unknown) => ({ status: 200, body, retryAfter: undefined })
const unknownCredential = {
  status: 401,
  body: { errors: [{ message: UNKNOWN, extensions: { code: 'UNAUTHENTICATED' } }] },
  retryAfter: undefined,
}

describe('a publishable key: a budget per client address (RATE_LIMIT_PER_MINUTE=3)', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '3' })
  })
  beforeEach(() => oneWindow())
  afterAll(async () => {
    await t?.stop()
  })

  const signIn = (from: string, headers: Record<string, string> = {}) =>
    postFrom(from, t.url, SIGN_IN, { 'seam-publishable-key': PUBLISHABLE_KEY, ...headers })

  it("one client spending its budget leaves another client's sign-in alone", async () => {
    for (let i = 0; i < 3; i++) expect(await signIn('127.0.0.2')).toEqual(ok(SIGNED_IN))
    const fourth = await signIn('127.0.0.2')
    expect(fourth).toEqual(limited(fourth, '3 operations'))
    // Another browser of the same app, at another address.
    expect(await signIn('127.0.0.3')).toEqual(ok(SIGNED_IN))
  })

  it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot name itself another address', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await signIn('127.0.0.4', { 'x-forwarded-for': `203.0.113.${i}` })).toEqual(ok(SIGNED_IN))
    }
    const fourth = await signIn('127.0.0.4', { 'x-forwarded-for': '203.0.113.99' })
    expect(fourth).toEqual(limited(fourth, '3 operations'))
  })
})

describe('TRUST_PROXY=1: the client address is the one the trusted proxy appended', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' })
  })
  beforeEach(() => oneWindow())
  afterAll(async () => {
    await t?.stop()
  })

  const signIn = (forwardedFor: string) =>
    postFrom('127.0.0.1', t.url, SIGN_IN, {
      'seam-publishable-key': PUBLISHABLE_KEY,
      'x-forwarded-for': forwardedFor,
    })

  it('counts each forwarded client apart; what a client prepends itself changes nothing', async () => {
    for (let i = 0; i < 3; i++) expect(await signIn('198.51.100.7')).toEqual(ok(SIGNED_IN))
    // The client's own claims come first; the proxy's entry, last, is the one believed.
    const spoofed = await signIn('10.9.9.9, 198.51.100.7')
    expect(spoofed).toEqual(limited(spoofed, '3 operations'))
    expect(await signIn('198.51.100.8')).toEqual(ok(SIGNED_IN))
    // An IPv6 client is counted by its /64: another address of the same /64 shares its budget.
    for (let i = 0; i < 3; i++) expect(await signIn(`2001:db8:1:2::${i + 1}`)).toEqual(ok(SIGNED_IN))
    const sameNetwork = await signIn('2001:db8:1:2:ffff::1')
    expect(sameNetwork).toEqual(limited(sameNetwork, '3 operations'))
  })

  it('caps sign-ins of the key as a whole at 100 × RATE_LIMIT_PER_MINUTE across all clients', async () => {
    const own = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '1' })
    try {
      // Its 101 sign-ins, not its gateway's start, must fit in one window (up to 10 s on a loaded machine).
      await oneWindow(20_000)
      const from = (client: number) =>
        postFrom('127.0.0.1', own.url, SIGN_IN, {
          'seam-publishable-key': PUBLISHABLE_KEY,
          'x-forwarded-for': `198.51.${100 + Math.floor(client / 200)}.${client % 200}`,
        })
      for (let client = 0; client < 100; client++) expect(await from(client)).toEqual(ok(SIGNED_IN))
      // Spent by the sign-in itself (a field error of getOrCreateClientSession, still a 429).
      const next = await from(100)
      expect(next).toEqual({
        status: 429,
        body: {
          data: null,
          errors: [
            {
              message: `Rate limit of 100 sign-ins of one publishable key from all clients per 60 s reached; retry in ${next.retryAfter} s`,
              locations: [{ line: 1, column: 12 }],
              path: ['getOrCreateClientSession'],
              extensions: { code: 'RATE_LIMITED' },
            },
          ],
        },
        retryAfter: next.retryAfter,
      })
    } finally {
      await own.stop()
    }
  })

  it("ten clients spending their budgets on other operations leave everyone's sign-in alone", async () => {
    // The attack that a shared bucket per key allowed: cheap requests from a few addresses, made-up
    // keys included, until every browser of the app is refused.
    for (let client = 0; client < 10; client++) {
      for (let i = 0; i < 4; i++) {
        await postFrom('127.0.0.1', t.url, '{ __typename }', {
          'seam-publishable-key': i < 3 ? PUBLISHABLE_KEY : `seam_pk_madeup_${client}_${i}`,
          'x-forwarded-for': `192.0.2.${client}`,
        })
      }
    }
    expect(await signIn('198.51.100.77')).toEqual(ok(SIGNED_IN))
  })

  it('counts every publishable key an address sends in one budget: made-up keys mint none', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await postFrom('127.0.0.1', t.url, '{ __typename }', {
        'seam-publishable-key': `seam_pk_madeup_${randomBytes(4).toString('hex')}`,
        'x-forwarded-for': '192.0.2.200',
      })
      expect(answer).toEqual(ok({ data: { __typename: 'Query' } }))
    }
    const fourth = await postFrom('127.0.0.1', t.url, SIGN_IN, {
      'seam-publishable-key': PUBLISHABLE_KEY,
      'x-forwarded-for': '192.0.2.200',
    })
    expect(fourth).toEqual(limited(fourth, '3 operations'))
  })

  it('allows one sign-in per operation: aliases do not multiply sign-ins', async () => {
    const sessions = () => getFakeStore(t.sandbox!.fake).getState().client_sessions.length
    const before = sessions()
    const aliased = await postFrom(
      '127.0.0.1',
      t.url,
      `mutation {
        a: getOrCreateClientSession(input: { userIdentifierKey: "alias-a" }) { clientSession { userIdentifierKey } }
        b: getOrCreateClientSession(input: { userIdentifierKey: "alias-b" }) { clientSession { userIdentifierKey } }
      }`,
      { 'seam-publishable-key': PUBLISHABLE_KEY, 'x-forwarded-for': '192.0.2.201' },
    )
    expect(aliased).toEqual(
      ok({
        data: null,
        errors: [
          {
            message:
              'A publishable key may get or create one client session per operation; send one getOrCreateClientSession',
            locations: [{ line: 3, column: 9 }],
            path: ['b'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      }),
    )
    expect(sessions()).toBe(before + 1)
  })
})

describe('API keys: a budget per key, not per workspace (RATE_LIMIT_PER_MINUTE=3)', () => {
  let t: TestGateway
  const SECOND_KEY = `seam_apikey1_second_${randomBytes(4).toString('hex')}`

  beforeAll(async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '3' })
    // A second key of workspace 1, as a partner backend would hold beside the first.
    const state = getFakeStore(t.sandbox!.fake).getState() as unknown as {
      addApiKey(params: { workspace_id: string; token: string }): unknown
    }
    state.addApiKey({ workspace_id: 'seed_workspace_1', token: SECOND_KEY })
  })
  beforeEach(() => oneWindow())
  afterAll(async () => {
    await t?.stop()
  })

  it('one key spending its budget leaves the other key of the same workspace alone', async () => {
    const withKey = (key: string) => postFrom('127.0.0.1', t.url, VIEWER, { authorization: `Bearer ${key}` })
    for (let i = 0; i < 3; i++) expect(await withKey(API_KEY)).toEqual(ok(WORKSPACE))
    const fourth = await withKey(API_KEY)
    expect(fourth).toEqual(limited(fourth, '3 operations'))
    expect(await withKey(SECOND_KEY)).toEqual(ok(WORKSPACE))
  })
})

const isReady = async (url: string) => ((await (await fetch(`${url}/ready`)).json()) as { ok: boolean }).ok

describe.each(['memory', 'Redis'])('the address first, then the principal, in one count (%s)', (store) => {
  let redis: TestRedis | undefined
  let t: TestGateway

  beforeAll(async () => {
    redis = store === 'Redis' ? await startTestRedis() : undefined
    t = await startTestGateway({
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '2',
      RATE_LIMIT_PER_MINUTE: '3',
      ...(redis === undefined
        ? {}
        : { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `order-${randomBytes(4).toString('hex')}:` }),
    })
  }, 30_000)
  beforeEach(() => oneWindow())
  afterAll(async () => {
    await t?.stop()
    await redis?.stop()
  })

  it("an address over its limit spends none of its principal's budget", async () => {
    // Counted on Redis from the first request (until it is ready, the instance counts alone).
    for (let i = 0; redis !== undefined && !(await isReady(t.url)); i++) {
      if (i > 100) throw new Error('Expected Redis to be ready within 5 s')
      await sleep(50)
    }
    const viewer = (from: string) => postFrom(from, t.url, VIEWER, { authorization: `Bearer ${API_KEY}` })
    // The key's first request is looked up; its second is served from the cache, both counts at once.
    expect(await viewer('127.0.0.1')).toEqual(ok(WORKSPACE))
    expect(await viewer('127.0.0.1')).toEqual(ok(WORKSPACE))
    const third = await viewer('127.0.0.1')
    expect(third).toEqual(limited(third, '2 requests per client address'))
    // The refused request did not count against the key: it has one operation left, elsewhere.
    expect(await viewer('127.0.0.2')).toEqual(ok(WORKSPACE))
    const fifth = await viewer('127.0.0.2')
    expect(fifth).toEqual(limited(fifth, '3 operations'))
  })
})

describe('unknown credentials: one lookup each, and a budget per address before any lookup', () => {
  let sandbox: Sandbox
  let upstream: Awaited<ReturnType<typeof startFaultyUpstream>>
  const gateways: App[] = []
  const sockets: Array<ReturnType<typeof createClient>> = []

  /** A gateway on the counting upstream, with its own address budget. */
  async function gatewayOnUpstream(env: Record<string, string> = {}): Promise<string> {
    const gateway = createApp(
      testConfig({
        SEAM_ENDPOINT: upstream.url,
        SHUTDOWN_GRACE_MS: '500',
        ...env,
      }),
    )
    gateways.push(gateway)
    return gateway.start()
  }

  /** Opens a graphql-ws socket with `Bearer <token>` and resolves with how it closed. */
  async function socketClose(url: string, token: string): Promise<CloseRecord> {
    const closes: CloseRecord[] = []
    const client = createClient({
      url: graphqlWsUrl(url),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: { closed: (event) => closes.push(event as CloseRecord) },
    })
    sockets.push(client)
    await waitFor(() => closes.length > 0, 'the socket to close')
    return { code: closes[0]!.code, reason: closes[0]!.reason }
  }

  const lookups = () => upstream.count('/client_sessions/get') + upstream.count('/workspaces/get')
  const post = (url: string, token: string) =>
    postFrom('127.0.0.1', url, VIEWER, { authorization: `Bearer ${token}` })

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 })
    upstream = await startFaultyUpstream(sandbox.url)
  })
  beforeEach(async () => {
    await oneWindow()
    upstream.reset()
  })
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((client) => client.dispose()))
  })
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()))
    await upstream?.close()
    await sandbox?.stop()
  })

  it('20 requests with one bad token cost one upstream lookup, over HTTP', async () => {
    const url = await gatewayOnUpstream()
    upstream.reset()
    for (const token of ['seam_cst_bogus_retried_token', 'seam_bogus_retried_api_key']) {
      for (let i = 0; i < 20; i++) expect(await post(url, token)).toEqual(unknownCredential)
    }
    console.log('lookups for 20 identical bad tokens (each kind):', upstream.requests)
    expect(upstream.requests).toEqual(['/client_sessions/get', '/workspaces/get'])
  })

  it('20 sockets with one bad token cost one upstream lookup, each closed with 4403', async () => {
    const url = await gatewayOnUpstream()
    upstream.reset()
    for (let i = 0; i < 20; i++) {
      expect(await socketClose(url, 'seam_cst_bogus_socket_token')).toEqual({
        code: 4403,
        reason: 'Forbidden',
      })
    }
    expect(upstream.requests).toEqual(['/client_sessions/get'])
  })

  it('distinct bad tokens from one address: 429 before lookups exceed the per-address limit (HTTP)', async () => {
    const url = await gatewayOnUpstream({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10' })
    upstream.reset()
    const answers: Answer[] = []
    for (let i = 0; i < 30; i++)
      answers.push(await post(url, `seam_cst_bogus_${i}_${randomBytes(4).toString('hex')}`))
    console.log(`lookups for 30 distinct bogus tokens: ${lookups()}`)
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(unknownCredential))
    for (const answer of answers.slice(10)) {
      expect(answer).toEqual(limited(answer, '10 requests per client address'))
    }
    expect(lookups()).toBe(10)
  })

  it('distinct bad tokens from one address: 429 before lookups exceed the per-address limit (SSE)', async () => {
    const url = await gatewayOnUpstream({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10' })
    upstream.reset()
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer seam_cst_bogus_sse_${i}`,
        },
        body: JSON.stringify({ query: 'subscription { clientSessionDeleted { clientSessionId } }' }),
      })
      await response.text()
      statuses.push(response.status)
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(20).fill(429)])
    expect(lookups()).toBe(10)
  })

  it('distinct bad tokens from one address: 4429 before lookups exceed the per-address limit (connection_init)', async () => {
    const url = await gatewayOnUpstream({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10' })
    upstream.reset()
    const closes: CloseRecord[] = []
    for (let i = 0; i < 30; i++) closes.push(await socketClose(url, `seam_bogus_socket_key_${i}`))
    expect(closes.slice(0, 10)).toEqual(Array(10).fill({ code: 4403, reason: 'Forbidden' }))
    for (const close of closes.slice(10)) {
      expect(close).toEqual({
        code: 4429,
        reason: expect.stringMatching(
          /^Rate limit of 10 requests per client address per 60 s reached; retry in \d+ s$/,
        ),
      })
    }
    expect(lookups()).toBe(10)
  })

  it('a credential Seam could not check (UPSTREAM_UNAVAILABLE) is not remembered as unknown', async () => {
    const url = await gatewayOnUpstream()
    const { client_session: session } = (await (
      await fetch(`${sandbox.url}/client_sessions/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ user_identifier_key: `rate-${randomBytes(3).toString('hex')}` }),
      })
    ).json()) as { client_session: { token: string } }
    upstream.reset()
    // Seam is down for the lookup, retries included.
    upstream.failAlways('/client_sessions/get', SEAM_DOWN)
    expect(await post(url, session.token)).toEqual({
      status: 500,
      body: { errors: [{ message: 'Seam is unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] },
      retryAfter: undefined,
    })
    upstream.reset()
    // Seam is back: the same token is looked up again, and works.
    expect(await post(url, session.token)).toEqual(
      ok({ data: { viewer: { kind: 'CLIENT_SESSION', workspaceId: 'seed_workspace_1' } } }),
    )
    expect(upstream.requests).toEqual(['/client_sessions/get'])
  })
})

describe('Redis away: limits fall back to per-instance counters, never to none', () => {
  let redis: TestRedis
  let t: TestGateway

  beforeAll(async () => {
    redis = await startTestRedis()
    t = await startTestGateway({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `rate-${randomBytes(4).toString('hex')}:`,
      RATE_LIMIT_PER_MINUTE: '3',
    })
  }, 30_000)
  afterAll(async () => {
    // Redis back first, so that the gateway's connections close cleanly.
    if (redis !== undefined) await redis.restart().catch(() => {})
    await t?.stop()
    await redis?.stop()
  })

  const ready = async () => (await (await fetch(`${t.url}/ready`)).json()) as { redis?: boolean }

  it('still answers the 4th operation of an API key with 429 while Redis is down', async () => {
    for (let i = 0; (await ready()).redis !== true; i++) {
      if (i > 100) throw new Error('Expected Redis to be ready within 5 s')
      await sleep(50)
    }
    await oneWindow()
    await redis.stop()
    for (let i = 0; (await ready()).redis !== false; i++) {
      if (i > 100) throw new Error('Expected the gateway to see Redis gone within 5 s')
      await sleep(50)
    }
    const answers: Answer[] = []
    for (let i = 0; i < 4; i++) {
      answers.push(await postFrom('127.0.0.1', t.url, VIEWER, { authorization: `Bearer ${API_KEY}` }))
    }
    expect(answers.slice(0, 3)).toEqual(Array(3).fill(ok(WORKSPACE)))
    expect(answers[3]).toEqual(limited(answers[3]!, '3 operations'))
  })
})
