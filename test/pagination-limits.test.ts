import { createHash } from 'node:crypto'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeStore, getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute } from './helpers/execute.js'
import { bearer, testConfig } from './helpers/gateway.js'

/**
 * Upstream calls a caller can cause (SPEC §5): cursors are signed and bound to their connection, Seam's
 * page size is the server's, a page costs at most `ceil(first / 200) + 1` calls, and one operation makes
 * at most MAX_UPSTREAM_CALLS_PER_OPERATION calls. Calls are counted on the wire, by a proxy between the
 * gateways and one sandbox.
 */

const API_KEY = 'seam_apikey1_token'
const JOHN_TOKEN = 'seam_cst1_token'
const SECRET = 'a-cursor-secret-of-at-least-32-characters'
const OTHER_SECRET = 'another-cursor-secret-of-32-characters-or-more'
/** Devices of workspace 1 added to the seed, on an account of their own: more than two of Seam's pages. */
const BULK = 450
const INVALID_CURSOR = 'The after cursor is not a cursor of this connection with these arguments'

interface DeviceConnection {
  nodes: Array<{ deviceId: string }>
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
}
type Data = Record<string, DeviceConnection | null>

const CONNECTION = 'nodes { deviceId } pageInfo { hasNextPage endCursor }'
const document = (query: string) => parse(query) as TypedDocumentNode<Data, Record<string, unknown>>

let sandbox: Sandbox
let store: FakeStore
let proxy: CountingProxy
const gateways: App[] = []
/** Instances A and B share a cursor secret; C has another. */
let a: string
let b: string
let c: string
/** Every device of workspace 1 in the order Seam lists them. */
let everyDevice: string[]

async function startInstance(env: Record<string, string>): Promise<string> {
  const gateway = createApp(
    testConfig({
      SEAM_ENDPOINT: proxy.url,
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    }),
  )
  gateways.push(gateway)
  return gateway.start()
}

const run = (url: string, query: string, headers: Record<string, string> = bearer(API_KEY)) =>
  execute(url, document(query), {}, headers)

/**
 * A cursor in the readable format the gateway once used (base64url JSON: Seam's page cursor `c`,
 * page size `l`, items to skip `s`, binding `q`), as an attacker forges it.
 */
const readable = (data: Record<string, unknown>) => Buffer.from(JSON.stringify(data)).toString('base64url')

/** The cursor with one byte of its sealed form flipped (`at` from the end when negative). */
function tamper(cursor: string, at: number): string {
  const raw = Buffer.from(cursor, 'base64url')
  const index = at < 0 ? raw.length + at : at
  raw[index] = (raw[index] ?? 0) ^ 0x01
  return raw.toString('base64url')
}

/** The binding hash of an unsigned cursor, as anyone could recompute it: field, filters and caller. */
const rebind = (filters: Record<string, unknown>, who: string) =>
  createHash('sha256')
    .update(JSON.stringify(['devices', filters, who]))
    .digest('base64url')
    .slice(0, 16)

/** The BAD_USER_INPUT error of a refused cursor, at `field` (the first field of the printed document). */
const invalidCursor = (field: string) => ({
  message: INVALID_CURSOR,
  locations: [{ line: 2, column: 3 }],
  path: [field],
  extensions: { code: 'BAD_USER_INPUT' },
})

beforeAll(async () => {
  sandbox = await createSandbox()
  store = getFakeStore(sandbox.fake)
  store.getState().addConnectedAccount({
    provider: 'august',
    workspace_id: 'seed_workspace_1',
    user_identifier: { email: 'bulk@example.com' },
    connected_account_id: 'bulk_account',
  })
  const template = store.getState().devices.find((d) => d.device_id === 'august_device_1')!
  const bulk = Array.from({ length: BULK }, (_, i) => ({
    ...template,
    device_id: `bulk_device_${String(i).padStart(3, '0')}`,
    connected_account_id: 'bulk_account',
  }))
  store.setState({ devices: [...store.getState().devices, ...bulk] })
  proxy = await startCountingProxy(sandbox.url)
  a = await startInstance({ CURSOR_SECRET: SECRET })
  b = await startInstance({ CURSOR_SECRET: SECRET })
  c = await startInstance({ CURSOR_SECRET: OTHER_SECRET })
  // Every device, straight from Seam (the sandbox), in its order.
  const response = await fetch(`${sandbox.url}/devices/list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify({}),
  })
  everyDevice = ((await response.json()) as { devices: Array<{ device_id: string }> }).devices.map(
    (d) => d.device_id,
  )
  expect(everyDevice.length).toBe(BULK + 5)
  // Principals resolved and cached: what follows counts the calls of the operations alone.
  for (const url of [a, b, c]) {
    await run(url, '{ viewer { kind } }')
    await run(url, '{ viewer { kind } }', bearer(JOHN_TOKEN))
  }
}, 30_000)

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop()
  await proxy?.stop()
  await sandbox?.stop()
})

describe('the amplification query', () => {
  const FILTERS = {
    all: '',
    locks: 'deviceTypes: ["august_lock"]',
    bulk: 'connectedAccountId: "bulk_account"',
  }
  const args = (filter: string, rest: string) => (filter === '' ? rest : `${filter}, ${rest}`)

  /** The end cursor of `devices(first: 1)` under each filter. */
  async function firstCursors() {
    const first = await run(
      a,
      `{ ${Object.entries(FILTERS)
        .map(([alias, filter]) => `${alias}: devices(${args(filter, 'first: 1')}) { ${CONNECTION} }`)
        .join(' ')} }`,
    )
    expect(first.body.errors).toBeUndefined()
    return Object.fromEntries(
      Object.keys(FILTERS).map((alias) => [alias, first.body.data![alias]!.pageInfo.endCursor!]),
    ) as Record<keyof typeof FILTERS, string>
  }

  const pageAfter = (cursors: Record<keyof typeof FILTERS, string>, first: number) =>
    `{ ${Object.entries(FILTERS)
      .map(
        ([alias, filter]) =>
          `${alias}: devices(${args(filter, `first: ${first}, after: "${cursors[alias as keyof typeof FILTERS]}"`)}) { ${CONNECTION} }`,
      )
      .join(' ')} }`

  const listed = {
    all: () => everyDevice,
    locks: () => everyDevice.filter((id) => id.startsWith('bulk_') || id.startsWith('august_device_')),
    bulk: () => everyDevice.filter((id) => id.startsWith('bulk_')),
  }

  it('pages devices(first: 200) after devices(first: 1) in 2 upstream calls', async () => {
    const cursors = await firstCursors()
    for (const alias of Object.keys(FILTERS) as Array<keyof typeof FILTERS>) {
      const filter = FILTERS[alias]
      proxy.reset()
      const { body } = await run(
        a,
        `{ devices(${args(filter, `first: 200, after: "${cursors[alias]}"`)}) { ${CONNECTION} } }`,
      )
      console.log(`devices(${args(filter, 'first: 200, after')}): ${proxy.total()} upstream calls`)
      expect(body.errors).toBeUndefined()
      expect(proxy.counts(), alias).toEqual({ '/devices/list': 2 })
      expect(
        body.data!.devices!.nodes.map((n) => n.deviceId),
        alias,
      ).toEqual(listed[alias]().slice(1, 201))
      expect(body.data!.devices!.pageInfo.hasNextPage, alias).toBe(true)
    }
  })

  it('pages three aliases of devices(first: 100) after devices(first: 1) in one upstream call each', async () => {
    const cursors = await firstCursors()
    proxy.reset()
    const { body } = await run(a, pageAfter(cursors, 100))
    console.log(`three aliases of devices(first: 100, after): ${proxy.total()} upstream calls`)
    expect(body.errors).toBeUndefined()
    expect(proxy.counts()).toEqual({ '/devices/list': 3 })
    for (const alias of Object.keys(FILTERS) as Array<keyof typeof FILTERS>) {
      expect(
        body.data![alias]!.nodes.map((n) => n.deviceId),
        alias,
      ).toEqual(listed[alias]().slice(1, 101))
    }
  })

  it('refuses three aliases with cursors re-encoded for a page size of 1, before any upstream call', async () => {
    const cursors = await firstCursors()
    const forged = {
      all: readable({ q: rebind({}, 'seed_workspace_1'), c: null, l: 1, s: 1 }),
      locks: readable({
        q: rebind({ deviceTypes: ['august_lock'] }, 'seed_workspace_1'),
        c: null,
        l: 1,
        s: 1,
      }),
      bulk: readable({
        q: rebind({ connectedAccountId: 'bulk_account' }, 'seed_workspace_1'),
        c: null,
        l: 1,
        s: 1,
      }),
    }
    // Genuine cursors of those connections exist and work; the forged ones are another matter.
    expect(Object.values(cursors).every((cursor) => cursor.length > 0)).toBe(true)
    proxy.reset()
    const started = performance.now()
    const { body } = await run(a, pageAfter(forged, 100))
    console.log(
      `three aliases with forged cursors: ${proxy.total()} upstream calls in ${Math.round(performance.now() - started)} ms`,
    )
    expect(proxy.total()).toBe(0)
    // Each alias fails alike, on its own (root connections are nullable).
    expect(
      (body.errors ?? []).map((error) => [error.path?.[0], error.message, error.extensions?.code]),
    ).toEqual([
      ['all', INVALID_CURSOR, 'BAD_USER_INPUT'],
      ['locks', INVALID_CURSOR, 'BAD_USER_INPUT'],
      ['bulk', INVALID_CURSOR, 'BAD_USER_INPUT'],
    ])
    expect(body.data).toEqual({ all: null, locks: null, bulk: null })
  })

  it('returns every device once, following cursors to the end, at most 2 calls a page', async () => {
    for (const first of [200, 150, 7]) {
      const seen: string[] = []
      const callsPerPage: number[] = []
      let after = ''
      for (let page = 0; page < 100; page++) {
        proxy.reset()
        const { body } = await run(a, `{ devices(first: ${first}${after}) { ${CONNECTION} } }`)
        callsPerPage.push(proxy.total())
        expect(body.errors).toBeUndefined()
        const connection = body.data!.devices!
        seen.push(...connection.nodes.map((n) => n.deviceId))
        if (!connection.pageInfo.hasNextPage) break
        after = `, after: "${connection.pageInfo.endCursor}"`
      }
      expect(seen, `first: ${first}`).toEqual(everyDevice)
      expect(Math.max(...callsPerPage), `first: ${first}`).toBeLessThanOrEqual(2)
    }
  })
})

describe('forged cursors', () => {
  it('refuses a cursor with any byte changed, and a readable one forged in the earlier format', async () => {
    const { body } = await run(a, `{ devices(first: 3) { ${CONNECTION} } }`)
    const cursor = body.data!.devices!.pageInfo.endCursor!
    const forgeries = [
      tamper(cursor, 0), // the nonce
      tamper(cursor, 14), // the sealed position
      tamper(cursor, -1), // the tag
      readable({ q: rebind({}, 'seed_workspace_1'), c: null, l: 3, s: 0 }),
      `${readable({ c: null, s: 0 })}.${cursor}`,
    ]
    for (const forged of forgeries) {
      expect(forged).not.toBe(cursor)
      proxy.reset()
      const replay = await run(a, `{ devices(first: 2, after: "${forged}") { ${CONNECTION} } }`)
      expect(replay.body.errors, forged).toEqual([invalidCursor('devices')])
      expect(proxy.total()).toBe(0)
    }
    // The genuine cursor still works.
    const genuine = await run(a, `{ devices(first: 2, after: "${cursor}") { ${CONNECTION} } }`)
    expect(genuine.body.data!.devices!.nodes.map((n) => n.deviceId)).toEqual(everyDevice.slice(3, 5))
  })

  it("shows nothing of the gateway's or Seam's state: a cursor reads as noise", async () => {
    const { body } = await run(a, `{ devices(first: 3) { ${CONNECTION} } }`)
    const cursor = body.data!.devices!.pageInfo.endCursor!
    const bytes = Buffer.from(cursor, 'base64url')
    expect(cursor).toMatch(/^[\w-]+$/)
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
      expect(text).not.toMatch(/"[csloq]"|page_cursor|seed_workspace_1|devices/)
    }
    // The same position always gets the same cursor (stable for clients that compare them).
    const again = await run(a, `{ devices(first: 3) { ${CONNECTION} } }`)
    expect(again.body.data!.devices!.pageInfo.endCursor).toBe(cursor)
  })

  it('refuses a cursor of another filter, even with its binding recomputed for the new one', async () => {
    const { body } = await run(a, `{ devices(first: 1) { ${CONNECTION} } }`)
    const cursor = body.data!.devices!.pageInfo.endCursor!
    const filters = { connectedAccountId: 'bulk_account' }
    for (const forged of [
      cursor,
      readable({ q: rebind(filters, 'seed_workspace_1'), c: null, l: 1, s: 1 }),
    ]) {
      proxy.reset()
      const replay = await run(
        a,
        `{ devices(connectedAccountId: "bulk_account", first: 2, after: "${forged}") { ${CONNECTION} } }`,
      )
      expect(replay.body.errors).toEqual([invalidCursor('devices')])
      expect(proxy.total()).toBe(0)
    }
  })

  it("refuses another principal's cursor, even with its binding recomputed for the caller", async () => {
    // John's session pages its own devices; the cursor is replayed by the workspace and by Jane.
    const created = await fetch(`${sandbox.url}/client_sessions/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
      body: JSON.stringify({
        user_identifier_key: 'cursor-jane',
        connected_account_ids: ['jane_connected_account_id'],
      }),
    })
    const jane = ((await created.json()) as { client_session: { client_session_id: string; token: string } })
      .client_session
    const { body } = await run(a, `{ devices(first: 1) { ${CONNECTION} } }`, bearer(JOHN_TOKEN))
    const cursor = body.data!.devices!.pageInfo.endCursor!
    const attempts: Array<[string, Record<string, string>]> = [
      [cursor, bearer(API_KEY)],
      [readable({ q: rebind({}, 'seed_workspace_1'), c: null, l: 1, s: 1 }), bearer(API_KEY)],
      [cursor, bearer(jane.token)],
      [readable({ q: rebind({}, jane.client_session_id), c: null, l: 1, s: 1 }), bearer(jane.token)],
    ]
    for (const [forged, headers] of attempts) {
      await run(a, '{ viewer { kind } }', headers)
      proxy.reset()
      const replay = await run(a, `{ devices(first: 2, after: "${forged}") { ${CONNECTION} } }`, headers)
      expect(replay.body.errors).toEqual([invalidCursor('devices')])
      expect(proxy.total()).toBe(0)
    }
  })
})

describe('cursors across instances', () => {
  it('a cursor signed on A works on B with the same CURSOR_SECRET, not on C with another', async () => {
    const { body } = await run(a, `{ devices(first: 1) { ${CONNECTION} } }`)
    const cursor = body.data!.devices!.pageInfo.endCursor!
    const onB = await run(b, `{ devices(first: 2, after: "${cursor}") { ${CONNECTION} } }`)
    expect(onB.body).toEqual({
      data: {
        devices: {
          nodes: everyDevice.slice(1, 3).map((deviceId) => ({ deviceId })),
          pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
        },
      },
    })
    proxy.reset()
    const onC = await run(c, `{ devices(first: 2, after: "${cursor}") { ${CONNECTION} } }`)
    expect(onC.body.errors).toEqual([invalidCursor('devices')])
    expect(proxy.total()).toBe(0)
  })
})

describe('upstream calls per operation', () => {
  const LIMIT_MESSAGE =
    'This operation reached its limit of 50 upstream calls (MAX_UPSTREAM_CALLS_PER_OPERATION)'
  /** Seam's default page of /devices/list, which the loader of an account's devices follows to the end. */
  const SEAM_DEFAULT_PAGE = 500

  it('refuses the 51st call with RATE_LIMITED; the field fails, the rest of the result stands', async () => {
    // 25,000 devices on one account: reading them all takes 50 of Seam's pages.
    store.getState().addConnectedAccount({
      provider: 'august',
      workspace_id: 'seed_workspace_1',
      user_identifier: { email: 'huge@example.com' },
      connected_account_id: 'huge_account',
    })
    const before = store.getState().devices
    const template = before.find((d) => d.device_id === 'august_device_1')!
    const huge = Array.from({ length: 50 * SEAM_DEFAULT_PAGE }, (_, i) => ({
      ...template,
      device_id: `huge_device_${String(i).padStart(5, '0')}`,
      connected_account_id: 'huge_account',
    }))
    store.setState({ devices: [...before, ...huge] })
    try {
      // A fresh instance: its principal lookup happens in this very request, outside the budget.
      const d = await startInstance({ CURSOR_SECRET: SECRET })
      proxy.reset()
      const { body } = await run(
        d,
        '{ viewer { kind } connectedAccount(connectedAccountId: "huge_account") { devices(first: 1) { nodes { deviceId } } } }',
      )
      console.log('per-operation cap:', proxy.counts())
      expect(body).toEqual({
        data: { viewer: { kind: 'WORKSPACE' }, connectedAccount: null },
        errors: [
          {
            message: LIMIT_MESSAGE,
            locations: [{ line: 6, column: 5 }],
            path: ['connectedAccount', 'devices'],
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      })
      expect(proxy.counts()).toEqual({
        '/workspaces/get': 1,
        '/connected_accounts/get': 1,
        '/devices/list': 49,
      })
      // The budget is per operation: the next one starts afresh.
      proxy.reset()
      const next = await run(d, '{ devices(first: 1) { nodes { deviceId } } }')
      expect(next.body.errors).toBeUndefined()
      expect(proxy.total()).toBe(1)
    } finally {
      store.setState({ devices: before })
    }
  }, 60_000)
})
