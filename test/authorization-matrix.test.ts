import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../src/sandbox/fake-store.js'
import {
  ClientSessionDeletedDocument,
  ClientSessionDocument,
  ClientSessionWithoutTokenDocument,
  ConnectedAccountDocument,
  CreateClientSessionDocument,
  DeleteClientSessionDocument,
  DeviceDocument,
  DevicesDocument,
  DeviceWithAccountDocument,
  NodeDocument,
  NodesDocument,
  SessionWithRelationsDocument,
} from './generated/graphql.js'
import { connectedAndSubscribed, createClientPool, sleep, subscribeWs, waitFor } from './helpers/clients.js'
import { present } from './helpers/execute.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

/**
 * The token wall (SPEC §4): every root field and nested relation × {own, foreign, missing} ×
 * {workspace key, client session, another workspace's key, no credential}. "Foreign" and
 * "missing" must answer alike, byte for byte once the id itself is set aside.
 */

type Caller = 'workspace' | 'clientSession' | 'otherWorkspace' | 'none'
type Kind = 'ClientSession' | 'ConnectedAccount' | 'Device'
/** For each caller and entity kind: an id of its own, a foreign one, and one that exists nowhere. */
type Ids = Record<Exclude<Caller, 'none'>, Record<Kind, { own: string; foreign: string; missing: string }>>

let t: TestGateway
let headers: Record<Caller, Record<string, string>>
let ids: Ids

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')
/** The body with the requested id (as sent) replaced, so "foreign" and "missing" can be compared whole. */
const withoutId = (text: string, sent: string) => text.split(JSON.stringify(sent).slice(1, -1)).join('<id>')

beforeAll(async () => {
  t = await startTestGateway()
  // Workspace 2 gets an account, a device and a session of its own, so that every caller has
  // something that is someone else's.
  const store = getFakeStore(t.gateway.sandbox!.fake)
  store.getState().addConnectedAccount({
    provider: 'august',
    workspace_id: 'seed_workspace_2',
    user_identifier: { email: 'other@example.com' },
    connected_account_id: 'ws2_account',
  })
  store.getState().addDevice({
    device_id: 'ws2_device',
    device_type: 'august_lock',
    name: 'Other workspace lock',
    workspace_id: 'seed_workspace_2',
    connected_account_id: 'ws2_account',
  })
  const create = async (token: string, accounts: string[], key: string) => {
    const { body } = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: key, connectedAccountIds: accounts } },
      bearer(token),
    )
    return body.data!.createClientSession.clientSession
  }
  const john = await create(t.apiKey, ['john_connected_account_id'], 'matrix-john')
  const jane = await create(t.apiKey, ['jane_connected_account_id'], 'matrix-jane')
  const other = await create('seam_apikey2_token', ['ws2_account'], 'matrix-other')
  headers = {
    workspace: bearer(t.apiKey),
    clientSession: bearer(john.token!),
    otherWorkspace: bearer('seam_apikey2_token'),
    none: {},
  }
  ids = {
    workspace: {
      ClientSession: { own: jane.clientSessionId, foreign: other.clientSessionId, missing: 'cs_missing' },
      ConnectedAccount: { own: 'jane_connected_account_id', foreign: 'ws2_account', missing: 'ca_missing' },
      Device: { own: 'schlage_device_id', foreign: 'ws2_device', missing: 'device_missing' },
    },
    clientSession: {
      ClientSession: { own: john.clientSessionId, foreign: jane.clientSessionId, missing: 'cs_missing' },
      ConnectedAccount: {
        own: 'john_connected_account_id',
        foreign: 'jane_connected_account_id',
        missing: 'ca_missing',
      },
      Device: { own: 'august_device_1', foreign: 'schlage_device_id', missing: 'device_missing' },
    },
    otherWorkspace: {
      ClientSession: { own: other.clientSessionId, foreign: jane.clientSessionId, missing: 'cs_missing' },
      ConnectedAccount: { own: 'ws2_account', foreign: 'john_connected_account_id', missing: 'ca_missing' },
      Device: { own: 'ws2_device', foreign: 'august_device_1', missing: 'device_missing' },
    },
  }
})

afterAll(() => t?.stop())

/** Runs one lookup for own, foreign and missing ids and checks the wall. */
async function checkWall(
  caller: Exclude<Caller, 'none'>,
  kind: Kind,
  run: (
    id: string,
  ) => Promise<{ status: number; text: string; body: { data?: unknown; errors?: unknown[] } }>,
  ownData: (id: string) => unknown,
  notFoundMessage: (id: string) => string,
  sent: (id: string) => string = (id) => id,
) {
  const { own, foreign, missing } = ids[caller][kind]
  const mine = await run(own)
  expect(mine.status).toBe(200)
  expect(mine.body.errors).toBeUndefined()
  expect(mine.body.data).toEqual(ownData(own))

  const theirs = await run(foreign)
  const nowhere = await run(missing)
  expect(theirs.status).toBe(nowhere.status)
  expect(withoutId(theirs.text, sent(foreign))).toBe(withoutId(nowhere.text, sent(missing)))
  expect(JSON.stringify(nowhere.body.errors)).toContain(notFoundMessage(missing))
  expect(JSON.stringify(nowhere.body.errors)).toContain('"code":"NOT_FOUND"')
  expect(theirs.text).not.toContain('workspace_id')
}

const callers = ['workspace', 'clientSession', 'otherWorkspace'] as const
const kinds = ['ClientSession', 'ConnectedAccount', 'Device'] as const
const json = (message: string) => JSON.stringify(message).slice(1, -1)

describe.each(callers)('as %s', (caller) => {
  it('device(deviceId)', () =>
    checkWall(
      caller,
      'Device',
      (id) => t.execute(DeviceDocument, { deviceId: id }, headers[caller]),
      (id) => ({ device: expect.objectContaining({ deviceId: id }) }),
      (id) => json(`Device "${id}" was not found`),
    ))

  it('connectedAccount(connectedAccountId)', () =>
    checkWall(
      caller,
      'ConnectedAccount',
      (id) => t.execute(ConnectedAccountDocument, { connectedAccountId: id }, headers[caller]),
      (id) => ({ connectedAccount: expect.objectContaining({ connectedAccountId: id }) }),
      (id) => json(`ConnectedAccount "${id}" was not found`),
    ))

  it('clientSession(clientSessionId)', () =>
    checkWall(
      caller,
      'ClientSession',
      // Without `token`: that field is FORBIDDEN for a client session even on its own session.
      (id) => t.execute(ClientSessionWithoutTokenDocument, { clientSessionId: id }, headers[caller]),
      (id) => ({ clientSession: expect.objectContaining({ clientSessionId: id }) }),
      (id) => json(`ClientSession "${id}" was not found`),
    ))

  it.each(kinds)('node(id) of a %s', (kind) => {
    const field = {
      ClientSession: 'clientSessionId',
      ConnectedAccount: 'connectedAccountId',
      Device: 'deviceId',
    }[kind]
    return checkWall(
      caller,
      kind,
      (id) => t.execute(NodeDocument, { id: globalId(kind, id) }, headers[caller]),
      (id) => ({ node: expect.objectContaining({ __typename: kind, [field]: id }) }),
      (id) => json(`Node "${globalId(kind, id)}" was not found`),
      (id) => globalId(kind, id),
    )
  })

  it.each(kinds)('nodes(ids) of a %s', (kind) =>
    checkWall(
      caller,
      kind,
      (id) => t.execute(NodesDocument, { ids: [globalId(kind, id)] }, headers[caller]),
      (id) => ({ nodes: [{ id: globalId(kind, id), __typename: kind }] }),
      (id) => json(`Node "${globalId(kind, id)}" was not found`),
      (id) => globalId(kind, id),
    ),
  )

  it('device → connectedAccount → devices stays inside the wall', async () => {
    const { own } = ids[caller].Device
    const { body } = await t.execute(DeviceWithAccountDocument, { deviceId: own }, headers[caller])
    expect(body.errors).toBeUndefined()
    const account = body.data!.device!.connectedAccount!
    // Each caller's own device belongs to its own account (see the ids above).
    expect(account.connectedAccountId).toBe(ids[caller].ConnectedAccount.own)
    for (const device of account.devices.nodes) expect(device.deviceId).not.toBe(ids[caller].Device.foreign)
  })

  it('clientSession → connectedAccounts and devices are only its own', async () => {
    const { own } = ids[caller].ClientSession
    const { body } = await t.execute(SessionWithRelationsDocument, { clientSessionId: own }, headers[caller])
    expect(body.errors).toBeUndefined()
    const session = body.data!.clientSession!
    expect(session.connectedAccounts.map((a) => a.connectedAccountId)).not.toContain(
      ids[caller].ConnectedAccount.foreign,
    )
    expect(session.devices.nodes.map((d) => d.deviceId)).not.toContain(ids[caller].Device.foreign)
  })

  it('filters cannot widen the scope: devices(connectedAccountId/deviceIds) of someone else are empty', async () => {
    const foreignAccount = ids[caller].ConnectedAccount.foreign
    const foreignDevice = ids[caller].Device.foreign
    const byAccount = await t.execute(
      DevicesDocument,
      { connectedAccountId: foreignAccount },
      headers[caller],
    )
    const byIds = await t.execute(DevicesDocument, { deviceIds: [foreignDevice] }, headers[caller])
    for (const { body } of [byAccount, byIds]) {
      expect(body.errors).toBeUndefined()
      expect(present(body.data?.devices, 'devices').nodes).toEqual([])
    }
  })
})

describe('events', () => {
  const pool = createClientPool()
  afterAll(() => pool.disposeAll())

  it("another workspace's subscriber, filtered to this session, hears nothing of its end", async () => {
    const { body } = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'matrix-event', connectedAccountIds: ['john_connected_account_id'] } },
      headers.workspace,
    )
    const session = body.data!.createClientSession.clientSession
    const spy = pool.openWs(t.url, { authorization: 'Bearer seam_apikey2_token' })
    const own = pool.openWs(t.url, { authorization: `Bearer ${t.apiKey}` })
    const foreign = subscribeWs(spy.client, ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    const mine = subscribeWs(own.client, ClientSessionDeletedDocument, {
      clientSessionId: session.clientSessionId,
    })
    await connectedAndSubscribed(spy, own)
    await t.execute(
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      headers.workspace,
    )
    await waitFor(() => mine.results.length > 0, "the session's workspace subscriber")
    await sleep(300)
    expect(foreign).toEqual({ results: [], errors: [], completed: false })
  })
})

describe('cursors', () => {
  it("a workspace's cursor cannot page a client session's list", async () => {
    const first = await t.execute(DevicesDocument, { first: 1 }, headers.workspace)
    const cursor = present(first.body.data?.devices, 'devices').pageInfo.endCursor!
    const replayed = await t.execute(DevicesDocument, { first: 50, after: cursor }, headers.clientSession)
    expect(replayed.body).toEqual({
      data: { devices: null },
      errors: [
        expect.objectContaining({
          message: 'The after cursor is not a cursor of this connection with these arguments',
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ],
    })
  })
})

describe('without a credential', () => {
  it.each([
    ['device', () => t.execute(DeviceDocument, { deviceId: 'august_device_1' })],
    [
      'connectedAccount',
      () => t.execute(ConnectedAccountDocument, { connectedAccountId: 'john_connected_account_id' }),
    ],
    ['clientSession', () => t.execute(ClientSessionDocument, { clientSessionId: 'cst1' })],
    ['node', () => t.execute(NodeDocument, { id: globalId('Device', 'august_device_1') })],
    ['nodes', () => t.execute(NodesDocument, { ids: [globalId('Device', 'august_device_1')] })],
    ['devices', () => t.execute(DevicesDocument, {})],
  ])('%s is 401 UNAUTHENTICATED', async (_field, run) => {
    const { status, body } = await run()
    expect(status).toBe(401)
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(JSON.stringify(body.data ?? null)).not.toContain('august')
  })
})

describe('aliases are no oracle', () => {
  it('an operation with more aliases than MAX_ALIASES is refused before anything runs', async () => {
    const lookups = Array.from({ length: 31 }, (_, i) => `d${i}: device(deviceId: "guess_${i}") { deviceId }`)
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers.clientSession },
      body: JSON.stringify({ query: `{ ${lookups.join(' ')} }` }),
    })
    const body = (await response.json()) as {
      data?: unknown
      errors: Array<{ message: string; extensions: { code: string } }>
    }
    expect(body.data).toBeUndefined()
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED')
    expect(body.errors[0]!.message).toContain('Aliases limit of 30 exceeded')
  })
})
