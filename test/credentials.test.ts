import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import {
  CreateClientSessionDocument,
  DevicesDocument,
  GetOrCreateClientSessionDocument,
  SchemaQueryTypeNameDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { execute } from './helpers/execute.js'
import { startFaultyUpstream } from './helpers/faulty-upstream.js'
import { bearer, startTestGateway, type TestGateway, testConfig } from './helpers/gateway.js'
import { metricsUrlOf } from './helpers/metrics.js'

// Every way a credential can arrive over HTTP, what each is accepted as, and the exact refusal of
// every unusable one. No response (nor /metrics) ever repeats a credential.

const API_KEY_1 = 'seam_apikey1_token'
const API_KEY_2 = 'seam_apikey2_token'
const JOHN_TOKEN = 'seam_cst1_token'

let t: TestGateway

beforeAll(async () => {
  t = await startTestGateway()
})

afterAll(async () => {
  await t?.stop()
})

const WORKSPACE_VIEWER = {
  data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_1', clientSession: null } },
}
const JOHN_VIEWER = {
  data: {
    viewer: {
      kind: 'CLIENT_SESSION',
      workspaceId: 'seed_workspace_1',
      clientSession: { clientSessionId: 'cst1' },
    },
  },
}

/** The body of a credential refused before any field runs. */
const refusal = (message: string) => ({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] })

const TWO_CREDENTIALS = 'The request carries two different credentials; send exactly one'
const PERSONAL =
  'Personal access tokens and console sessions are not accepted; use a workspace API key or a client session token'
const NOT_BEARER = 'The Authorization header must be "Bearer <token>"'
const NOT_SEAM = 'The bearer token is not a Seam API key (seam_…) or client session token (seam_cst…)'
const UNKNOWN = 'The credential is unknown, expired or revoked'

/** The secrets a set of headers carries: every word of every value, less auth schemes and short words. */
const secretsOf = (headers: Record<string, string>) =>
  Object.values(headers)
    .flatMap((value) => value.split(/\s+/))
    .filter((word) => word.length >= 8 && !/^(Bearer|Basic)$/i.test(word))

/** Reads one `seam_upstream_requests_total` counter from /metrics (0 when the series does not exist yet). */
async function upstreamRequests(route: string, status = '200'): Promise<number> {
  const response = await fetch(metricsUrlOf(t.url))
  expect(response.status).toBe(200)
  const text = await response.text()
  for (const line of text.split('\n')) {
    const match = /^seam_upstream_requests_total\{([^}]*)\} (\S+)$/.exec(line)
    if (match === null) continue
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    if (labels.route === route && labels.status === status) return Number(match[2])
  }
  return 0
}

describe('accepted credentials', () => {
  it.each<[string, () => Record<string, string>, unknown]>([
    ['Authorization: Bearer <API key>', () => bearer(t.apiKey), WORKSPACE_VIEWER],
    [
      'Authorization: bearer <API key> (the scheme is case-insensitive)',
      () => ({ authorization: `bearer ${t.apiKey}` }),
      WORKSPACE_VIEWER,
    ],
    ['Authorization: Bearer <client session token>', () => bearer(JOHN_TOKEN), JOHN_VIEWER],
    [
      'client-session-token: <client session token>',
      () => ({ 'client-session-token': JOHN_TOKEN }),
      JOHN_VIEWER,
    ],
    [
      'seam-client-session-token: <client session token>',
      () => ({ 'seam-client-session-token': JOHN_TOKEN }),
      JOHN_VIEWER,
    ],
    [
      'Authorization: Bearer and client-session-token with the same token (as @seamapi/http sends it)',
      () => ({ ...bearer(JOHN_TOKEN), 'client-session-token': JOHN_TOKEN }),
      JOHN_VIEWER,
    ],
    [
      'Authorization: Bearer and seam-client-session-token with the same token',
      () => ({ ...bearer(JOHN_TOKEN), 'seam-client-session-token': JOHN_TOKEN }),
      JOHN_VIEWER,
    ],
    [
      'Authorization: Bearer, two spaces, <API key> (any whitespace separates the scheme)',
      () => ({ authorization: `Bearer  ${t.apiKey}` }),
      WORKSPACE_VIEWER,
    ],
  ])('%s', async (_name, headers, expected) => {
    const { status, body, text } = await t.execute(ViewerDocument, {}, headers())
    expect(status).toBe(200)
    expect(body).toEqual(expected)
    for (const secret of secretsOf(headers())) expect(text).not.toContain(secret)
  })

  it("works with the gateway's demo client session token", async () => {
    const { status, body, text } = await t.execute(ViewerDocument, {}, bearer(t.demoToken))
    expect(status).toBe(200)
    expect(body).toEqual({
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: 'seed_workspace_1',
          clientSession: { clientSessionId: t.demo!.clientSessionId },
        },
      },
    })
    expect(text).not.toContain(t.demoToken)
  })
})

describe('refused credentials: HTTP 401 UNAUTHENTICATED with a message that names the problem', () => {
  it.each<[string, () => Record<string, string>, string]>([
    [
      'an API key and a client session token',
      () => ({ ...bearer(t.apiKey), 'client-session-token': JOHN_TOKEN }),
      TWO_CREDENTIALS,
    ],
    [
      'two different client session tokens (Authorization and client-session-token)',
      () => ({ ...bearer(JOHN_TOKEN), 'client-session-token': t.demoToken }),
      TWO_CREDENTIALS,
    ],
    [
      'two different client session tokens (client-session-token and seam-client-session-token)',
      () => ({ 'client-session-token': t.demoToken, 'seam-client-session-token': JOHN_TOKEN }),
      TWO_CREDENTIALS,
    ],
    [
      'an API key and a publishable key',
      () => ({
        ...bearer(t.apiKey),
        'seam-publishable-key': 'seam_pk1_token',
        'seam-user-identifier-key': 'u1',
      }),
      TWO_CREDENTIALS,
    ],
    ['a personal access token (Bearer seam_at…)', () => bearer('seam_at1_personal_access_token'), PERSONAL],
    [
      'a console session JWT (Bearer eyJ…)',
      () => bearer('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl'),
      PERSONAL,
    ],
    [
      'a publishable key as a bearer token',
      () => bearer('seam_pk1_token'),
      'A publishable key goes in the seam-publishable-key header, with seam-user-identifier-key',
    ],
    ['Authorization: Basic', () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }), NOT_BEARER],
    ['Authorization: Bearer without a token', () => ({ authorization: 'Bearer' }), NOT_BEARER],
    [
      'Authorization: Bearer with two words',
      () => ({ authorization: 'Bearer seam_apikey1_token extra' }),
      NOT_BEARER,
    ],
    ['a bearer token that is not a Seam credential', () => bearer('not_a_seam_credential'), NOT_SEAM],
    ['a bearer token that is the bare seam_ prefix', () => bearer('seam_'), NOT_SEAM],
    [
      'a personal access token and a client session token (the refusal of the one, not "two credentials")',
      () => ({ ...bearer('seam_at1_personal_access_token'), 'client-session-token': JOHN_TOKEN }),
      PERSONAL,
    ],
    [
      'a client session token and a publishable key as a bearer token (the refusal of the one)',
      () => ({ 'client-session-token': JOHN_TOKEN, ...bearer('seam_pk1_token') }),
      'A publishable key goes in the seam-publishable-key header, with seam-user-identifier-key',
    ],
    [
      'an API key in client-session-token',
      () => ({ 'client-session-token': 'seam_apikey1_token' }),
      'The client-session-token header must hold a client session token (seam_cst…)',
    ],
    [
      'a seam-publishable-key that is not a publishable key',
      () => ({ 'seam-publishable-key': 'seam_apikey1_token' }),
      'The seam-publishable-key header must hold a publishable key (seam_pk…)',
    ],
    ['an unknown client session token', () => bearer('seam_cst_not_a_real_session_token'), UNKNOWN],
    [
      'an unknown client session token in client-session-token',
      () => ({ 'client-session-token': 'seam_cst_unknown_2' }),
      UNKNOWN,
    ],
    ['an unknown API key', () => bearer('seam_unknown_api_key'), UNKNOWN],
  ])('%s', async (_name, headers, message) => {
    const { status, body, text } = await t.execute(ViewerDocument, {}, headers())
    expect(status).toBe(401)
    expect(body).toEqual(refusal(message))
    for (const secret of secretsOf(headers())) expect(text).not.toContain(secret)
  })
})

describe('credentials that were once good, or never were', () => {
  it('refuses a client session token that Seam refuses as expired with HTTP 401 UNAUTHENTICATED', async () => {
    const created = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'expired-user', connectedAccountIds: ['jane_connected_account_id'] } },
      bearer(t.apiKey),
    )
    const { clientSessionId, token } = created.body.data!.createClientSession.clientSession
    const store = getFakeStore(t.sandbox!.fake)
    store.setState({
      client_sessions: store
        .getState()
        .client_sessions.map((session) =>
          session.client_session_id === clientSessionId
            ? { ...session, expires_at: new Date(Date.now() - 60_000).toISOString() }
            : session,
        ),
    })
    const { status, body, text } = await t.execute(ViewerDocument, {}, bearer(token!))
    expect(status).toBe(401)
    expect(body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      [UNKNOWN, 'UNAUTHENTICATED'],
    ])
    expect(body.data ?? null).toBeNull()
    expect(text).not.toContain(token!)
  })

  describe('when Seam still accepts a session past its expires_at', () => {
    // The gateway's own check, not Seam's: the upstream answers /client_sessions/get with the
    // session as it is, its expires_at a minute ago.
    let sandbox: Sandbox | undefined
    let upstream: Awaited<ReturnType<typeof startFaultyUpstream>> | undefined
    let gateway: App | undefined
    let url: string

    beforeAll(async () => {
      sandbox = await createSandbox()
      upstream = await startFaultyUpstream(sandbox.url)
      gateway = createApp(testConfig({ SEAM_ENDPOINT: upstream.url }))
      url = await gateway.start()
    })

    afterAll(async () => {
      await gateway?.stop()
      await upstream?.close()
      await sandbox?.stop()
    })

    it('refuses an expired client session token that Seam still answers for with HTTP 401, as Seam refuses it', async () => {
      const created = await execute(
        url,
        CreateClientSessionDocument,
        { input: { userIdentifierKey: 'expired-user', connectedAccountIds: ['jane_connected_account_id'] } },
        bearer(API_KEY_1),
      )
      const token = created.body.data!.createClientSession.clientSession.token!
      const atSeam = await fetch(`${sandbox!.url}/client_sessions/get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: '{}',
      })
      const { client_session: session } = (await atSeam.json()) as { client_session: Record<string, unknown> }
      upstream!.failNext('/client_sessions/get', {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_session: { ...session, expires_at: new Date(Date.now() - 60_000).toISOString() },
          ok: true,
        }),
      })
      const lookups = upstream!.count('/client_sessions/get')

      const { status, body, text } = await execute(url, ViewerDocument, {}, bearer(token))
      // Seam was asked, and accepted the token: the refusal is the gateway's, byte for byte the
      // one Seam's own refusal of an expired token gets (no reason), so that an upstream that
      // answers for expired tokens changes nothing a caller sees.
      expect(upstream!.count('/client_sessions/get')).toBe(lookups + 1)
      expect({ status, body }).toEqual({
        status: 401,
        body: { errors: [{ message: UNKNOWN, extensions: { code: 'UNAUTHENTICATED' } }] },
      })
      expect(text).not.toContain(token)
    })
  })

  it('refuses an unknown publishable key with HTTP 401 UNAUTHENTICATED', async () => {
    const headers = {
      'seam-publishable-key': 'seam_pk_not_a_real_key',
      'seam-user-identifier-key': 'someone',
    }
    const { status, body, text } = await t.execute(GetOrCreateClientSessionDocument, { input: {} }, headers)
    expect(status).toBe(401)
    expect(body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      [UNKNOWN, 'UNAUTHENTICATED'],
    ])
    expect(body.data ?? null).toBeNull()
    expect(text).not.toContain('seam_pk_not_a_real_key')
  })
})

describe('no credential', () => {
  it('is HTTP 401 UNAUTHENTICATED for viewer', async () => {
    const { status, body } = await t.execute(ViewerDocument, {}, {})
    expect(status).toBe(401)
    expect(body).toEqual({
      errors: [
        {
          message: 'A credential is required: send Authorization: Bearer <API key or client session token>',
          locations: [{ line: 2, column: 3 }],
          path: ['viewer'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
      data: null,
    })
  })

  it('may introspect the schema', async () => {
    const { status, body } = await t.execute(SchemaQueryTypeNameDocument, {}, {})
    expect(status).toBe(200)
    expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } })
  })
})

describe('principal cache', () => {
  it('checks an API key upstream once, not on every request', async () => {
    // Workspace 2's key is used nowhere else in this file: its first request is a cache miss.
    const before = await upstreamRequests('/workspaces/get')
    const first = await t.execute(ViewerDocument, {}, bearer(API_KEY_2))
    expect(first.body).toEqual({
      data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_2', clientSession: null } },
    })
    expect(await upstreamRequests('/workspaces/get')).toBe(before + 1)
    for (let i = 0; i < 3; i++) {
      expect((await t.execute(ViewerDocument, {}, bearer(API_KEY_2))).status).toBe(200)
    }
    expect(await upstreamRequests('/workspaces/get')).toBe(before + 1)
  })

  it('checks a client session token upstream once, even for requests that arrive together', async () => {
    const created = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'cache-check', connectedAccountIds: ['jane_connected_account_id'] } },
      bearer(t.apiKey),
    )
    const token = created.body.data!.createClientSession.clientSession.token!
    const before = await upstreamRequests('/client_sessions/get')

    const together = await Promise.all(
      Array.from({ length: 5 }, () => t.execute(DevicesDocument, {}, bearer(token))),
    )
    for (const { status, body } of together) {
      expect(status).toBe(200)
      expect(body.data?.devices?.nodes).toEqual([{ deviceId: 'schlage_device_id' }])
    }
    expect(await upstreamRequests('/client_sessions/get')).toBe(before + 1)

    const forms: Array<Record<string, string>> = [
      bearer(token),
      { 'client-session-token': token },
      { 'seam-client-session-token': token },
    ]
    for (const headers of forms) {
      expect((await t.execute(DevicesDocument, {}, headers)).status).toBe(200)
    }
    expect(await upstreamRequests('/client_sessions/get')).toBe(before + 1)
  })

  it('keeps every credential out of /metrics', async () => {
    const text = await (await fetch(metricsUrlOf(t.url))).text()
    for (const secret of [
      t.apiKey,
      API_KEY_2,
      JOHN_TOKEN,
      t.demoToken,
      'seam_unknown_api_key',
      'seam_cst_',
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})
