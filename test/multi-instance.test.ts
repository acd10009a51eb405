import { randomBytes } from 'node:crypto'
import { Webhook } from 'svix'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import {
  ActionAttemptDocument,
  ClientSessionDeletedDocument,
  CreateClientSessionDocument,
  DeleteClientSessionDocument,
  LockDoorDocument,
  ViewerDocument,
} from './generated/graphql.js'
import { createClientPool, type Recording, sleep, subscribeWs, waitFor } from './helpers/clients.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute } from './helpers/execute.js'
import { TEST_CURSOR_SECRET, testConfig } from './helpers/gateway.js'
import { metricsUrlOf, registerMetricsUrl, untilOpenSubscriptions } from './helpers/metrics.js'
import { oneWindow } from './helpers/rate-window.js'
import { startTestRedis, type TestRedis } from './helpers/redis.js'

/**
 * SPEC §7: two gateway instances share one sandbox and one Redis (a redis-server of this test's
 * own, since one test restarts it). Every guarantee must hold across them.
 */
const API_KEY = 'seam_apikey1_token'
const SECRET = `whsec_${randomBytes(24).toString('base64')}`
const PREFIX = `test-${randomBytes(4).toString('hex')}:`

let redis: TestRedis
let sandbox: Sandbox
let proxy: CountingProxy
const gateways: App[] = []
let a: string
let b: string
const pool = createClientPool()

async function startInstance(env: Record<string, string> = {}): Promise<{ gateway: App; url: string }> {
  const gateway = createApp(
    testConfig({
      SEAM_ENDPOINT: proxy.url,
      SEAM_API_KEY: API_KEY,
      SEAM_WEBHOOK_SECRET: SECRET,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: PREFIX,
      CURSOR_SECRET: TEST_CURSOR_SECRET,
      SHUTDOWN_GRACE_MS: '500',
      ...env,
    }),
  )
  gateways.push(gateway)
  const url = await gateway.start()
  registerMetricsUrl(gateway)
  // Started means serving with Redis connected (the bus, claims and rate limits are there).
  await redisReported(url, true)
  return { gateway, url }
}

/** Waits until an instance reports Redis connected (or not) on /ready. */
async function redisReported(url: string, connected: boolean, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const body = (await (await fetch(`${url}/ready`)).json()) as { redis?: boolean }
    if (body.redis === connected) return
    if (Date.now() > deadline) {
      throw new Error(`${url} did not report redis: ${connected} on /ready within ${timeoutMs} ms`)
    }
    await sleep(50)
  }
}

beforeAll(async () => {
  redis = await startTestRedis()
  sandbox = await createSandbox()
  proxy = await startCountingProxy(sandbox.url)
  a = (await startInstance()).url
  b = (await startInstance()).url
}, 30_000)

afterEach(() => pool.disposeAll())

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()))
  await proxy?.stop()
  await sandbox?.stop()
  await redis?.stop()
})

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function createSession(url: string, key: string) {
  const { body } = await execute(
    url,
    CreateClientSessionDocument,
    { input: { userIdentifierKey: key, connectedAccountIds: ['john_connected_account_id'] } },
    bearer(API_KEY),
  )
  return body.data!.createClientSession.clientSession as { clientSessionId: string; token: string }
}

const metric = async (url: string, name: string) => {
  const text = await (await fetch(metricsUrlOf(url))).text()
  const line = new RegExp(`^${name.replace(/[{}"=]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text)
  return line === null ? 0 : Number(line[1])
}

const ids = (recording: Recording<unknown>) =>
  recording.results.map(
    (result) =>
      (result.data as { clientSessionDeleted: { clientSessionId: string } }).clientSessionDeleted
        .clientSessionId,
  )

/** A signed `client_session.deleted` webhook of Seam for a session, as Svix delivers it. */
function signedDeletion(clientSessionId: string) {
  const body = JSON.stringify({
    event_id: `evt_${randomBytes(6).toString('hex')}`,
    event_type: 'client_session.deleted',
    client_session_id: clientSessionId,
    workspace_id: 'seed_workspace_1',
    created_at: new Date().toISOString(),
    occurred_at: new Date().toISOString(),
  })
  const id = `msg_${randomBytes(8).toString('hex')}`
  const timestamp = new Date()
  const headers = {
    'content-type': 'application/json',
    'svix-id': id,
    'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'svix-signature': new Webhook(SECRET).sign(id, timestamp, body),
  }
  return { method: 'POST', headers, body }
}

/**
 * A workspace socket on an instance with two subscriptions: one filtered to a session, one to the
 * whole workspace (which also hears the barrier below).
 */
function watch(url: string, clientSessionId: string) {
  const { client } = pool.openWs(url, { authorization: `Bearer ${API_KEY}` })
  return {
    filtered: subscribeWs(client, ClientSessionDeletedDocument, { clientSessionId }),
    all: subscribeWs(client, ClientSessionDeletedDocument, {}),
  }
}

/**
 * Ends one more session and waits until every watcher's workspace subscription has heard of it.
 * Events of an instance reach a socket in the order they were published, so whatever was to reach
 * these sockets before (a duplicate above all) has arrived by then.
 */
async function barrier(watchers: Array<ReturnType<typeof watch>>, session: { clientSessionId: string }) {
  const ended = await execute(
    b,
    DeleteClientSessionDocument,
    { clientSessionId: session.clientSessionId },
    bearer(API_KEY),
  )
  expect(ended.body.errors).toBeUndefined()
  await waitFor(
    () => watchers.every((watcher) => ids(watcher.all).includes(session.clientSessionId)),
    'the barrier event on every watcher',
  )
}

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`

describe('two instances over Redis', () => {
  it('a session ended through instance B: its subscriber on A gets the event once, then 4403; A refuses the token', async () => {
    const session = await createSession(b, unique('multi'))
    const last = await createSession(b, unique('multi-barrier'))
    expect((await execute(a, ViewerDocument, {}, bearer(session.token))).status).toBe(200) // cached on A
    const socket = pool.openWs(a, { clientSessionToken: session.token })
    const own = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    const onA = watch(a, session.clientSessionId)
    const onB = watch(b, session.clientSessionId)
    await Promise.all([untilOpenSubscriptions(a, 3), untilOpenSubscriptions(b, 2)])

    const started = performance.now()
    const deleted = await execute(
      b,
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      bearer(API_KEY),
    )
    expect(deleted.body.errors).toBeUndefined()
    await waitFor(() => socket.closes.length > 0, 'the socket on A to close')
    const closeMs = performance.now() - started
    console.log(`cross-instance close (delete on B → 4403 on A): ${closeMs.toFixed(1)} ms`)

    expect(ids(own)).toEqual([session.clientSessionId])
    expect(socket.closes).toEqual([{ code: 4403, reason: 'Forbidden' }])
    await barrier([onA, onB], last)
    for (const watcher of [onA, onB]) {
      expect(ids(watcher.filtered)).toEqual([session.clientSessionId])
      expect(ids(watcher.all)).toEqual([session.clientSessionId, last.clientSessionId])
    }

    const refused = await execute(a, ViewerDocument, {}, bearer(session.token))
    expect(refused.status).toBe(401)
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
  })

  it('the same webhook delivered to both instances is processed once', async () => {
    const session = await createSession(a, unique('multi-webhook'))
    const last = await createSession(a, unique('multi-webhook-barrier'))
    const watchers = [watch(a, session.clientSessionId), watch(b, session.clientSessionId)]
    await Promise.all([untilOpenSubscriptions(a, 2), untilOpenSubscriptions(b, 2)])
    const fresh = async () =>
      (await metric(a, 'gateway_session_events_total{source="webhook"}')) +
      (await metric(b, 'gateway_session_events_total{source="webhook"}'))
    const before = await fresh()
    const delivery = signedDeletion(session.clientSessionId)
    const answers = await Promise.all(
      [a, b].map(async (url) => {
        const response = await fetch(`${url}/webhooks/seam`, delivery)
        return { status: response.status, body: await response.json() }
      }),
    )
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    expect(
      answers.filter((answer) => (answer.body as { duplicate?: boolean }).duplicate === true),
    ).toHaveLength(1)
    await barrier(watchers, last)
    for (const watcher of watchers) {
      expect(ids(watcher.filtered)).toEqual([session.clientSessionId])
      expect(ids(watcher.all)).toEqual([session.clientSessionId, last.clientSessionId])
    }
    // One of the two deliveries reached the event path; the other was dropped by its svix-id.
    expect((await fresh()) - before).toBe(1)
  })

  it("one end reported by two sources on two instances (B's mutation, then Seam's webhook on A) is delivered once", async () => {
    const session = await createSession(a, unique('multi-two-sources'))
    const last = await createSession(a, unique('multi-two-sources-barrier'))
    const watchers = [watch(a, session.clientSessionId), watch(b, session.clientSessionId)]
    await Promise.all([untilOpenSubscriptions(a, 2), untilOpenSubscriptions(b, 2)])
    const dropped = () => metric(a, 'gateway_event_duplicates_dropped_total')
    const droppedBefore = await dropped()

    const deleted = await execute(
      b,
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      bearer(API_KEY),
    )
    expect(deleted.body.errors).toBeUndefined()
    // Seam's own report of that deletion reaches A: a new delivery (its own svix-id and event id)
    // of an end that B has claimed on Redis. A has never claimed it itself.
    const response = await fetch(`${a}/webhooks/seam`, signedDeletion(session.clientSessionId))
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { ok: true },
    })
    expect((await dropped()) - droppedBefore).toBe(1)

    await barrier(watchers, last)
    for (const watcher of watchers) {
      expect(ids(watcher.filtered)).toEqual([session.clientSessionId])
      expect(ids(watcher.all)).toEqual([session.clientSessionId, last.clientSessionId])
    }
  })

  it('rate limits are counted across instances', async () => {
    const one = await startInstance({ RATE_LIMIT_PER_MINUTE: '4', REDIS_KEY_PREFIX: `${PREFIX}rl-` })
    const two = await startInstance({ RATE_LIMIT_PER_MINUTE: '4', REDIS_KEY_PREFIX: `${PREFIX}rl-` })
    await oneWindow()
    const statuses: number[] = []
    for (const url of [one.url, two.url, one.url, two.url, one.url]) {
      statuses.push((await execute(url, ViewerDocument, {}, bearer(API_KEY))).status)
    }
    // Four operations in the window are allowed in all, not four per instance.
    expect(statuses).toEqual([200, 200, 200, 200, 429])
    await Promise.all([one.gateway.stop(), two.gateway.stop()])
  })

  it('an action attempt started through instance A is followed through instance B', async () => {
    const owner = await createSession(a, unique('attempt-owner'))
    const locked = await execute(a, LockDoorDocument, { deviceId: 'august_device_1' }, bearer(owner.token))
    expect(locked.body.errors).toBeUndefined()
    const id = locked.body.data!.lockDoor.actionAttempt.actionAttemptId
    // B never saw the action: it knows the attempt's device from the record A kept in Redis.
    const followed = await execute(b, ActionAttemptDocument, { actionAttemptId: id }, bearer(owner.token))
    expect(followed.body.data?.actionAttempt).toMatchObject({
      actionAttemptId: id,
      actionType: 'LOCK_DOOR',
      device: { deviceId: 'august_device_1', locked: true },
    })
    expect(followed.body.errors).toBeUndefined()
  })

  it('only one instance polls /events/list; the other takes over when the holder stops', async () => {
    const one = await startInstance({
      SEAM_EVENTS_POLL_INTERVAL_MS: '1000',
      REDIS_KEY_PREFIX: `${PREFIX}poll-`,
    })
    const two = await startInstance({
      SEAM_EVENTS_POLL_INTERVAL_MS: '1000',
      REDIS_KEY_PREFIX: `${PREFIX}poll-`,
    })
    await sleep(300)
    proxy.reset()
    await sleep(3100)
    const polls = proxy.counts()['/events/list'] ?? 0
    // One poller at 1 s: about 3 polls in 3.1 s, where two pollers would make about 6.
    expect(polls).toBeGreaterThanOrEqual(2)
    expect(polls).toBeLessThanOrEqual(4)

    const holder = (await metric(one.url, 'gateway_poller_holder')) === 1 ? one : two
    const other = holder === one ? two : one
    await holder.gateway.stop()
    proxy.reset()
    // The other instance takes the lock and polls: waited for on its own metric and on the wire.
    // Within about one interval: the holder released the lock as it stopped, rather than leaving it
    // to expire (its time to live is 5 s, renewed every interval: a lock left to expire would hold
    // the other instance off for 4 s at least).
    const deadline = Date.now() + 3000
    while (
      (await metric(other.url, 'gateway_poller_holder')) !== 1 ||
      (proxy.counts()['/events/list'] ?? 0) < 1
    ) {
      if (Date.now() > deadline) throw new Error('Expected the other instance to poll within 3000 ms')
      await sleep(50)
    }
    await other.gateway.stop()
  }, 20_000)

  it('Redis away: an instance alone still drops a repeated webhook and delivers the end to its own subscribers', async () => {
    const session = await createSession(a, unique('multi-alone'))
    const watcher = subscribeWs(
      pool.openWs(a, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      { clientSessionId: session.clientSessionId },
    )
    await untilOpenSubscriptions(a, 1)
    await redis.stop()
    try {
      await redisReported(a, false)
      const delivery = signedDeletion(session.clientSessionId)
      const answers = []
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${a}/webhooks/seam`, delivery)
        answers.push({ status: response.status, body: await response.json() })
      }
      // Claimed in A's own memory: the repeat is dropped there as it would be on Redis.
      expect(answers).toEqual([
        { status: 200, body: { ok: true } },
        { status: 200, body: { ok: true, duplicate: true } },
      ])
      // Published to A alone: its own subscriber hears the end, once.
      await waitFor(() => watcher.results.length > 0, 'the end on the subscriber of the instance alone')
      expect(ids(watcher)).toEqual([session.clientSessionId])
    } finally {
      await redis.restart()
      await Promise.all([redisReported(a, true), redisReported(b, true)])
    }
  }, 30_000)

  it('Redis restarted: instances keep serving, report it on /ready, reconnect and deliver again', async () => {
    await redis.stop()
    await redisReported(a, false)
    const down = (await (await fetch(`${a}/ready`)).json()) as { ok: boolean; redis: boolean }
    expect(down).toMatchObject({ ok: false, redis: false })
    // Queries still answer while Redis is away.
    const served = await execute(a, ViewerDocument, {}, bearer(API_KEY))
    expect(served.status).toBe(200)
    expect(served.body.data?.viewer.kind).toBe('WORKSPACE')

    await redis.restart()
    await Promise.all([redisReported(a, true), redisReported(b, true)])
    const session = await createSession(a, `multi-restart-${randomBytes(3).toString('hex')}`)
    const watcher = subscribeWs(
      pool.openWs(a, { authorization: `Bearer ${API_KEY}` }).client,
      ClientSessionDeletedDocument,
      {
        clientSessionId: session.clientSessionId,
      },
    )
    await untilOpenSubscriptions(a, 1)
    await execute(
      b,
      DeleteClientSessionDocument,
      { clientSessionId: session.clientSessionId },
      bearer(API_KEY),
    )
    await waitFor(() => watcher.results.length > 0, 'delivery across instances after the restart')
    expect(ids(watcher)).toEqual([session.clientSessionId])
  }, 30_000)
})
