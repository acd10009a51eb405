import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import {
  ActionAttemptUpdatedDocument,
  type ActionAttemptUpdatedSubscription,
  DeviceEventsDocument,
  type DeviceEventsSubscription,
  LockDoorDocument,
  UnlockDoorDocument,
} from './generated/graphql.js'
import { createClientPool, type Recording, subscribeWs, waitFor } from './helpers/clients.js'
import { execute } from './helpers/execute.js'
import { bearer, TEST_CURSOR_SECRET, testConfig } from './helpers/gateway.js'
import { metricsUrlOf, registerMetricsUrl, untilOpenSubscriptions } from './helpers/metrics.js'
import { startTestRedis, type TestRedis } from './helpers/redis.js'

/**
 * SPEC §12: device events and action attempt outcomes, pushed. Two instances share one sandbox and
 * one Redis; the sandbox's signed webhooks reach instance A, and instance B polls `/events/list`,
 * so every event reaches the gateway twice (two sources, two instances) and each subscriber must
 * hear it once, wherever it is connected, over graphql-ws or SSE. A client session hears only the
 * events of its own connected accounts' devices.
 *
 * The sandbox holds each lock attempt PENDING for a moment, as a real lock does, so that the
 * outcome is pushed rather than already there when the mutation answers.
 */

const API_KEY = 'seam_apikey1_token'
const SECRET = `whsec_${randomBytes(24).toString('base64')}`
const PREFIX = `test-${randomBytes(4).toString('hex')}:`
/** John's lock, and Jane's. */
const JOHN_LOCK = 'august_device_1'
const JANE_LOCK = 'schlage_device_id'
const COMPLETION_DELAY_MS = 300

let redis: TestRedis
let sandbox: Sandbox
const apps: App[] = []
let a: string
let b: string
let john: string
let jane: string
const pool = createClientPool()

async function startInstance(env: Record<string, string> = {}): Promise<string> {
  const app = createApp(
    testConfig({
      SEAM_ENDPOINT: sandbox.url,
      SEAM_API_KEY: API_KEY,
      SEAM_WEBHOOK_SECRET: SECRET,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: PREFIX,
      CURSOR_SECRET: TEST_CURSOR_SECRET,
      SHUTDOWN_GRACE_MS: '300',
      ...env,
    }),
  )
  apps.push(app)
  const url = await app.start()
  registerMetricsUrl(app)
  return url
}

/** A client session of one connected account, made at the sandbox as a backend would. */
async function sessionOf(connectedAccountId: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify({
      user_identifier_key: `events-${randomBytes(4).toString('hex')}`,
      connected_account_ids: [connectedAccountId],
    }),
  })
  const body = (await response.json()) as { client_session: { token: string } }
  return body.client_session.token
}

/** Calls one of the sandbox's simulation routes with the workspace key. */
async function simulate(path: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
}

/** The sum of a counter's series whose labels include all of `labels`. */
async function counter(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(metricsUrlOf(url))).text()
  let sum = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
  }
  return sum
}

/**
 * Resolves once both sources have reported `count` events of `type` to the gateway: the webhook on
 * A and the poller on B. Whatever a subscriber was going to hear of them, it has heard by then.
 */
async function bothSourcesSaw(type: string, count: number): Promise<void> {
  await sandbox.drainWebhooks()
  const deadline = Date.now() + 8000
  for (;;) {
    const [webhook, poller] = await Promise.all([
      counter(a, 'gateway_device_events_total', { type, source: 'webhook' }),
      counter(b, 'gateway_device_events_total', { type, source: 'poller' }),
    ])
    if (webhook >= count && poller >= count) return
    if (Date.now() > deadline) {
      throw new Error(
        `Expected ${count} ${type} from each source, got ${webhook} (webhook) and ${poller} (poller)`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** When the current test started: what happened before it (the seed's events, which the poller's first look back may deliver) is not its concern. */
let testStart = ''
beforeEach(() => {
  testStart = new Date().toISOString()
})

const eventsOf = (recording: Recording<DeviceEventsSubscription>) =>
  recording.results
    .filter((result) => result.data!.deviceEvents.occurredAt >= testStart)
    .map((result) => {
      const event = result.data!.deviceEvents
      return { eventType: event.eventType, deviceId: event.deviceId, device: event.device }
    })

beforeAll(async () => {
  redis = await startTestRedis()
  sandbox = await createSandbox({ actionCompletionDelayMs: COMPLETION_DELAY_MS })
  a = await startInstance()
  b = await startInstance({ SEAM_EVENTS_POLL_INTERVAL_MS: '1000' })
  sandbox.registerEmbeddedWebhook(`${a}/webhooks/seam`, SECRET)
  john = await sessionOf('john_connected_account_id')
  jane = await sessionOf('jane_connected_account_id')
}, 30_000)

afterEach(async () => {
  await pool.disposeAll()
  // Every test starts with John's lock locked and online.
  const store = getFakeStore(sandbox.fake)
  store.getState().updateDevice({ device_id: JOHN_LOCK, properties: { locked: true, online: true } } as never)
})

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()))
  await sandbox?.stop()
  await redis?.stop()
})

describe('an unlock through the gateway', () => {
  it('reaches John on either instance over graphql-ws and SSE once, as UNLOCKED, and Jane not at all', async () => {
    const johnOnB = pool.openWs(b, { authorization: `Bearer ${john}` })
    const janeOnB = pool.openWs(b, { authorization: `Bearer ${jane}` })
    const overWs = subscribeWs(johnOnB.client, DeviceEventsDocument, {})
    const janeHears = subscribeWs(janeOnB.client, DeviceEventsDocument, {})
    const overSse = pool.subscribeSse(a, bearer(john), DeviceEventsDocument, { deviceIds: [JOHN_LOCK] })
    const workspaceOnA = pool.subscribeSse(a, bearer(API_KEY), DeviceEventsDocument, {
      eventTypes: ['UNLOCKED'],
    })
    await untilOpenSubscriptions(a, 2)
    await untilOpenSubscriptions(b, 2)

    const unlocked = await execute(a, UnlockDoorDocument, { deviceId: JOHN_LOCK }, bearer(john))
    expect(unlocked.body.errors).toBeUndefined()
    const attempt = unlocked.body.data!.unlockDoor.actionAttempt
    expect(attempt.status).toBe('PENDING')

    const expected = [
      {
        eventType: 'UNLOCKED',
        deviceId: JOHN_LOCK,
        device: { deviceId: JOHN_LOCK, locked: false, online: true, batteryLevel: expect.any(Number) },
      },
    ]
    await waitFor(
      () => overWs.results.length > 0 && overSse.results.length > 0 && workspaceOnA.results.length > 0,
      'the event on every subscription',
      8000,
    )
    await bothSourcesSaw('UNLOCKED', 1)
    expect(eventsOf(overWs)).toEqual(expected)
    expect(eventsOf(overSse)).toEqual(expected)
    expect(eventsOf(workspaceOnA)).toEqual(expected)
    expect(overWs.results[0]!.data!.deviceEvents).toMatchObject({
      seamEventType: 'lock.unlocked',
      connectedAccountId: 'john_connected_account_id',
      actionAttemptId: attempt.actionAttemptId,
    })
    expect(janeHears.results).toEqual([])
    expect([overWs.errors, overSse.errors, janeHears.errors]).toEqual([[], [], []])
  })

  it('pushes the attempt SUCCESS once to actionAttemptUpdated on each instance, which then ends', async () => {
    const unlocked = await execute(b, UnlockDoorDocument, { deviceId: JOHN_LOCK }, bearer(john))
    const { actionAttemptId, status } = unlocked.body.data!.unlockDoor.actionAttempt
    expect(status).toBe('PENDING')
    const socket = pool.openWs(b, { authorization: `Bearer ${john}` })
    const overWs = subscribeWs(socket.client, ActionAttemptUpdatedDocument, { actionAttemptId })
    const overSse = pool.subscribeSse(a, bearer(john), ActionAttemptUpdatedDocument, { actionAttemptId })
    await waitFor(() => overWs.completed && overSse.completed, 'both subscriptions to end', 8000)
    const expected: Array<{ data: ActionAttemptUpdatedSubscription }> = [
      {
        data: {
          actionAttemptUpdated: {
            actionAttemptId,
            actionType: 'UNLOCK_DOOR',
            status: 'SUCCESS',
            error: null,
            device: { deviceId: JOHN_LOCK, locked: false },
          },
        },
      },
    ]
    expect(overWs.results).toEqual(expected)
    expect(overSse.results).toEqual(expected)
  })

  it('answers an attempt that has already finished at once, and ends', async () => {
    const locked = await execute(a, LockDoorDocument, { deviceId: JOHN_LOCK }, bearer(john))
    const { actionAttemptId } = locked.body.data!.lockDoor.actionAttempt
    await bothSourcesSaw('LOCKED', 1)
    const socket = pool.openWs(a, { authorization: `Bearer ${john}` })
    const late = subscribeWs(socket.client, ActionAttemptUpdatedDocument, { actionAttemptId })
    await waitFor(() => late.completed, 'the subscription to end')
    expect(late.results.map((result) => result.data!.actionAttemptUpdated.status)).toEqual(['SUCCESS'])
  })

  it('pushes ERROR device_offline when the lock is offline, after DISCONNECTED', async () => {
    const socket = pool.openWs(a, { authorization: `Bearer ${john}` })
    const events = subscribeWs(socket.client, DeviceEventsDocument, {
      eventTypes: ['DISCONNECTED', 'UNLOCKED'],
    })
    await untilOpenSubscriptions(a, 1)
    await simulate('/devices/simulate/disconnect', { device_id: JOHN_LOCK })
    await waitFor(() => events.results.length === 1, 'DISCONNECTED', 8000)
    const unlocked = await execute(a, UnlockDoorDocument, { deviceId: JOHN_LOCK }, bearer(john))
    const { actionAttemptId } = unlocked.body.data!.unlockDoor.actionAttempt
    const outcome = subscribeWs(socket.client, ActionAttemptUpdatedDocument, { actionAttemptId })
    await waitFor(() => outcome.completed, 'the outcome', 8000)
    expect(outcome.results.map((result) => result.data!.actionAttemptUpdated)).toEqual([
      {
        actionAttemptId,
        actionType: 'UNLOCK_DOOR',
        status: 'ERROR',
        error: { type: 'device_offline', message: 'The device is offline' },
        device: { deviceId: JOHN_LOCK, locked: true },
      },
    ])
    await bothSourcesSaw('DISCONNECTED', 1)
    // The failed unlock left the lock locked: no UNLOCKED event.
    expect(eventsOf(events)).toEqual([
      {
        eventType: 'DISCONNECTED',
        deviceId: JOHN_LOCK,
        device: { deviceId: JOHN_LOCK, locked: true, online: false, batteryLevel: expect.any(Number) },
      },
    ])
  })

  it('filters by event type: a battery change reaches BATTERY_LOW subscribers once', async () => {
    const socket = pool.openWs(b, { authorization: `Bearer ${john}` })
    const low = subscribeWs(socket.client, DeviceEventsDocument, { eventTypes: ['BATTERY_LOW'] })
    const all = subscribeWs(socket.client, DeviceEventsDocument, { deviceIds: [JOHN_LOCK] })
    await untilOpenSubscriptions(b, 2)
    await simulate('/_sandbox/simulate_battery_level', { device_id: JOHN_LOCK, battery_level: 0.1 })
    await waitFor(() => low.results.length === 1 && all.results.length === 2, 'the battery events', 8000)
    await bothSourcesSaw('BATTERY_LOW', 1)
    expect(eventsOf(low).map((event) => [event.eventType, event.device?.batteryLevel])).toEqual([
      ['BATTERY_LOW', 0.1],
    ])
    expect(eventsOf(all).map((event) => event.eventType)).toEqual(['BATTERY_CHANGED', 'BATTERY_LOW'])
  })
})

describe('the wall', () => {
  const missingDevice = {
    errors: [
      {
        message: 'Device "device_missing" was not found',
        locations: [{ line: 2, column: 3 }],
        path: ['deviceEvents'],
        extensions: { code: 'NOT_FOUND' },
      },
    ],
  }

  it("refuses John a subscription to Jane's lock exactly as one to a device that does not exist", async () => {
    const socket = pool.openWs(a, { authorization: `Bearer ${john}` })
    const foreign = subscribeWs(socket.client, DeviceEventsDocument, { deviceIds: [JANE_LOCK] })
    const missing = subscribeWs(socket.client, DeviceEventsDocument, { deviceIds: ['device_missing'] })
    await waitFor(() => foreign.completed && missing.completed, 'both refusals')
    expect(JSON.stringify(foreign.results).replace(JANE_LOCK, 'device_missing')).toBe(
      JSON.stringify(missing.results),
    )
    expect(missing.results).toEqual([{ errors: missingDevice.errors }])
  })

  it("refuses John the outcome of an attempt on Jane's lock exactly as a missing one", async () => {
    const started = await execute(a, UnlockDoorDocument, { deviceId: JANE_LOCK }, bearer(API_KEY))
    const { actionAttemptId } = started.body.data!.unlockDoor.actionAttempt
    const socket = pool.openWs(a, { authorization: `Bearer ${john}` })
    const foreign = subscribeWs(socket.client, ActionAttemptUpdatedDocument, { actionAttemptId })
    const missing = subscribeWs(socket.client, ActionAttemptUpdatedDocument, {
      actionAttemptId: 'action_attempt_missing',
    })
    await waitFor(() => foreign.completed && missing.completed, 'both refusals')
    expect(JSON.stringify(foreign.results).replace(actionAttemptId, 'action_attempt_missing')).toBe(
      JSON.stringify(missing.results),
    )
    expect(missing.results.flatMap((result) => result.errors)).toEqual([
      {
        message: 'ActionAttempt "action_attempt_missing" was not found',
        locations: [{ line: 2, column: 3 }],
        path: ['actionAttemptUpdated'],
        extensions: { code: 'NOT_FOUND' },
      },
    ])
  })

  it('refuses an empty or oversized filter with BAD_USER_INPUT', async () => {
    const socket = pool.openWs(a, { authorization: `Bearer ${john}` })
    const empty = subscribeWs(socket.client, DeviceEventsDocument, { deviceIds: [] })
    const noTypes = subscribeWs(socket.client, DeviceEventsDocument, { eventTypes: [] })
    const tooMany = subscribeWs(socket.client, DeviceEventsDocument, {
      deviceIds: Array.from({ length: 101 }, (_, i) => `device_${i}`),
    })
    await waitFor(() => [empty, noTypes, tooMany].every((r) => r.completed), 'three refusals')
    expect(
      [empty, noTypes, tooMany].map((r) =>
        (r.results[0]?.errors ?? []).map((e) => [e.message, e.extensions]),
      ),
    ).toEqual([
      [
        [
          'deviceIds must name at least one device, or be left out for every device',
          { code: 'BAD_USER_INPUT' },
        ],
      ],
      [['eventTypes must name at least one type, or be left out for every type', { code: 'BAD_USER_INPUT' }]],
      [['deviceIds may hold at most 100 values, got 101', { code: 'BAD_USER_INPUT' }]],
    ])
  })

  it('counts device actions by outcome, a refusal by its code', async () => {
    const before = await counter(a, 'gateway_device_actions_total', {
      action: 'lockDoor',
      outcome: 'NOT_FOUND',
    })
    const refused = await execute(a, LockDoorDocument, { deviceId: JANE_LOCK }, bearer(john))
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' })
    expect(
      await counter(a, 'gateway_device_actions_total', { action: 'lockDoor', outcome: 'NOT_FOUND' }),
    ).toBe(before + 1)
  })
})
