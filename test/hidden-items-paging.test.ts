import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { execute } from './helpers/execute.js'
import { bearer, testConfig } from './helpers/gateway.js'
import { type OverSharingUpstream, startOverSharingUpstream } from './helpers/over-sharing-upstream.js'

/**
 * Connections over more than one Seam page (Seam pages of 200), through the honest sandbox and
 * through an over-sharing upstream that hands a client session its whole workspace. A page ends
 * where the items the caller may see end, wherever Seam's pages end and whatever Seam sent around
 * them: `hasNextPage` is false on the last page, and no cursor leads back to items already seen.
 */

const HONEST = 'honest sandbox'
const OVER_SHARING = 'over-sharing upstream'
const UPSTREAMS = [HONEST, OVER_SHARING] as const
type Upstream = (typeof UPSTREAMS)[number]

const API_KEY = 'seam_apikey1_token'
/** Devices added to Jane's account: with the seed's, more than one Seam page of them. */
const BULK = 200
/** The session's own devices, added last, so that Seam lists them after every other. */
const LATE_DEVICES = ['late_device_1', 'late_device_2', 'late_device_3']

const PAGE = parse(`
  query Page($first: Int, $after: String) {
    devices(first: $first, after: $after) { nodes { deviceId } pageInfo { hasNextPage endCursor } }
  }
`) as TypedDocumentNode<
  { devices: { nodes: Array<{ deviceId: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } },
  { first?: number; after?: string }
>

let sandbox: Sandbox
let overSharing: OverSharingUpstream
const gateways = {} as Record<Upstream, { gateway: App; url: string }>
let lateToken: string
/** Every device of workspace 1, in Seam's order. */
let workspaceDevices: string[]

beforeAll(async () => {
  sandbox = await createSandbox()
  overSharing = await startOverSharingUpstream(sandbox)
  for (const [upstream, endpoint] of [
    [HONEST, sandbox.url],
    [OVER_SHARING, overSharing.url],
  ] as const) {
    const gateway = createApp(
      testConfig({
        SEAM_ENDPOINT: endpoint,
        CURSOR_SECRET: 'hidden-items-paging-cursor-secret',
        RATE_LIMIT_PER_MINUTE: '0',
      }),
    )
    gateways[upstream] = { gateway, url: await gateway.start() }
  }
  const store = getFakeStore(sandbox.fake)
  for (let i = 0; i < BULK; i++) {
    store.getState().addDevice({
      device_id: `bulk_device_${String(i).padStart(3, '0')}`,
      device_type: 'august_lock',
      name: `Bulk lock ${i}`,
      workspace_id: 'seed_workspace_1',
      connected_account_id: 'jane_connected_account_id',
    })
  }
  store.getState().addConnectedAccount({
    provider: 'august',
    workspace_id: 'seed_workspace_1',
    user_identifier: { email: 'late@example.com' },
    connected_account_id: 'late_account',
  })
  for (const deviceId of LATE_DEVICES) {
    store.getState().addDevice({
      device_id: deviceId,
      device_type: 'august_lock',
      name: deviceId,
      workspace_id: 'seed_workspace_1',
      connected_account_id: 'late_account',
    })
  }
  const created = await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify({ user_identifier_key: 'late-user', connected_account_ids: ['late_account'] }),
  })
  lateToken = ((await created.json()) as { client_session: { token: string } }).client_session.token
  workspaceDevices = []
  for (let cursor: string | undefined; ; ) {
    const response = await fetch(`${sandbox.url}/devices/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
      body: JSON.stringify(cursor === undefined ? {} : { page_cursor: cursor }),
    })
    const page = (await response.json()) as {
      devices: Array<{ device_id: string }>
      pagination: { next_page_cursor: string | null }
    }
    workspaceDevices.push(...page.devices.map((device) => device.device_id))
    if (page.pagination.next_page_cursor === null) break
    cursor = page.pagination.next_page_cursor
  }
})

afterAll(async () => {
  for (const { gateway } of Object.values(gateways)) await gateway.stop()
  await overSharing?.close()
  await sandbox?.stop()
})

describe.each(UPSTREAMS)('through the %s', (upstream) => {
  const page = (variables: { first?: number; after?: string }, token: string) =>
    execute(gateways[upstream].url, PAGE, variables, bearer(token))

  it('a page that reaches the end of the list across two Seam pages has no next page', async () => {
    // More than one Seam page: the first 190, then the rest from the end of one Seam page and the next.
    expect(workspaceDevices.length).toBeGreaterThan(200)
    const head = await page({ first: 190 }, API_KEY)
    const tail = await page({ first: 50, after: head.body.data!.devices.pageInfo.endCursor }, API_KEY)
    expect(tail.body.errors).toBeUndefined()
    expect({
      nodes: tail.body.data!.devices.nodes.map((node) => node.deviceId),
      hasNextPage: tail.body.data!.devices.pageInfo.hasNextPage,
    }).toEqual({ nodes: workspaceDevices.slice(190), hasNextPage: false })
    // Its end cursor leads nowhere new.
    const after = await page({ first: 50, after: tail.body.data!.devices.pageInfo.endCursor }, API_KEY)
    expect(after.body.data!.devices.nodes).toEqual([])
  })

  it("a client session's devices after a whole Seam page of others' end its list", async () => {
    const { body } = await page({ first: 50 }, lateToken)
    expect(body.errors).toBeUndefined()
    expect({
      nodes: body.data!.devices.nodes.map((node) => node.deviceId),
      hasNextPage: body.data!.devices.pageInfo.hasNextPage,
    }).toEqual({ nodes: LATE_DEVICES, hasNextPage: false })
    const after = await page({ first: 50, after: body.data!.devices.pageInfo.endCursor }, lateToken)
    expect(after.body.data!.devices.nodes).toEqual([])
  })

  it("a client session's devices one by one, behind a Seam page of others'", async () => {
    const seen: string[] = []
    let after: string | undefined
    for (let pages = 0; pages < 10; pages++) {
      const { body } = await page({ first: 1, ...(after === undefined ? {} : { after }) }, lateToken)
      expect(body.errors).toBeUndefined()
      seen.push(...body.data!.devices.nodes.map((node) => node.deviceId))
      if (!body.data!.devices.pageInfo.hasNextPage) break
      after = body.data!.devices.pageInfo.endCursor
    }
    expect(seen).toEqual(LATE_DEVICES)
  })
})
