import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { CreateClientSessionDocument, ViewerDocument } from './generated/graphql.js'
import { createClientPool, waitFor } from './helpers/clients.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { startTamperingUpstream, type TamperingUpstream } from './helpers/tampering-upstream.js'

// What Seam returns is checked against the caller, whatever Seam says (SPEC §4). Seam answers here
// through a tampering upstream: objects labelled with another workspace, Seam's documented account
// shape (no `workspace_id`, which the fake adds), a session that answers for another token. Each
// is read through every path that reaches it, and each answer is checked whole.

const API_KEY = 'seam_apikey1_token'
const JOHN_ACCOUNT = 'john_connected_account_id'
const ALL_ACCOUNTS = ['jane_connected_account_id', 'john_assa_cs_connected_account_id', JOHN_ACCOUNT]
const OTHER_WORKSPACE = 'someone_elses_workspace'
const UNKNOWN_CREDENTIAL = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

// biome-ignore lint/suspicious/noExplicitAny: the answers are checked whole, as JSON
type Any = any
const document = (source: string) => parse(source) as TypedDocumentNode<Any, Any>

const DEVICE = document('query Device($id: ID!) { device(deviceId: $id) { deviceId } }')
const ACCOUNT = document(
  'query Account($id: ID!) { connectedAccount(connectedAccountId: $id) { connectedAccountId } }',
)
const ACCOUNTS = document('query Accounts { connectedAccounts { nodes { connectedAccountId } } }')
const OWN_ACCOUNTS = document(
  'query OwnAccounts { viewer { clientSession { connectedAccounts { connectedAccountId } } } }',
)

/** The one answer of a root field that takes an id, for an object that is not there. */
const notFound = (field: string, entity: string, id: string) => ({
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

/** Every Seam object of an answer (`device`, `devices`, `connected_account`, …) passed through `change`. */
const eachObject =
  (change: (object: Record<string, unknown>) => Record<string, unknown>) =>
  (answer: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...answer }
    for (const key of ['device', 'connected_account', 'client_session']) {
      if (answer[key] !== undefined) out[key] = change(answer[key] as Record<string, unknown>)
    }
    for (const key of ['devices', 'connected_accounts', 'client_sessions']) {
      if (Array.isArray(answer[key])) out[key] = (answer[key] as Record<string, unknown>[]).map(change)
    }
    return out
  }
const inOtherWorkspace = eachObject((object) => ({ ...object, workspace_id: OTHER_WORKSPACE }))
const withoutWorkspaceId = eachObject(({ workspace_id: _, ...object }) => object)

let sandbox: Sandbox
let upstream: TamperingUpstream
let gw: TestGateway
let john: { clientSessionId: string; token: string }

async function createSession(userIdentifierKey: string) {
  const { status, body } = await gw.execute(
    CreateClientSessionDocument,
    { input: { userIdentifierKey, connectedAccountIds: [JOHN_ACCOUNT] } },
    bearer(API_KEY),
  )
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token! }
}

beforeAll(async () => {
  sandbox = await createSandbox()
  upstream = await startTamperingUpstream(sandbox.url)
  gw = await startTestGateway({
    SEAM_ENDPOINT: upstream.url,
    SEAM_API_KEY: API_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
  })
  john = await createSession('foreign-objects-john')
})

afterAll(async () => {
  await gw?.stop()
  await upstream?.close()
  await sandbox?.stop()
})

afterEach(() => {
  upstream.reset()
})

describe("Seam's documented connected account, without workspace_id", () => {
  it('is read by its workspace API key, one by id and all in the list', async () => {
    upstream.rewrite('/connected_accounts/get', withoutWorkspaceId)
    upstream.rewrite('/connected_accounts/list', withoutWorkspaceId)
    expect((await gw.execute(ACCOUNT, { id: JOHN_ACCOUNT }, bearer(API_KEY))).body).toEqual({
      data: { connectedAccount: { connectedAccountId: JOHN_ACCOUNT } },
    })
    const { body } = await gw.execute(ACCOUNTS, {}, bearer(API_KEY))
    expect(body.errors).toBeUndefined()
    expect(body.data.connectedAccounts.nodes.map((n: Any) => n.connectedAccountId).sort()).toEqual(
      ALL_ACCOUNTS,
    )
  })

  it('is read by the client session it belongs to, by id and as its own', async () => {
    upstream.rewrite('/connected_accounts/get', withoutWorkspaceId)
    upstream.rewrite('/connected_accounts/list', withoutWorkspaceId)
    expect((await gw.execute(ACCOUNT, { id: JOHN_ACCOUNT }, bearer(john.token))).body).toEqual({
      data: { connectedAccount: { connectedAccountId: JOHN_ACCOUNT } },
    })
    expect((await gw.execute(OWN_ACCOUNTS, {}, bearer(john.token))).body).toEqual({
      data: { viewer: { clientSession: { connectedAccounts: [{ connectedAccountId: JOHN_ACCOUNT }] } } },
    })
  })
})

describe('an object Seam labels with another workspace', () => {
  it("is no device of a workspace API key's", async () => {
    upstream.rewrite('/devices/list', inOtherWorkspace)
    expect((await gw.execute(DEVICE, { id: 'schlage_device_id' }, bearer(API_KEY))).body).toEqual(
      notFound('device', 'Device', 'schlage_device_id'),
    )
  })

  it("is no device of a client session's, though it names the session's account", async () => {
    upstream.rewrite('/devices/list', inOtherWorkspace)
    expect((await gw.execute(DEVICE, { id: 'august_device_1' }, bearer(john.token))).body).toEqual(
      notFound('device', 'Device', 'august_device_1'),
    )
  })

  it("is no connected account of a client session's, though the session was granted its id", async () => {
    upstream.rewrite('/connected_accounts/list', inOtherWorkspace)
    expect((await gw.execute(ACCOUNT, { id: JOHN_ACCOUNT }, bearer(john.token))).body).toEqual(
      notFound('connectedAccount', 'ConnectedAccount', JOHN_ACCOUNT),
    )
    expect((await gw.execute(OWN_ACCOUNTS, {}, bearer(john.token))).body).toEqual({
      data: { viewer: { clientSession: { connectedAccounts: [] } } },
    })
  })

  it('is no client session of the workspace API key that created it: the payload reads as a missing session', async () => {
    upstream.rewrite('/client_sessions/create', inOtherWorkspace)
    const { status, body } = await gw.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'foreign-objects-relabelled', connectedAccountIds: [JOHN_ACCOUNT] } },
      bearer(API_KEY),
    )
    const created = getFakeStore(sandbox.fake)
      .getState()
      .client_sessions.find((session) => session.user_identifier_key === 'foreign-objects-relabelled')!
    expect({ status, body }).toEqual({
      status: 200,
      body: {
        errors: [
          {
            message: `ClientSession ${JSON.stringify(created.client_session_id)} was not found`,
            locations: [{ line: 3, column: 5 }],
            path: ['createClientSession', 'clientSession'],
            extensions: { code: 'NOT_FOUND' },
          },
        ],
        data: null,
      },
    })
  })
})

describe('a client session that Seam returns without its id, for another workspace', () => {
  it('reads as a missing session with no id to name', async () => {
    upstream.rewrite(
      '/client_sessions/create',
      eachObject(({ client_session_id: _, ...session }) => ({ ...session, workspace_id: OTHER_WORKSPACE })),
    )
    const { body } = await gw.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'foreign-objects-without-id', connectedAccountIds: [JOHN_ACCOUNT] } },
      bearer(API_KEY),
    )
    expect(body).toEqual({
      errors: [
        {
          message: 'ClientSession "" was not found',
          locations: [{ line: 3, column: 5 }],
          path: ['createClientSession', 'clientSession'],
          extensions: { code: 'NOT_FOUND' },
        },
      ],
      data: null,
    })
  })
})

describe('a client session that Seam returns for another token', () => {
  it('is not the principal of the token that was sent: HTTP 401', async () => {
    const fresh = await createSession('foreign-objects-other-token')
    upstream.rewrite('/client_sessions/get', (answer) => ({
      ...answer,
      client_session: { ...(answer.client_session as object), token: 'seam_cst_someone_elses_token' },
    }))
    expect(await gw.execute(ViewerDocument, {}, bearer(fresh.token))).toMatchObject({
      status: 401,
      body: UNKNOWN_CREDENTIAL,
    })
  })
})

describe('a session that Seam starts answering for another token while its socket is open', () => {
  it('has its socket closed at the next check, and its cached principal dropped: HTTP refuses it at once', async () => {
    // Its own gateway: the first check of the only socket comes 4.5 s after it joined, while the
    // principal cached by the request before has 6 s to live.
    const own = await startTestGateway({
      SEAM_ENDPOINT: upstream.url,
      SEAM_API_KEY: API_KEY,
      PRINCIPAL_CACHE_TTL_MS: '6000',
    })
    const clients = createClientPool()
    try {
      const session = await createSession('foreign-objects-turned')
      expect((await own.execute(ViewerDocument, {}, bearer(session.token))).status).toBe(200)
      const socket = clients.openWs(own.url, { clientSessionToken: session.token })
      await waitFor(() => socket.connected === 1, 'connection_ack')
      upstream.rewrite('/client_sessions/get', (answer) => ({
        ...answer,
        client_session: { ...(answer.client_session as object), token: 'seam_cst_someone_elses_token' },
      }))
      await waitFor(() => socket.closes.length > 0, 'the check to close the socket', 6000)

      expect(socket.closes).toEqual([{ code: 4403, reason: 'Forbidden' }])
      expect(await own.execute(ViewerDocument, {}, bearer(session.token))).toMatchObject({
        status: 401,
        body: UNKNOWN_CREDENTIAL,
      })
    } finally {
      await clients.disposeAll()
      await own.stop()
    }
  })
})
