import { randomBytes } from 'node:crypto'
import { Webhook } from 'svix'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeStore, getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { CreateClientSessionDocument, ViewerDocument } from './generated/graphql.js'
import { sleep } from './helpers/clients.js'
import { execute } from './helpers/execute.js'
import { bearer, startTestGateway, type TestGateway, testConfig } from './helpers/gateway.js'
import { type HeldUpstream, startHeldUpstream } from './helpers/held-upstream.js'
import { readMetrics } from './helpers/metrics.js'

// SPEC §2: a principal is looked up once and cached by its credential's hash for at most
// PRINCIPAL_CACHE_TTL_MS; an ended session's tombstone keeps a lookup that was already in flight
// (or Seam lagging a deletion) from caching it again. Credentials are revoked at Seam behind the
// gateway's back here (in the sandbox's store): only the cache's own expiry can notice.

const API_KEY = 'seam_apikey1_token'
const API_KEY_2 = 'seam_apikey2_token'
const TTL_MS = 2000
const REFUSED = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

/** `seam_upstream_requests_total` of one route with status 200 (0 before the first such call). */
async function lookups(gateway: App, route: string): Promise<number> {
  const line = new RegExp(`^seam_upstream_requests_total\\{route="${route}",status="200"\\} (\\d+)$`, 'm')
  return Number(line.exec(await readMetrics(gateway))?.[1] ?? 0)
}

async function createSession(url: string, userIdentifierKey: string) {
  const { status, body } = await execute(
    url,
    CreateClientSessionDocument,
    { input: { userIdentifierKey, connectedAccountIds: ['john_connected_account_id'] } },
    bearer(API_KEY),
  )
  expect(status).toBe(200)
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token! }
}

describe(`cached principals expire after PRINCIPAL_CACHE_TTL_MS (${TTL_MS} ms)`, () => {
  let t: TestGateway
  let store: FakeStore

  beforeAll(async () => {
    t = await startTestGateway({ PRINCIPAL_CACHE_TTL_MS: String(TTL_MS) })
    store = getFakeStore(t.sandbox!.fake)
  })

  afterAll(async () => {
    await t?.stop()
  })

  /**
   * Caches `headers`' credential with one request, revokes it at Seam, and checks that it is served
   * from the cache (no lookup) until the TTL has passed since it was cached, and refused after.
   */
  async function servedUntilTheTtl(
    headers: Record<string, string>,
    route: string,
    expected: unknown,
    revoke: () => void,
  ): Promise<void> {
    const before = await lookups(t.gateway, route)
    const first = await t.execute(ViewerDocument, {}, headers)
    // The entry was written before this answer left: it lives until this moment + TTL at the latest.
    const cachedBy = performance.now()
    expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: expected })
    expect(await lookups(t.gateway, route)).toBe(before + 1)

    revoke()
    const cached = await t.execute(ViewerDocument, {}, headers)
    expect({ status: cached.status, body: cached.body }).toEqual({ status: 200, body: expected })
    expect(await lookups(t.gateway, route)).toBe(before + 1)

    await sleep(Math.max(0, cachedBy + TTL_MS + 50 - performance.now()))
    const expired = await t.execute(ViewerDocument, {}, headers)
    expect({ status: expired.status, body: expired.body }).toEqual({ status: 401, body: REFUSED })
  }

  it('serves a client session token deleted at Seam from the cache until the TTL, then refuses it', async () => {
    const session = await createSession(t.url, `ttl-${randomBytes(3).toString('hex')}`)
    await servedUntilTheTtl(
      bearer(session.token),
      '/client_sessions/get',
      {
        data: {
          viewer: {
            kind: 'CLIENT_SESSION',
            workspaceId: 'seed_workspace_1',
            clientSession: { clientSessionId: session.clientSessionId },
          },
        },
      },
      () =>
        store.setState({
          client_sessions: store
            .getState()
            .client_sessions.filter((s) => s.client_session_id !== session.clientSessionId),
        }),
    )
  })

  it('serves an API key revoked at Seam from the cache until the TTL, then refuses it', async () => {
    await servedUntilTheTtl(
      bearer(API_KEY_2),
      '/workspaces/get',
      { data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_2', clientSession: null } } },
      () => store.setState({ api_keys: store.getState().api_keys.filter((key) => key.token !== API_KEY_2) }),
    )
  })
})

describe("an ended session's tombstone", () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`
  let sandbox: Sandbox
  let upstream: HeldUpstream
  let gateway: App
  let url: string

  beforeAll(async () => {
    sandbox = await createSandbox()
    upstream = await startHeldUpstream(sandbox.url)
    gateway = createApp(testConfig({ SEAM_ENDPOINT: upstream.url, SEAM_WEBHOOK_SECRET: secret }))
    url = await gateway.start()
  })

  afterAll(async () => {
    await gateway?.stop()
    await upstream?.close()
    await sandbox?.stop()
  })

  /** Delivers Seam's signed `client_session.deleted` webhook for a session to the gateway. */
  async function deliverDeletion(clientSessionId: string) {
    const body = JSON.stringify({
      event_id: `evt_${randomBytes(6).toString('hex')}`,
      event_type: 'client_session.deleted',
      client_session_id: clientSessionId,
      workspace_id: 'seed_workspace_1',
      created_at: new Date().toISOString(),
      occurred_at: new Date().toISOString(),
    })
    const id = `msg_${randomBytes(8).toString('hex')}`
    const at = new Date()
    const response = await fetch(`${url}/webhooks/seam`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'svix-id': id,
        'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
        'svix-signature': new Webhook(secret).sign(id, at, body),
      },
      body,
    })
    return { status: response.status, body: (await response.json()) as unknown }
  }

  it('keeps a lookup in flight when the session ended from caching it, though Seam still answers for it', async () => {
    const session = await createSession(url, `tombstone-${randomBytes(3).toString('hex')}`)
    const held = upstream.hold('/client_sessions/get')
    const inFlight = execute(url, ViewerDocument, {}, bearer(session.token))
    // Seam has answered the lookup (the session alive); the answer reaches the gateway only later.
    await held.arrived

    expect(await deliverDeletion(session.clientSessionId)).toEqual({ status: 200, body: { ok: true } })
    held.release()

    const answered = await inFlight
    expect({ status: answered.status, body: answered.body }).toEqual({ status: 401, body: REFUSED })
    // Nothing was cached: the next request is refused too.
    const again = await execute(url, ViewerDocument, {}, bearer(session.token))
    expect({ status: again.status, body: again.body }).toEqual({ status: 401, body: REFUSED })

    // Seam (the sandbox, which never heard of the webhook) still accepts the token: the tombstone
    // alone refused it.
    const atSeam = await fetch(`${sandbox.url}/client_sessions/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(session.token) },
      body: '{}',
    })
    expect(atSeam.status).toBe(200)
  })
})
