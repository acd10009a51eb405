import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import {
  ConnectedAccountDocument,
  CreateClientSessionDocument,
  DevicesDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { startFaultyUpstream } from './helpers/faulty-upstream.js'
import { bearer, startTestGateway, type TestGateway, testConfig } from './helpers/gateway.js'

// Seam failures as a client of the gateway sees them: each becomes its contract code, with a message
// that carries no URL, no stack and no credential.

const API_KEY = 'seam_apikey1_token'
const JOHN_TOKEN = 'seam_cst1_token'
const ALL_DEVICES = [
  'august_device_1',
  'august_device_2',
  'ecobee_device_1',
  'minut_device_1',
  'schlage_device_id',
]

/** The body of a failed `devices` query (the connection is nullable: only it is null). */
const devicesError = (code: string, message: string, requestId?: unknown) => ({
  errors: [
    {
      message,
      locations: [{ line: 2, column: 3 }],
      path: ['devices'],
      extensions: { code, ...(requestId === undefined ? {} : { requestId }) },
    },
  ],
  data: { devices: null },
})

/** Asserts that a response body leaks nothing of the upstream or of the caller's credential. */
function expectNothingLeaked(text: string, secrets: string[]) {
  for (const fragment of ['http://', 'https://', '127.0.0.1', 'localhost', '    at ', 'stack', ...secrets]) {
    expect(text).not.toContain(fragment)
  }
}

describe('on the embedded sandbox', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  /** Sets the fake's simulated outage of workspace 1 to these routes (none ends it). */
  async function simulateOutage(routes: string[]) {
    const response = await fetch(`${t.sandbox!.url}/_fake/simulate_workspace_outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace_id: 'seed_workspace_1', routes }),
    })
    expect(response.status).toBe(200)
  }

  it('turns an outage of /devices/list into UPSTREAM_UNAVAILABLE, for a workspace and for a session', async () => {
    await simulateOutage(['/devices/list'])
    try {
      for (const headers of [bearer(API_KEY), bearer(JOHN_TOKEN)]) {
        const { status, body, text } = await t.execute(DevicesDocument, {}, headers)
        expect(status).toBe(200)
        expect(body).toEqual(devicesError('UPSTREAM_UNAVAILABLE', 'Seam is unavailable', expect.any(String)))
        expectNothingLeaked(text, [API_KEY, JOHN_TOKEN, t.sandbox!.url])
      }
      // Routes that are up keep working.
      const viewer = await t.execute(ViewerDocument, {}, bearer(API_KEY))
      expect(viewer.body).toEqual({
        data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_1', clientSession: null } },
      })
    } finally {
      await simulateOutage([])
    }
    const recovered = await t.execute(DevicesDocument, {}, bearer(API_KEY))
    expect(recovered.body.data?.devices?.nodes.map((node) => node.deviceId)).toEqual(ALL_DEVICES)
  })

  it("turns Seam's invalid_input into BAD_USER_INPUT with Seam's own message", async () => {
    // What Seam itself says about this input.
    const direct = await fetch(`${t.sandbox!.url}/devices/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
      body: JSON.stringify({ device_types: ['not_a_device_type'] }),
    })
    expect(direct.status).toBe(400)
    const seamError = ((await direct.json()) as { error: { type: string; message: string } }).error
    expect(seamError.type).toBe('invalid_input')
    expect(seamError.message).toBe('Invalid input for "device_types.0"')

    const { status, body, text } = await t.execute(
      DevicesDocument,
      { deviceTypes: ['not_a_device_type'] },
      bearer(API_KEY),
    )
    expect(status).toBe(200)
    expect(body).toEqual(devicesError('BAD_USER_INPUT', seamError.message, expect.any(String)))
    expectNothingLeaked(text, [API_KEY, t.sandbox!.url])
  })

  it("masks an unexpected exception as INTERNAL_SERVER_ERROR with Yoga's generic message", async () => {
    // Seam's shape says a connected account has created_at; without it the resolver throws a plain Error.
    const store = getFakeStore(t.sandbox!.fake)
    store.setState({
      connected_accounts: store
        .getState()
        .connected_accounts.map((account) =>
          account.connected_account_id === 'jane_connected_account_id'
            ? { ...account, created_at: undefined as unknown as string }
            : account,
        ),
    })
    const { status, body, text } = await t.execute(
      ConnectedAccountDocument,
      { connectedAccountId: 'jane_connected_account_id' },
      bearer(API_KEY),
    )
    expect(status).toBe(200)
    expect(body).toEqual({
      errors: [
        {
          message: 'Unexpected error.',
          locations: [{ line: 7, column: 5 }],
          path: ['connectedAccount', 'createdAt'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
      data: { connectedAccount: null },
    })
    expectNothingLeaked(text, [API_KEY, 'created_at', 'jane_connected_account_id'])
  })
})

describe('on a faulty upstream', () => {
  const TIMEOUT_MS = 300
  let sandbox: Sandbox | undefined
  let upstream: Awaited<ReturnType<typeof startFaultyUpstream>> | undefined
  let gateway: App | undefined
  let url: string

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 })
    upstream = await startFaultyUpstream(sandbox.url)
    gateway = createApp(
      testConfig({
        SEAM_ENDPOINT: upstream.url,
        UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      }),
    )
    url = await gateway.start()
  })

  afterEach(async () => {
    upstream?.reset()
    // One call that succeeds: the circuit breaker's count of failures in a row starts from zero
    // again, whichever tests ran before (eight in a row would open it for the next test).
    const { body } = await execute(DevicesDocument, {})
    expect(body.errors).toBeUndefined()
    upstream?.reset()
  })

  afterAll(async () => {
    await gateway?.stop()
    await upstream?.close()
    await sandbox?.stop()
  })

  async function execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers: Record<string, string> = bearer(API_KEY),
  ) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body: JSON.stringify({ query: print(document), variables }),
    })
    const text = await response.text()
    return {
      status: response.status,
      body: JSON.parse(text) as { data?: TData | null; errors?: unknown[] },
      text,
    }
  }

  const count = (route: string) => upstream!.requests.filter((requested) => requested === route).length
  const seamErrorBody = (type: string, message: string) =>
    JSON.stringify({ error: { type, message }, ok: false })

  it('serves through the faulty upstream when nothing fails', async () => {
    const { body } = await execute(DevicesDocument, {})
    expect(body).toEqual({
      data: {
        devices: {
          edges: ALL_DEVICES.map((deviceId) => ({ cursor: expect.any(String), node: { deviceId } })),
          nodes: ALL_DEVICES.map((deviceId) => ({ deviceId })),
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      },
    })
  })

  it('turns an upstream that does not answer in time into UPSTREAM_TIMEOUT', async () => {
    await execute(ViewerDocument, {}) // The API key is checked (and cached) before the fault starts.
    upstream!.failAlways('/devices/list', 'hang')
    const started = performance.now()
    const { status, body, text } = await execute(DevicesDocument, {})
    const elapsed = performance.now() - started
    expect(status).toBe(200)
    expect(body).toEqual(devicesError('UPSTREAM_TIMEOUT', `Seam did not answer within ${TIMEOUT_MS} ms`))
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 10)
    expect(elapsed).toBeLessThan(5 * TIMEOUT_MS)
    expectNothingLeaked(text, [API_KEY, upstream!.url, sandbox!.url])
  })

  it("turns a 429 into RATE_LIMITED with Seam's request id", async () => {
    await execute(ViewerDocument, {})
    upstream!.failAlways('/devices/list', {
      status: 429,
      headers: {
        'content-type': 'application/json',
        'seam-request-id': 'req_rate_limited',
        'retry-after': '0',
      },
      body: seamErrorBody('rate_limit_exceeded', 'Too many requests'),
    })
    const { status, body, text } = await execute(DevicesDocument, {})
    expect(status).toBe(200)
    expect(body).toEqual(
      devicesError('RATE_LIMITED', 'Seam rate limit reached; retry later', 'req_rate_limited'),
    )
    expectNothingLeaked(text, [API_KEY, upstream!.url])
    // A read is retried at most twice.
    expect(count('/devices/list')).toBeGreaterThanOrEqual(1)
    expect(count('/devices/list')).toBeLessThanOrEqual(3)
  })

  it("turns a 5xx into UPSTREAM_UNAVAILABLE with Seam's request id, and hides Seam's message", async () => {
    await execute(ViewerDocument, {})
    upstream!.failAlways('/devices/list', {
      status: 500,
      headers: { 'content-type': 'application/json', 'seam-request-id': 'req_unavailable' },
      body: seamErrorBody('internal_server_error', `Failed at ${sandbox!.url}/internal with ${API_KEY}`),
    })
    const { status, body, text } = await execute(DevicesDocument, {})
    expect(status).toBe(200)
    expect(body).toEqual(devicesError('UPSTREAM_UNAVAILABLE', 'Seam is unavailable', 'req_unavailable'))
    expectNothingLeaked(text, [API_KEY, upstream!.url, sandbox!.url])
    expect(count('/devices/list')).toBeLessThanOrEqual(3)
  })

  it('turns an answer that is not Seam JSON into UPSTREAM_UNAVAILABLE', async () => {
    await execute(ViewerDocument, {})
    upstream!.failAlways('/devices/list', {
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>proxy error page</html>',
    })
    const { status, body } = await execute(DevicesDocument, {})
    expect(status).toBe(200)
    expect(body).toEqual(devicesError('UPSTREAM_UNAVAILABLE', 'Seam is unavailable'))
  })

  it('turns an unreachable upstream, when checking a credential, into UPSTREAM_UNAVAILABLE, not UNAUTHENTICATED', async () => {
    upstream!.failAlways('/workspaces/get', { status: 503 })
    // Workspace 2's key has not been checked yet by this gateway.
    const { body, text } = await execute(ViewerDocument, {}, bearer('seam_apikey2_token'))
    expect(body).toEqual({
      errors: [{ message: 'Seam is unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
    })
    expectNothingLeaked(text, ['seam_apikey2_token', upstream!.url])
  })

  it('retries a read that fails once with a 503, and answers', async () => {
    await execute(ViewerDocument, {})
    upstream!.failNext('/devices/list', { status: 503 })
    const { body } = await execute(DevicesDocument, {})
    expect(body.errors).toBeUndefined()
    expect((body.data as { devices: { nodes: unknown[] } } | null)?.devices.nodes).toEqual(
      ALL_DEVICES.map((deviceId) => ({ deviceId })),
    )
    expect(count('/devices/list')).toBe(2)
  })

  it('retries a read after a 429 with Retry-After, and answers', async () => {
    await execute(ViewerDocument, {})
    upstream!.failNext('/devices/list', {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '0' },
      body: seamErrorBody('rate_limit_exceeded', 'Too many requests'),
    })
    const { body } = await execute(DevicesDocument, {})
    expect(body.errors).toBeUndefined()
    expect(count('/devices/list')).toBe(2)
  })

  it('never retries a write', async () => {
    upstream!.failNext('/client_sessions/create', { status: 503 })
    const { status, body } = await execute(CreateClientSessionDocument, {
      input: { userIdentifierKey: 'never-retried', connectedAccountIds: ['john_connected_account_id'] },
    })
    expect(status).toBe(200)
    expect(body).toEqual({
      errors: [
        {
          message: 'Seam is unavailable',
          locations: [{ line: 2, column: 3 }],
          path: ['createClientSession'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ],
      data: null,
    })
    expect(count('/client_sessions/create')).toBe(1)
    expect(
      getFakeStore(sandbox!.fake)
        .getState()
        .client_sessions.filter((session) => session.user_identifier_key === 'never-retried'),
    ).toEqual([])
  })
})
