import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { CreateClientSessionDocument } from './generated/graphql.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

// Seam lists at most 500 items a page. Where the gateway needs a whole list (the devices of
// connected accounts, devices by id, a session's connected accounts), it follows every page: an
// account with 604 devices has 604 devices on every path that lists them, whoever asks.

const COUNT = 604
const pad = (i: number) => String(i).padStart(3, '0')
/** Seeded into workspace 1: one account with COUNT devices, and COUNT accounts without any. */
const BULK_ACCOUNT = 'bulk_account'
const BULK_DEVICES = Array.from({ length: COUNT }, (_, i) => `bulk_device_${pad(i)}`)
const MANY_ACCOUNTS = Array.from({ length: COUNT }, (_, i) => `many_account_${pad(i)}`)

interface Page {
  nodes: Array<{ deviceId: string }>
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
}
type Variables = { after?: string | null } & Record<string, unknown>
const document = <TData>(query: string) => parse(query) as TypedDocumentNode<TData, Variables>

const PAGE = 'nodes { deviceId } pageInfo { hasNextPage endCursor }'
const SESSION_DEVICES = document<{ viewer: { clientSession: { deviceCount: number; devices: Page } } }>(
  `query ($after: String) { viewer { clientSession { deviceCount devices(first: 200, after: $after) { ${PAGE} } } } }`,
)
const ACCOUNT_DEVICES = document<{ connectedAccount: { devices: Page } | null }>(
  `query ($after: String) { connectedAccount(connectedAccountId: "${BULK_ACCOUNT}") { devices(first: 200, after: $after) { ${PAGE} } } }`,
)

let t: TestGateway
/** A client session of the account with COUNT devices. */
let bulkToken: string
/** A client session of the COUNT accounts. */
let manyAccountsToken: string

beforeAll(async () => {
  t = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '0' })
  const store = getFakeStore(t.sandbox!.fake)
  const state = store.getState()
  const account = state.connected_accounts.find(
    (a) => a.connected_account_id === 'john_connected_account_id',
  )!
  const device = state.devices.find((d) => d.device_id === 'august_device_1')!
  store.setState({
    connected_accounts: [
      ...state.connected_accounts,
      ...[BULK_ACCOUNT, ...MANY_ACCOUNTS].map((id) => ({ ...account, connected_account_id: id })),
    ],
    devices: [
      ...state.devices,
      ...BULK_DEVICES.map((id) => ({ ...device, device_id: id, connected_account_id: BULK_ACCOUNT })),
    ],
  })

  const session = async (userIdentifierKey: string, connectedAccountIds: string[]) => {
    const { body } = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey, connectedAccountIds: connectedAccountIds.slice(0, 1) } },
      bearer(t.apiKey),
    )
    const created = body.data!.createClientSession.clientSession
    // More accounts than one request may grant at once: granted in the store.
    store.setState({
      client_sessions: store
        .getState()
        .client_sessions.map((s) =>
          s.client_session_id === created.clientSessionId
            ? { ...s, connected_account_ids: connectedAccountIds }
            : s,
        ),
    })
    return created.token!
  }
  bulkToken = await session('bulk-user', [BULK_ACCOUNT])
  manyAccountsToken = await session('many-accounts-user', MANY_ACCOUNTS)
}, 30_000)

afterAll(async () => {
  await t?.stop()
})

/** Follows a connection's cursors to its end; returns every device id in order. */
async function everyPage<TData>(
  query: TypedDocumentNode<TData, Variables>,
  headers: Record<string, string>,
  pageOf: (data: TData) => Page,
): Promise<{ ids: string[]; pages: number; data: TData[] }> {
  const ids: string[] = []
  const data: TData[] = []
  let after: string | null = null
  for (;;) {
    const { status, body } = await t.execute(query, { after }, headers)
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
    data.push(body.data!)
    const page = pageOf(body.data!)
    ids.push(...page.nodes.map((node) => node.deviceId))
    if (!page.pageInfo.hasNextPage) return { ids, pages: data.length, data }
    after = page.pageInfo.endCursor
  }
}

const sorted = (ids: string[]) => [...ids].sort()

describe(`an account with ${COUNT} devices (Seam pages hold 500)`, () => {
  it(`ClientSession.devices lists all ${COUNT}, and deviceCount says ${COUNT}`, async () => {
    const { ids, pages, data } = await everyPage(
      SESSION_DEVICES,
      bearer(bulkToken),
      (d) => d.viewer.clientSession.devices,
    )
    expect({ count: ids.length, pages }).toEqual({ count: COUNT, pages: 4 })
    expect(sorted(ids)).toEqual(BULK_DEVICES)
    expect(data.map((d) => d.viewer.clientSession.deviceCount)).toEqual([COUNT, COUNT, COUNT, COUNT])
  })

  it(`ConnectedAccount.devices lists all ${COUNT}, for the workspace and for the session`, async () => {
    for (const headers of [bearer(t.apiKey), bearer(bulkToken)]) {
      const { ids } = await everyPage(ACCOUNT_DEVICES, headers, (d) => d.connectedAccount!.devices)
      expect(sorted(ids)).toEqual(BULK_DEVICES)
    }
  })

  it(`nodes(ids) finds all ${COUNT} devices by id in one batch`, async () => {
    // Seven nodes fields of at most 100 ids: one batch of 604 ids to /devices/list, two pages.
    const globalIds = BULK_DEVICES.map((id) => Buffer.from(`Device:${id}`).toString('base64'))
    const chunks = Array.from({ length: Math.ceil(COUNT / 100) }, (_, i) =>
      globalIds.slice(i * 100, i * 100 + 100),
    )
    const query = document<Record<string, Array<{ deviceId: string } | null>>>(
      `query (${chunks.map((_, i) => `$ids${i}: [ID!]!`).join(', ')}) {
        ${chunks.map((_, i) => `n${i}: nodes(ids: $ids${i}) { ... on Device { deviceId } }`).join('\n')}
      }`,
    )
    for (const headers of [bearer(t.apiKey), bearer(bulkToken)]) {
      const { status, body } = await t.execute(
        query,
        Object.fromEntries(chunks.map((chunk, i) => [`ids${i}`, chunk])),
        headers,
      )
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
      const found = chunks.flatMap((_, i) => body.data![`n${i}`]!.map((node) => node?.deviceId))
      expect(found).toEqual(BULK_DEVICES)
    }
  })
})

describe(`a client session of ${COUNT} connected accounts`, () => {
  it(`ClientSession.connectedAccounts lists all ${COUNT}`, async () => {
    const { status, body } = await t.execute(
      document<{ viewer: { clientSession: { connectedAccounts: Array<{ connectedAccountId: string }> } } }>(
        '{ viewer { clientSession { connectedAccounts { connectedAccountId } } } }',
      ),
      {},
      bearer(manyAccountsToken),
    )
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
    const ids = body.data!.viewer.clientSession.connectedAccounts.map((a) => a.connectedAccountId)
    expect(sorted(ids)).toEqual(MANY_ACCOUNTS)
  })
})
