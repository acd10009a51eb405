import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeStore, getFakeStore } from '../sandbox/fake-store.js'
import {
  ClientSessionsDocument,
  CreateClientSessionDocument,
  DeleteClientSessionDocument,
  DevicesDocument,
  GetOrCreateClientSessionDocument,
  GrantClientSessionAccessDocument,
  RevokeClientSessionDocument,
  SessionDevicesAndAccountsDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { present } from './helpers/execute.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

// The client session mutations through the running gateway on the sandbox: who may call them, what they
// answer, and what they do to the session's token.

const API_KEY_2 = 'seam_apikey2_token'
const JOHN = 'john_connected_account_id'
const JANE = 'jane_connected_account_id'
const JOHN_DEVICES = ['august_device_1', 'august_device_2', 'ecobee_device_1', 'minut_device_1']
const publishable = (userIdentifierKey: string) => ({
  'seam-publishable-key': 'seam_pk1_token',
  'seam-user-identifier-key': userIdentifierKey,
})

/** What the gateway answers on the next request of a revoked or deleted token. */
const UNKNOWN_CREDENTIAL_BODY = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

/** A root field's error that leaves `data` null (every mutation payload is non-null). */
const rootErrorBody = (field: string, code: string, message: string) => ({
  errors: [{ message, locations: [{ line: 2, column: 3 }], path: [field], extensions: { code } }],
  data: null,
})

let t: TestGateway
let store: FakeStore
const workspace = () => bearer(t.apiKey)

beforeAll(async () => {
  t = await startTestGateway()
  store = getFakeStore(t.sandbox!.fake)
})

afterAll(async () => {
  await t?.stop()
})

const sessionsWithKey = (key: string) =>
  store.getState().client_sessions.filter((s) => s.user_identifier_key === key)

/** Creates a session through the gateway with the workspace API key. */
async function createSession(userIdentifierKey: string, connectedAccountIds: string[]) {
  const { body } = await t.execute(
    CreateClientSessionDocument,
    { input: { userIdentifierKey, connectedAccountIds } },
    workspace(),
  )
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token! }
}

/** The devices and accounts a token sees. */
async function whatTokenSees(token: string) {
  const { status, body } = await t.execute(SessionDevicesAndAccountsDocument, {}, bearer(token))
  expect(status).toBe(200)
  expect(body.errors).toBeUndefined()
  return {
    devices: present(body.data?.devices, 'devices').nodes.map((node) => node.deviceId),
    accounts: present(body.data?.connectedAccounts, 'connectedAccounts').nodes.map(
      (node) => node.connectedAccountId,
    ),
  }
}

/** Asserts that a token still works as its session. */
async function expectTokenWorks(token: string, clientSessionId: string) {
  const { status, body } = await t.execute(ViewerDocument, {}, bearer(token))
  expect(status).toBe(200)
  expect(body).toEqual({
    data: {
      viewer: { kind: 'CLIENT_SESSION', workspaceId: 'seed_workspace_1', clientSession: { clientSessionId } },
    },
  })
}

describe('createClientSession', () => {
  it('creates a session with a workspace API key; its token reads its accounts and their devices', async () => {
    const { status, body } = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'create-1', connectedAccountIds: [JANE] } },
      workspace(),
    )
    expect(status).toBe(200)
    const [stored] = sessionsWithKey('create-1')
    expect(stored).toBeDefined()
    expect(body).toEqual({
      data: {
        createClientSession: {
          clientSession: {
            clientSessionId: stored!.client_session_id,
            userIdentifierKey: 'create-1',
            connectedAccountIds: [JANE],
            token: stored!.token,
            expiresAt: new Date(stored!.expires_at).toISOString(),
          },
        },
      },
    })
    expect(await whatTokenSees(stored!.token)).toEqual({ devices: ['schlage_device_id'], accounts: [JANE] })
  })

  it('gives the session the expiresAt it was asked for', async () => {
    const { body } = await t.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: 'create-expiry', expiresAt: '2031-01-02T03:04:05.000Z' } },
      workspace(),
    )
    expect(body.errors).toBeUndefined()
    expect(body.data?.createClientSession.clientSession.expiresAt).toBe('2031-01-02T03:04:05.000Z')
    expect(new Date(sessionsWithKey('create-expiry')[0]!.expires_at).toISOString()).toBe(
      '2031-01-02T03:04:05.000Z',
    )
  })
})

describe('getOrCreateClientSession', () => {
  it('with a workspace API key, creates the session of a user once and finds it after', async () => {
    const variables = { input: { userIdentifierKey: 'goc-api', connectedAccountIds: [JANE] } }
    const first = await t.execute(GetOrCreateClientSessionDocument, variables, workspace())
    expect(first.body.errors).toBeUndefined()
    const second = await t.execute(GetOrCreateClientSessionDocument, variables, workspace())
    const stored = sessionsWithKey('goc-api')
    expect(stored).toHaveLength(1)
    const expected = {
      data: {
        getOrCreateClientSession: {
          clientSession: {
            clientSessionId: stored[0]!.client_session_id,
            userIdentifierKey: 'goc-api',
            connectedAccountIds: [JANE],
            token: stored[0]!.token,
          },
        },
      },
    }
    expect(first.body).toEqual(expected)
    expect(second.body).toEqual(expected)
  })

  it('with a publishable key and seam-user-identifier-key, gives the browser its session and token', async () => {
    const first = await t.execute(GetOrCreateClientSessionDocument, { input: {} }, publishable('goc-pk'))
    expect(first.body.errors).toBeUndefined()
    const second = await t.execute(GetOrCreateClientSessionDocument, { input: {} }, publishable('goc-pk'))
    const stored = sessionsWithKey('goc-pk')
    expect(stored).toHaveLength(1)
    const expected = {
      data: {
        getOrCreateClientSession: {
          clientSession: {
            clientSessionId: stored[0]!.client_session_id,
            userIdentifierKey: 'goc-pk',
            connectedAccountIds: [],
            token: stored[0]!.token,
          },
        },
      },
    }
    expect(first.status).toBe(200)
    expect(first.body).toEqual(expected)
    expect(second.body).toEqual(expected)
  })

  it("with a publishable key and no user identifier key, is BAD_USER_INPUT with Seam's message", async () => {
    const { status, body } = await t.execute(
      GetOrCreateClientSessionDocument,
      { input: {} },
      { 'seam-publishable-key': 'seam_pk1_token' },
    )
    expect(status).toBe(200)
    expect(body).toEqual({
      errors: [
        {
          message: 'Must provide a user_identifier_key with a seam-publishable-key',
          locations: [{ line: 2, column: 3 }],
          path: ['getOrCreateClientSession'],
          extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) },
        },
      ],
      data: null,
    })
  })

  it('with a publishable key, refuses an input userIdentifierKey that differs from the header', async () => {
    const { status, body } = await t.execute(
      GetOrCreateClientSessionDocument,
      { input: { userIdentifierKey: 'someone-else' } },
      publishable('goc-pk-mismatch'),
    )
    expect(status).toBe(200)
    expect(body).toEqual(
      rootErrorBody(
        'getOrCreateClientSession',
        'BAD_USER_INPUT',
        'input.userIdentifierKey differs from the seam-user-identifier-key header',
      ),
    )
    expect(sessionsWithKey('someone-else')).toEqual([])
    expect(sessionsWithKey('goc-pk-mismatch')).toEqual([])
  })
})

describe('grantClientSessionAccess', () => {
  const allDevicesInSeamOrder = [...JOHN_DEVICES, 'schlage_device_id']

  it("by clientSessionId: the session's token then sees the new account's devices", async () => {
    const session = await createSession('grant-by-id', [JANE])
    // The token is in use before the grant, as a signed-in user's would be.
    expect(await whatTokenSees(session.token)).toEqual({ devices: ['schlage_device_id'], accounts: [JANE] })

    const { status, body } = await t.execute(
      GrantClientSessionAccessDocument,
      { input: { clientSessionId: session.clientSessionId, connectedAccountIds: [JOHN] } },
      workspace(),
    )
    expect(status).toBe(200)
    expect(body).toEqual({
      data: {
        grantClientSessionAccess: {
          clientSession: { clientSessionId: session.clientSessionId, connectedAccountIds: [JANE, JOHN] },
        },
      },
    })
    expect(await whatTokenSees(session.token)).toEqual({
      devices: allDevicesInSeamOrder,
      accounts: [JOHN, JANE],
    })
  })

  it("by userIdentifierKey: the session's token then sees the new account's devices", async () => {
    const session = await createSession('grant-by-key', [JANE])
    expect(await whatTokenSees(session.token)).toEqual({ devices: ['schlage_device_id'], accounts: [JANE] })

    const { body } = await t.execute(
      GrantClientSessionAccessDocument,
      { input: { userIdentifierKey: 'grant-by-key', connectedAccountIds: [JOHN] } },
      workspace(),
    )
    expect(body).toEqual({
      data: {
        grantClientSessionAccess: {
          clientSession: { clientSessionId: session.clientSessionId, connectedAccountIds: [JANE, JOHN] },
        },
      },
    })
    expect(await whatTokenSees(session.token)).toEqual({
      devices: allDevicesInSeamOrder,
      accounts: [JOHN, JANE],
    })
  })

  it('is NOT_FOUND for a session of another workspace, by id and by user identifier key', async () => {
    const session = await createSession('grant-foreign', [JANE])
    const byId = await t.execute(
      GrantClientSessionAccessDocument,
      { input: { clientSessionId: session.clientSessionId, connectedAccountIds: [JOHN] } },
      bearer(API_KEY_2),
    )
    expect(byId.body).toEqual(
      rootErrorBody(
        'grantClientSessionAccess',
        'NOT_FOUND',
        `ClientSession ${JSON.stringify(session.clientSessionId)} was not found`,
      ),
    )
    const byKey = await t.execute(
      GrantClientSessionAccessDocument,
      { input: { userIdentifierKey: 'grant-foreign', connectedAccountIds: [JOHN] } },
      bearer(API_KEY_2),
    )
    expect(byKey.body).toEqual(
      rootErrorBody('grantClientSessionAccess', 'NOT_FOUND', 'ClientSession "grant-foreign" was not found'),
    )
    expect(sessionsWithKey('grant-foreign')[0]!.connected_account_ids).toEqual([JANE])
  })

  it('needs a clientSessionId or a userIdentifierKey', async () => {
    const { body } = await t.execute(
      GrantClientSessionAccessDocument,
      { input: { connectedAccountIds: [JOHN] } },
      workspace(),
    )
    expect(body).toEqual(
      rootErrorBody(
        'grantClientSessionAccess',
        'BAD_USER_INPUT',
        'input needs clientSessionId or userIdentifierKey, got neither',
      ),
    )
  })
})

describe.each([
  ['revokeClientSession', RevokeClientSessionDocument],
  ['deleteClientSession', DeleteClientSessionDocument],
] as const)('%s', (field, document) => {
  it("ends the session: the token's next request is HTTP 401 UNAUTHENTICATED", async () => {
    const session = await createSession(`${field}-ends`, [JOHN])
    await expectTokenWorks(session.token, session.clientSessionId)

    const { status, body } = await t.execute(
      document as TypedDocumentNode<unknown, { clientSessionId: string }>,
      { clientSessionId: session.clientSessionId },
      workspace(),
    )
    expect(status).toBe(200)
    expect(body).toEqual({ data: { [field]: { clientSessionId: session.clientSessionId } } })

    for (const next of [
      await t.execute(ViewerDocument, {}, bearer(session.token)),
      await t.execute(DevicesDocument, {}, bearer(session.token)),
      await t.execute(ViewerDocument, {}, { 'client-session-token': session.token }),
    ]) {
      expect(next.status).toBe(401)
      expect(next.body).toEqual(UNKNOWN_CREDENTIAL_BODY)
      expect(next.text).not.toContain(session.token)
    }
  })

  it("is NOT_FOUND for another workspace's key, and the session keeps working", async () => {
    const session = await createSession(`${field}-foreign`, [JOHN])
    await expectTokenWorks(session.token, session.clientSessionId)

    const { status, body } = await t.execute(
      document as TypedDocumentNode<unknown, { clientSessionId: string }>,
      { clientSessionId: session.clientSessionId },
      bearer(API_KEY_2),
    )
    expect(status).toBe(200)
    expect(body).toEqual(
      rootErrorBody(
        field,
        'NOT_FOUND',
        `ClientSession ${JSON.stringify(session.clientSessionId)} was not found`,
      ),
    )
    await expectTokenWorks(session.token, session.clientSessionId)
    expect(sessionsWithKey(`${field}-foreign`)).toHaveLength(1)
  })

  it('is NOT_FOUND for a session that does not exist', async () => {
    const { body } = await t.execute(
      document as TypedDocumentNode<unknown, { clientSessionId: string }>,
      { clientSessionId: 'cst_missing' },
      workspace(),
    )
    expect(body).toEqual(rootErrorBody(field, 'NOT_FOUND', 'ClientSession "cst_missing" was not found'))
  })
})

describe('who may call the mutations', () => {
  let target: { clientSessionId: string; token: string }

  beforeAll(async () => {
    target = await createSession('refusal-target', [JOHN])
  })

  const mutations = () =>
    [
      [
        'createClientSession',
        CreateClientSessionDocument,
        { input: { userIdentifierKey: 'refused-create' } },
      ],
      [
        'getOrCreateClientSession',
        GetOrCreateClientSessionDocument,
        { input: { userIdentifierKey: 'refused-get-or-create' } },
      ],
      [
        'grantClientSessionAccess',
        GrantClientSessionAccessDocument,
        { input: { clientSessionId: target.clientSessionId, connectedAccountIds: [JANE] } },
      ],
      ['revokeClientSession', RevokeClientSessionDocument, { clientSessionId: target.clientSessionId }],
      ['deleteClientSession', DeleteClientSessionDocument, { clientSessionId: target.clientSessionId }],
    ] as unknown as Array<
      [string, TypedDocumentNode<unknown, Record<string, unknown>>, Record<string, unknown>]
    >

  /** Nothing a refused mutation asked for happened. */
  const expectNoSideEffect = async () => {
    expect(sessionsWithKey('refused-create')).toEqual([])
    expect(sessionsWithKey('refused-get-or-create')).toEqual([])
    expect(sessionsWithKey('refusal-target')[0]!.connected_account_ids).toEqual([JOHN])
    await expectTokenWorks(target.token, target.clientSessionId)
  }

  it('refuses every mutation to a client session token with FORBIDDEN', async () => {
    for (const [field, document, variables] of mutations()) {
      // The target session's own token, even about itself.
      const { status, body } = await t.execute(document, variables, bearer(target.token))
      expect(status, field).toBe(200)
      expect(body, field).toEqual(
        rootErrorBody(field, 'FORBIDDEN', 'This field is not available to a client session token'),
      )
    }
    await expectNoSideEffect()
  })

  it('refuses every mutation without a credential with HTTP 401 UNAUTHENTICATED', async () => {
    for (const [field, document, variables] of mutations()) {
      const { status, body } = await t.execute(document, variables, {})
      expect(status, field).toBe(401)
      expect(body, field).toEqual(
        rootErrorBody(
          field,
          'UNAUTHENTICATED',
          'A credential is required: send Authorization: Bearer <API key or client session token>',
        ),
      )
    }
    await expectNoSideEffect()
  })

  it('lets a publishable key call getOrCreateClientSession only', async () => {
    for (const [field, document, variables] of mutations()) {
      if (field === 'getOrCreateClientSession') continue
      const { status, body } = await t.execute(document, variables, publishable('pk-user'))
      expect(status, field).toBe(200)
      expect(body, field).toEqual(
        rootErrorBody(field, 'FORBIDDEN', 'This field is not available to a publishable key'),
      )
    }
    // `viewer` is non-null, so `data` is null; the root lists and connections are nullable.
    const queries = [
      ['viewer', ViewerDocument, null],
      ['devices', DevicesDocument, { devices: null }],
      ['clientSessions', ClientSessionsDocument, { clientSessions: null }],
    ] as Array<[string, TypedDocumentNode<unknown, Record<string, never>>, unknown]>
    for (const [field, document, data] of queries) {
      const { status, body } = await t.execute(document, {}, publishable('pk-user'))
      expect(status, field).toBe(200)
      expect(body, field).toEqual({
        ...rootErrorBody(field, 'FORBIDDEN', 'This field is not available to a publishable key'),
        data,
      })
    }
    expect(sessionsWithKey('pk-user')).toEqual([])
    await expectNoSideEffect()
  })
})
