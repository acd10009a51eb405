import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
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
  RevokeClientSessionDocument,
  SessionWithRelationsDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { connectedAndSubscribed, createClientPool, subscribeWs, waitFor } from './helpers/clients.js'
import { execute, present } from './helpers/execute.js'
import { bearer, testConfig } from './helpers/gateway.js'
import { type OverSharingUpstream, startOverSharingUpstream } from './helpers/over-sharing-upstream.js'

/**
 * The token wall (SPEC §4): every root field and nested relation × {own, foreign, missing} ×
 * {workspace key, client session, another workspace's key, no credential}. "Foreign" and
 * "missing" must answer alike, byte for byte once the id itself is set aside.
 *
 * All of it runs twice: through the honest sandbox, which already hides what is not the caller's,
 * and through an over-sharing upstream (a buggy Seam that answers a client session token as its
 * workspace's key, hands out other sessions and other workspaces' objects, and accepts expired
 * tokens), where the gateway's own wall is the only one. Through the over-sharing upstream every
 * answer must also be byte for byte the answer of the honest one: one sandbox, two gateways, the
 * same cursor secret.
 */

const HONEST = 'honest sandbox'
const OVER_SHARING = 'over-sharing upstream'
const UPSTREAMS = [HONEST, OVER_SHARING] as const
type Upstream = (typeof UPSTREAMS)[number]

type Caller = 'workspace' | 'clientSession' | 'otherWorkspace' | 'none'
type Kind = 'ClientSession' | 'ConnectedAccount' | 'Device'
/** For each caller and entity kind: an id of its own, a foreign one, and one that exists nowhere. */
type Ids = Record<Exclude<Caller, 'none'>, Record<Kind, { own: string; foreign: string; missing: string }>>

const WORKSPACE_1_KEY = 'seam_apikey1_token'
const WORKSPACE_2_KEY = 'seam_apikey2_token'
/** The body of every refused credential: no data, and nothing that tells why. */
const UNKNOWN_CREDENTIAL = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

let sandbox: Sandbox
let overSharing: OverSharingUpstream
const gateways = {} as Record<Upstream, { gateway: App; url: string }>
let headers: Record<Caller, Record<string, string>>
let ids: Ids
/** What each caller may list, read from the sandbox's store (not from any gateway), sorted. */
let visible: Record<Exclude<Caller, 'none'>, { devices: string[]; connectedAccounts: string[] }>

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')
/** The body with the requested id (as sent) replaced, so "foreign" and "missing" can be compared whole. */
const withoutId = (text: string, sent: string) => text.split(JSON.stringify(sent).slice(1, -1)).join('<id>')

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
        // Both hand out the same cursor for the same page, so their answers compare byte for byte.
        CURSOR_SECRET: 'authorization-matrix-cursor-secret',
        // Every request is asked of both gateways with the same few credentials.
        RATE_LIMIT_PER_MINUTE: '0',
      }),
    )
    gateways[upstream] = { gateway, url: await gateway.start() }
  }
  // Workspace 2 gets an account, a device and a session of its own, so that every caller has
  // something that is someone else's.
  const store = getFakeStore(sandbox.fake)
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
    const { body } = await execute(
      gateways[HONEST].url,
      CreateClientSessionDocument,
      { input: { userIdentifierKey: key, connectedAccountIds: accounts } },
      bearer(token),
    )
    return body.data!.createClientSession.clientSession
  }
  const john = await create(WORKSPACE_1_KEY, ['john_connected_account_id'], 'matrix-john')
  const jane = await create(WORKSPACE_1_KEY, ['jane_connected_account_id'], 'matrix-jane')
  const other = await create(WORKSPACE_2_KEY, ['ws2_account'], 'matrix-other')
  headers = {
    workspace: bearer(WORKSPACE_1_KEY),
    clientSession: bearer(john.token!),
    otherWorkspace: bearer(WORKSPACE_2_KEY),
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
  const state = store.getState()
  const of = (workspaceId: string, accounts?: string[]) => ({
    devices: state.devices
      .filter(
        (d) =>
          d.workspace_id === workspaceId &&
          (accounts === undefined || accounts.includes(d.connected_account_id ?? '')),
      )
      .map((d) => d.device_id)
      .sort(),
    connectedAccounts: state.connected_accounts
      .filter(
        (a) =>
          a.workspace_id === workspaceId &&
          (accounts === undefined || accounts.includes(a.connected_account_id)),
      )
      .map((a) => a.connected_account_id)
      .sort(),
  })
  visible = {
    workspace: of('seed_workspace_1'),
    clientSession: of('seed_workspace_1', ['john_connected_account_id']),
    otherWorkspace: of('seed_workspace_2'),
  }
})

afterAll(async () => {
  for (const { gateway } of Object.values(gateways)) await gateway.stop()
  await overSharing?.close()
  await sandbox?.stop()
})

const callers = ['workspace', 'clientSession', 'otherWorkspace'] as const
const kinds = ['ClientSession', 'ConnectedAccount', 'Device'] as const
const json = (message: string) => JSON.stringify(message).slice(1, -1)

const DEVICE_PAGE = parse(`
  query DevicePage($first: Int, $after: String) {
    devices(first: $first, after: $after) { nodes { deviceId } pageInfo { hasNextPage endCursor } }
  }
`) as TypedDocumentNode<
  { devices: { nodes: Array<{ deviceId: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } },
  { first?: number; after?: string | null }
>

/** Not one field of the device: its type alone must not tell someone else's from a missing one. */
const DEVICE_TYPENAME = parse(`
  query DeviceTypename($deviceId: ID!) { device(deviceId: $deviceId) { __typename } }
`) as TypedDocumentNode<{ device: { __typename: 'Device' } | null }, { deviceId: string }>

const ACCOUNT_SEARCH = parse(`
  query ConnectedAccountSearch($search: String) {
    connectedAccounts(search: $search) { nodes { connectedAccountId } }
  }
`) as TypedDocumentNode<unknown, { search: string }>

const ACCOUNT_PAGE = parse(`
  query ConnectedAccountPage($first: Int, $after: String) {
    connectedAccounts(first: $first, after: $after) {
      nodes { connectedAccountId } pageInfo { hasNextPage endCursor }
    }
  }
`) as TypedDocumentNode<
  {
    connectedAccounts: {
      nodes: Array<{ connectedAccountId: string }>
      pageInfo: { hasNextPage: boolean; endCursor: string }
    }
  },
  { first?: number; after?: string | null }
>

describe('the over-sharing upstream', () => {
  const ask = async (path: string, token: string, body: Record<string, unknown> = {}) => {
    const response = await fetch(`${overSharing.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token), 'client-session-token': token },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  const john = () => headers.clientSession.authorization!.slice('Bearer '.length)

  it("hands a client session token the workspace's devices, other sessions and other workspaces' accounts", async () => {
    const devices = await ask('/devices/list', john())
    expect(devices.status).toBe(200)
    expect((devices.body.devices as Array<{ device_id: string }>).map((d) => d.device_id).sort()).toEqual(
      visible.workspace.devices,
    )
    const filtered = await ask('/devices/list', john(), { device_ids: ['schlage_device_id'] })
    expect((filtered.body.devices as Array<{ device_id: string }>).map((d) => d.device_id)).toEqual([
      'schlage_device_id',
    ])
    const jane = ids.clientSession.ClientSession.foreign
    const session = await ask('/client_sessions/get', john(), { client_session_id: jane })
    expect(session.body.client_session).toMatchObject({ client_session_id: jane })
    const accounts = await ask('/connected_accounts/list', john())
    expect(
      (accounts.body.connected_accounts as Array<{ connected_account_id: string }>)
        .map((a) => a.connected_account_id)
        .sort(),
    ).toEqual([...visible.workspace.connectedAccounts, 'ws2_account'].sort())
    const account = await ask('/connected_accounts/get', john(), { connected_account_id: 'ws2_account' })
    expect(account.body.connected_account).toMatchObject({ connected_account_id: 'ws2_account' })
  })

  it("hands a workspace key another workspace's session", async () => {
    const session = await ask('/client_sessions/get', WORKSPACE_1_KEY, {
      client_session_id: ids.otherWorkspace.ClientSession.own,
    })
    expect(session.body.client_session).toMatchObject({
      client_session_id: ids.otherWorkspace.ClientSession.own,
      workspace_id: 'seed_workspace_2',
    })
  })

  it('accepts an expired client session token, as if it were alive', async () => {
    const { token, clientSessionId } = await createSession(HONEST, 'overshare-expired')
    expireSession(clientSessionId)
    const honest = await fetch(`${sandbox.url}/client_sessions/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: '{}',
    })
    expect(honest.status).toBe(401)
    const session = await ask('/client_sessions/get', token)
    expect(session.status).toBe(200)
    expect(session.body.client_session).toMatchObject({ client_session_id: clientSessionId })
  })
})

/** Creates a session of John's account through an upstream's gateway; its id and token. */
async function createSession(upstream: Upstream, key: string, apiKey = WORKSPACE_1_KEY) {
  const { body } = await execute(
    gateways[upstream].url,
    CreateClientSessionDocument,
    {
      input: {
        userIdentifierKey: `${key}-${upstream === HONEST ? 'honest' : 'over-sharing'}`,
        connectedAccountIds: apiKey === WORKSPACE_1_KEY ? ['john_connected_account_id'] : ['ws2_account'],
      },
    },
    bearer(apiKey),
  )
  expect(body.errors).toBeUndefined()
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token!, key: session.userIdentifierKey }
}

/** Moves a session's expiry a minute into the past, in the sandbox's store. */
function expireSession(clientSessionId: string) {
  const store = getFakeStore(sandbox.fake)
  store.setState({
    client_sessions: store
      .getState()
      .client_sessions.map((session) =>
        session.client_session_id === clientSessionId
          ? { ...session, expires_at: new Date(Date.now() - 60_000).toISOString() }
          : session,
      ),
  })
}

describe.each(UPSTREAMS)('through the %s', (upstream) => {
  /**
   * Runs a read through this upstream's gateway. Through the over-sharing upstream, the honest
   * sandbox's gateway is asked too and must answer byte for byte the same.
   */
  const ask = async <TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    requestHeaders: Record<string, string>,
  ) => {
    const answer = await execute(gateways[upstream].url, document, variables, requestHeaders)
    if (upstream === OVER_SHARING) {
      const honest = await execute(gateways[HONEST].url, document, variables, requestHeaders)
      expect({ status: answer.status, text: answer.text }).toEqual({
        status: honest.status,
        text: honest.text,
      })
    }
    return answer
  }

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

  describe.each(callers)('as %s', (caller) => {
    it('device(deviceId)', () =>
      checkWall(
        caller,
        'Device',
        (id) => ask(DeviceDocument, { deviceId: id }, headers[caller]),
        (id) => ({ device: expect.objectContaining({ deviceId: id }) }),
        (id) => json(`Device "${id}" was not found`),
      ))

    it('device(deviceId) asking only its __typename', () =>
      checkWall(
        caller,
        'Device',
        (id) => ask(DEVICE_TYPENAME, { deviceId: id }, headers[caller]),
        () => ({ device: { __typename: 'Device' } }),
        (id) => json(`Device "${id}" was not found`),
      ))

    it('connectedAccount(connectedAccountId)', () =>
      checkWall(
        caller,
        'ConnectedAccount',
        (id) => ask(ConnectedAccountDocument, { connectedAccountId: id }, headers[caller]),
        (id) => ({ connectedAccount: expect.objectContaining({ connectedAccountId: id }) }),
        (id) => json(`ConnectedAccount "${id}" was not found`),
      ))

    it('clientSession(clientSessionId)', () =>
      checkWall(
        caller,
        'ClientSession',
        // Without `token`: that field is FORBIDDEN for a client session even on its own session.
        (id) => ask(ClientSessionWithoutTokenDocument, { clientSessionId: id }, headers[caller]),
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
        (id) => ask(NodeDocument, { id: globalId(kind, id) }, headers[caller]),
        (id) => ({ node: expect.objectContaining({ __typename: kind, [field]: id }) }),
        (id) => json(`Node "${globalId(kind, id)}" was not found`),
        (id) => globalId(kind, id),
      )
    })

    it.each(kinds)('nodes(ids) of a %s', (kind) =>
      checkWall(
        caller,
        kind,
        (id) => ask(NodesDocument, { ids: [globalId(kind, id)] }, headers[caller]),
        (id) => ({ nodes: [{ id: globalId(kind, id), __typename: kind }] }),
        (id) => json(`Node "${globalId(kind, id)}" was not found`),
        (id) => globalId(kind, id),
      ),
    )

    it('device → connectedAccount → devices stays inside the wall', async () => {
      const { own } = ids[caller].Device
      const { body } = await ask(DeviceWithAccountDocument, { deviceId: own }, headers[caller])
      expect(body.errors).toBeUndefined()
      const account = body.data!.device!.connectedAccount!
      // Each caller's own device belongs to its own account (see the ids above).
      expect(account.connectedAccountId).toBe(ids[caller].ConnectedAccount.own)
      const store = getFakeStore(sandbox.fake).getState()
      expect(account.devices.nodes.map((device) => device.deviceId).sort()).toEqual(
        store.devices
          .filter((device) => device.connected_account_id === account.connectedAccountId)
          .map((device) => device.device_id)
          .sort(),
      )
    })

    it('clientSession → connectedAccounts and devices are exactly its own', async () => {
      const { own } = ids[caller].ClientSession
      const { body } = await ask(SessionWithRelationsDocument, { clientSessionId: own }, headers[caller])
      expect(body.errors).toBeUndefined()
      const session = body.data!.clientSession!
      const accounts = { workspace: 'jane', clientSession: 'john', otherWorkspace: 'ws2' }[caller]
      const accountId = accounts === 'ws2' ? 'ws2_account' : `${accounts}_connected_account_id`
      expect(session.connectedAccounts).toEqual([{ connectedAccountId: accountId }])
      const store = getFakeStore(sandbox.fake).getState()
      expect(session.devices.nodes.map((d) => d.deviceId).sort()).toEqual(
        store.devices
          .filter((device) => device.connected_account_id === accountId)
          .map((device) => device.device_id)
          .sort(),
      )
    })

    it('devices and connectedAccounts list exactly what it may see, one by one and all at once', async () => {
      for (const [document, field, id, expected] of [
        [DEVICE_PAGE, 'devices', 'deviceId', visible[caller].devices],
        [ACCOUNT_PAGE, 'connectedAccounts', 'connectedAccountId', visible[caller].connectedAccounts],
      ] as const) {
        const seen: string[] = []
        let after: string | null = null
        let pages = 0
        for (; pages < 20; ) {
          const { body } = await ask(
            document as TypedDocumentNode<unknown, { first?: number; after?: string | null }>,
            { first: 1, after },
            headers[caller],
          )
          expect(body.errors).toBeUndefined()
          const connection = (body.data as Record<string, typeof body.data>)[field] as {
            nodes: Array<Record<string, string>>
            pageInfo: { hasNextPage: boolean; endCursor: string | null }
          }
          pages++
          seen.push(...connection.nodes.map((node) => node[id]!))
          if (!connection.pageInfo.hasNextPage) break
          after = connection.pageInfo.endCursor
        }
        // One item a page, and no empty last page: hasNextPage is false on the last item.
        expect({ field, pages, seen: [...seen].sort() }).toEqual({
          field,
          pages: expected.length,
          seen: expected,
        })
        const all = await ask(
          document as TypedDocumentNode<unknown, { first?: number; after?: string | null }>,
          {},
          headers[caller],
        )
        const connection = (all.body.data as Record<string, { nodes: Array<Record<string, string>> }>)[field]!
        expect(connection.nodes.map((node) => node[id])).toEqual(seen)
      }
    })

    it('filters cannot widen the scope: devices(connectedAccountId/deviceIds) of someone else are empty', async () => {
      const foreignAccount = ids[caller].ConnectedAccount.foreign
      const foreignDevice = ids[caller].Device.foreign
      const byAccount = await ask(DevicesDocument, { connectedAccountId: foreignAccount }, headers[caller])
      const byIds = await ask(DevicesDocument, { deviceIds: [foreignDevice] }, headers[caller])
      for (const { body } of [byAccount, byIds]) {
        expect(body.errors).toBeUndefined()
        expect(present(body.data?.devices, 'devices').nodes).toEqual([])
      }
    })

    it("filters cannot widen the scope: searches for what is someone else's find nothing", async () => {
      const foreignAccount = ids[caller].ConnectedAccount.foreign
      const foreignDevice = ids[caller].Device.foreign
      const accounts = await ask(ACCOUNT_SEARCH, { search: foreignAccount }, headers[caller])
      expect(accounts.body).toEqual({ data: { connectedAccounts: { nodes: [] } } })
      const devices = await ask(DevicesDocument, { search: foreignDevice }, headers[caller])
      expect(devices.body.errors).toBeUndefined()
      expect(present(devices.body.data?.devices, 'devices').nodes).toEqual([])
    })
  })

  describe('events', () => {
    const pool = createClientPool()
    afterEach(() => pool.disposeAll())

    const endOf = (
      session: { clientSessionId: string; key: string | null | undefined },
      workspaceId: string,
    ) => ({
      data: {
        clientSessionDeleted: {
          eventId: expect.any(String),
          clientSessionId: session.clientSessionId,
          workspaceId,
          userIdentifierKey: session.key,
          occurredAt: expect.any(String),
          reason: 'DELETED',
        },
      },
    })

    it("a client session hears only its own session's end, a workspace only its own sessions'", async () => {
      const { url } = gateways[upstream]
      const a = await createSession(upstream, 'events-a')
      const b = await createSession(upstream, 'events-b')
      const c = await createSession(upstream, 'events-c', WORKSPACE_2_KEY)
      const sockets = {
        a: pool.openWs(url, { authorization: `Bearer ${a.token}` }),
        b: pool.openWs(url, { authorization: `Bearer ${b.token}` }),
        workspace1: pool.openWs(url, { authorization: `Bearer ${WORKSPACE_1_KEY}` }),
        workspace2: pool.openWs(url, { authorization: `Bearer ${WORKSPACE_2_KEY}` }),
      }
      const heard = {
        a: subscribeWs(sockets.a.client, ClientSessionDeletedDocument, {}),
        b: subscribeWs(sockets.b.client, ClientSessionDeletedDocument, {}),
        // A filter on someone else's session: the other workspace never hears of it. On the same
        // socket as `workspace2`, so had a's end reached it, it would show before c's later one.
        aFromWorkspace2: subscribeWs(sockets.workspace2.client, ClientSessionDeletedDocument, {
          clientSessionId: a.clientSessionId,
        }),
        workspace1: subscribeWs(sockets.workspace1.client, ClientSessionDeletedDocument, {}),
        workspace2: subscribeWs(sockets.workspace2.client, ClientSessionDeletedDocument, {}),
      }
      // Another session's end cannot even be asked for.
      const bAsksForA = subscribeWs(sockets.b.client, ClientSessionDeletedDocument, {
        clientSessionId: a.clientSessionId,
      })
      await waitFor(() => bAsksForA.completed, "the refusal of b's subscription to a's end")
      expect(bAsksForA).toEqual({
        results: [
          {
            errors: [
              {
                message: "A client session token may subscribe only to its own session's end",
                locations: [{ line: 2, column: 3 }],
                path: ['clientSessionDeleted'],
                extensions: { code: 'FORBIDDEN' },
              },
            ],
          },
        ],
        errors: [],
        completed: true,
      })
      await connectedAndSubscribed(...Object.values(sockets))
      // In order a, b, c: were any end heard by a subscriber it is not for, that subscriber's
      // recording would show it before its own.
      for (const [session, apiKey] of [
        [a, WORKSPACE_1_KEY],
        [b, WORKSPACE_1_KEY],
        [c, WORKSPACE_2_KEY],
      ] as const) {
        const deleted = await execute(
          url,
          DeleteClientSessionDocument,
          { clientSessionId: session.clientSessionId },
          bearer(apiKey),
        )
        expect(deleted.body.errors).toBeUndefined()
      }
      await waitFor(
        () =>
          heard.a.completed &&
          heard.b.completed &&
          heard.workspace1.results.length >= 2 &&
          heard.workspace2.results.length >= 1,
        'every end delivered to its subscribers',
      )
      expect(heard.a).toEqual({ results: [endOf(a, 'seed_workspace_1')], errors: [], completed: true })
      expect(heard.b).toEqual({ results: [endOf(b, 'seed_workspace_1')], errors: [], completed: true })
      expect(heard.workspace1.results).toEqual([endOf(a, 'seed_workspace_1'), endOf(b, 'seed_workspace_1')])
      expect(heard.workspace2.results).toEqual([endOf(c, 'seed_workspace_2')])
      expect(heard.aFromWorkspace2).toEqual({ results: [], errors: [], completed: false })
    })
  })

  describe('credentials that no longer work', () => {
    const pool = createClientPool()
    afterEach(() => pool.disposeAll())

    it('an expired client session token is refused like an unknown one', async () => {
      const { token, clientSessionId } = await createSession(upstream, 'expired')
      expireSession(clientSessionId)
      for (const document of [ViewerDocument, DEVICE_PAGE] as const) {
        const { status, body, text } = await ask(
          document as TypedDocumentNode<unknown, Record<string, never>>,
          {},
          bearer(token),
        )
        expect({ status, body }).toEqual({ status: 401, body: UNKNOWN_CREDENTIAL })
        expect(text).not.toContain(token)
      }
    })

    it('an expired client session token opens no socket', async () => {
      const { token, clientSessionId } = await createSession(upstream, 'expired-socket')
      expireSession(clientSessionId)
      const socket = pool.openWs(gateways[upstream].url, { authorization: `Bearer ${token}` })
      await waitFor(() => socket.closes.length > 0, 'the socket to close')
      expect({ connected: socket.connected, closes: socket.closes }).toEqual({
        connected: 0,
        closes: [{ code: 4403, reason: 'Forbidden' }],
      })
    })

    it.each([
      ['revoked', RevokeClientSessionDocument],
      ['deleted', DeleteClientSessionDocument],
    ] as const)('a token %s through the gateway is refused at once', async (how, document) => {
      const mutation = document as TypedDocumentNode<unknown, { clientSessionId: string }>
      const { token, clientSessionId } = await createSession(upstream, how)
      // Known to this upstream's gateway first, so that its own memory of the end is what refuses it.
      const before = await execute(gateways[upstream].url, ViewerDocument, {}, bearer(token))
      expect(before.body.data?.viewer.clientSession?.clientSessionId).toBe(clientSessionId)
      const ended = await execute(gateways[upstream].url, mutation, { clientSessionId }, headers.workspace)
      expect(ended.body.errors).toBeUndefined()
      const { status, body } = await ask(ViewerDocument, {}, bearer(token))
      expect({ status, body }).toEqual({ status: 401, body: UNKNOWN_CREDENTIAL })
    })
  })

  describe('cursors', () => {
    it("a workspace's cursor cannot page a client session's list", async () => {
      const first = await ask(DevicesDocument, { first: 1 }, headers.workspace)
      const cursor = present(first.body.data?.devices, 'devices').pageInfo.endCursor!
      const replayed = await ask(DevicesDocument, { first: 50, after: cursor }, headers.clientSession)
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
      ['device', () => ask(DeviceDocument, { deviceId: 'august_device_1' }, {})],
      [
        'connectedAccount',
        () => ask(ConnectedAccountDocument, { connectedAccountId: 'john_connected_account_id' }, {}),
      ],
      ['clientSession', () => ask(ClientSessionDocument, { clientSessionId: 'cst1' }, {})],
      ['node', () => ask(NodeDocument, { id: globalId('Device', 'august_device_1') }, {})],
      ['nodes', () => ask(NodesDocument, { ids: [globalId('Device', 'august_device_1')] }, {})],
      ['devices', () => ask(DevicesDocument, {}, {})],
    ])('%s is 401 UNAUTHENTICATED', async (_field, run) => {
      const { status, body } = await run()
      expect(status).toBe(401)
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
      expect(JSON.stringify(body.data ?? null)).not.toContain('august')
    })
  })
})

describe('aliases are no oracle', () => {
  it('an operation with more aliases than MAX_ALIASES is refused before anything runs', async () => {
    const lookups = Array.from({ length: 31 }, (_, i) => `d${i}: device(deviceId: "guess_${i}") { deviceId }`)
    const response = await fetch(`${gateways[HONEST].url}/graphql`, {
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
