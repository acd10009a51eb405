import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { schemas } from '@seamapi/types/connect'
import { SeamWebhook } from '@seamapi/webhook'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getFakeStore } from '../fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox.js'
import { createWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js'

const API_KEY_1 = 'seam_apikey1_token'
const API_KEY_2 = 'seam_apikey2_token'
const SEEDED_CST = 'seam_cst1_token'

// Each test gets its own sandbox (about 25 ms to start): the tests delete, revoke and break things.
let sandbox: Sandbox
let logged: { message: string; fields: Record<string, unknown> | undefined }[]
const receivers: WebhookReceiver[] = []

beforeEach(async () => {
  logged = []
  sandbox = await createSandbox({ port: 0, log: (message, fields) => logged.push({ message, fields }) })
})

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()))
  await sandbox.stop()
})

interface SeamResponse {
  status: number
  headers: Headers
  body: unknown
}

/** Calls the sandbox like an SDK would: POST with a JSON body unless told otherwise. */
async function seam(
  path: string,
  init: {
    key?: string
    body?: unknown
    rawBody?: string
    method?: string
    headers?: Record<string, string>
  } = {},
): Promise<SeamResponse> {
  const method = init.method ?? 'POST'
  const hasBody = init.rawBody !== undefined || init.body !== undefined
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      ...(init.key === undefined ? {} : { authorization: `Bearer ${init.key}` }),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    // Not JSON (the fake's bare 404): keep the text.
  }
  return { status: response.status, headers: response.headers, body }
}

function seamError(type: string, message: string) {
  return { error: { type, message }, ok: false }
}

async function receiver(statuses: readonly number[] = []): Promise<WebhookReceiver> {
  const created = await createWebhookReceiver({ statuses })
  receivers.push(created)
  return created
}

async function createWebhook(
  url: string,
  key = API_KEY_1,
  eventTypes?: string[],
): Promise<{ secret: string }> {
  const response = await seam('/webhooks/create', {
    key,
    body: eventTypes === undefined ? { url } : { url, event_types: eventTypes },
  })
  expect(response.status).toBe(200)
  return (response.body as { webhook: { secret: string } }).webhook
}

async function createClientSession(body: Record<string, unknown>, key = API_KEY_1) {
  const response = await seam('/client_sessions/create', { key, body })
  expect(response.status).toBe(200)
  return (response.body as { client_session: { client_session_id: string; token: string } }).client_session
}

/**
 * Issues of `schemas.client_session` (strict, so any extra field is an issue) other than UUID formats:
 * the fake's ids (`cst1`, `seed_workspace_1`, `john_connected_account_id`) are not UUIDs, which Seam's
 * schema demands, and the sandbox serves the fake's ids as they are. Every other rule must hold.
 */
function clientSessionSchemaIssues(value: unknown): string[] {
  const result = schemas.client_session.strict().safeParse(value)
  if (result.success) return []
  return result.error.issues
    .filter((issue) => !(issue.code === 'invalid_string' && issue.validation === 'uuid'))
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
}

const seededSession = {
  client_session_id: 'cst1',
  workspace_id: 'seed_workspace_1',
  created_at: expect.any(String),
  expires_at: expect.any(String),
  token: SEEDED_CST,
  user_identifier_key: 'john_user_identifier_key',
  // august_device_1, august_device_2, ecobee_device_1 and minut_device_1 belong to John's account.
  device_count: 4,
  connected_account_ids: ['john_connected_account_id'],
  connect_webview_ids: ['connect_webview1'],
  user_identity_ids: ['john_user_identity_id'],
  user_identity_id: 'john_user_identity_id',
}

describe('routes passed to the fake', () => {
  it('serves /devices/list with the seeded API key', async () => {
    const response = await seam('/devices/list', { key: API_KEY_1 })
    expect(response.status).toBe(200)
    const deviceIds = (response.body as { devices: { device_id: string }[] }).devices.map((d) => d.device_id)
    expect(deviceIds).toEqual(
      expect.arrayContaining(['august_device_1', 'august_device_2', 'ecobee_device_1', 'schlage_device_id']),
    )
    expect(response.headers.get('seam-request-id')).toMatch(/\S/)
  })

  it('passes /_fake/simulate_workspace_outage through, so /devices/list answers 503', async () => {
    const outage = await seam('/_fake/simulate_workspace_outage', {
      body: { workspace_id: 'seed_workspace_1', routes: ['/devices/list'] },
    })
    expect(outage.status).toBe(200)

    const response = await seam('/devices/list', { key: API_KEY_1 })
    expect(response).toMatchObject({ status: 503, body: undefined })
  })

  it('applies a simulated outage to the sandbox routes too', async () => {
    await seam('/_fake/simulate_workspace_outage', {
      body: { workspace_id: 'seed_workspace_1', routes: ['/client_sessions/list'] },
    })
    expect(await seam('/client_sessions/list', { key: API_KEY_1, body: {} })).toMatchObject({
      status: 503,
      body: undefined,
    })
    expect((await seam('/client_sessions/list', { key: API_KEY_2, body: {} })).status).toBe(200)
  })

  it('answers /health', async () => {
    const response = await seam('/health', { method: 'GET' })
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ ok: true })
    expect(response.headers.get('seam-request-id')).toMatch(/\S/)
  })
})

describe('the seed', () => {
  it("lists the seeded accounts and devices in the seed's order, however fast the process seeds", async () => {
    // Every sandbox after a process's first seeds within a millisecond or so; each must still list
    // its accounts and devices oldest first, as a first seed does.
    const sandboxes = [sandbox]
    try {
      for (let started = 1; started < 8; started++) sandboxes.push(await createSandbox({ port: 0 }))
      for (const each of sandboxes) {
        const accounts = await fetch(`${each.url}/connected_accounts/list`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY_1}`, 'content-type': 'application/json' },
          body: '{}',
        })
        const devices = await fetch(`${each.url}/devices/list`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY_1}`, 'content-type': 'application/json' },
          body: '{}',
        })
        expect({
          accounts: (
            (await accounts.json()) as { connected_accounts: { connected_account_id: string }[] }
          ).connected_accounts.map((account) => account.connected_account_id),
          devices: ((await devices.json()) as { devices: { device_id: string }[] }).devices.map(
            (device) => device.device_id,
          ),
        }).toEqual({
          accounts: [
            'john_connected_account_id',
            'jane_connected_account_id',
            'john_assa_cs_connected_account_id',
          ],
          devices: [
            'august_device_1',
            'august_device_2',
            'ecobee_device_1',
            'minut_device_1',
            'schlage_device_id',
          ],
        })
      }
    } finally {
      await Promise.all(sandboxes.slice(1).map((each) => each.stop()))
    }
  })

  it('makes a record created after the seed newer than every seeded one', async () => {
    const store = getFakeStore(sandbox.fake)
    const [first] = store.getState().connected_accounts
    store.setState({
      connected_accounts: [
        ...store.getState().connected_accounts,
        { ...first!, connected_account_id: 'aaa_later_account', created_at: new Date().toISOString() },
      ],
    })
    const response = await seam('/connected_accounts/list', { key: API_KEY_1, body: {} })
    expect(
      (response.body as { connected_accounts: { connected_account_id: string }[] }).connected_accounts.map(
        (account) => account.connected_account_id,
      ),
    ).toEqual([
      'john_connected_account_id',
      'jane_connected_account_id',
      'john_assa_cs_connected_account_id',
      'aaa_later_account',
    ])
  })
})

describe('/client_sessions/list', () => {
  it("returns the workspace's sessions in Seam's shape, tokens included, private fields left out", async () => {
    // A session the fake stores with api_key_id and (below) revoked_at, both private.
    const created = await createClientSession({ connected_account_ids: ['jane_connected_account_id'] })
    await seam('/client_sessions/revoke', {
      key: API_KEY_1,
      body: { client_session_id: created.client_session_id },
    })

    const response = await seam('/client_sessions/list', { key: API_KEY_1, body: {} })

    expect(response.status).toBe(200)
    expect(response.headers.get('seam-request-id')).toMatch(/\S/)
    expect(response.body).toEqual({
      client_sessions: [
        seededSession,
        {
          client_session_id: created.client_session_id,
          workspace_id: 'seed_workspace_1',
          created_at: expect.any(String),
          expires_at: expect.any(String),
          token: created.token,
          user_identifier_key: null,
          device_count: 1,
          connected_account_ids: ['jane_connected_account_id'],
          connect_webview_ids: [],
          user_identity_ids: [],
        },
      ],
      ok: true,
    })
    for (const session of (response.body as { client_sessions: unknown[] }).client_sessions) {
      expect(clientSessionSchemaIssues(session)).toEqual([])
    }
  })

  it('filters by each of its params, from a JSON body or a query string', async () => {
    const alice = await createClientSession({ user_identifier_key: 'alice' })
    const anonymous = await createClientSession({})
    const ids = async (init: { body?: unknown; query?: string }) => {
      const response =
        init.query === undefined
          ? await seam('/client_sessions/list', { key: API_KEY_1, body: init.body })
          : await seam(`/client_sessions/list?${init.query}`, { key: API_KEY_1, method: 'GET' })
      expect(response.status).toBe(200)
      return (response.body as { client_sessions: { client_session_id: string }[] }).client_sessions.map(
        (session) => session.client_session_id,
      )
    }

    expect(await ids({ body: {} })).toEqual(['cst1', alice.client_session_id, anonymous.client_session_id])
    expect(await ids({ body: { client_session_id: alice.client_session_id } })).toEqual([
      alice.client_session_id,
    ])
    expect(await ids({ body: { user_identifier_key: 'alice' } })).toEqual([alice.client_session_id])
    expect(await ids({ body: { connect_webview_id: 'connect_webview1' } })).toEqual(['cst1'])
    expect(await ids({ body: { user_identity_id: 'john_user_identity_id' } })).toEqual(['cst1'])
    expect(await ids({ body: { without_user_identifier_key: true } })).toEqual([anonymous.client_session_id])
    expect(await ids({ query: 'without_user_identifier_key=true' })).toEqual([anonymous.client_session_id])
    expect(await ids({ query: 'user_identifier_key=alice' })).toEqual([alice.client_session_id])
    expect(await ids({ query: 'user_identifier_key=nobody' })).toEqual([])
  })

  it("shows another workspace's key none of workspace 1's sessions", async () => {
    await createClientSession({ user_identifier_key: 'bob' }, API_KEY_2)
    const response = await seam('/client_sessions/list', { key: API_KEY_2, body: {} })
    expect(response.status).toBe(200)
    const sessions = (
      response.body as { client_sessions: { workspace_id: string; user_identifier_key: string }[] }
    ).client_sessions
    expect(sessions.map((session) => [session.workspace_id, session.user_identifier_key])).toEqual([
      ['seed_workspace_2', 'bob'],
    ])
  })

  it('refuses anything but an API key with 401', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Expected an API key in an "Authorization: Bearer <API key>" header, got no Authorization header'],
      [{ authorization: `Bearer ${SEEDED_CST}` }, 'Expected an API key, got a client session token'],
      [{ authorization: 'Bearer seam_pk1_token' }, 'Expected an API key, got a publishable key'],
      [{ authorization: 'Bearer seam_at1_longtoken' }, 'Expected an API key, got a personal access token'],
      [
        { authorization: 'Bearer seam_nosuchkey' },
        'Expected an API key of this sandbox, got an unknown API key',
      ],
      [
        { authorization: `Basic ${API_KEY_1}` },
        'Expected an "Authorization: Bearer <API key>" header, got a header of another form',
      ],
    ]
    for (const [headers, message] of cases) {
      const response = await seam('/client_sessions/list', { headers, body: {} })
      expect({ status: response.status, body: response.body }).toEqual({
        status: 401,
        body: seamError('unauthorized', message),
      })
    }
  })

  it('rejects bad params with 400 invalid_input naming the param', async () => {
    expect(
      await seam('/client_sessions/list', { key: API_KEY_1, body: { client_session_id: 42 } }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid client_session_id: expected a non-empty string, got a number',
      ),
    })
    expect(
      await seam('/client_sessions/list?without_user_identifier_key=yes', { key: API_KEY_1, method: 'GET' }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid without_user_identifier_key: expected a boolean, got a string',
      ),
    })
    expect(
      await seam('/client_sessions/list', { key: API_KEY_1, body: { client_session_ids: ['cst1'] } }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Unexpected param client_session_ids: expected only client_session_id, connect_webview_id, user_identifier_key, user_identity_id, without_user_identifier_key',
      ),
    })
  })
})

describe('/client_sessions/grant_access', () => {
  it('merges the ids into the session, without repeats and in order', async () => {
    const response = await seam('/client_sessions/grant_access', {
      key: API_KEY_1,
      body: {
        client_session_id: 'cst1',
        connected_account_ids: [
          'jane_connected_account_id',
          'john_connected_account_id',
          'jane_connected_account_id',
        ],
      },
    })
    expect(response.status).toBe(200)
    // Seam answers with the updated session as well as ok.
    expect(response.body).toEqual({
      client_session: {
        ...seededSession,
        connected_account_ids: ['john_connected_account_id', 'jane_connected_account_id'],
        device_count: 5,
      },
      ok: true,
    })

    // The fake's own routes see the grant at once: the token now reaches Jane's lock.
    const devices = await seam('/devices/list', { key: SEEDED_CST })
    expect((devices.body as { devices: { device_id: string }[] }).devices.map((d) => d.device_id)).toContain(
      'schlage_device_id',
    )
  })

  it('finds the session by user_identifier_key', async () => {
    const response = await seam('/client_sessions/grant_access', {
      key: API_KEY_1,
      body: {
        user_identifier_key: 'john_user_identifier_key',
        connected_account_ids: ['jane_connected_account_id'],
      },
    })
    expect(response.status).toBe(200)
    expect(getFakeStore(sandbox.fake).getState().client_sessions[0]?.connected_account_ids).toEqual([
      'john_connected_account_id',
      'jane_connected_account_id',
    ])
  })

  it('rejects connected accounts that are not in the workspace, naming them, and changes nothing', async () => {
    // Workspace 2's key: John's account exists, but in workspace 1.
    const bob = await createClientSession({ user_identifier_key: 'bob' }, API_KEY_2)
    const response = await seam('/client_sessions/grant_access', {
      key: API_KEY_2,
      body: {
        client_session_id: bob.client_session_id,
        connected_account_ids: ['john_connected_account_id', 'no_such_account'],
      },
    })
    expect(response).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid connected_account_ids: expected ids of connected accounts in this workspace, got unknown ids "john_connected_account_id", "no_such_account"',
      ),
    })
    const stored = getFakeStore(sandbox.fake)
      .getState()
      .client_sessions.find((session) => session.client_session_id === bob.client_session_id)
    expect(stored?.connected_account_ids).toEqual([])
  })

  it('answers 404 for a session of another workspace, and without a session 400', async () => {
    expect(
      await seam('/client_sessions/grant_access', {
        key: API_KEY_2,
        body: { client_session_id: 'cst1', connected_account_ids: [] },
      }),
    ).toMatchObject({
      status: 404,
      body: seamError(
        'client_session_not_found',
        'Could not find a client session with client_session_id "cst1" in this workspace',
      ),
    })
    expect(
      await seam('/client_sessions/grant_access', { key: API_KEY_1, body: { connected_account_ids: [] } }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid client_session_id: expected client_session_id or user_identifier_key, got neither',
      ),
    })
  })
})

describe('/client_sessions/revoke', () => {
  it("makes the token's next request a 401 while the session still exists, with no event", async () => {
    expect((await seam('/devices/list', { key: SEEDED_CST })).status).toBe(200)

    const response = await seam('/client_sessions/revoke', {
      key: API_KEY_1,
      body: { client_session_id: 'cst1' },
    })
    expect(response).toMatchObject({ status: 200, body: { ok: true } })

    expect((await seam('/devices/list', { key: SEEDED_CST })).status).toBe(401)
    expect((await seam('/client_sessions/get', { key: SEEDED_CST, body: {} })).status).toBe(401)
    const listed = await seam('/client_sessions/list', {
      key: API_KEY_1,
      body: { client_session_id: 'cst1' },
    })
    expect(listed.body).toEqual({ client_sessions: [seededSession], ok: true })
    expect(
      getFakeStore(sandbox.fake)
        .getState()
        .events.filter((event) => event.event_type.startsWith('client_session.')),
    ).toEqual([])
  })

  it('answers 404 for a session of another workspace and leaves it working', async () => {
    expect(
      await seam('/client_sessions/revoke', { key: API_KEY_2, body: { client_session_id: 'cst1' } }),
    ).toMatchObject({
      status: 404,
      body: seamError(
        'client_session_not_found',
        'Could not find a client session with client_session_id "cst1" in this workspace',
      ),
    })
    expect((await seam('/devices/list', { key: SEEDED_CST })).status).toBe(200)
  })

  it('accepts only POST, as Seam does', async () => {
    const response = await seam('/client_sessions/revoke?client_session_id=cst1', {
      key: API_KEY_1,
      method: 'GET',
    })
    expect(response).toMatchObject({
      status: 405,
      body: seamError('method_not_allowed', 'Expected POST, got GET'),
    })
    expect(response.headers.get('allow')).toBe('POST')
  })
})

describe('/client_sessions/delete', () => {
  it('removes the session, records the event, and its token gets 401 everywhere', async () => {
    const response = await seam('/client_sessions/delete', {
      key: API_KEY_1,
      body: { client_session_id: 'cst1' },
    })
    expect(response).toMatchObject({ status: 200, body: { ok: true } })

    expect(await seam('/client_sessions/list', { key: API_KEY_1, body: {} })).toMatchObject({
      body: { client_sessions: [], ok: true },
    })
    expect((await seam('/devices/list', { key: SEEDED_CST })).status).toBe(401)
    expect((await seam('/client_sessions/get', { key: SEEDED_CST, body: {} })).status).toBe(401)

    // The fake's /events/list reports it (it adds event_description to what it stores).
    const events = await seam('/events/list', {
      key: API_KEY_1,
      body: { since: '1970-01-01T00:00:00.000Z', event_types: ['client_session.deleted'] },
    })
    expect((events.body as { events: unknown[] }).events).toEqual([
      expect.objectContaining({
        event_type: 'client_session.deleted',
        client_session_id: 'cst1',
        workspace_id: 'seed_workspace_1',
      }),
    ])
  })

  it('answers 404 to another workspace and for a missing id, and deletes nothing', async () => {
    expect(
      await seam('/client_sessions/delete', { key: API_KEY_2, body: { client_session_id: 'cst1' } }),
    ).toMatchObject({
      status: 404,
      body: seamError(
        'client_session_not_found',
        'Could not find a client session with client_session_id "cst1" in this workspace',
      ),
    })
    expect(
      await seam('/client_sessions/delete', { key: API_KEY_1, body: { client_session_id: 'cst404' } }),
    ).toMatchObject({
      status: 404,
      body: seamError(
        'client_session_not_found',
        'Could not find a client session with client_session_id "cst404" in this workspace',
      ),
    })
    expect((await seam('/devices/list', { key: SEEDED_CST })).status).toBe(200)
  })

  it('rejects a missing client_session_id and a body that is not a JSON object with 400', async () => {
    expect(await seam('/client_sessions/delete', { key: API_KEY_1, body: {} })).toMatchObject({
      status: 400,
      body: seamError('invalid_input', 'Invalid client_session_id: expected a non-empty string, got nothing'),
    })
    expect(
      await seam('/client_sessions/delete', { key: API_KEY_1, rawBody: '{"client_session_id": ' }),
    ).toMatchObject({
      status: 400,
      body: seamError('invalid_input', 'Invalid request body: expected a JSON object, got invalid JSON'),
    })
    expect(await seam('/client_sessions/delete', { key: API_KEY_1, body: ['cst1'] })).toMatchObject({
      status: 400,
      body: seamError('invalid_input', 'Invalid request body: expected a JSON object, got an array'),
    })
  })

  it('accepts DELETE with the id in the query string, as Seam does', async () => {
    const response = await seam('/client_sessions/delete?client_session_id=cst1', {
      key: API_KEY_1,
      method: 'DELETE',
    })
    expect(response).toMatchObject({ status: 200, body: { ok: true } })
    expect((await seam('/devices/list', { key: SEEDED_CST })).status).toBe(401)
  })

  it('checks the API key before the params', async () => {
    expect(await seam('/client_sessions/delete', { rawBody: 'not json' })).toMatchObject({ status: 401 })
  })

  it('answers 413 to a body over 1 MiB', async () => {
    const response = await seam('/client_sessions/delete', {
      key: API_KEY_1,
      rawBody: JSON.stringify({ client_session_id: 'x'.repeat(1024 * 1024) }),
    })
    expect(response).toMatchObject({
      status: 413,
      body: seamError('payload_too_large', 'Invalid request body: expected at most 1048576 bytes, got more'),
    })
  })
})

describe('/client_sessions/create', () => {
  it("keeps expires_at, customer_key and user_identity_id, and answers in Seam's shape", async () => {
    const response = await seam('/client_sessions/create', {
      key: API_KEY_1,
      body: {
        user_identifier_key: 'alice',
        connected_account_ids: ['jane_connected_account_id'],
        connect_webview_ids: ['connect_webview1'],
        user_identity_id: 'john_user_identity_id',
        customer_key: 'customer-1',
        customer_id: 'customer_id_1',
        expires_at: '2031-01-02T04:04:05+01:00',
      },
    })

    const alice = {
      client_session_id: 'cst2',
      workspace_id: 'seed_workspace_1',
      created_at: expect.any(String),
      expires_at: '2031-01-02T03:04:05.000Z',
      // The fake's own id and token scheme (`addClientSession` made them).
      token: 'seam_cst1cst2_1tnse',
      user_identifier_key: 'alice',
      device_count: 1,
      connected_account_ids: ['jane_connected_account_id'],
      connect_webview_ids: ['connect_webview1'],
      user_identity_ids: ['john_user_identity_id'],
      user_identity_id: 'john_user_identity_id',
      customer_key: 'customer-1',
    }
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { client_session: alice, ok: true },
    })
    expect(clientSessionSchemaIssues((response.body as { client_session: unknown }).client_session)).toEqual(
      [],
    )

    // Stored on the fake's store, so its own routes and the sandbox's see the same session.
    expect(getFakeStore(sandbox.fake).getState().client_sessions[1]).toMatchObject({
      client_session_id: 'cst2',
      expires_at: '2031-01-02T03:04:05.000Z',
      customer_key: 'customer-1',
      user_identity_ids: ['john_user_identity_id'],
      api_key_id: 'api_key1',
    })
    expect(
      await seam('/client_sessions/list', { key: API_KEY_1, body: { user_identifier_key: 'alice' } }),
    ).toMatchObject({ status: 200, body: { client_sessions: [alice], ok: true } })
    const devices = await seam('/devices/list', { key: 'seam_cst1cst2_1tnse' })
    expect(deviceIds(devices.body)).toEqual(['schlage_device_id'])
  })

  it("defaults to the fake's one-year expiry and leaves customer_key out when none is given", async () => {
    const response = await seam('/client_sessions/create', { key: API_KEY_1, body: {} })
    const session = (response.body as { client_session: Record<string, unknown> }).client_session
    expect(response.status).toBe(200)
    expect(Object.keys(session)).not.toContain('customer_key')
    expect(Object.keys(session)).not.toContain('user_identity_id')
    const lifeMs = Date.parse(session.expires_at as string) - Date.parse(session.created_at as string)
    expect(lifeMs).toBe(365.25 * 24 * 60 * 60 * 1000)
    expect(clientSessionSchemaIssues(session)).toEqual([])
  })

  it('rejects an expires_at that is not a future ISO date-time, naming it, and creates nothing', async () => {
    const cases: [unknown, string][] = [
      [
        'next tuesday',
        'Invalid expires_at: expected an ISO 8601 date-time such as 2030-01-01T00:00:00.000Z, got "next tuesday"',
      ],
      [
        '2031-01-02',
        'Invalid expires_at: expected an ISO 8601 date-time such as 2030-01-01T00:00:00.000Z, got "2031-01-02"',
      ],
      [1924992000000, 'Invalid expires_at: expected an ISO 8601 date-time string, got a number'],
      [
        '2020-01-01T00:00:00Z',
        'Invalid expires_at: expected a time in the future, got 2020-01-01T00:00:00.000Z',
      ],
    ]
    for (const [expiresAt, message] of cases) {
      const response = await seam('/client_sessions/create', {
        key: API_KEY_1,
        body: { user_identifier_key: 'late', expires_at: expiresAt },
      })
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: seamError('invalid_input', message),
      })
    }
    expect(getFakeStore(sandbox.fake).getState().client_sessions).toHaveLength(1)
  })

  it("refuses a second session for a user_identifier_key, with the fake's type and message", async () => {
    expect(
      await seam('/client_sessions/create', {
        key: API_KEY_1,
        body: { user_identifier_key: 'john_user_identifier_key' },
      }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'client_session_token_already_exists',
        'A client session token already exists for this user, try using /client_session_tokens/get_or_create',
      ),
    })
  })

  it('rejects resources of another workspace and unknown user identities, naming them', async () => {
    expect(
      await seam('/client_sessions/create', {
        key: API_KEY_2,
        body: { connected_account_ids: ['john_connected_account_id'] },
      }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid connected_account_ids: expected ids of connected accounts in this workspace, got unknown id "john_connected_account_id"',
      ),
    })
    expect(
      await seam('/client_sessions/create', {
        key: API_KEY_1,
        body: { user_identity_id: 'nobody_identity' },
      }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid user_identity_id: expected ids of user identities in this workspace, got unknown id "nobody_identity"',
      ),
    })
    expect(getFakeStore(sandbox.fake).getState().client_sessions).toHaveLength(1)
  })

  it('lets a publishable key create an empty session with its expires_at, as the fake allows', async () => {
    const headers = { 'seam-publishable-key': 'seam_pk1_token' }
    const response = await seam('/client_sessions/create', {
      headers,
      body: { user_identifier_key: 'browser-user', expires_at: '2031-05-06T07:08:09.000Z' },
    })
    expect(response).toMatchObject({
      status: 200,
      body: {
        client_session: {
          client_session_id: 'cst2',
          user_identifier_key: 'browser-user',
          expires_at: '2031-05-06T07:08:09.000Z',
          connected_account_ids: [],
          device_count: 0,
        },
        ok: true,
      },
    })
    expect(getFakeStore(sandbox.fake).getState().client_sessions[1]?.publishable_key).toBe('seam_pk1_token')

    expect(
      await seam('/client_sessions/create', {
        headers,
        body: { user_identifier_key: 'browser-user-2', connected_account_ids: ['john_connected_account_id'] },
      }),
    ).toMatchObject({
      status: 403,
      body: seamError(
        'publishable_keys_must_create_empty_client_sessions',
        'You cannot specify connect_webview_ids or connected_account_ids when using a publishable key',
      ),
    })
    expect(await seam('/client_sessions/create', { headers, body: {} })).toMatchObject({
      status: 401,
      body: seamError(
        'publishable_key_requires_user_identifier_key',
        'user_identifier_key is required with publishable_key',
      ),
    })
  })

  it('leaves other credentials to the fake', async () => {
    expect(await seam('/client_sessions/create', { key: SEEDED_CST, body: {} })).toMatchObject({
      status: 400,
      body: {
        error: { type: 'token_auth_not_accepted', message: 'Token auth is not accepted for this request.' },
      },
    })
  })
})

describe('/client_sessions/get_or_create', () => {
  it('with an API key, creates the session of a user once, then updates its expiry and merges its ids', async () => {
    const first = await seam('/client_sessions/get_or_create', {
      key: API_KEY_1,
      body: {
        user_identifier_key: 'bob',
        connected_account_ids: ['john_connected_account_id'],
        expires_at: '2031-01-01T00:00:00.000Z',
      },
    })
    const bob = {
      client_session_id: 'cst2',
      workspace_id: 'seed_workspace_1',
      created_at: expect.any(String),
      expires_at: '2031-01-01T00:00:00.000Z',
      token: 'seam_cst1cst2_1tnse',
      user_identifier_key: 'bob',
      device_count: 4,
      connected_account_ids: ['john_connected_account_id'],
      connect_webview_ids: [],
      user_identity_ids: [],
    }
    expect({ status: first.status, body: first.body }).toEqual({
      status: 200,
      body: { client_session: bob, ok: true },
    })
    expect(clientSessionSchemaIssues((first.body as { client_session: unknown }).client_session)).toEqual([])

    const second = await seam('/client_sessions/get_or_create', {
      key: API_KEY_1,
      body: {
        user_identifier_key: 'bob',
        connected_account_ids: ['jane_connected_account_id', 'john_connected_account_id'],
        user_identity_id: 'john_user_identity_id',
        expires_at: '2032-06-01T12:00:00.000Z',
      },
    })
    const updated = {
      ...bob,
      expires_at: '2032-06-01T12:00:00.000Z',
      connected_account_ids: ['john_connected_account_id', 'jane_connected_account_id'],
      device_count: 5,
      user_identity_ids: ['john_user_identity_id'],
      user_identity_id: 'john_user_identity_id',
    }
    expect(second.body).toEqual({ client_session: updated, ok: true })

    // Without expires_at the expiry stays; still one session for bob.
    const third = await seam('/client_sessions/get_or_create', {
      key: API_KEY_1,
      body: { user_identifier_key: 'bob' },
    })
    expect(third.body).toEqual({ client_session: updated, ok: true })
    const listed = await seam('/client_sessions/list', {
      key: API_KEY_1,
      body: { user_identifier_key: 'bob' },
    })
    expect(listed.body).toEqual({ client_sessions: [updated], ok: true })
  })

  it("with an API key, finds the seeded session and only in the key's workspace", async () => {
    const john = await seam('/client_sessions/get_or_create', {
      key: API_KEY_1,
      body: { user_identifier_key: 'john_user_identifier_key' },
    })
    expect(john.body).toEqual({ client_session: seededSession, ok: true })

    const other = await seam('/client_sessions/get_or_create', {
      key: API_KEY_2,
      body: { user_identifier_key: 'john_user_identifier_key' },
    })
    expect(other).toMatchObject({
      status: 200,
      body: {
        client_session: {
          client_session_id: 'cst2',
          workspace_id: 'seed_workspace_2',
          user_identifier_key: 'john_user_identifier_key',
          connected_account_ids: [],
        },
      },
    })
  })

  it('with an API key, rejects a past expires_at and unknown ids, and changes nothing', async () => {
    expect(
      await seam('/client_sessions/get_or_create', {
        key: API_KEY_1,
        body: { user_identifier_key: 'john_user_identifier_key', expires_at: '2001-01-01T00:00:00.000Z' },
      }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid expires_at: expected a time in the future, got 2001-01-01T00:00:00.000Z',
      ),
    })
    expect(
      await seam('/client_sessions/get_or_create', {
        key: API_KEY_1,
        body: { user_identifier_key: 'john_user_identifier_key', connect_webview_ids: ['cw_nope'] },
      }),
    ).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid connect_webview_ids: expected ids of Connect Webviews in this workspace, got unknown id "cw_nope"',
      ),
    })
    const listed = await seam('/client_sessions/list', { key: API_KEY_1, body: {} })
    expect(listed.body).toEqual({ client_sessions: [seededSession], ok: true })
  })

  it('with an unknown API key, is 401', async () => {
    expect(
      await seam('/client_sessions/get_or_create', {
        key: 'seam_nosuchkey',
        body: { user_identifier_key: 'x' },
      }),
    ).toMatchObject({
      status: 401,
      body: seamError('unauthorized', 'Expected an API key of this sandbox, got an unknown API key'),
    })
  })

  it('with a publishable key, keeps expires_at and updates it on the next call', async () => {
    const headers = { 'seam-publishable-key': 'seam_pk1_token', 'seam-user-identifier-key': 'carol' }
    const first = await seam('/client_sessions/get_or_create', {
      headers,
      body: { expires_at: '2031-01-01T00:00:00.000Z' },
    })
    const carol = {
      client_session_id: 'cst2',
      workspace_id: 'seed_workspace_1',
      created_at: expect.any(String),
      expires_at: '2031-01-01T00:00:00.000Z',
      token: 'seam_cst1cst2_1tnse',
      user_identifier_key: 'carol',
      device_count: 0,
      connected_account_ids: [],
      connect_webview_ids: [],
      user_identity_ids: [],
    }
    expect({ status: first.status, body: first.body }).toEqual({
      status: 200,
      body: { client_session: carol, ok: true },
    })
    expect(getFakeStore(sandbox.fake).getState().client_sessions[1]?.publishable_key).toBe('seam_pk1_token')

    const second = await seam('/client_sessions/get_or_create', {
      headers: { 'seam-publishable-key': 'seam_pk1_token' },
      body: { user_identifier_key: 'carol', expires_at: '2033-03-03T03:03:03.000Z' },
    })
    expect(second.body).toEqual({
      client_session: { ...carol, expires_at: '2033-03-03T03:03:03.000Z' },
      ok: true,
    })
  })

  it("with a publishable key, keeps the fake's checks and messages", async () => {
    const pk = { 'seam-publishable-key': 'seam_pk1_token' }
    const cases: [Record<string, string>, unknown, number, string, string][] = [
      [
        pk,
        {},
        400,
        'publishable_key_requires_user_identifier_key',
        'Must provide a user_identifier_key with a seam-publishable-key',
      ],
      [
        pk,
        { user_identifier_key: 'dave', connect_webview_ids: [] },
        403,
        'publishable_keys_must_create_empty_client_sessions',
        'You cannot specify connect_webview_ids or connected_account_ids when using a publishable key',
      ],
      [
        pk,
        { user_identifier_key: 'dave', user_identity_id: 'john_user_identity_id' },
        403,
        'publishable_keys_must_create_empty_client_sessions',
        'You cannot specify user_identity_id when using a publishable key',
      ],
      [
        { 'seam-publishable-key': 'seam_pk_unknown' },
        { user_identifier_key: 'dave' },
        400,
        'workspace_not_found',
        'Cannot find workspace associated with this publishable_key',
      ],
    ]
    for (const [headers, body, status, type, message] of cases) {
      const response = await seam('/client_sessions/get_or_create', { headers, body })
      expect({ status: response.status, body: response.body }).toEqual({
        status,
        body: seamError(type, message),
      })
    }
    expect(getFakeStore(sandbox.fake).getState().client_sessions).toHaveLength(1)
  })
})

describe('/client_sessions/get', () => {
  it('finds a session by user_identifier_key or id with an API key, from a body or a query string', async () => {
    for (const response of [
      await seam('/client_sessions/get', {
        key: API_KEY_1,
        body: { user_identifier_key: 'john_user_identifier_key' },
      }),
      await seam('/client_sessions/get?user_identifier_key=john_user_identifier_key', {
        key: API_KEY_1,
        method: 'GET',
      }),
      await seam('/client_sessions/get', { key: API_KEY_1, body: { client_session_id: 'cst1' } }),
    ]) {
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { client_session: seededSession, ok: true },
      })
    }
  })

  it("finds the key's own workspace's session when two workspaces use the same user_identifier_key", async () => {
    await createClientSession({ user_identifier_key: 'shared' })
    const other = await createClientSession({ user_identifier_key: 'shared' }, API_KEY_2)
    const response = await seam('/client_sessions/get', {
      key: API_KEY_2,
      body: { user_identifier_key: 'shared' },
    })
    expect(response).toMatchObject({
      status: 200,
      body: {
        client_session: { client_session_id: other.client_session_id, workspace_id: 'seed_workspace_2' },
        ok: true,
      },
    })
  })

  it('answers 404 for another workspace and a missing key, 400 without a session', async () => {
    expect(
      await seam('/client_sessions/get', {
        key: API_KEY_2,
        body: { user_identifier_key: 'john_user_identifier_key' },
      }),
    ).toMatchObject({
      status: 404,
      body: seamError(
        'client_session_not_found',
        'Could not find a client session with user_identifier_key "john_user_identifier_key" in this workspace',
      ),
    })
    expect(
      await seam('/client_sessions/get', { key: API_KEY_1, body: { user_identifier_key: 'nobody' } }),
    ).toMatchObject({
      status: 404,
      body: seamError(
        'client_session_not_found',
        'Could not find a client session with user_identifier_key "nobody" in this workspace',
      ),
    })
    expect(await seam('/client_sessions/get', { key: API_KEY_1, body: {} })).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid client_session_id: expected client_session_id or user_identifier_key, got neither',
      ),
    })
  })

  it('leaves a client session token to the fake, which gives it its own session', async () => {
    expect(await seam('/client_sessions/get', { key: SEEDED_CST, body: {} })).toMatchObject({
      status: 200,
      body: { client_session: { client_session_id: 'cst1', token: SEEDED_CST } },
    })
  })
})

function deviceIds(body: unknown): string[] {
  return (body as { devices: { device_id: string }[] }).devices.map((device) => device.device_id)
}

function accountIds(body: unknown): string[] {
  return (body as { connected_accounts: { connected_account_id: string }[] }).connected_accounts.map(
    (account) => account.connected_account_id,
  )
}

interface Pagination {
  has_next_page: boolean
  next_page_cursor: string | null
  next_page_url: string | null
}

const LAST_PAGE: Pagination = { has_next_page: false, next_page_cursor: null, next_page_url: null }
const JOHN_DEVICES = ['august_device_1', 'august_device_2', 'ecobee_device_1', 'minut_device_1']
const MISMATCHED_PAGE = seamError(
  'mismatched_page_parameters',
  'When using next_page_cursor, the request must send parameters identical to the initial request.',
)

describe('/devices/list with user_identifier_key or search', () => {
  it("limits an API key's list to the accounts of the session with that user_identifier_key", async () => {
    const response = await seam('/devices/list', {
      key: API_KEY_1,
      body: { user_identifier_key: 'john_user_identifier_key' },
    })
    expect(response.status).toBe(200)
    expect(deviceIds(response.body)).toEqual(JOHN_DEVICES)
    expect(response.body).toMatchObject({ pagination: LAST_PAGE, ok: true })

    await createClientSession({
      user_identifier_key: 'jane',
      connected_account_ids: ['jane_connected_account_id'],
    })
    const jane = await seam('/devices/list?user_identifier_key=jane', { key: API_KEY_1, method: 'GET' })
    expect(deviceIds(jane.body)).toEqual(['schlage_device_id'])

    const nobody = await seam('/devices/list', { key: API_KEY_1, body: { user_identifier_key: 'nobody' } })
    expect(nobody.body).toEqual({ devices: [], pagination: LAST_PAGE, ok: true })
    // A session of another workspace does not count.
    const otherWorkspace = await seam('/devices/list', {
      key: API_KEY_2,
      body: { user_identifier_key: 'john_user_identifier_key' },
    })
    expect(deviceIds(otherWorkspace.body)).toEqual([])
  })

  it('searches ids, display names, properties.name and properties.appearance.name, ignoring case', async () => {
    const search = async (text: string) =>
      deviceIds((await seam('/devices/list', { key: API_KEY_1, body: { search: text } })).body)
    expect(await search('DOOR')).toEqual(['august_device_1', 'august_device_2', 'schlage_device_id'])
    expect(await search('thermo')).toEqual(['ecobee_device_1'])
    expect(await search('schlage_dev')).toEqual(['schlage_device_id'])
    expect(await search('fake august lock 2')).toEqual(['august_device_2'])
    expect(await search('smart device')).toEqual([...JOHN_DEVICES, 'schlage_device_id'])
    expect(await search('no such thing')).toEqual([])
  })

  it('applies every other filter as the fake does, from a JSON body or a query string', async () => {
    const ids = async (body: Record<string, unknown>) =>
      deviceIds((await seam('/devices/list', { key: API_KEY_1, body })).body)
    expect(await ids({ search: 'door', device_types: ['schlage_lock'] })).toEqual(['schlage_device_id'])
    expect(await ids({ search: 'door', connected_account_id: 'john_connected_account_id' })).toEqual([
      'august_device_1',
      'august_device_2',
    ])
    expect(await ids({ search: 'door', connected_account_ids: ['jane_connected_account_id'] })).toEqual([
      'schlage_device_id',
    ])
    expect(await ids({ search: 'door', device_ids: ['august_device_2', 'schlage_device_id'] })).toEqual([
      'august_device_2',
      'schlage_device_id',
    ])
    expect(await ids({ search: 'door', user_identifier_key: 'john_user_identifier_key' })).toEqual([
      'august_device_1',
      'august_device_2',
    ])
    const query = await seam(
      '/devices/list?search=door&device_types=august_lock&device_ids=august_device_2',
      {
        key: API_KEY_1,
        method: 'GET',
      },
    )
    expect(deviceIds(query.body)).toEqual(['august_device_2'])
  })

  it("never shows a client session token more than the fake would: only its own accounts' devices", async () => {
    const ids = async (body: Record<string, unknown>) =>
      deviceIds((await seam('/devices/list', { key: SEEDED_CST, body })).body)
    expect(await ids({ search: 'door' })).toEqual(['august_device_1', 'august_device_2'])
    expect(await ids({ search: 'door', device_ids: ['schlage_device_id'] })).toEqual([])
    expect(await ids({ user_identifier_key: 'john_user_identifier_key' })).toEqual(JOHN_DEVICES)

    // Jane's session reaches Jane's lock; John's token naming her key still sees none of it.
    await createClientSession({
      user_identifier_key: 'jane',
      connected_account_ids: ['jane_connected_account_id'],
    })
    expect(await ids({ user_identifier_key: 'jane' })).toEqual([])
    // The token's header form, as @seamapi/http sends it, is scoped the same way.
    const withHeader = await seam('/devices/list', {
      key: SEEDED_CST,
      headers: { 'client-session-token': SEEDED_CST },
      body: { search: 'bathroom' },
    })
    expect(deviceIds(withHeader.body)).toEqual([])
  })

  it('pages with a cursor bound to the other params, and a next_page_url that works', async () => {
    const first = await seam('/devices/list', { key: API_KEY_1, body: { search: 'door', limit: 2 } })
    expect(deviceIds(first.body)).toEqual(['august_device_1', 'august_device_2'])
    const { pagination } = first.body as { pagination: Pagination }
    const cursor = pagination.next_page_cursor
    expect(cursor).toEqual(expect.any(String))
    expect(pagination).toEqual({
      has_next_page: true,
      next_page_cursor: cursor,
      next_page_url: `${sandbox.url}/devices/list?search=door&limit=2&page_cursor=${encodeURIComponent(cursor!)}`,
    })

    const second = await seam('/devices/list', {
      key: API_KEY_1,
      body: { search: 'door', limit: 2, page_cursor: cursor },
    })
    expect(second.body).toEqual({
      devices: [expect.objectContaining({ device_id: 'schlage_device_id' })],
      pagination: LAST_PAGE,
      ok: true,
    })
    const followed = await fetch(pagination.next_page_url!, {
      headers: { authorization: `Bearer ${API_KEY_1}` },
    })
    expect(await followed.json()).toEqual(second.body)

    for (const body of [
      { search: 'front', limit: 2, page_cursor: cursor },
      { search: 'door', limit: 3, page_cursor: cursor },
      { search: 'door', limit: 2, device_types: ['august_lock'], page_cursor: cursor },
    ]) {
      expect(await seam('/devices/list', { key: API_KEY_1, body })).toMatchObject({
        status: 400,
        body: MISMATCHED_PAGE,
      })
    }
    // The fake refuses the sandbox's cursor without the search, and the sandbox refuses the fake's.
    expect(
      await seam('/devices/list', { key: API_KEY_1, body: { limit: 2, page_cursor: cursor } }),
    ).toMatchObject({ status: 400, body: MISMATCHED_PAGE })
    const fakePage = await seam('/devices/list', { key: API_KEY_1, body: { limit: 2 } })
    const fakeCursor = (fakePage.body as { pagination: Pagination }).pagination.next_page_cursor
    expect(
      await seam('/devices/list', {
        key: API_KEY_1,
        body: { search: 'door', limit: 2, page_cursor: fakeCursor },
      }),
    ).toMatchObject({ status: 400, body: MISMATCHED_PAGE })
  })

  it("rejects its own bad params with 400 invalid_input, and passes on the fake's answers", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ search: '' }, 'Invalid search: expected a non-empty string, got an empty string'],
      [{ search: 'door', limit: 0 }, 'Invalid limit: expected a positive integer, got 0'],
      [{ search: 'door', limit: 1.5 }, 'Invalid limit: expected a positive integer, got 1.5'],
      [
        { search: 'door', page_cursor: 'not-a-cursor' },
        'Invalid page_cursor: expected the next_page_cursor of an earlier /devices/list page, got an unreadable cursor',
      ],
    ]
    for (const [body, message] of cases) {
      const response = await seam('/devices/list', { key: API_KEY_1, body })
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: seamError('invalid_input', message),
      })
    }
    // The fake authenticates and validates the other params; its answers come back as they are.
    expect(await seam('/devices/list', { body: { search: 'door' } })).toMatchObject({
      status: 401,
      body: { error: { type: 'unauthorized', message: 'No Authorization header' }, ok: false },
    })
    expect(
      await seam('/devices/list', { key: API_KEY_1, body: { search: 'door', device_types: ['nope'] } }),
    ).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_input', message: 'Invalid input for "device_types.0"' }, ok: false },
    })
    await seam('/_fake/simulate_workspace_outage', {
      body: { workspace_id: 'seed_workspace_1', routes: ['/devices/list'] },
    })
    expect(await seam('/devices/list', { key: API_KEY_1, body: { search: 'door' } })).toMatchObject({
      status: 503,
      body: undefined,
    })
  })

  it('leaves a request without either param to the fake, its body replayed byte for byte', async () => {
    const response = await seam('/devices/list', {
      key: API_KEY_1,
      body: { device_ids: ['august_device_2'] },
    })
    expect(deviceIds(response.body)).toEqual(['august_device_2'])
    // The fake's own next_page_url form (with next_page_cursor) shows who answered.
    const paged = await seam('/devices/list', { key: API_KEY_1, body: { limit: 1 } })
    expect((paged.body as { pagination: Pagination }).pagination.next_page_url).toContain(
      '&next_page_cursor=',
    )
    expect(await seam('/devices/list', { key: API_KEY_1, rawBody: '{"device_ids": [' })).toMatchObject({
      status: 400,
      body: 'Invalid JSON',
    })
    expect(logged).toEqual([])
  })
})

/**
 * Account ids in the order the fake lists them (`created_at`, then id). The seed can create several
 * accounts within one millisecond, so that order is not always the seed's.
 */
async function inFakeOrder(ids: string[]): Promise<string[]> {
  const all = accountIds((await seam('/connected_accounts/list', { key: API_KEY_1, body: {} })).body)
  return all.filter((id) => ids.includes(id))
}

describe('/connected_accounts/list with user_identifier_key or search', () => {
  it('limits to the accounts of the session with that user_identifier_key', async () => {
    const john = await seam('/connected_accounts/list', {
      key: API_KEY_1,
      body: { user_identifier_key: 'john_user_identifier_key' },
    })
    expect(accountIds(john.body)).toEqual(['john_connected_account_id'])
    expect(john.body).toMatchObject({ pagination: LAST_PAGE, ok: true })
    const nobody = await seam('/connected_accounts/list?user_identifier_key=nobody', {
      key: API_KEY_1,
      method: 'GET',
    })
    expect(nobody.body).toEqual({ connected_accounts: [], pagination: LAST_PAGE, ok: true })
  })

  it('searches ids, display names and user_identifier email, username and phone, ignoring case', async () => {
    // An account known by username and phone only (the store's addConnectedAccount takes an email only).
    const store = getFakeStore(sandbox.fake)
    const accounts = store.getState().connected_accounts
    store.setState({
      connected_accounts: [
        ...accounts,
        {
          ...accounts[1]!,
          connected_account_id: 'mallory_connected_account_id',
          created_at: new Date(Date.now() + 1000).toISOString(),
          display_name: 'Mallory',
          // Seam's user_identifier also has username and phone; the fake's type knows only email.
          user_identifier: { username: 'Mallory42', phone: '+1 555 0100' } as { email?: string },
        },
      ],
    })
    const search = async (text: string, key = API_KEY_1) =>
      accountIds((await seam('/connected_accounts/list', { key, body: { search: text } })).body)
    expect(await search('JANE@')).toEqual(['jane_connected_account_id'])
    expect(await search('john@example.com')).toEqual(
      await inFakeOrder(['john_connected_account_id', 'john_assa_cs_connected_account_id']),
    )
    expect(await search('assa_cs')).toEqual(['john_assa_cs_connected_account_id'])
    expect(await search('mallory4')).toEqual(['mallory_connected_account_id'])
    expect(await search('555 01')).toEqual(['mallory_connected_account_id'])
    // A client session token sees only its own accounts, as the fake shows it.
    expect(await search('example.com', SEEDED_CST)).toEqual(['john_connected_account_id'])
    expect(await search('jane', SEEDED_CST)).toEqual([])
  })

  it('pages with its own cursor through every match', async () => {
    const seen: string[] = []
    let cursor: string | null | undefined
    for (let page = 0; page < 5; page++) {
      const response = await seam('/connected_accounts/list', {
        key: API_KEY_1,
        body: { search: 'example', limit: 1, ...(cursor ? { page_cursor: cursor } : {}) },
      })
      expect(response.status).toBe(200)
      seen.push(...accountIds(response.body))
      cursor = (response.body as { pagination: Pagination }).pagination.next_page_cursor
      if (cursor === null) break
    }
    expect(seen).toEqual(
      await inFakeOrder([
        'john_connected_account_id',
        'jane_connected_account_id',
        'john_assa_cs_connected_account_id',
      ]),
    )
  })
})

describe('webhooks', () => {
  it('gives /webhooks/create a real whsec_ secret that /webhooks/get and /webhooks/list show too', async () => {
    const target = await receiver()
    const response = await seam('/webhooks/create', { key: API_KEY_1, body: { url: target.url } })
    expect(response.status).toBe(200)
    const webhook = (
      response.body as { webhook: { webhook_id: string; secret: string; event_types: string[] } }
    ).webhook
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    // The fake's default event list for a webhook created without event_types includes the deletion.
    expect(webhook.event_types).toContain('client_session.deleted')

    const got = await seam('/webhooks/get', { key: API_KEY_1, body: { webhook_id: webhook.webhook_id } })
    expect((got.body as { webhook: { secret: string } }).webhook.secret).toBe(webhook.secret)
    const listed = await seam('/webhooks/list', { key: API_KEY_1, body: {} })
    expect((listed.body as { webhooks: { secret: string }[] }).webhooks.map((w) => w.secret)).toEqual([
      webhook.secret,
    ])
  })

  it('delivers client_session.deleted, signed, to the workspace webhook and the embedded one', async () => {
    const registered = await receiver()
    const embedded = await receiver()
    const otherWorkspace = await receiver()
    const otherEventTypes = await receiver()
    const { secret } = await createWebhook(registered.url)
    await createWebhook(otherWorkspace.url, API_KEY_2)
    await createWebhook(otherEventTypes.url, API_KEY_1, ['device.connected'])
    const embeddedSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    sandbox.registerEmbeddedWebhook(embedded.url, embeddedSecret)

    await seam('/client_sessions/delete', { key: API_KEY_1, body: { client_session_id: 'cst1' } })
    await sandbox.drainWebhooks()

    const [delivery] = await registered.waitFor(1)
    const [embeddedDelivery] = await embedded.waitFor(1)
    const event = new SeamWebhook(secret).verify(delivery!.rawBody, delivery!.headers)
    expect(event).toEqual({
      event_id: expect.any(String),
      event_type: 'client_session.deleted',
      client_session_id: 'cst1',
      workspace_id: 'seed_workspace_1',
      created_at: expect.any(String),
      occurred_at: expect.any(String),
    })
    // The body is the event itself, exactly as Seam sends it.
    expect(JSON.parse(delivery!.rawBody)).toEqual(event)
    expect(delivery!.headers).toMatchObject({
      'content-type': 'application/json',
      'svix-id': expect.stringMatching(/^msg_/),
      'svix-timestamp': expect.stringMatching(/^\d+$/),
      'svix-signature': expect.stringMatching(/^v1,/),
    })
    expect(
      new SeamWebhook(embeddedSecret).verify(embeddedDelivery!.rawBody, embeddedDelivery!.headers),
    ).toEqual(event)
    // One Svix message per event: every endpoint sees the same svix-id, so receivers can dedupe on it.
    expect(embeddedDelivery!.headers['svix-id']).toBe(delivery!.headers['svix-id'])
    // The embedded secret does not verify the registered webhook's delivery.
    expect(() => new SeamWebhook(embeddedSecret).verify(delivery!.rawBody, delivery!.headers)).toThrow()

    expect(otherWorkspace.received).toEqual([])
    expect(otherEventTypes.received).toEqual([])
    expect(registered.received).toHaveLength(1)
    expect(logged).toEqual([])
  })

  it('retries a failed delivery with the same svix-id', async () => {
    const flaky = await receiver([500])
    const { secret } = await createWebhook(flaky.url)

    await seam('/client_sessions/delete', { key: API_KEY_1, body: { client_session_id: 'cst1' } })
    await sandbox.drainWebhooks()

    const [failed, retried] = await flaky.waitFor(2)
    expect([failed!.status, retried!.status]).toEqual([500, 200])
    expect(retried!.headers['svix-id']).toBe(failed!.headers['svix-id'])
    expect(new SeamWebhook(secret).verify(retried!.rawBody, retried!.headers)).toMatchObject({
      event_type: 'client_session.deleted',
      client_session_id: 'cst1',
    })
    expect(logged).toEqual([])
  })

  it('gives up after three attempts and logs it, without delaying /delete', async () => {
    const broken = await receiver([500, 502, 503, 504])
    await createWebhook(broken.url)

    const started = Date.now()
    const response = await seam('/client_sessions/delete', {
      key: API_KEY_1,
      body: { client_session_id: 'cst1' },
    })
    expect(response.status).toBe(200)
    // The retries wait 100 + 500 ms; the response must not.
    expect(Date.now() - started).toBeLessThan(500)

    await sandbox.drainWebhooks()
    expect(broken.received.map((delivery) => delivery.status)).toEqual([500, 502, 503])
    expect(logged).toEqual([
      {
        message: 'Webhook delivery failed after 3 attempts, giving up',
        fields: {
          url: broken.url,
          event_id: expect.any(String),
          event_type: 'client_session.deleted',
          svix_id: broken.received[0]!.headers['svix-id'],
          error: 'Expected a 2xx response, got 503',
        },
      },
    ])
  })

  it('refuses an embedded webhook without a whsec_ secret', () => {
    expect(() => sandbox.registerEmbeddedWebhook('http://127.0.0.1:1/hook', 'secret')).toThrow(
      'Expected a whsec_ secret for the embedded webhook, got a secret without that prefix',
    )
  })
})

describe('device actions', () => {
  const device = (deviceId: string) => {
    const found = getFakeStore(sandbox.fake)
      .getState()
      .devices.find((d) => d.device_id === deviceId)
    return found as (typeof found & { nickname?: string }) | undefined
  }

  it('/devices/update renames as Seam does (display_name, nickname) and keeps custom_metadata', async () => {
    const renamed = await seam('/devices/update', {
      key: API_KEY_1,
      body: { device_id: 'august_device_1', name: 'Front', custom_metadata: { unit: '4B', gone: 'x' } },
    })
    expect(renamed).toMatchObject({ status: 200, body: { ok: true } })
    expect(device('august_device_1')).toMatchObject({
      display_name: 'Front',
      nickname: 'Front',
      properties: expect.objectContaining({ name: 'Front', locked: true }),
      custom_metadata: { unit: '4B', gone: 'x' },
    })
    // Metadata merges into what is there; a null removes its key.
    await seam('/devices/update', {
      key: API_KEY_1,
      body: { device_id: 'august_device_1', custom_metadata: { gone: null, floor: true } },
    })
    expect(device('august_device_1')?.custom_metadata).toEqual({ unit: '4B', floor: true })
    const listed = await seam('/devices/list', { key: API_KEY_1, body: { device_ids: ['august_device_1'] } })
    expect((listed.body as { devices: unknown[] }).devices[0]).toMatchObject({
      display_name: 'Front',
      custom_metadata: { unit: '4B', floor: true },
    })
  })

  it('/devices/update changes nothing the fake refuses, and refuses metadata Seam would', async () => {
    const before = device('august_device_1')
    const otherWorkspace = await seam('/devices/update', {
      key: API_KEY_2,
      body: { device_id: 'august_device_1', name: 'Pwned', custom_metadata: { a: 'b' } },
    })
    expect(otherWorkspace.status).toBe(404)
    const tooMany = await seam('/devices/update', {
      key: API_KEY_1,
      body: {
        device_id: 'august_device_1',
        custom_metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      },
    })
    expect(tooMany).toMatchObject({
      status: 400,
      body: seamError('invalid_input', 'Invalid custom_metadata: expected at most 50 keys, got 51'),
    })
    const nested = await seam('/devices/update', {
      key: API_KEY_1,
      body: { device_id: 'august_device_1', custom_metadata: { a: { b: 1 } } },
    })
    expect(nested).toMatchObject({
      status: 400,
      body: seamError(
        'invalid_input',
        'Invalid custom_metadata.a: expected a string of at most 500 characters or a boolean, got an object',
      ),
    })
    expect(device('august_device_1')).toEqual(before)
  })

  it("a lock action records and delivers, signed, the lock event with its attempt, then the attempt's own event", async () => {
    const all = await receiver()
    const unlockedOnly = await receiver()
    const otherWorkspace = await receiver()
    const { secret } = await createWebhook(all.url)
    const unlocked = await createWebhook(unlockedOnly.url, API_KEY_1, ['lock.unlocked'])
    await createWebhook(otherWorkspace.url, API_KEY_2)

    const locked = await seam('/locks/lock_door', { key: API_KEY_1, body: { device_id: 'august_device_2' } })
    expect(locked.status).toBe(200)
    const attemptId = (locked.body as { action_attempt: { action_attempt_id: string } }).action_attempt
      .action_attempt_id
    await sandbox.drainWebhooks()

    const deliveries = await all.waitFor(2)
    const events = deliveries.map((delivery) =>
      new SeamWebhook(secret).verify(delivery.rawBody, delivery.headers),
    )
    expect(events).toEqual([
      {
        event_id: expect.any(String),
        event_type: 'lock.locked',
        workspace_id: 'seed_workspace_1',
        device_id: 'august_device_2',
        connected_account_id: 'john_connected_account_id',
        action_attempt_id: attemptId,
        method: 'seamapi',
        created_at: expect.any(String),
        occurred_at: expect.any(String),
      },
      {
        event_id: expect.any(String),
        event_type: 'action_attempt.lock_door.succeeded',
        workspace_id: 'seed_workspace_1',
        action_attempt_id: attemptId,
        action_type: 'LOCK_DOOR',
        status: 'success',
        created_at: expect.any(String),
        occurred_at: expect.any(String),
      },
    ])
    // One Svix message per event.
    expect(new Set(deliveries.map((delivery) => delivery.headers['svix-id'])).size).toBe(2)
    // The same events are on /events/list, as at Seam.
    const listed = await seam('/events/list', {
      key: API_KEY_1,
      body: {
        since: '1970-01-01T00:00:00.000Z',
        event_types: ['lock.locked', 'action_attempt.lock_door.succeeded'],
      },
    })
    expect((listed.body as { events: Array<{ event_id: string }> }).events.map((e) => e.event_id)).toEqual(
      expect.arrayContaining(events.map((event) => event.event_id)),
    )
    expect(unlockedOnly.received).toEqual([])
    expect(otherWorkspace.received).toEqual([])

    await seam('/locks/unlock_door', { key: API_KEY_1, body: { device_id: 'august_device_2' } })
    await sandbox.drainWebhooks()
    const [unlockedEvent] = await unlockedOnly.waitFor(1)
    expect(
      new SeamWebhook(unlocked.secret).verify(unlockedEvent!.rawBody, unlockedEvent!.headers),
    ).toMatchObject({
      event_type: 'lock.unlocked',
      device_id: 'august_device_2',
      method: 'seamapi',
    })
    expect(await all.waitFor(4)).toHaveLength(4)
    expect(logged).toEqual([])
  })

  it('delivers the device events the fake records for access codes, and those a test records', async () => {
    const all = await receiver()
    const { secret } = await createWebhook(all.url)
    await seam('/access_codes/create', {
      key: API_KEY_1,
      body: { device_id: 'august_device_1', code: '4444' },
    })
    getFakeStore(sandbox.fake).getState().addEvent({
      event_type: 'device.disconnected',
      workspace_id: 'seed_workspace_1',
      device_id: 'august_device_1',
      connected_account_id: 'john_connected_account_id',
    })
    await sandbox.drainWebhooks()
    const events = (await all.waitFor(2)).map((delivery) =>
      new SeamWebhook(secret).verify(delivery.rawBody, delivery.headers),
    )
    expect(events).toEqual([
      expect.objectContaining({ event_type: 'access_code.created', device_id: 'august_device_1' }),
      expect.objectContaining({ event_type: 'device.disconnected', device_id: 'august_device_1' }),
    ])
    // Seam's shape: the fake's own description stays in its store.
    for (const event of events) expect(event).not.toHaveProperty('event_description')
  })
})

describe('lifecycle', () => {
  it('says which address it could not listen on', async () => {
    const { port } = new URL(sandbox.url)
    await expect(createSandbox({ port: Number(port) })).rejects.toThrow(
      `Expected to listen on 127.0.0.1:${port}, got EADDRINUSE`,
    )
  })

  it('stops idempotently and closes its port', async () => {
    const { url } = sandbox
    await Promise.all([sandbox.stop(), sandbox.stop()])
    await sandbox.stop()
    await expect(fetch(`${url}/health`)).rejects.toThrow()
  })
})

describe('npm run sandbox (sandbox/main.ts)', () => {
  const mainPath = fileURLToPath(new URL('../main.ts', import.meta.url))
  let child: ChildProcess | undefined

  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL')
    child = undefined
  })

  function run(env: Record<string, string>): ChildProcess {
    child = spawn(process.execPath, ['--import', 'tsx', mainPath], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return child
  }

  function collect(stream: NodeJS.ReadableStream | null): { text: () => string } {
    let text = ''
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      text += chunk
    })
    return { text: () => text }
  }

  it('rejects a SANDBOX_PORT that is not a port', async () => {
    const sandboxProcess = run({ SANDBOX_PORT: 'abc' })
    const stderr = collect(sandboxProcess.stderr)
    const [code] = await once(sandboxProcess, 'close')
    expect(code).toBe(1)
    expect(stderr.text()).toBe('SANDBOX_PORT must be an integer from 0 to 65535, got "abc"\n')
  })

  it('prints its URL and keys, serves, and stops on SIGTERM', async () => {
    const sandboxProcess = run({ SANDBOX_PORT: '0', SANDBOX_HOST: '127.0.0.1' })
    const stdout = collect(sandboxProcess.stdout)
    const url = await new Promise<string>((resolve, reject) => {
      sandboxProcess.on('exit', (code) =>
        reject(new Error(`Expected the sandbox to start, got exit code ${code}`)),
      )
      sandboxProcess.stdout?.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(stdout.text())
        if (match?.[1] !== undefined && stdout.text().includes('Publishable key')) resolve(match[1])
      })
    })
    expect(stdout.text()).toContain('API key:         seam_apikey1_token')
    expect(stdout.text()).toContain('Publishable key: seam_pk1_token')
    expect((await fetch(`${url}/health`)).status).toBe(200)

    sandboxProcess.kill('SIGTERM')
    const [code] = await once(sandboxProcess, 'close')
    expect(code).toBe(0)
  })
})

describe('lock actions that take a moment, and the device simulation routes', () => {
  const attempt = async (id: string) =>
    (
      (await seam('/action_attempts/get', { key: API_KEY_1, body: { action_attempt_id: id } })).body as {
        action_attempt: { status: string; error: unknown }
      }
    ).action_attempt
  const stored = (deviceId: string) =>
    getFakeStore(sandbox.fake)
      .getState()
      .devices.find((device) => device.device_id === deviceId)!.properties as {
      locked?: boolean
      online?: boolean
      battery_level?: number
    }
  const eventTypes = () =>
    getFakeStore(sandbox.fake)
      .getState()
      .events.filter((event) => event.device_id === 'august_device_1' || 'action_attempt_id' in event)
      .map((event) => event.event_type)

  it('holds an attempt PENDING with the lock unchanged and no event, then completes it', async () => {
    const delayed = await createSandbox({ port: 0, actionCompletionDelayMs: 200 })
    try {
      const store = getFakeStore(delayed.fake)
      const before = store.getState().events.length
      const response = await fetch(`${delayed.url}/locks/unlock_door`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY_1}` },
        body: JSON.stringify({ device_id: 'august_device_1' }),
      })
      const { action_attempt } = (await response.json()) as {
        action_attempt: { action_attempt_id: string; status: string }
      }
      expect(action_attempt.status).toBe('pending')
      const held = () =>
        store
          .getState()
          .action_attempts.find((a) => a.action_attempt_id === action_attempt.action_attempt_id)!
      const device = () =>
        store.getState().devices.find((d) => d.device_id === 'august_device_1')!.properties as {
          locked?: boolean
        }
      expect([held().status, device().locked, store.getState().events.length - before]).toEqual([
        'pending',
        true,
        0,
      ])
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect([held().status, device().locked]).toEqual(['success', false])
      expect(
        store
          .getState()
          .events.slice(before)
          .map((event) => event.event_type),
      ).toEqual(['lock.unlocked', 'action_attempt.unlock_door.succeeded'])
    } finally {
      await delayed.stop()
    }
  })

  it('fails the attempt of an offline lock with device_offline, the lock unchanged', async () => {
    expect(
      (await seam('/devices/simulate/disconnect', { key: API_KEY_1, body: { device_id: 'august_device_1' } }))
        .status,
    ).toBe(200)
    expect(stored('august_device_1').online).toBe(false)
    const response = await seam('/locks/unlock_door', {
      key: API_KEY_1,
      body: { device_id: 'august_device_1' },
    })
    const id = (response.body as { action_attempt: { action_attempt_id: string } }).action_attempt
      .action_attempt_id
    expect(await attempt(id)).toMatchObject({
      status: 'error',
      error: { type: 'device_offline', message: 'The device is offline' },
    })
    expect(stored('august_device_1').locked).toBe(true)
    expect(eventTypes().slice(-2)).toEqual(['device.disconnected', 'action_attempt.unlock_door.failed'])
    expect(
      (await seam('/devices/simulate/connect', { key: API_KEY_1, body: { device_id: 'august_device_1' } }))
        .status,
    ).toBe(200)
    expect(stored('august_device_1').online).toBe(true)
    expect(eventTypes().at(-1)).toBe('device.connected')
  })

  it('changes a battery, records low battery below 0.2, and rejects levels outside 0 to 1', async () => {
    const set = (battery_level: unknown, key = API_KEY_1, device_id = 'august_device_1') =>
      seam('/_sandbox/simulate_battery_level', { key, body: { device_id, battery_level } })
    expect((await set(0.5)).status).toBe(200)
    expect(stored('august_device_1').battery_level).toBe(0.5)
    expect((await set('0.1')).status).toBe(200)
    expect(eventTypes().slice(-3)).toEqual([
      'device.battery_status_changed',
      'device.battery_status_changed',
      'device.low_battery',
    ])
    expect(await set(1.5)).toMatchObject({
      status: 400,
      body: seamError('invalid_input', 'Invalid battery_level: expected a number from 0 to 1, got 1.5'),
    })
    expect((await set(null)).status).toBe(400)
    // Another workspace's key finds no such device.
    expect(await set(0.5, API_KEY_2)).toMatchObject({
      status: 404,
      body: seamError('device_not_found', 'Device not found'),
    })
    expect(
      (await seam('/devices/simulate/connect', { key: SEEDED_CST, body: { device_id: 'august_device_1' } }))
        .status,
    ).toBe(401)
  })
})
