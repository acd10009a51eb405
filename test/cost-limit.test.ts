import {
  type DocumentNode,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_QUERY } from '../sandbox/embedded.js'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { schema } from '../src/schema/index.js'
import { WorkspaceDashboardDocument } from './generated/graphql.js'
import { createClientPool, sleep, subscribeWs, waitFor } from './helpers/clients.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute, present } from './helpers/execute.js'
import { bearer, startTestGateway, type TestGateway, testConfig } from './helpers/gateway.js'

/**
 * Issue 12, item 2: the cost limit counts every connection at the page size it will really use —
 * a literal `first`, a variable, or the default of 50 — and every list at what it can return, and
 * refuses an operation over MAX_COST before anything runs: no credential lookup, no resolver, no
 * upstream call (counted on the wire by a proxy between the gateway and the sandbox), on HTTP, SSE
 * and graphql-ws alike.
 */

const API_KEY = { authorization: 'Bearer seam_apikey1_token' }
const JOHN_ACCOUNT = 'john_connected_account_id'
/** Devices added to John's account, so that every nested page can be full. */
const EXTRA_DEVICES = 60
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8'

/** `devices → connectedAccount → devices → connectedAccount → devices`, each page sized by `first`. */
const nested = (first: string) => {
  const level = (inner: string) => `devices${first} { nodes { deviceId ${inner} } }`
  return level(`connectedAccount { ${level(`connectedAccount { ${level('')} }`)} }`)
}

/**
 * The three ways of writing the same walk-around, with their cost. Before the fix, on a sandbox with
 * these devices, the first answered 65,640 devices (2.1 MB) and the second 127,550 (4.0 MB); only
 * the third was refused.
 */
const ATTACKS = [
  {
    name: 'first: $n (n = 40) in a variable',
    query: `query Nested($n: Int) { ${nested('(first: $n)')} }`,
    variables: { n: 40 },
    cost: '134,561',
  },
  {
    name: 'no first at all (50 by default)',
    query: `query Nested { ${nested('')} }`,
    variables: {},
    cost: '260,201',
  },
  {
    name: 'first: 40 written in the document',
    query: `query Nested { ${nested('(first: 40)')} }`,
    variables: {},
    cost: '134,561',
  },
]

const refusal = (cost: string, limit = '100,000') => ({
  message: `Query cost ${cost} exceeds the limit of ${limit} (MAX_COST): the selections of a connection count once per item of its page (first, 50 when absent)`,
  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
})

let sandbox: Sandbox
let proxy: CountingProxy
let gateway: App
let url: string
/** A browser's credential: a client session token for John's account. */
let browser: Record<string, string>

beforeAll(async () => {
  sandbox = await createSandbox()
  const store = getFakeStore(sandbox.fake)
  for (let i = 0; i < EXTRA_DEVICES; i++) {
    store.getState().addDevice({
      device_id: `cost_device_${i}`,
      device_type: 'august_lock',
      name: `Cost lock ${i}`,
      workspace_id: 'seed_workspace_1',
      connected_account_id: JOHN_ACCOUNT,
    })
  }
  proxy = await startCountingProxy(sandbox.url)
  gateway = createApp(testConfig({ SEAM_ENDPOINT: proxy.url }))
  url = await gateway.start()
  const response = await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...API_KEY },
    body: JSON.stringify({ user_identifier_key: 'cost-attacker', connected_account_ids: [JOHN_ACCOUNT] }),
  })
  const { client_session } = (await response.json()) as { client_session: { token: string } }
  browser = { authorization: `Bearer ${client_session.token}` }
})

afterAll(async () => {
  await gateway?.stop()
  await proxy?.stop()
  await sandbox?.stop()
})

const clients = createClientPool()
afterEach(() => clients.disposeAll())

/** POSTs a query; the body parsed, and the upstream calls it caused. */
async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  proxy.reset()
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  })
  const text = await response.text()
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: JSON.parse(text) as { data?: unknown; errors?: unknown[] },
    text,
    upstream: proxy.counts(),
  }
}

describe('over HTTP', () => {
  it.each(ATTACKS)(
    'refuses three nested connections with $name, before the credential is even looked up',
    async ({ query, variables, cost }) => {
      const { status, contentType, body, upstream } = await post(query, variables, browser)
      expect({ status, contentType, body, upstream }).toEqual({
        status: 400,
        contentType: GRAPHQL_RESPONSE_JSON,
        body: { errors: [refusal(cost)] },
        upstream: {},
      })
    },
  )

  it('refuses a mutation whose payload costs too much, and creates nothing', async () => {
    const sessions = () => getFakeStore(sandbox.fake).getState().client_sessions.length
    const before = sessions()
    const page =
      'devices(first: $n) { nodes { connectedAccount { devices(first: $n) { nodes { deviceId } } } } }'
    const { status, body, upstream } = await post(
      `mutation Create($n: Int) { createClientSession(input: { userIdentifierKey: "cost-mutation" }) { clientSession { a: ${page} b: ${page} } } }`,
      { n: 200 },
      API_KEY,
    )
    expect({ status, body, upstream }).toEqual({
      status: 400,
      body: { errors: [refusal('161,204')] },
      upstream: {},
    })
    expect(sessions()).toBe(before)
  })

  it('counts nodes(ids) once per id sent', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) =>
      Buffer.from(`Device:cost_device_${i}`).toString('base64'),
    )
    const query =
      'query Many($ids: [ID!]!) { nodes(ids: $ids) { id ... on Device { connectedAccount { devices { nodes { deviceId } } } } } }'
    const { status, body, upstream } = await post(query, { ids }, browser)
    expect({ status, body, upstream }).toEqual({
      status: 400,
      body: { errors: [refusal('103,001')] },
      upstream: {},
    })
  })

  it('refuses nodes(ids) with more than 100 ids, and id filters over 200, before any upstream call', async () => {
    // Cheap by cost (one unit per id) but not to answer: each id may be a NOT_FOUND error of its own.
    const ids = Array.from({ length: 20_000 }, () => '')
    await post('{ viewer { kind } }', {}, browser) // the token's lookup, out of the counts below
    const many = await post('query Many($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, browser)
    expect({ status: many.status, body: many.body, upstream: many.upstream }).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'ids may hold at most 100 values, got 20000',
            locations: [{ line: 1, column: 28 }],
            path: ['nodes'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
      upstream: {},
    })

    const deviceIds = Array.from({ length: 201 }, (_, i) => `cost_device_${i}`)
    const filtered = await post(
      'query Filtered($ids: [ID!]) { devices(deviceIds: $ids) { nodes { deviceId } } }',
      { ids: deviceIds },
      browser,
    )
    expect({ status: filtered.status, body: filtered.body, upstream: filtered.upstream }).toEqual({
      status: 200,
      body: {
        data: { devices: null },
        errors: [
          {
            message: 'deviceIds may hold at most 200 values, got 201',
            locations: [{ line: 1, column: 31 }],
            path: ['devices'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
      upstream: {},
    })

    const hundred = Array.from({ length: 100 }, (_, i) =>
      Buffer.from(`Device:cost_device_${i % EXTRA_DEVICES}`).toString('base64'),
    )
    const allowed = await post(
      'query Many($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: hundred },
      browser,
    )
    expect(allowed.status).toBe(200)
    expect(allowed.body).toEqual({ data: { nodes: hundred.map((id) => ({ id })) } })
  })

  it("counts a workspace's unpaged session list as 50 sessions of 10 accounts", async () => {
    const query =
      '{ clientSessions { connectedAccounts { devices { nodes { deviceId connectedAccount { connectedAccountId } } } } } }'
    const { status, body, upstream } = await post(query, {}, API_KEY)
    expect({ status, body, upstream }).toEqual({
      status: 400,
      body: { errors: [refusal('100,551')] },
      upstream: {},
    })
  })

  it('runs the same nested query with a page size that the limit allows, and returns what it costs', async () => {
    const { status, body } = await post(ATTACKS[0]!.query, { n: 10 }, browser)
    expect(status).toBe(200)
    expect(body.errors).toBeUndefined()
    const deviceIds = JSON.stringify(body.data).match(/"deviceId"/g) ?? []
    expect(deviceIds).toHaveLength(10 + 10 * 10 + 10 * 10 * 10)
  })

  it("runs the budget's workspace dashboard, the GraphiQL example and two nested default pages", async () => {
    // A workspace dashboard: every session (50 counted), its accounts (10 counted), their devices.
    await execute(url, WorkspaceDashboardDocument, {}, API_KEY)
    const dashboard = await execute(url, WorkspaceDashboardDocument, {}, API_KEY)
    expect(dashboard.body.errors).toBeUndefined()
    expect(present(dashboard.body.data?.clientSessions, 'clientSessions').length).toBeGreaterThan(0)

    const example = await post(EXAMPLE_QUERY, {}, browser)
    expect(example.status).toBe(200)
    expect(example.body.errors).toBeUndefined()

    // Two nested default pages with every device field (cost 35,901).
    const fields =
      'deviceId displayName deviceType workspaceId createdAt isManaged online locked batteryLevel manufacturer properties customMetadata capabilitiesSupported'
    const twoLevels = await post(
      `{ devices { nodes { ${fields} connectedAccount { connectedAccountId displayName devices { nodes { ${fields} } } } } } }`,
      {},
      browser,
    )
    expect(twoLevels.status).toBe(200)
    expect(twoLevels.body.errors).toBeUndefined()
    expect(twoLevels.text.match(/"capabilitiesSupported"/g)).toHaveLength(50 + 50 * 50)
  })
})

describe('over graphql-ws', () => {
  it.each(ATTACKS)(
    'refuses three nested connections with $name as the operation error, and keeps the socket',
    async ({ query, variables, cost }) => {
      const socket = clients.openWs(url, browser)
      await waitFor(() => socket.connected === 1, 'connection_ack')
      proxy.reset()
      const { recording } = await runWs(socket.client, parse(query), variables)
      expect(socket.closes).toEqual([])
      expect(recording).toEqual({ results: [], errors: [[refusal(cost)]], completed: false })
      expect(proxy.counts()).toEqual({})
    },
  )
})

describe('over SSE', () => {
  it.each(ATTACKS)(
    'refuses three nested connections with $name in the stream, as the other abuse limits',
    async ({ query, variables, cost }) => {
      proxy.reset()
      const recording = clients.subscribeSse(url, browser, parse(query), variables)
      await waitFor(() => recording.completed || recording.errors.length > 0, 'the stream to end')
      expect(recording).toEqual({ results: [{ errors: [refusal(cost)] }], errors: [], completed: true })
      expect(proxy.counts()).toEqual({})
    },
  )
})

describe('subscriptions (MAX_COST=10)', () => {
  // No subscription selection can reach the default limit today (an event has no lists), so this
  // gateway's is tiny: 1 for the field, 11 for its selections.
  const ALIASED_EVENT =
    'subscription { clientSessionDeleted { eventId clientSessionId workspaceId userIdentifierKey occurredAt reason a: eventId b: eventId c: eventId d: eventId e: eventId } }'
  let small: TestGateway

  beforeAll(async () => {
    small = await startTestGateway({ MAX_COST: '10' })
  })

  afterAll(async () => {
    await small?.stop()
  })

  it('refuses a subscription over the limit over graphql-ws, and keeps the socket', async () => {
    const socket = clients.openWs(small.url, bearer(small.apiKey))
    await waitFor(() => socket.connected === 1, 'connection_ack')
    const { recording } = await runWs(socket.client, parse(ALIASED_EVENT), {})
    expect(socket.closes).toEqual([])
    expect(recording).toEqual({ results: [], errors: [[refusal('12', '10')]], completed: false })
  })

  it('refuses a subscription over the limit over SSE', async () => {
    const recording = clients.subscribeSse(small.url, bearer(small.apiKey), parse(ALIASED_EVENT), {})
    await waitFor(() => recording.completed || recording.errors.length > 0, 'the stream to end')
    expect(recording).toEqual({ results: [{ errors: [refusal('12', '10')] }], errors: [], completed: true })
  })
})

describe('the cost of each field', () => {
  /**
   * Every list or connection of the schema, with the figure its selections are multiplied by when
   * `first` is absent, and when it is 7. A new list or connection fails here until it states what
   * it can return.
   */
  it('multiplies the selections of every list and connection by what it can return', () => {
    const multipliers: Record<string, [number, number]> = {}
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type)
        const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type)
        // Only selections are multiplied: a list of scalars has none.
        if (!isCompositeType(named) || !(list || named.name.endsWith('Connection'))) continue
        const at = (args: Record<string, unknown>) => {
          const option = field.extensions.complexity as
            | number
            | { multiplier?: number }
            | ((
                args: Record<string, unknown>,
                ctx: object,
                field: unknown,
              ) => number | { multiplier?: number })
          const value = typeof option === 'function' ? option(args, {}, field) : option
          return typeof value === 'object' ? (value.multiplier ?? 1) : 1
        }
        multipliers[`${type.name}.${field.name}`] = [
          at({ ids: ['a', 'b', 'c'] }),
          at({ first: 7, ids: ['a', 'b', 'c'] }),
        ]
      }
    }
    expect(multipliers).toEqual({
      'AccessCodeConnection.edges': [1, 1],
      'AccessCodeConnection.nodes': [1, 1],
      'ClientSession.connectedAccounts': [10, 10],
      'ClientSession.devices': [50, 7],
      'ConnectedAccount.devices': [50, 7],
      'ConnectedAccountConnection.edges': [1, 1],
      'ConnectedAccountConnection.nodes': [1, 1],
      'Device.accessCodes': [50, 7],
      'DeviceConnection.edges': [1, 1],
      'DeviceConnection.nodes': [1, 1],
      'Query.clientSessions': [50, 50],
      'Query.connectedAccounts': [50, 7],
      'Query.devices': [50, 7],
      'Query.nodes': [3, 3],
    })
  })
})

/** Runs one operation on a graphql-ws client until it ends (or errors), plus 50 ms for a close. */
async function runWs(
  client: Parameters<typeof subscribeWs>[0],
  document: DocumentNode,
  variables: Record<string, unknown>,
) {
  const recording = subscribeWs(client, document, variables)
  await waitFor(() => recording.completed || recording.errors.length > 0, 'the operation to end')
  await sleep(50)
  return { recording }
}
