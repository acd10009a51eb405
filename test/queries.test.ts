import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeStore, getFakeStore } from '../sandbox/fake-store.js'
import {
  ClientSessionDocument,
  ClientSessionsDocument,
  ClientSessionWithoutTokenDocument,
  ConnectedAccountDocument,
  ConnectedAccountsDocument,
  ConnectedAccountsWithEdgesDocument,
  CreateClientSessionDocument,
  DeviceDocument,
  DevicesDocument,
  type DevicesQueryVariables,
  NodeDocument,
  NodesDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { present } from './helpers/execute.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

// Every Query field, read by a workspace API key, by client session tokens (John's seeded session
// and a session made here for Jane), and by the key of workspace 2, which has no devices or accounts.

const API_KEY_2 = 'seam_apikey2_token'
/** The seeded session of John's connected account. */
const JOHN_SESSION_ID = 'cst1'
const JOHN_TOKEN = 'seam_cst1_token'
const JOHN_DEVICES = ['august_device_1', 'august_device_2', 'ecobee_device_1', 'minut_device_1']
const ALL_DEVICES = [...JOHN_DEVICES, 'schlage_device_id']
const ALL_ACCOUNTS = [
  'john_connected_account_id',
  'jane_connected_account_id',
  'john_assa_cs_connected_account_id',
]

/** A Relay global id, as the schema builds it: base64 of `Type:id`. */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')

/** The one NOT_FOUND body of a root field that takes an id (the field is on line 2 of the printed query). */
const notFoundBody = (field: string, entity: string, id: string) => ({
  errors: [
    {
      message: `${entity} ${JSON.stringify(id)} was not found`,
      locations: [{ line: 2, column: 3 }],
      path: [field],
      extensions: { code: 'NOT_FOUND' },
    },
  ],
  data: { [field]: null },
})

/** A root list's or connection's error: the field is null (its siblings would keep their data). */
const rootErrorBody = (field: string, code: string, message: string) => ({
  errors: [{ message, locations: [{ line: 2, column: 3 }], path: [field], extensions: { code } }],
  data: { [field]: null },
})

/** A device connection as DevicesDocument selects it; cursors are opaque, the end cursor is the last edge's. */
const deviceConnection = (ids: string[], hasNextPage: boolean) => ({
  edges: ids.map((deviceId) => ({ cursor: expect.any(String), node: { deviceId } })),
  nodes: ids.map((deviceId) => ({ deviceId })),
  pageInfo: { hasNextPage, endCursor: ids.length === 0 ? null : expect.any(String) },
})

let t: TestGateway
let store: FakeStore
const workspace = () => bearer(t.apiKey)
const john = () => bearer(JOHN_TOKEN)
let jane: { clientSessionId: string; token: string }
let anonymousSessionId: string

beforeAll(async () => {
  t = await startTestGateway()
  store = getFakeStore(t.sandbox!.fake)
  const created = await t.execute(
    CreateClientSessionDocument,
    { input: { userIdentifierKey: 'jane-queries', connectedAccountIds: ['jane_connected_account_id'] } },
    workspace(),
  )
  const session = created.body.data!.createClientSession.clientSession
  jane = { clientSessionId: session.clientSessionId, token: session.token! }
  // A session without a user identifier key, for `withoutUserIdentifierKey`.
  const anonymous = await t.execute(
    CreateClientSessionDocument,
    { input: { connectedAccountIds: ['jane_connected_account_id'] } },
    workspace(),
  )
  anonymousSessionId = anonymous.body.data!.createClientSession.clientSession.clientSessionId
})

afterAll(async () => {
  await t?.stop()
})

const storedSession = (id: string) =>
  store.getState().client_sessions.find((s) => s.client_session_id === id)!
const storedDevice = (id: string) => store.getState().devices.find((d) => d.device_id === id)!
const storedAccount = (id: string) =>
  store.getState().connected_accounts.find((a) => a.connected_account_id === id)!

/** Follows `after` cursors until the last page; returns the ids of every page. */
async function allDevicePages(variables: DevicesQueryVariables, headers: Record<string, string>) {
  const pages: string[][] = []
  let after: string | null | undefined
  for (let i = 0; i < 10; i++) {
    const { status, body } = await t.execute(DevicesDocument, { ...variables, after }, headers)
    expect(status).toBe(200)
    expect(body.errors).toBeUndefined()
    const connection = present(body.data?.devices, 'devices')
    pages.push(connection.nodes.map((node) => node.deviceId))
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null)
    if (!connection.pageInfo.hasNextPage) return pages
    after = connection.pageInfo.endCursor
  }
  throw new Error('Expected the last page within 10 pages, got more')
}

describe('viewer', () => {
  it('is the workspace for a workspace API key', async () => {
    const { status, body } = await t.execute(ViewerDocument, {}, workspace())
    expect(status).toBe(200)
    expect(body).toEqual({
      data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_1', clientSession: null } },
    })
  })

  it('is the session for a client session token', async () => {
    const { body } = await t.execute(ViewerDocument, {}, john())
    expect(body).toEqual({
      data: {
        viewer: {
          kind: 'CLIENT_SESSION',
          workspaceId: 'seed_workspace_1',
          clientSession: { clientSessionId: JOHN_SESSION_ID },
        },
      },
    })
  })

  it('is workspace 2 for the key of workspace 2', async () => {
    const { body } = await t.execute(ViewerDocument, {}, bearer(API_KEY_2))
    expect(body).toEqual({
      data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_2', clientSession: null } },
    })
  })
})

describe('clientSession', () => {
  const johnSessionData = (token: string | null) => {
    const stored = storedSession(JOHN_SESSION_ID)
    return {
      id: globalId('ClientSession', JOHN_SESSION_ID),
      clientSessionId: JOHN_SESSION_ID,
      workspaceId: 'seed_workspace_1',
      userIdentifierKey: 'john_user_identifier_key',
      customerKey: null,
      userIdentityId: 'john_user_identity_id',
      userIdentityIds: ['john_user_identity_id'],
      connectedAccountIds: ['john_connected_account_id'],
      connectWebviewIds: ['connect_webview1'],
      createdAt: new Date(stored.created_at).toISOString(),
      expiresAt: new Date(stored.expires_at).toISOString(),
      deviceCount: 4,
      token,
    }
  }

  it('gives a workspace any session of its workspace, token included', async () => {
    const { body } = await t.execute(ClientSessionDocument, { clientSessionId: JOHN_SESSION_ID }, workspace())
    expect(body).toEqual({ data: { clientSession: johnSessionData(JOHN_TOKEN) } })
  })

  it('gives a client session its own session', async () => {
    const { body } = await t.execute(
      ClientSessionWithoutTokenDocument,
      { clientSessionId: JOHN_SESSION_ID },
      john(),
    )
    expect(body).toEqual({
      data: {
        clientSession: {
          clientSessionId: JOHN_SESSION_ID,
          workspaceId: 'seed_workspace_1',
          userIdentifierKey: 'john_user_identifier_key',
          connectedAccountIds: ['john_connected_account_id'],
        },
      },
    })
  })

  it('refuses the token field to a client session, even for its own session', async () => {
    const { status, body, text } = await t.execute(
      ClientSessionDocument,
      { clientSessionId: JOHN_SESSION_ID },
      john(),
    )
    expect(status).toBe(200)
    expect(body).toEqual({
      errors: [
        {
          message: 'This field is not available to a client session token',
          locations: [{ line: 15, column: 5 }],
          path: ['clientSession', 'token'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
      data: { clientSession: johnSessionData(null) },
    })
    expect(text).not.toContain(JOHN_TOKEN)
  })

  it("answers another user's session exactly as a session that does not exist", async () => {
    const foreign = await t.execute(
      ClientSessionWithoutTokenDocument,
      { clientSessionId: jane.clientSessionId },
      john(),
    )
    expect(foreign.body).toEqual(notFoundBody('clientSession', 'ClientSession', jane.clientSessionId))
    const missing = await t.execute(
      ClientSessionWithoutTokenDocument,
      { clientSessionId: 'cst_missing' },
      john(),
    )
    expect(missing.body).toEqual(notFoundBody('clientSession', 'ClientSession', 'cst_missing'))
  })

  it('is NOT_FOUND for a workspace API key when the session does not exist', async () => {
    const { body } = await t.execute(ClientSessionDocument, { clientSessionId: 'cst_missing' }, workspace())
    expect(body).toEqual(notFoundBody('clientSession', 'ClientSession', 'cst_missing'))
  })

  it('is NOT_FOUND for the key of another workspace', async () => {
    const { body } = await t.execute(
      ClientSessionDocument,
      { clientSessionId: JOHN_SESSION_ID },
      bearer(API_KEY_2),
    )
    expect(body).toEqual(notFoundBody('clientSession', 'ClientSession', JOHN_SESSION_ID))
  })
})

describe('clientSessions', () => {
  const row = (id: string) => {
    const stored = storedSession(id)
    return {
      clientSessionId: id,
      userIdentifierKey: stored.user_identifier_key ?? null,
      token: stored.token,
    }
  }

  it("lists every session of a workspace API key's workspace, in Seam's order", async () => {
    const { body } = await t.execute(ClientSessionsDocument, {}, workspace())
    expect(body).toEqual({
      data: {
        clientSessions: [
          row(JOHN_SESSION_ID),
          row(t.demo!.clientSessionId),
          row(jane.clientSessionId),
          row(anonymousSessionId),
        ],
      },
    })
  })

  it('filters by userIdentifierKey, userIdentityId, connectWebviewId and withoutUserIdentifierKey', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ userIdentifierKey: 'jane-queries' }, [jane.clientSessionId]],
      [{ userIdentifierKey: 'nobody' }, []],
      [{ userIdentityId: 'john_user_identity_id' }, [JOHN_SESSION_ID]],
      [{ connectWebviewId: 'connect_webview1' }, [JOHN_SESSION_ID]],
      [{ withoutUserIdentifierKey: true }, [anonymousSessionId]],
    ]
    for (const [variables, ids] of cases) {
      const { body } = await t.execute(ClientSessionsDocument, variables, workspace())
      expect(body, JSON.stringify(variables)).toEqual({ data: { clientSessions: ids.map(row) } })
    }
  })

  it('is FORBIDDEN for a client session token', async () => {
    const { status, body } = await t.execute(ClientSessionsDocument, {}, john())
    expect(status).toBe(200)
    expect(body).toEqual(
      rootErrorBody('clientSessions', 'FORBIDDEN', 'This field is not available to a client session token'),
    )
  })

  it('is empty for the key of workspace 2', async () => {
    const { body } = await t.execute(ClientSessionsDocument, {}, bearer(API_KEY_2))
    expect(body).toEqual({ data: { clientSessions: [] } })
  })
})

describe('device', () => {
  const augustDevice1 = () => {
    const stored = storedDevice('august_device_1')
    return {
      id: globalId('Device', 'august_device_1'),
      deviceId: 'august_device_1',
      deviceType: 'august_lock',
      displayName: 'Smart Device',
      workspaceId: 'seed_workspace_1',
      createdAt: new Date(stored.created_at).toISOString(),
      isManaged: true,
      capabilitiesSupported: ['lock', 'access_code'],
      online: true,
      locked: true,
      batteryLevel: 1,
      manufacturer: 'august',
      properties: JSON.parse(JSON.stringify(stored.properties)),
      customMetadata: {},
      connectedAccount: { connectedAccountId: 'john_connected_account_id' },
    }
  }

  it('gives a workspace API key any device of its workspace', async () => {
    const { body } = await t.execute(DeviceDocument, { deviceId: 'august_device_1' }, workspace())
    expect(body).toEqual({ data: { device: augustDevice1() } })
  })

  it("gives a client session its accounts' devices, and nothing else", async () => {
    expect((await t.execute(DeviceDocument, { deviceId: 'august_device_1' }, john())).body).toEqual({
      data: { device: augustDevice1() },
    })
    expect((await t.execute(DeviceDocument, { deviceId: 'schlage_device_id' }, john())).body).toEqual(
      notFoundBody('device', 'Device', 'schlage_device_id'),
    )
    const janeDevice = await t.execute(DeviceDocument, { deviceId: 'schlage_device_id' }, bearer(jane.token))
    expect(janeDevice.body.data?.device?.deviceId).toBe('schlage_device_id')
    expect(janeDevice.body.errors).toBeUndefined()
    expect(
      (await t.execute(DeviceDocument, { deviceId: 'august_device_1' }, bearer(jane.token))).body,
    ).toEqual(notFoundBody('device', 'Device', 'august_device_1'))
  })

  it('is NOT_FOUND for a device that does not exist, whoever asks', async () => {
    for (const headers of [workspace(), john(), bearer(API_KEY_2)]) {
      const { status, body } = await t.execute(DeviceDocument, { deviceId: 'no_such_device' }, headers)
      expect(status).toBe(200)
      expect(body).toEqual(notFoundBody('device', 'Device', 'no_such_device'))
    }
  })

  it('is NOT_FOUND for the key of workspace 2', async () => {
    const { body } = await t.execute(DeviceDocument, { deviceId: 'august_device_1' }, bearer(API_KEY_2))
    expect(body).toEqual(notFoundBody('device', 'Device', 'august_device_1'))
  })
})

describe('devices', () => {
  it('lists every device of the workspace for a workspace API key', async () => {
    const { status, body } = await t.execute(DevicesDocument, {}, workspace())
    expect(status).toBe(200)
    expect(body).toEqual({ data: { devices: deviceConnection(ALL_DEVICES, false) } })
  })

  it.each<[string, DevicesQueryVariables, string[]]>([
    ['connectedAccountId', { connectedAccountId: 'jane_connected_account_id' }, ['schlage_device_id']],
    [
      'deviceIds',
      { deviceIds: ['schlage_device_id', 'ecobee_device_1'] },
      ['ecobee_device_1', 'schlage_device_id'],
    ],
    [
      'deviceTypes',
      { deviceTypes: ['august_lock', 'minut_sensor'] },
      ['august_device_1', 'august_device_2', 'minut_device_1'],
    ],
    // Seam's search is a partial match on device_id, display_name, custom_metadata and location name.
    ['search', { search: 'august' }, ['august_device_1', 'august_device_2']],
    ['search without a match', { search: 'no-device-has-this' }, []],
    ['userIdentifierKey', { userIdentifierKey: 'jane-queries' }, ['schlage_device_id']],
    [
      'userIdentifierKey of the seeded session',
      { userIdentifierKey: 'john_user_identifier_key' },
      JOHN_DEVICES,
    ],
  ])('narrows by %s for a workspace API key', async (_name, variables, ids) => {
    const { body } = await t.execute(DevicesDocument, variables, workspace())
    expect(body).toEqual({ data: { devices: deviceConnection(ids, false) } })
  })

  it('pages through every device with after', async () => {
    expect(await allDevicePages({ first: 2 }, workspace())).toEqual([
      ['august_device_1', 'august_device_2'],
      ['ecobee_device_1', 'minut_device_1'],
      ['schlage_device_id'],
    ])
  })

  it('pages through a filtered list with after', async () => {
    expect(
      await allDevicePages({ first: 1, deviceTypes: ['august_lock', 'minut_sensor'] }, workspace()),
    ).toEqual([['august_device_1'], ['august_device_2'], ['minut_device_1']])
  })

  it("lists only a client session's devices, whatever the filters", async () => {
    const cases: Array<[DevicesQueryVariables, string[]]> = [
      [{}, JOHN_DEVICES],
      [{ connectedAccountId: 'jane_connected_account_id' }, []],
      [{ connectedAccountId: 'no_such_account' }, []],
      [{ deviceIds: ['schlage_device_id', 'august_device_2'] }, ['august_device_2']],
      [{ deviceTypes: ['schlage_lock', 'ecobee_thermostat'] }, ['ecobee_device_1']],
    ]
    for (const [variables, ids] of cases) {
      const { body } = await t.execute(DevicesDocument, variables, john())
      expect(body, JSON.stringify(variables)).toEqual({ data: { devices: deviceConnection(ids, false) } })
    }
    const { body } = await t.execute(DevicesDocument, {}, bearer(jane.token))
    expect(body).toEqual({ data: { devices: deviceConnection(['schlage_device_id'], false) } })
  })

  it("pages through a client session's devices with after", async () => {
    expect(await allDevicePages({ first: 3 }, john())).toEqual([
      ['august_device_1', 'august_device_2', 'ecobee_device_1'],
      ['minut_device_1'],
    ])
  })

  it.each([0, 201, -1])('refuses first: %i with BAD_USER_INPUT', async (first) => {
    const { status, body } = await t.execute(DevicesDocument, { first }, workspace())
    expect(status).toBe(200)
    expect(body).toEqual(
      rootErrorBody('devices', 'BAD_USER_INPUT', `first must be an integer from 1 to 200, got ${first}`),
    )
  })

  it('accepts first: 1 and first: 200', async () => {
    expect((await t.execute(DevicesDocument, { first: 1 }, workspace())).body).toEqual({
      data: { devices: deviceConnection(['august_device_1'], true) },
    })
    expect((await t.execute(DevicesDocument, { first: 200 }, workspace())).body).toEqual({
      data: { devices: deviceConnection(ALL_DEVICES, false) },
    })
  })

  it('refuses a cursor made with other filters, by another caller, or made up', async () => {
    const first = await t.execute(DevicesDocument, { first: 2 }, workspace())
    const after = present(first.body.data?.devices, 'devices').pageInfo.endCursor!
    const invalid = rootErrorBody(
      'devices',
      'BAD_USER_INPUT',
      'The after cursor is not a cursor of this connection with these arguments',
    )
    const attempts: Array<[DevicesQueryVariables, Record<string, string>]> = [
      [{ first: 2, after, deviceTypes: ['august_lock'] }, workspace()],
      [{ first: 2, after, connectedAccountId: 'john_connected_account_id' }, workspace()],
      [{ first: 2, after }, john()],
      [{ first: 2, after }, bearer(API_KEY_2)],
      [{ first: 2, after: 'not-a-cursor' }, workspace()],
      [{ first: 2, after: Buffer.from('{"q":"x","o":1}').toString('base64url') }, workspace()],
    ]
    for (const [variables, headers] of attempts) {
      const { status, body } = await t.execute(DevicesDocument, variables, headers)
      expect(status).toBe(200)
      expect(body, JSON.stringify(variables)).toEqual(invalid)
    }
  })

  it('is empty for the key of workspace 2', async () => {
    const { body } = await t.execute(DevicesDocument, {}, bearer(API_KEY_2))
    expect(body).toEqual({ data: { devices: deviceConnection([], false) } })
    const filtered = await t.execute(DevicesDocument, { deviceIds: ['august_device_1'] }, bearer(API_KEY_2))
    expect(filtered.body).toEqual({ data: { devices: deviceConnection([], false) } })
  })
})

describe('connectedAccount', () => {
  const johnAccount = () => ({
    id: globalId('ConnectedAccount', 'john_connected_account_id'),
    connectedAccountId: 'john_connected_account_id',
    accountType: null,
    displayName: 'john@example.com',
    createdAt: new Date(storedAccount('john_connected_account_id').created_at!).toISOString(),
    userIdentifier: { email: 'john@example.com' },
    customMetadata: {},
    automaticallyManageNewDevices: true,
    devices: {
      nodes: JOHN_DEVICES.map((deviceId) => ({ deviceId })),
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    },
  })

  it('gives a workspace API key any account of its workspace', async () => {
    const { body } = await t.execute(
      ConnectedAccountDocument,
      { connectedAccountId: 'john_connected_account_id' },
      workspace(),
    )
    expect(body).toEqual({ data: { connectedAccount: johnAccount() } })
  })

  it("gives a client session its own accounts; another user's is NOT_FOUND like a missing one", async () => {
    expect(
      (await t.execute(ConnectedAccountDocument, { connectedAccountId: 'john_connected_account_id' }, john()))
        .body,
    ).toEqual({ data: { connectedAccount: johnAccount() } })
    expect(
      (await t.execute(ConnectedAccountDocument, { connectedAccountId: 'jane_connected_account_id' }, john()))
        .body,
    ).toEqual(notFoundBody('connectedAccount', 'ConnectedAccount', 'jane_connected_account_id'))
    expect(
      (await t.execute(ConnectedAccountDocument, { connectedAccountId: 'no_such_account' }, john())).body,
    ).toEqual(notFoundBody('connectedAccount', 'ConnectedAccount', 'no_such_account'))
  })

  it('is NOT_FOUND for a workspace API key when the account does not exist', async () => {
    const { body } = await t.execute(
      ConnectedAccountDocument,
      { connectedAccountId: 'no_such_account' },
      workspace(),
    )
    expect(body).toEqual(notFoundBody('connectedAccount', 'ConnectedAccount', 'no_such_account'))
  })

  it('is NOT_FOUND for the key of workspace 2', async () => {
    const { body } = await t.execute(
      ConnectedAccountDocument,
      { connectedAccountId: 'john_connected_account_id' },
      bearer(API_KEY_2),
    )
    expect(body).toEqual(notFoundBody('connectedAccount', 'ConnectedAccount', 'john_connected_account_id'))
  })
})

describe('connectedAccounts', () => {
  const accounts = (ids: string[], hasNextPage = false) => ({
    data: {
      connectedAccounts: {
        nodes: ids.map((connectedAccountId) => ({ connectedAccountId })),
        pageInfo: { hasNextPage, endCursor: ids.length === 0 ? null : expect.any(String) },
      },
    },
  })

  it('lists every account of the workspace for a workspace API key', async () => {
    expect((await t.execute(ConnectedAccountsDocument, {}, workspace())).body).toEqual(accounts(ALL_ACCOUNTS))
  })

  it('pages through the accounts with after', async () => {
    const pages: string[][] = []
    let after: string | null | undefined
    for (let i = 0; i < 5; i++) {
      const { body } = await t.execute(ConnectedAccountsWithEdgesDocument, { first: 1, after }, workspace())
      expect(body.errors).toBeUndefined()
      const connection = present(body.data?.connectedAccounts, 'connectedAccounts')
      pages.push(connection.edges.map((edge) => edge.node.connectedAccountId))
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null)
      if (!connection.pageInfo.hasNextPage) break
      after = connection.pageInfo.endCursor
    }
    expect(pages).toEqual(ALL_ACCOUNTS.map((id) => [id]))
  })

  it('narrows by search and by userIdentifierKey for a workspace API key', async () => {
    // Seam's search is a partial match on the id, account type, customer key, metadata and user identifier.
    expect((await t.execute(ConnectedAccountsDocument, { search: 'jane' }, workspace())).body).toEqual(
      accounts(['jane_connected_account_id']),
    )
    expect(
      (await t.execute(ConnectedAccountsDocument, { userIdentifierKey: 'jane-queries' }, workspace())).body,
    ).toEqual(accounts(['jane_connected_account_id']))
    expect(
      (await t.execute(ConnectedAccountsDocument, { userIdentifierKey: 'nobody' }, workspace())).body,
    ).toEqual(accounts([]))
  })

  it("lists only a client session's own accounts", async () => {
    expect((await t.execute(ConnectedAccountsDocument, {}, john())).body).toEqual(
      accounts(['john_connected_account_id']),
    )
    expect((await t.execute(ConnectedAccountsDocument, {}, bearer(jane.token))).body).toEqual(
      accounts(['jane_connected_account_id']),
    )
  })

  it.each([0, 201])('refuses first: %i with BAD_USER_INPUT', async (first) => {
    const { body } = await t.execute(ConnectedAccountsDocument, { first }, workspace())
    expect(body).toEqual(
      rootErrorBody(
        'connectedAccounts',
        'BAD_USER_INPUT',
        `first must be an integer from 1 to 200, got ${first}`,
      ),
    )
  })

  it('refuses a cursor made with other filters', async () => {
    const first = await t.execute(ConnectedAccountsDocument, { first: 1 }, workspace())
    const after = present(first.body.data?.connectedAccounts, 'connectedAccounts').pageInfo.endCursor!
    const { body } = await t.execute(
      ConnectedAccountsDocument,
      { first: 1, after, search: 'john' },
      workspace(),
    )
    expect(body).toEqual(
      rootErrorBody(
        'connectedAccounts',
        'BAD_USER_INPUT',
        'The after cursor is not a cursor of this connection with these arguments',
      ),
    )
  })

  it('is empty for the key of workspace 2', async () => {
    expect((await t.execute(ConnectedAccountsDocument, {}, bearer(API_KEY_2))).body).toEqual(accounts([]))
  })
})

describe('node and nodes', () => {
  const deviceNode = {
    id: globalId('Device', 'august_device_1'),
    __typename: 'Device',
    deviceId: 'august_device_1',
  }
  const accountNode = {
    id: globalId('ConnectedAccount', 'john_connected_account_id'),
    __typename: 'ConnectedAccount',
    connectedAccountId: 'john_connected_account_id',
  }
  const sessionNode = {
    id: globalId('ClientSession', JOHN_SESSION_ID),
    __typename: 'ClientSession',
    clientSessionId: JOHN_SESSION_ID,
  }

  it('loads a device, an account and a session by global id for a workspace API key', async () => {
    for (const node of [deviceNode, accountNode, sessionNode]) {
      const { body } = await t.execute(NodeDocument, { id: node.id }, workspace())
      expect(body).toEqual({ data: { node } })
    }
  })

  it('loads what a client session owns by global id', async () => {
    for (const node of [deviceNode, accountNode, sessionNode]) {
      const { body } = await t.execute(NodeDocument, { id: node.id }, john())
      expect(body).toEqual({ data: { node } })
    }
  })

  it("answers another user's objects, malformed ids and unknown types with the same NOT_FOUND", async () => {
    const ids = [
      globalId('Device', 'schlage_device_id'),
      globalId('ConnectedAccount', 'jane_connected_account_id'),
      globalId('ClientSession', jane.clientSessionId),
      globalId('Device', 'no_such_device'),
      globalId('Workspace', 'seed_workspace_1'),
      'not base64 at all',
    ]
    for (const id of ids) {
      const { status, body } = await t.execute(NodeDocument, { id }, john())
      expect(status).toBe(200)
      expect(body, id).toEqual(notFoundBody('node', 'Node', id))
    }
  })

  it('is NOT_FOUND for the key of workspace 2', async () => {
    for (const node of [deviceNode, accountNode, sessionNode]) {
      const { body } = await t.execute(NodeDocument, { id: node.id }, bearer(API_KEY_2))
      expect(body).toEqual(notFoundBody('node', 'Node', node.id))
    }
  })

  it('loads several nodes in order, each foreign or missing one null with its own NOT_FOUND', async () => {
    const foreignDevice = globalId('Device', 'schlage_device_id')
    const ids = [deviceNode.id, foreignDevice, sessionNode.id, 'x', accountNode.id]
    const { status, body } = await t.execute(NodesDocument, { ids }, john())
    expect(status).toBe(200)
    const nodeError = (index: number, id: string) => ({
      message: `Node ${JSON.stringify(id)} was not found`,
      locations: [{ line: 2, column: 3 }],
      path: ['nodes', index],
      extensions: { code: 'NOT_FOUND' },
    })
    // Errors come in the order the nodes settle; the spec leaves that order open, so compare by path.
    const byPath = [...(body.errors ?? [])].sort((a, b) => Number(a.path?.[1]) - Number(b.path?.[1]))
    expect({ ...body, errors: byPath }).toEqual({
      errors: [nodeError(1, foreignDevice), nodeError(3, 'x')],
      data: {
        nodes: [
          { id: deviceNode.id, __typename: 'Device' },
          null,
          { id: sessionNode.id, __typename: 'ClientSession' },
          null,
          { id: accountNode.id, __typename: 'ConnectedAccount' },
        ],
      },
    })
    const workspaceBody = (
      await t.execute(NodesDocument, { ids: [foreignDevice, sessionNode.id] }, workspace())
    ).body
    expect(workspaceBody).toEqual({
      data: {
        nodes: [
          { id: foreignDevice, __typename: 'Device' },
          { id: sessionNode.id, __typename: 'ClientSession' },
        ],
      },
    })
  })
})

describe('devices pagination over many Seam pages', () => {
  // Own gateway: 30 more devices in workspace 1, so that a page can span many of Seam's pages.
  let g: TestGateway

  beforeAll(async () => {
    g = await startTestGateway()
    const fakeStore = getFakeStore(g.sandbox!.fake)
    const template = fakeStore.getState().devices.find((d) => d.device_id === 'august_device_1')!
    const extra = Array.from({ length: 30 }, (_, i) => ({
      ...template,
      device_id: `extra_device_${String(i).padStart(2, '0')}`,
    }))
    fakeStore.setState({ devices: [...fakeStore.getState().devices, ...extra] })
  })

  afterAll(async () => {
    await g?.stop()
  })

  it('gives every remaining device when a page after a small one asks for more', async () => {
    const everything = await g.execute(DevicesDocument, { first: 200 }, bearer(g.apiKey))
    const everyDevice = present(everything.body.data?.devices, 'devices')
    const all = everyDevice.nodes.map((node) => node.deviceId)
    expect(all).toHaveLength(35)
    expect(everyDevice.pageInfo.hasNextPage).toBe(false)

    const first = await g.execute(DevicesDocument, { first: 1 }, bearer(g.apiKey))
    const firstPage = present(first.body.data?.devices, 'devices')
    expect(firstPage.nodes.map((node) => node.deviceId)).toEqual(all.slice(0, 1))
    const rest = await g.execute(
      DevicesDocument,
      { first: 100, after: firstPage.pageInfo.endCursor },
      bearer(g.apiKey),
    )
    expect(rest.body).toEqual({ data: { devices: deviceConnection(all.slice(1), false) } })
  })
})

describe('not yours looks exactly like not there', () => {
  // Own gateway: the test removes Jane's device, account and session from the fake's store and checks
  // that every answer John's session (and workspace 2) got while they existed is byte for byte the
  // answer they get once they are gone.
  let g: TestGateway

  beforeAll(async () => {
    g = await startTestGateway()
  })

  afterAll(async () => {
    await g?.stop()
  })

  it('gives byte-identical bodies for foreign ids and for ids that do not exist', async () => {
    const created = await g.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'jane-gone', connectedAccountIds: ['jane_connected_account_id'] } },
      bearer(g.apiKey),
    )
    const janeSessionId = created.body.data!.createClientSession.clientSession.clientSessionId
    const janeToken = created.body.data!.createClientSession.clientSession.token!
    // They exist: Jane reads them.
    expect(
      (await g.execute(DeviceDocument, { deviceId: 'schlage_device_id' }, bearer(janeToken))).body.errors,
    ).toBe(undefined)

    const probes = async () => {
      const texts: string[] = []
      for (const headers of [bearer(JOHN_TOKEN), bearer(API_KEY_2)]) {
        const calls = [
          g.execute(DeviceDocument, { deviceId: 'schlage_device_id' }, headers),
          g.execute(ConnectedAccountDocument, { connectedAccountId: 'jane_connected_account_id' }, headers),
          g.execute(ClientSessionWithoutTokenDocument, { clientSessionId: janeSessionId }, headers),
          g.execute(NodeDocument, { id: globalId('Device', 'schlage_device_id') }, headers),
          g.execute(NodeDocument, { id: globalId('ConnectedAccount', 'jane_connected_account_id') }, headers),
          g.execute(NodeDocument, { id: globalId('ClientSession', janeSessionId) }, headers),
          g.execute(
            NodesDocument,
            {
              ids: [
                globalId('Device', 'schlage_device_id'),
                globalId('ConnectedAccount', 'jane_connected_account_id'),
                globalId('ClientSession', janeSessionId),
              ],
            },
            headers,
          ),
          g.execute(DevicesDocument, { deviceIds: ['schlage_device_id'] }, headers),
          g.execute(DevicesDocument, { connectedAccountId: 'jane_connected_account_id' }, headers),
        ]
        for (const { status, text } of await Promise.all(calls)) texts.push(`${status} ${text}`)
      }
      return texts
    }

    const whileTheyExist = await probes()
    expect(whileTheyExist[0]).toBe(
      `200 ${JSON.stringify(notFoundBody('device', 'Device', 'schlage_device_id'))}`,
    )

    const fakeStore = getFakeStore(g.sandbox!.fake)
    const state = fakeStore.getState()
    fakeStore.setState({
      devices: state.devices.filter((d) => d.device_id !== 'schlage_device_id'),
      connected_accounts: state.connected_accounts.filter(
        (a) => a.connected_account_id !== 'jane_connected_account_id',
      ),
      client_sessions: state.client_sessions.filter((s) => s.client_session_id !== janeSessionId),
    })

    expect(await probes()).toEqual(whileTheyExist)
  })
})
