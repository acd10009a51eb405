import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { execute } from './helpers/execute.js'
import { startFaultyUpstream } from './helpers/faulty-upstream.js'
import { bearer, testConfig } from './helpers/gateway.js'

/**
 * A publishable key is a public value (SPEC §4): with it, getOrCreateClientSession may get or create a
 * user's session, never change one. Whoever knows a user identifier key must not be able to sign that
 * user out (an expiry in the past), keep them signed in for ever, or grant their session anything.
 */

const API_KEY = 'seam_apikey1_token'
const PUBLISHABLE_KEY = 'seam_pk1_token'

const publishable = (userIdentifierKey: string) => ({
  'seam-publishable-key': PUBLISHABLE_KEY,
  'seam-user-identifier-key': userIdentifierKey,
})

interface Session {
  clientSessionId: string
  userIdentifierKey: string | null
  expiresAt: string
  connectedAccountIds: string[]
  connectWebviewIds: string[]
  userIdentityId: string | null
  deviceCount: number
  token: string | null
}
const SESSION_FIELDS =
  'clientSessionId userIdentifierKey expiresAt connectedAccountIds connectWebviewIds userIdentityId deviceCount token'

const GET_OR_CREATE = parse(
  `mutation GetOrCreate($input: GetOrCreateClientSessionInput!) { getOrCreateClientSession(input: $input) { clientSession { ${SESSION_FIELDS} } } }`,
) as TypedDocumentNode<
  { getOrCreateClientSession: { clientSession: Session } },
  { input: Record<string, unknown> }
>

const READ_SESSION = parse(
  `query ReadSession($id: ID!) { clientSession(clientSessionId: $id) { ${SESSION_FIELDS} } }`,
) as TypedDocumentNode<{ clientSession: Session | null }, { id: string }>

let sandbox: Sandbox
let upstream: Awaited<ReturnType<typeof startFaultyUpstream>>
let gateway: App
let url: string

/** Creates a session in the sandbox with the API key, as a backend would. */
async function createSession(body: Record<string, unknown>) {
  const response = await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify(body),
  })
  return ((await response.json()) as { client_session: { client_session_id: string; token: string } })
    .client_session
}

const readSession = async (id: string) => (await execute(url, READ_SESSION, { id }, bearer(API_KEY))).body

beforeAll(async () => {
  sandbox = await createSandbox()
  upstream = await startFaultyUpstream(sandbox.url)
  gateway = createApp(testConfig({ SEAM_ENDPOINT: upstream.url, RATE_LIMIT_PER_MINUTE: '0' }))
  url = await gateway.start()
})

afterAll(async () => {
  await gateway?.stop()
  await upstream?.close()
  await sandbox?.stop()
})

describe("a publishable key cannot change anyone's session", () => {
  const refusal = (field: string) => ({
    errors: [
      {
        message: `input.${field} cannot be set with a publishable key, which is public; set it with a workspace API key from your backend`,
        locations: [{ line: 2, column: 3 }],
        path: ['getOrCreateClientSession'],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ],
    data: null,
  })

  it.each([
    ['expiresAt (in 2 s: a sign-out)', 'expiresAt', () => new Date(Date.now() + 2000).toISOString()],
    ['expiresAt (in 2099: for ever)', 'expiresAt', () => '2099-01-01T00:00:00.000Z'],
    ['connectedAccountIds', 'connectedAccountIds', () => ['jane_connected_account_id']],
    ['connectWebviewIds', 'connectWebviewIds', () => ['cw_victim']],
    ['userIdentityId', 'userIdentityId', () => 'user_identity_victim'],
  ])(
    "refuses input.%s with the victim's user identifier key, before any upstream call",
    async (_label, field, value) => {
      const victimKey = `victim-${field}-${Math.random().toString(36).slice(2)}`
      const victim = await createSession({
        user_identifier_key: victimKey,
        connected_account_ids: ['john_connected_account_id'],
      })
      const before = await readSession(victim.client_session_id)
      expect(before.data!.clientSession!.userIdentifierKey).toBe(victimKey)

      upstream.reset()
      const { status, body } = await execute(
        url,
        GET_OR_CREATE,
        { input: { [field]: value() } },
        publishable(victimKey),
      )
      expect(status).toBe(200)
      expect(body).toEqual(refusal(field))
      expect(upstream.requests).toEqual([])

      // The victim's session, read with the API key, is as it was: same expiry, same grants.
      expect(await readSession(victim.client_session_id)).toEqual(before)
    },
  )

  it('still gets or creates a session with a publishable key and nothing to change', async () => {
    const created = await execute(url, GET_OR_CREATE, { input: {} }, publishable('pk-plain-user'))
    expect(created.body.errors).toBeUndefined()
    const session = created.body.data!.getOrCreateClientSession.clientSession
    expect(session).toMatchObject({
      userIdentifierKey: 'pk-plain-user',
      connectedAccountIds: [],
      connectWebviewIds: [],
      deviceCount: 0,
      token: expect.stringMatching(/^seam_cst/),
    })
    // Asked again, the same session (same expiry: nothing moved it).
    const again = await execute(
      url,
      GET_OR_CREATE,
      { input: { userIdentifierKey: 'pk-plain-user' } },
      publishable('pk-plain-user'),
    )
    expect(again.body).toEqual({ data: { getOrCreateClientSession: { clientSession: session } } })
  })
})

describe('ClientSession.deviceCount with a publishable key', () => {
  it("counts the session's devices when Seam's answer carries no device_count", async () => {
    // A user whose backend granted John's account (4 devices), then the browser's get-or-create.
    const key = 'pk-count-user'
    await createSession({ user_identifier_key: key, connected_account_ids: ['john_connected_account_id'] })
    const seamAnswer = await fetch(`${sandbox.url}/client_sessions/get_or_create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'seam-publishable-key': PUBLISHABLE_KEY },
      body: JSON.stringify({ user_identifier_key: key }),
    })
    const answer = (await seamAnswer.json()) as { client_session: Record<string, unknown> }
    expect(answer.client_session.device_count).toBe(4)

    // Seam's own count is used as it is: one upstream call.
    upstream.reset()
    const counted = await execute(url, GET_OR_CREATE, { input: {} }, publishable(key))
    expect(counted.body.errors).toBeUndefined()
    expect(counted.body.data!.getOrCreateClientSession.clientSession.deviceCount).toBe(4)
    expect(upstream.requests).toEqual(['/client_sessions/get_or_create'])

    // An answer without it: the gateway counts, with the session's own token.
    const { device_count: _count, ...withoutCount } = answer.client_session
    upstream.reset()
    upstream.failNext('/client_sessions/get_or_create', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...answer, client_session: withoutCount }),
    })
    const { body } = await execute(url, GET_OR_CREATE, { input: {} }, publishable(key))
    expect(body.errors).toBeUndefined()
    expect(body.data!.getOrCreateClientSession.clientSession).toMatchObject({
      userIdentifierKey: key,
      connectedAccountIds: ['john_connected_account_id'],
      deviceCount: 4,
    })
    expect(upstream.requests).toEqual(['/client_sessions/get_or_create', '/devices/list'])
  })
})
