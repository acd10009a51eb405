import { afterAll, beforeAll, expect, it } from 'vitest'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

/**
 * SPEC §5 / issue 6: when one upstream route fails, the rest of a query still answers — the
 * failing nullable field is null with its error, its siblings keep their data.
 */
let t: TestGateway

beforeAll(async () => {
  t = await startTestGateway()
  const response = await fetch(`${t.gateway.sandbox!.url}/_fake/simulate_workspace_outage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace_id: 'seed_workspace_1', routes: ['/connected_accounts/get'] }),
  })
  expect(response.status).toBe(200)
})

afterAll(() => t?.stop())

it('answers the rest of a query when one upstream route is down', async () => {
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
