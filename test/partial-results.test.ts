import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

/**
 * SPEC §3 and §5 / issues 6 and 12 (item 11): when one upstream route fails, the rest of a query
 * still answers — the failing nullable field is null with its error, its siblings keep their data.
 * Root fields that call Seam (objects, lists and connections alike) are nullable for that reason.
 */
let t: TestGateway

beforeAll(async () => {
  t = await startTestGateway()
})

afterEach(() => simulateOutage([]))

afterAll(() => t?.stop())

/** Sets the fake's simulated outage of workspace 1 to these routes (none ends it). */
async function simulateOutage(routes: string[]) {
  const response = await fetch(`${t.sandbox!.url}/_fake/simulate_workspace_outage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace_id: 'seed_workspace_1', routes }),
  })
  expect(response.status).toBe(200)
}

async function post(query: string, headers: Record<string, string>) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** The one error of a field whose upstream route is down (a root field, or a whole path), at this column of line 1. */
const unavailable = (field: string | string[], column: number) => ({
  message: 'Seam is unavailable',
  locations: [{ line: 1, column }],
  path: typeof field === 'string' ? [field] : field,
  extensions: { code: 'UPSTREAM_UNAVAILABLE', requestId: expect.any(String) },
})

/** One upstream call that succeeds: it resets the circuit breaker's count of failures in a row. */
async function succeedOnce() {
  expect((await post('{ devices(first: 1) { nodes { deviceId } } }', bearer(t.apiKey))).status).toBe(200)
}

const JOHN_DEVICES = ['august_device_1', 'august_device_2', 'ecobee_device_1', 'minut_device_1']
const ALL_DEVICES = [...JOHN_DEVICES, 'schlage_device_id']
const ALL_ACCOUNTS = [
  'john_connected_account_id',
  'jane_connected_account_id',
  'john_assa_cs_connected_account_id',
]
const nodes = (key: string, ids: string[]) => ({ nodes: ids.map((id) => ({ [key]: id })) })

it('answers the rest of a query when one upstream route is down', async () => {
  await simulateOutage(['/connected_accounts/get'])
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(t.apiKey) },
    body: JSON.stringify({
      query:
        '{ viewer { kind } device(deviceId: "august_device_1") { deviceId } connectedAccount(connectedAccountId: "john_connected_account_id") { connectedAccountId } }',
    }),
  })
  const body = (await response.json()) as {
    data: Record<string, unknown>
    errors: Array<{ path: string[]; extensions: { code: string } }>
  }
  expect(response.status).toBe(200)
  expect(body.data).toEqual({
    viewer: { kind: 'WORKSPACE' },
    device: { deviceId: 'august_device_1' },
    connectedAccount: null,
  })
  expect(body.errors.map((error) => [error.path, error.extensions.code])).toEqual([
    [['connectedAccount'], 'UPSTREAM_UNAVAILABLE'],
  ])
})

const DASHBOARD =
  '{ viewer { kind } devices { nodes { deviceId } } connectedAccounts { nodes { connectedAccountId } } }'

it('keeps viewer and connectedAccounts when /devices/list is down: devices alone is null', async () => {
  await simulateOutage(['/devices/list'])
  expect(await post(DASHBOARD, bearer(t.apiKey))).toEqual({
    status: 200,
    body: {
      errors: [unavailable('devices', 19)],
      data: {
        viewer: { kind: 'WORKSPACE' },
        devices: null,
        connectedAccounts: nodes('connectedAccountId', ALL_ACCOUNTS),
      },
    },
  })
})

it("keeps a client session's viewer when /devices/list is down", async () => {
  await simulateOutage(['/devices/list'])
  expect(await post('{ viewer { kind } devices { nodes { deviceId } } }', bearer(t.demoToken))).toEqual({
    status: 200,
    body: {
      errors: [unavailable('devices', 19)],
      data: { viewer: { kind: 'CLIENT_SESSION' }, devices: null },
    },
  })
})

it('keeps viewer and devices when /connected_accounts/list is down: connectedAccounts alone is null', async () => {
  await simulateOutage(['/connected_accounts/list'])
  expect(await post(DASHBOARD, bearer(t.apiKey))).toEqual({
    status: 200,
    body: {
      errors: [unavailable('connectedAccounts', 50)],
      data: {
        viewer: { kind: 'WORKSPACE' },
        devices: nodes('deviceId', ALL_DEVICES),
        connectedAccounts: null,
      },
    },
  })
})

it('keeps viewer and devices when /client_sessions/list is down: clientSessions alone is null', async () => {
  await simulateOutage(['/client_sessions/list'])
  expect(
    await post(
      '{ viewer { kind } devices { nodes { deviceId } } clientSessions { clientSessionId } }',
      bearer(t.apiKey),
    ),
  ).toEqual({
    status: 200,
    body: {
      errors: [unavailable('clientSessions', 50)],
      data: { viewer: { kind: 'WORKSPACE' }, devices: nodes('deviceId', ALL_DEVICES), clientSessions: null },
    },
  })
})

it("reports a client session's nested devices and accounts as failed, never as empty, when Seam is down", async () => {
  // One route at a time, each after a success: every failed read is retried twice, and eight
  // failures in a row would open the circuit breaker.
  await succeedOnce()
  await simulateOutage(['/devices/list'])
  expect(
    await post(
      '{ viewer { kind clientSession { clientSessionId devices { nodes { deviceId } } } } }',
      bearer(t.demoToken),
    ),
  ).toEqual({
    status: 200,
    body: {
      errors: [unavailable(['viewer', 'clientSession', 'devices'], 49)],
      data: { viewer: { kind: 'CLIENT_SESSION', clientSession: null } },
    },
  })
  await simulateOutage([])
  await succeedOnce()
  await simulateOutage(['/connected_accounts/list'])
  expect(
    await post(
      '{ viewer { kind clientSession { connectedAccounts { connectedAccountId } } } }',
      bearer(t.demoToken),
    ),
  ).toEqual({
    status: 200,
    body: {
      errors: [unavailable(['viewer', 'clientSession', 'connectedAccounts'], 33)],
      data: { viewer: { kind: 'CLIENT_SESSION', clientSession: null } },
    },
  })
})
