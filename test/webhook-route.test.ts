import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse, print } from 'graphql'
import { type Client, createClient } from 'graphql-ws'
import { Webhook } from 'svix'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox } from '../sandbox/sandbox.js'
import {
  ClientSessionDeletedDocument,
  type ClientSessionDeletedSubscription,
  CreateClientSessionDocument,
} from './generated/graphql.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { metricsUrlOf } from './helpers/metrics.js'

const SECRET = `whsec_${randomBytes(24).toString('base64')}`
const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64')}`
const WORKSPACE_ID = 'seed_workspace_1'
const JOHN_ACCOUNT = 'john_connected_account_id'

/** `{ viewer { kind workspaceId } }` is answered from the principal alone: no upstream call. */
const WhoAmI = parse('{ viewer { kind workspaceId } }')
const SESSION_VIEWER = { data: { viewer: { kind: 'CLIENT_SESSION', workspaceId: WORKSPACE_ID } } }
const UNKNOWN_CREDENTIAL = {
  errors: [
    { message: 'The credential is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } },
  ],
}

let gw: TestGateway
beforeAll(async () => {
  gw = await startTestGateway({ SEAM_WEBHOOK_SECRET: SECRET })
})
afterAll(async () => {
  await gw?.stop()
})

const clients: Client[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()))
})

interface Session {
  clientSessionId: string
  token: string
}

async function createSession(): Promise<Session> {
  const { status, body } = await gw.execute(
    CreateClientSessionDocument,
    { input: { connectedAccountIds: [JOHN_ACCOUNT] } },
    bearer(gw.apiKey),
  )
  expect(status).toBe(200)
  const session = body.data!.createClientSession.clientSession
  return { clientSessionId: session.clientSessionId, token: session.token! }
}

/** Removes a session from the fake's store without any event: Seam has forgotten it, nobody told us. */
function forgetUpstream(session: Session): void {
  const store = getFakeStore(gw.sandbox!.fake)
  store.setState({
    client_sessions: store
      .getState()
      .client_sessions.filter((candidate) => candidate.client_session_id !== session.clientSessionId),
  })
}

async function whoAmI(token: string) {
  const { status, body } = await gw.execute(WhoAmI, {}, bearer(token))
  return { status, body }
}

/**
 * A workspace subscriber (API key over graphql-ws) to the ends of the given session: what it
 * received, and a round trip on its socket. The gateway sends a socket's messages in order, and an
 * event is sent in the turns right after it is published, so once an operation sent afterwards has
 * come back, every event published before it has arrived.
 */
async function subscribeToEnd(
  session: Session,
): Promise<{ received: unknown[]; roundTrip: () => Promise<void> }> {
  // Results in arrival order; a socket failure is recorded too, so that no assertion can miss it.
  const received: unknown[] = []
  let connected = false
  const client = createClient({
    url: `${gw.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${gw.apiKey}` },
    lazy: false,
    retryAttempts: 0,
    on: {
      connected: () => {
        connected = true
      },
    },
  })
  clients.push(client)
  client.subscribe<ClientSessionDeletedSubscription>(
    { query: print(ClientSessionDeletedDocument), variables: { clientSessionId: session.clientSessionId } },
    {
      next: (result) => received.push(result),
      error: (error) => received.push({ socketError: String(error) }),
      complete: () => {},
    },
  )
  await waitFor(() => connected, 'connection_ack')
  // The subscription reaches the event bus a few ticks after the ack.
  await sleep(100)
  const roundTrip = () =>
    new Promise<void>((resolve, reject) => {
      client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve })
    })
  return { received, roundTrip }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${timeoutMs} ms`)
    await sleep(10)
  }
}

/** Seam's `client_session.deleted` event, as its webhook body. */
function deletedEvent(session: Session) {
  const now = new Date().toISOString()
  return {
    event_id: `evt_${randomBytes(8).toString('hex')}`,
    event_type: 'client_session.deleted',
    client_session_id: session.clientSessionId,
    workspace_id: WORKSPACE_ID,
    created_at: now,
    occurred_at: now,
  }
}

function receivedEvent(event: ReturnType<typeof deletedEvent>) {
  return {
    data: {
      clientSessionDeleted: {
        eventId: event.event_id,
        clientSessionId: event.client_session_id,
        workspaceId: event.workspace_id,
        userIdentifierKey: null,
        occurredAt: event.occurred_at,
        reason: 'DELETED',
      },
    },
  }
}

/** The three Svix headers of a delivery of `body`, signed as Seam (through Svix) signs it. */
function svixHeaders(
  body: string,
  options: { id?: string; secret?: string; at?: Date } = {},
): Record<'svix-id' | 'svix-timestamp' | 'svix-signature', string> {
  const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`
  const at = options.at ?? new Date()
  return {
    'svix-id': id,
    'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
    'svix-signature': new Webhook(options.secret ?? SECRET).sign(id, at, body),
  }
}

async function deliver(body: string, headers: Record<string, string>, method = 'POST', url = gw.url) {
  const response = await fetch(`${url}/webhooks/seam`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' ? {} : { body }),
  })
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.json(),
  }
}

const ok = { status: 200, contentType: 'application/json', body: { ok: true } }
const notVerified = (reason: string) => ({
  status: 401,
  contentType: 'application/json',
  body: { ok: false, error: `Webhook signature not verified: ${reason}` },
})

describe('POST /webhooks/seam', () => {
  it('a signed client_session.deleted reaches subscribers and evicts the cached principal', async () => {
    const session = await createSession()
    // First use: the principal is resolved upstream and cached.
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    // Seam deletes the session; the cache still answers for it.
    forgetUpstream(session)
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })

    const { received, roundTrip } = await subscribeToEnd(session)
    const event = deletedEvent(session)
    const body = JSON.stringify(event)
    expect(await deliver(body, svixHeaders(body))).toEqual(ok)

    await waitFor(() => received.length > 0, 'the subscriber to hear of the deletion')
    await roundTrip()
    expect(received).toEqual([receivedEvent(event)])
    expect(await whoAmI(session.token)).toEqual({ status: 401, body: UNKNOWN_CREDENTIAL })
  })

  it('refuses the token at once, even while upstream still answers for the session', async () => {
    const session = await createSession()
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })

    const body = JSON.stringify(deletedEvent(session))
    expect(await deliver(body, svixHeaders(body))).toEqual(ok)

    expect(await whoAmI(session.token)).toEqual({ status: 401, body: UNKNOWN_CREDENTIAL })
  })

  it('verifies the raw body as sent, not a re-serialization of it', async () => {
    const session = await createSession()
    const { received } = await subscribeToEnd(session)
    const event = deletedEvent(session)
    const body = `${JSON.stringify(event, null, 2)}\n`
    expect(await deliver(body, svixHeaders(body))).toEqual(ok)
    await waitFor(() => received.length > 0, 'the subscriber to hear of the deletion')
    expect(received).toEqual([receivedEvent(event)])
  })

  it('refuses a tampered body with 401 and no side effect', async () => {
    const session = await createSession()
    const victim = await createSession()
    expect(await whoAmI(victim.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    const { received, roundTrip } = await subscribeToEnd(victim)

    const signed = JSON.stringify(deletedEvent(session))
    const tampered = signed.replace(session.clientSessionId, victim.clientSessionId)
    expect(tampered).not.toBe(signed)
    const headers = svixHeaders(signed)
    expect(await deliver(tampered, headers)).toEqual(notVerified('No matching signature found'))

    // Still served: the event path never ran (it evicts before the delivery is answered).
    expect(await whoAmI(victim.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    await roundTrip()
    expect(received).toEqual([])

    // A refused delivery does not burn its svix-id: the genuine delivery with that id is processed.
    const genuine = JSON.stringify(deletedEvent(victim))
    expect(await deliver(genuine, svixHeaders(genuine, { id: headers['svix-id'] }))).toEqual(ok)
    await waitFor(() => received.length > 0, 'the genuine delivery to be processed')
    expect(received).toHaveLength(1)
  })

  it('refuses a delivery signed with another secret with 401 and no side effect', async () => {
    const session = await createSession()
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    const { received, roundTrip } = await subscribeToEnd(session)

    const body = JSON.stringify(deletedEvent(session))
    expect(await deliver(body, svixHeaders(body, { secret: OTHER_SECRET }))).toEqual(
      notVerified('No matching signature found'),
    )
    // Still served: the event path never ran (it evicts before the delivery is answered).
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    await roundTrip()
    expect(received).toEqual([])
  })

  it('refuses a well-signed body that is not a JSON event with 401, without using up its id', async () => {
    const headers = svixHeaders('not json')
    expect(await deliver('not json', headers)).toEqual(notVerified('unverifiable payload'))
    const event = JSON.stringify({
      event_id: randomBytes(8).toString('hex'),
      event_type: 'device.connected',
      workspace_id: 'seed_workspace_1',
      device_id: `device_${randomBytes(4).toString('hex')}`,
      created_at: new Date().toISOString(),
      occurred_at: new Date().toISOString(),
    })
    expect(await deliver(event, svixHeaders(event, { id: headers['svix-id'] }))).toEqual(ok)
  })

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'] as const)(
    'refuses a delivery without %s with 400 and no side effect',
    async (header) => {
      const session = await createSession()
      expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
      const { received, roundTrip } = await subscribeToEnd(session)

      const body = JSON.stringify(deletedEvent(session))
      const headers: Record<string, string> = svixHeaders(body)
      delete headers[header]
      expect(await deliver(body, headers)).toEqual({
        status: 400,
        contentType: 'application/json',
        body: { ok: false, error: `Missing ${header} header` },
      })
      // Still served: the event path never ran (it evicts before the delivery is answered).
      expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
      await roundTrip()
      expect(received).toEqual([])
    },
  )

  it.each([
    ['10 minutes old', -10 * 60_000, 'Message timestamp too old'],
    ['10 minutes ahead', 10 * 60_000, 'Message timestamp too new'],
  ])('refuses a timestamp %s with 401 and no side effect', async (_name, offsetMs, reason) => {
    const session = await createSession()
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    const { received, roundTrip } = await subscribeToEnd(session)

    const body = JSON.stringify(deletedEvent(session))
    const at = new Date(Date.now() + offsetMs)
    expect(await deliver(body, svixHeaders(body, { at }))).toEqual(notVerified(reason))
    // Still served: the event path never ran (it evicts before the delivery is answered).
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    await roundTrip()
    expect(received).toEqual([])
  })

  it('answers a repeated svix-id with 200 and processes it once', async () => {
    const session = await createSession()
    const other = await createSession()
    expect(await whoAmI(other.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    const { received, roundTrip } = await subscribeToEnd(session)
    const { received: receivedByOther } = await subscribeToEnd(other)

    const event = deletedEvent(session)
    const body = JSON.stringify(event)
    const headers = svixHeaders(body)
    expect(await deliver(body, headers)).toEqual(ok)
    // Svix retries with the same id (and a fresh signature).
    const duplicate = { status: 200, contentType: 'application/json', body: { ok: true, duplicate: true } }
    expect(await deliver(body, svixHeaders(body, { id: headers['svix-id'] }))).toEqual(duplicate)
    // Whatever a repeated id carries, it was processed already.
    const otherBody = JSON.stringify(deletedEvent(other))
    expect(await deliver(otherBody, svixHeaders(otherBody, { id: headers['svix-id'] }))).toEqual(duplicate)

    await waitFor(() => received.length > 0, 'the subscriber to hear of the deletion')
    await roundTrip()
    expect(received).toEqual([receivedEvent(event)])
    expect(receivedByOther).toEqual([])
    expect(await whoAmI(other.token)).toEqual({ status: 200, body: SESSION_VIEWER })

    const metrics = await (await fetch(metricsUrlOf(gw.url))).text()
    expect(metrics).toMatch(/^gateway_event_duplicates_dropped_total 2$/m)
  })

  it('accepts a delivery whose good signature follows a stale one (secret rotation)', async () => {
    const session = await createSession()
    const { received } = await subscribeToEnd(session)

    const event = deletedEvent(session)
    const body = JSON.stringify(event)
    const headers = svixHeaders(body)
    const stale = svixHeaders(body, { id: headers['svix-id'], secret: OTHER_SECRET })['svix-signature']
    expect(
      await deliver(body, { ...headers, 'svix-signature': `${stale} ${headers['svix-signature']}` }),
    ).toEqual(ok)
    await waitFor(() => received.length > 0, 'the subscriber to hear of the deletion')
    expect(received).toEqual([receivedEvent(event)])
  })

  it('acknowledges other event types without ending any session', async () => {
    const session = await createSession()
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    const { received, roundTrip } = await subscribeToEnd(session)

    const body = JSON.stringify({
      event_id: `evt_${randomBytes(8).toString('hex')}`,
      event_type: 'device.connected',
      device_id: 'august_device_1',
      connected_account_id: JOHN_ACCOUNT,
      client_session_id: session.clientSessionId,
      workspace_id: WORKSPACE_ID,
      created_at: new Date().toISOString(),
      occurred_at: new Date().toISOString(),
    })
    expect(await deliver(body, svixHeaders(body))).toEqual(ok)
    // Still served: the event path never ran (it evicts before the delivery is answered).
    expect(await whoAmI(session.token)).toEqual({ status: 200, body: SESSION_VIEWER })
    await roundTrip()
    expect(received).toEqual([])
  })

  it('answers GET with 405 and the allowed method', async () => {
    const response = await fetch(`${gw.url}/webhooks/seam`)
    expect({
      status: response.status,
      allow: response.headers.get('allow'),
      contentType: response.headers.get('content-type'),
      body: await response.json(),
    }).toEqual({
      status: 405,
      allow: 'POST',
      contentType: 'application/json',
      body: { ok: false, error: 'POST a Seam webhook delivery here' },
    })
  })

  it('answers 503 on a gateway that has no webhook secret', async () => {
    // Not sandbox mode: a stand-alone sandbox as upstream, no SEAM_WEBHOOK_SECRET.
    const sandbox = await createSandbox({ port: 0 })
    let gateway: TestGateway | undefined
    try {
      gateway = await startTestGateway({ SEAM_ENDPOINT: sandbox.url })
      const body = JSON.stringify({ event_id: 'evt_1', event_type: 'client_session.deleted' })
      expect(await deliver(body, svixHeaders(body), 'POST', gateway.url)).toEqual({
        status: 503,
        contentType: 'application/json',
        body: { ok: false, error: 'SEAM_WEBHOOK_SECRET is not configured' },
      })
    } finally {
      await gateway?.stop()
      await sandbox.stop()
    }
  })
})
