import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import {
  ClientSessionDevicesScreenDocument,
  TwinDeviceListsDocument,
  WorkspaceDashboardDocument,
} from './generated/graphql.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute, present } from './helpers/execute.js'
import { testConfig } from './helpers/gateway.js'

/**
 * Upstream request budgets (SPEC §5), counted on the wire by a proxy between the gateway and the
 * sandbox, with the naive resolver count (one call per object) printed beside them.
 */
const SESSIONS = 24
const API_KEY = { authorization: 'Bearer seam_apikey1_token' }

let sandbox: Sandbox
let proxy: CountingProxy
let gateway: App
let url: string
let sessionToken: string

beforeAll(async () => {
  sandbox = await createSandbox()
  proxy = await startCountingProxy(sandbox.url)
  gateway = createApp(testConfig({ SEAM_ENDPOINT: proxy.url }))
  url = await gateway.start()
  for (let i = 0; i < SESSIONS; i++) {
    const response = await fetch(`${sandbox.url}/client_sessions/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...API_KEY },
      body: JSON.stringify({
        user_identifier_key: `budget-user-${i}`,
        connected_account_ids: ['john_connected_account_id', 'jane_connected_account_id'],
      }),
    })
    const body = (await response.json()) as { client_session: { token: string } }
    sessionToken = body.client_session.token
  }
})

afterAll(async () => {
  await gateway?.stop()
  await proxy?.stop()
  await sandbox?.stop()
})

describe('upstream budget', () => {
  it(`workspace dashboard: ${SESSIONS}+ sessions with accounts and devices in at most 3 requests`, async () => {
    await execute(url, WorkspaceDashboardDocument, {}, API_KEY) // resolves and caches the principal
    proxy.reset()
    const { body } = await execute(url, WorkspaceDashboardDocument, {}, API_KEY)
    const sessions = present(body.data?.clientSessions, 'clientSessions')
    expect(body.errors).toBeUndefined()
    expect(sessions.length).toBeGreaterThan(SESSIONS)
    const accounts = sessions.flatMap((s) => s.connectedAccounts)
    const devices = accounts.flatMap((a) => a.devices.nodes)
    const naive = 1 + accounts.length + accounts.length
    console.log(`workspace dashboard: ${proxy.total()} upstream requests (naive: ${naive})`, proxy.counts())
    expect(proxy.counts()).toEqual({
      '/client_sessions/list': 1,
      '/connected_accounts/list': 1,
      '/devices/list': 1,
    })
    // Each test session reaches John's 4 devices and Jane's 1; the seeded session reaches John's 4.
    expect(devices.length).toBe(SESSIONS * 5 + 4)
  })

  it("a client session's screen in at most 3 requests", async () => {
    const headers = { authorization: `Bearer ${sessionToken}` }
    await execute(url, ClientSessionDevicesScreenDocument, {}, headers)
    proxy.reset()
    const { body } = await execute(url, ClientSessionDevicesScreenDocument, {}, headers)
    expect(body.errors).toBeUndefined()
    const session = body.data!.viewer.clientSession!
    const naive = 1 + session.connectedAccounts.length * 2 + 1 + session.devices.nodes.length
    console.log(`client session screen: ${proxy.total()} upstream requests (naive: ${naive})`, proxy.counts())
    expect(proxy.total()).toBeLessThanOrEqual(3)
    expect(session.devices.nodes.map((d) => d.deviceId).sort()).toEqual([
      'august_device_1',
      'august_device_2',
      'ecobee_device_1',
      'minut_device_1',
      'schlage_device_id',
    ])
  })

  it('repeated requests with a cached credential make no validation request', async () => {
    const headers = { authorization: `Bearer ${sessionToken}` }
    await execute(url, ClientSessionDevicesScreenDocument, {}, headers)
    await execute(url, WorkspaceDashboardDocument, {}, API_KEY)
    proxy.reset()
    for (let i = 0; i < 5; i++) {
      await execute(url, ClientSessionDevicesScreenDocument, {}, headers)
      await execute(url, WorkspaceDashboardDocument, {}, API_KEY)
    }
    expect(proxy.counts()['/workspaces/get']).toBeUndefined()
    expect(proxy.counts()['/client_sessions/get']).toBeUndefined()
  })

  it('identical upstream reads of one request are made once', async () => {
    await execute(url, TwinDeviceListsDocument, {}, API_KEY)
    proxy.reset()
    const { body } = await execute(url, TwinDeviceListsDocument, {}, API_KEY)
    expect(body.errors).toBeUndefined()
    expect(present(body.data?.a, 'a').nodes).toEqual(present(body.data?.b, 'b').nodes)
    expect(proxy.counts()).toEqual({ '/devices/list': 1 })
  })
})
