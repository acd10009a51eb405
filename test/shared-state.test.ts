import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DeviceBusEvent } from '../src/events/device-events.js'
import type { SessionEndedEvent, SessionExpiryChange } from '../src/events/session-events.js'
import {
  createMemorySharedState,
  createRedisSharedState,
  MAX_MEMORY_VALUES,
  type SharedState,
  withLocalFallback,
} from '../src/events/shared-state.js'
import { startTestRedis, type TestRedis } from './helpers/redis.js'

/**
 * The shared state itself (src/events/shared-state.ts): in memory, on a real redis-server of this
 * file's own (stopped, restarted and limited here), and wrapped in the local fallback.
 */

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0)

/** A logger whose lines this test reads. */
function capture() {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
        callback()
      },
    }),
  )
  return { lines, logger }
}

const silent = pino({ level: 'silent' })

/**
 * Resolves once `condition()` holds, checking every 10 ms. Measured on the monotonic clock: tests
 * here set the wall clock (`Date`) by hand.
 */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`Expected ${what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const ended = (id: string): SessionEndedEvent => ({
  eventId: `event-${id}`,
  clientSessionId: `session-${id}`,
  workspaceId: 'workspace-1',
  userIdentifierKey: null,
  occurredAt: new Date(T0).toISOString(),
  reason: 'DELETED' as SessionEndedEvent['reason'],
})
const expiry = (id: string): SessionExpiryChange => ({
  clientSessionId: `session-${id}`,
  expiresAt: new Date(T0 + 60_000).toISOString(),
})
const deviceEvent = (id: string): DeviceBusEvent => ({
  kind: 'actionAttempt',
  eventId: `event-${id}`,
  actionAttemptId: `attempt-${id}`,
  workspaceId: 'workspace-1',
  status: 'success',
  occurredAt: new Date(T0).toISOString(),
})

/** Everything `state` hears on its three channels, in order. */
function listen(state: SharedState) {
  const heard = {
    ended: [] as string[],
    expiry: [] as string[],
    device: [] as string[],
  }
  state.onSessionEnded((event) => heard.ended.push(event.eventId))
  state.onExpiryChanged((change) => heard.expiry.push(change.clientSessionId))
  state.onDeviceEvent((event) => heard.device.push(event.eventId))
  return heard
}

/** Sets the wall clock (only `Date`; timers and sockets run as usual). */
function clockAt(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(ms)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('in memory', () => {
  it('holds a claim for exactly its ttl', async () => {
    const state = createMemorySharedState()
    clockAt(T0)
    // Claimed first, expiring last: claims are kept in the order they were made.
    expect(await state.claim('long', 60_000)).toBe(true)
    expect(await state.claim('a', 1000)).toBe(true)
    expect(await state.claim('a', 1000)).toBe(false)
    expect(await state.claim('b', 1000)).toBe(true)
    vi.setSystemTime(T0 + 999)
    expect(await state.claim('a', 1000)).toBe(false)
    vi.setSystemTime(T0 + 1000)
    expect(await state.claim('a', 1000)).toBe(true)
    expect(await state.claim('a', 1000)).toBe(false)
    expect(await state.claim('b', 1000)).toBe(true)
    expect(await state.claim('long', 60_000)).toBe(false)
  })

  it('keeps every value for exactly its ttl', async () => {
    const state = createMemorySharedState()
    clockAt(T0)
    await state.put('a', 'first', 1000)
    await state.put('b', 'second', 2000)
    await state.put('c', 'third', 2000)
    expect(await state.get('a')).toBe('first')
    expect(await state.get('b')).toBe('second')
    expect(await state.get('missing')).toBeUndefined()
    vi.setSystemTime(T0 + 999)
    await state.put('d', 'fourth', 2000)
    expect(await state.get('a')).toBe('first')
    vi.setSystemTime(T0 + 1000)
    expect(await state.get('a')).toBeUndefined()
    expect(await state.get('b')).toBe('second')
    await state.put('a', 'again', 1000)
    expect(await state.get('a')).toBe('again')
  })

  it(`keeps at most ${MAX_MEMORY_VALUES} values, dropping the oldest`, async () => {
    const state = createMemorySharedState()
    for (let i = 0; i <= MAX_MEMORY_VALUES; i++) await state.put(`key-${i}`, `value-${i}`, 3_600_000)
    expect(await state.get('key-0')).toBeUndefined()
    expect(await state.get('key-1')).toBe('value-1')
    expect(await state.get(`key-${MAX_MEMORY_VALUES}`)).toBe(`value-${MAX_MEMORY_VALUES}`)
  })

  it('hands each published event to every handler once, and to none once closed', async () => {
    const state = createMemorySharedState()
    const first = listen(state)
    const second = listen(state)
    await state.publish(ended('1'))
    await state.publishExpiry(expiry('1'))
    await state.publishDeviceEvent(deviceEvent('1'))
    for (const heard of [first, second]) {
      expect(heard).toEqual({ ended: ['event-1'], expiry: ['session-1'], device: ['event-1'] })
    }
    await state.close()
    await state.publish(ended('2'))
    await state.publishExpiry(expiry('2'))
    await state.publishDeviceEvent(deviceEvent('2'))
    for (const heard of [first, second]) {
      expect(heard).toEqual({ ended: ['event-1'], expiry: ['session-1'], device: ['event-1'] })
    }
  })

  it('counts hits per window, starting again in the next one', async () => {
    const state = createMemorySharedState()
    clockAt(T0)
    expect(await state.hit('k', 60_000)).toBe(1)
    expect(await state.hit('k', 60_000)).toBe(2)
    expect(await state.hits([{ key: 'k', limit: 10 }], 60_000)).toEqual([3])
    vi.setSystemTime(T0 + 60_000)
    expect(await state.hit('k', 60_000)).toBe(1)
    expect(
      await state.hits(
        [
          { key: 'k', limit: 1 },
          { key: 'other', limit: 5 },
        ],
        60_000,
      ),
    ).toEqual([2])
  })

  it('counts a key apart for each window length', async () => {
    const state = createMemorySharedState()
    // At 0.5 s past the epoch both lengths are in their window 0.
    clockAt(500)
    expect(await state.hit('k', 1000)).toBe(1)
    expect(await state.hit('k', 60_000)).toBe(1)
  })

  it('keeps the counts of the other window lengths when a new window starts', async () => {
    const state = createMemorySharedState()
    clockAt(T0)
    expect(await state.hit('minute', 60_000)).toBe(1)
    expect(await state.hit('minute', 60_000)).toBe(2)
    // The first hit of a 1 s window drops old 1 s counters, not the minute's.
    expect(await state.hit('second', 1000)).toBe(1)
    expect(await state.hit('minute', 60_000)).toBe(3)
  })

  it('keeps the counts of the current window when the clock was set back meanwhile', async () => {
    const state = createMemorySharedState()
    clockAt(T0 + 5500)
    expect(await state.hit('a', 1000)).toBe(1)
    vi.setSystemTime(T0 + 6500)
    expect(await state.hit('b', 1000)).toBe(1)
    vi.setSystemTime(T0 + 5500)
    expect(await state.hit('c', 1000)).toBe(1)
    vi.setSystemTime(T0 + 6500)
    expect(await state.hit('d', 1000)).toBe(1)
    expect(await state.hit('b', 1000)).toBe(2)
  })
})

describe('with the local fallback, Redis away', () => {
  let server: TestRedis
  let states: SharedState[]
  let heard: Array<ReturnType<typeof listen>>
  let lines: Array<Record<string, unknown>>

  // Connected and subscribed while Redis is there, then Redis goes away.
  beforeAll(async () => {
    server = await startTestRedis()
    const captured = capture()
    lines = captured.lines
    states = [silent, silent, captured.logger].map((logger) =>
      withLocalFallback(createRedisSharedState({ url: server.url, prefix: 'away:', logger: silent }), logger),
    )
    heard = states.map(listen)
    const admin = new Redis(server.url)
    await until(async () => {
      const counts = (await admin.pubsub('NUMSUB', 'away:session-ended')) as [string, number]
      return states.every((state) => state.ready) && counts[1] === states.length
    }, 'every state subscribed')
    admin.disconnect()
    await server.stop()
    await until(() => states.every((state) => !state.ready), 'every state to see Redis away')
  })
  afterAll(async () => {
    await Promise.all(states.map((state) => state.close()))
  })

  it('answers every call on this instance alone', async () => {
    const state = states[0]!
    expect(state.kind).toBe('redis')
    expect(state.ready).toBe(false)
    expect(await state.claim('c', 60_000)).toBe(true)
    expect(await state.claim('c', 60_000)).toBe(false)
    await state.put('v', 'stored here', 60_000)
    expect(await state.get('v')).toBe('stored here')
    expect(await state.hit('h', 60_000)).toBe(1)
    expect(await state.hits([{ key: 'h', limit: 5 }], 60_000)).toEqual([2])
    await state.publish(ended('1'))
    await state.publishExpiry(expiry('1'))
    await state.publishDeviceEvent(deviceEvent('1'))
    expect(heard[0]).toEqual({ ended: ['event-1'], expiry: ['session-1'], device: ['event-1'] })
    // Instances that cannot see each other's lock do not all poll.
    expect(await state.lock('poller', 'me', 60_000)).toBe(false)
    await expect(state.unlock('poller', 'me')).resolves.toBeUndefined()
  })

  it('logs each kind of fallback once per 10 s', async () => {
    const state = states[2]!
    clockAt(T0)
    await state.claim('c', 60_000)
    await state.put('v', 'x', 60_000)
    await state.get('v')
    await state.hit('h', 60_000)
    await state.hits([{ key: 'h', limit: 5 }], 60_000)
    await state.publish(ended('1'))
    await state.publishExpiry(expiry('1'))
    await state.publishDeviceEvent(deviceEvent('1'))
    await state.lock('poller', 'me', 60_000)
    await state.unlock('poller', 'me')
    expect(lines.map((line) => line.operation)).toEqual([
      'claim',
      'put',
      'get',
      'hit',
      'publish',
      'publishExpiry',
      'publishDeviceEvent',
      'lock',
      'unlock',
    ])
    for (const line of lines) {
      expect(line).toMatchObject({
        level: 40,
        msg: 'shared state unavailable; this instance alone',
        err: expect.stringMatching(/\w/),
      })
    }
    vi.setSystemTime(T0 + 9_999)
    await state.claim('c2', 60_000)
    await state.hit('h', 60_000)
    expect(lines).toHaveLength(9)
    vi.setSystemTime(T0 + 10_000)
    await state.claim('c3', 60_000)
    expect(lines.slice(9).map((line) => line.operation)).toEqual(['claim'])
    await state.claim('c4', 60_000)
    expect(lines).toHaveLength(10)
  })

  it('closes both the shared and the local state', async () => {
    const state = states[1]!
    await state.close()
    // The shared connection is closed: the publish falls back to the local state, closed as well.
    await state.publish(ended('1'))
    expect(heard[1]!.ended).toEqual([])
  })
})

describe('on Redis', () => {
  let server: TestRedis
  let admin: Redis
  const opened: SharedState[] = []

  beforeAll(async () => {
    server = await startTestRedis()
    admin = new Redis(server.url)
    // The server is stopped on purpose below; this connection comes back with it.
    admin.on('error', () => {})
  })
  afterAll(async () => {
    await Promise.all(opened.map((state) => state.close()))
    admin.disconnect()
    await server.stop()
  })

  const redisState = (prefix: string, logger = silent) => {
    const state = createRedisSharedState({ url: server.url, prefix, logger })
    opened.push(state)
    return state
  }
  const prefixed = () => `test-${randomBytes(4).toString('hex')}:`
  const connected = async () => Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1])

  it('hands every event to every instance once, while Redis is away and after it is back', async () => {
    const prefix = prefixed()
    const a = withLocalFallback(redisState(prefix), silent)
    const b = withLocalFallback(redisState(prefix), silent)
    const heardA = listen(a)
    const heardB = listen(b)
    await until(() => a.ready && b.ready, 'both instances ready')
    // The subscriptions are made once ready; a publish seen by both tells they are in place.
    await until(async () => {
      await a.publish(ended('probe'))
      return heardB.ended.includes('event-probe')
    }, 'both subscribed')
    // Probes still under way are delivered before this one, on each connection.
    await a.publish(ended('sync'))
    await until(() => heardA.ended.includes('event-sync') && heardB.ended.includes('event-sync'), 'the sync')
    heardA.ended.length = 0
    heardB.ended.length = 0

    expect(await a.claim('event-1', 60_000)).toBe(true)
    expect(await b.claim('event-1', 60_000)).toBe(false)
    await a.publish(ended('1'))
    await b.publishExpiry(expiry('1'))
    await a.publishDeviceEvent(deviceEvent('1'))
    // The last publish, from b, is delivered after all the others on each connection.
    await b.publishDeviceEvent(deviceEvent('mark-1'))
    const once = { ended: ['event-1'], expiry: ['session-1'], device: ['event-1', 'event-mark-1'] }
    await until(() => heardA.device.length === 2 && heardB.device.length === 2, 'the mark on both')
    expect(heardA).toEqual(once)
    expect(heardB).toEqual(once)

    await server.stop()
    await until(() => !a.ready && !b.ready, 'both instances to see Redis away')
    // The claim is this instance's alone now; the publish reaches its own handlers, once.
    expect(await a.claim('event-2', 60_000)).toBe(true)
    expect(await a.claim('event-2', 60_000)).toBe(false)
    await a.publish(ended('2'))
    expect(heardA.ended).toEqual(['event-1', 'event-2'])
    expect(heardB.ended).toEqual(['event-1'])

    await server.restart()
    await until(() => a.ready && b.ready, 'both instances back', 8000)
    await until(async () => {
      await b.publishExpiry(expiry('probe'))
      return heardA.expiry.includes('session-probe')
    }, 'both subscribed again')
    await a.publish(ended('3'))
    await b.publishDeviceEvent(deviceEvent('mark-2'))
    await until(() => heardA.device.length === 3 && heardB.device.length === 3, 'the second mark on both')
    expect(heardA.ended).toEqual(['event-1', 'event-2', 'event-3'])
    expect(heardB.ended).toEqual(['event-1', 'event-3'])
    // A claim made while Redis is back holds across instances again.
    expect(await b.claim('event-3', 60_000)).toBe(true)
    expect(await a.claim('event-3', 60_000)).toBe(false)
  }, 30_000)

  it('keeps the events of each key prefix apart', async () => {
    const one = redisState(prefixed())
    const two = redisState(prefixed())
    const heardOne = listen(one)
    const heardTwo = listen(two)
    await until(() => one.ready && two.ready, 'both ready')
    await until(async () => {
      await two.publish(ended('probe'))
      await two.publishExpiry(expiry('probe'))
      await two.publishDeviceEvent(deviceEvent('probe'))
      return heardTwo.ended.length > 0 && heardTwo.expiry.length > 0 && heardTwo.device.length > 0
    }, 'the second prefix subscribed')
    await until(async () => {
      await one.publishDeviceEvent(deviceEvent('probe'))
      return heardOne.device.length > 0
    }, 'the first prefix subscribed')
    heardTwo.ended.length = 0
    heardTwo.expiry.length = 0
    heardTwo.device.length = 0

    await one.publish(ended('one'))
    await one.publishExpiry(expiry('one'))
    await one.publishDeviceEvent(deviceEvent('one'))
    // Published after, on the same connections: what two hears of one's arrives before these.
    await two.publish(ended('two'))
    await two.publishExpiry(expiry('two'))
    await two.publishDeviceEvent(deviceEvent('two'))
    await until(
      () =>
        heardTwo.ended.includes('event-two') &&
        heardTwo.expiry.includes('session-two') &&
        heardTwo.device.includes('event-two'),
      'the second prefix to hear its own events',
    )
    expect(heardTwo).toEqual({ ended: ['event-two'], expiry: ['session-two'], device: ['event-two'] })
  })

  it('stores claims, values and counters with their ttl', async () => {
    const prefix = prefixed()
    const state = redisState(prefix)
    await until(() => state.ready, 'ready')
    expect(await state.claim('c', 30_000)).toBe(true)
    expect(await state.claim('c', 30_000)).toBe(false)
    const claimTtl = await admin.pttl(`${prefix}c`)
    expect(claimTtl).toBeGreaterThan(25_000)
    expect(claimTtl).toBeLessThanOrEqual(30_000)
    await state.put('v', 'value', 20_000)
    expect(await state.get('v')).toBe('value')
    expect(await state.get('missing')).toBeUndefined()
    const valueTtl = await admin.pttl(`${prefix}value:v`)
    expect(valueTtl).toBeGreaterThan(15_000)
    expect(valueTtl).toBeLessThanOrEqual(20_000)
    expect(await state.claim('short', 50)).toBe(true)
    await until(async () => (await admin.exists(`${prefix}short`)) === 0, 'the claim to expire')
    expect(await state.claim('short', 50)).toBe(true)
  })

  it('holds a lock for its owner alone, until released', async () => {
    const state = redisState(prefixed())
    const other = redisState(prefixed())
    await until(() => state.ready, 'ready')
    expect(await state.lock('poller', 'a', 5000)).toBe(true)
    expect(await state.lock('poller', 'a', 5000)).toBe(true)
    expect(await state.lock('poller', 'b', 5000)).toBe(false)
    expect(await state.lock('other', 'b', 5000)).toBe(true)
    await state.unlock('poller', 'b')
    expect(await state.lock('poller', 'b', 5000)).toBe(false)
    await state.unlock('poller', 'a')
    expect(await state.lock('poller', 'b', 5000)).toBe(true)
    await until(() => other.ready, 'the other prefix ready')
    expect(await other.lock('poller', 'c', 5000)).toBe(true)
  })

  it('is ready only while both connections are, and logs each coming back', async () => {
    // CLIENT KILL below picks connections by type: this state's must be the only ones.
    await Promise.all(opened.splice(0).map((state) => state.close()))
    const { lines, logger } = capture()
    const state = redisState(prefixed(), logger)
    const heard = listen(state)
    await until(() => state.ready, 'ready')
    const ready = () => lines.filter((line) => line.msg === 'redis ready').map((line) => line.role)
    await until(() => ready().length === 2, 'two ready lines')
    expect(ready().sort()).toEqual(['command', 'subscriber'])
    const rejected = async () => Number(/rejected_connections:(\d+)/.exec(await admin.info('stats'))![1])

    // Cuts one connection off, with no room for one more: it cannot come back until let in.
    const cut = async (kill: 'pubsub' | 'normal', role: string) => {
      const refused = await rejected()
      await admin.config('SET', 'maxclients', String((await connected()) - 1))
      await admin.client('KILL', 'TYPE', kill, 'SKIPME', 'yes')
      await until(() => !state.ready, `not ready without the ${role} connection`)
      await until(async () => (await rejected()) > refused, `the ${role} connection refused`)
      expect(state.ready).toBe(false)
      const readyBefore = ready().length
      await admin.config('SET', 'maxclients', '10000')
      await until(() => state.ready, 'ready again', 8000)
      await until(() => ready().length === readyBefore + 1, 'a ready line')
      expect(ready()[readyBefore]).toBe(role)
    }
    try {
      await cut('pubsub', 'subscriber')
      await cut('normal', 'command')
    } finally {
      await admin.config('SET', 'maxclients', '10000')
    }
    // Subscribed again after its reconnect.
    await until(async () => {
      await state.publish(ended('after'))
      return heard.ended.includes('event-after')
    }, 'the event published after reconnecting')
  })

  it('logs Redis going away once per 10 s', async () => {
    const { lines, logger } = capture()
    clockAt(T0)
    const state = redisState(prefixed(), logger)
    listen(state)
    await until(() => state.ready, 'ready')
    const warnings = () => lines.filter((line) => line.level === 40)
    const readyLines = () => lines.filter((line) => line.msg === 'redis ready').length
    /** Redis goes away, both connections retry for a while, then it comes back. */
    const outage = async (logged: number) => {
      const readyBefore = readyLines()
      await server.stop()
      await until(() => !state.ready, 'not ready')
      await until(() => warnings().length === logged, `${logged} lines`)
      // Long enough for both connections to fail a few more times (retries start at 50 ms).
      await new Promise((resolve) => setTimeout(resolve, 400))
      await server.restart()
      await until(() => state.ready && readyLines() === readyBefore + 2, 'back, both connections', 8000)
      // Each connection reports its errors before it is ready again: none was logged since.
      expect(warnings()).toHaveLength(logged)
    }
    await outage(1)
    expect(warnings()[0]).toMatchObject({
      msg: 'redis unavailable; retrying',
      err: expect.stringMatching(/\w/),
      role: expect.stringMatching(/^(command|subscriber)$/),
    })
    vi.setSystemTime(T0 + 9_999)
    await outage(1)
    vi.setSystemTime(T0 + 10_000)
    await outage(2)
    expect(warnings()[1]).toMatchObject({ msg: 'redis unavailable; retrying' })
  }, 30_000)

  it('finishes what was sent, then closes both connections', async () => {
    const before = await connected()
    const state = createRedisSharedState({ url: server.url, prefix: prefixed(), logger: silent })
    listen(state)
    await until(async () => state.ready && (await connected()) === before + 2, 'two connections')
    const claimed = state.claim('last', 60_000)
    await state.close()
    expect(await claimed).toBe(true)
    // Closed means closed: both connections are gone once close() resolves.
    expect(await connected()).toBe(before)
  })

  it('answers a call cut off by Redis going away on this instance alone, at once', async () => {
    const state = withLocalFallback(redisState(prefixed()), silent)
    await until(() => state.ready, 'ready')
    // Redis takes the claim and stops answering, then goes away.
    await admin.client('PAUSE', '20000', 'ALL')
    const started = performance.now()
    const claimed = state.claim('cut-off', 60_000)
    await server.stop()
    expect(await claimed).toBe(true)
    expect(performance.now() - started).toBeLessThan(2000)
    await server.restart()
    await until(() => state.ready, 'ready again', 8000)
  })

  it('closes the shared state under the fallback', async () => {
    const before = await connected()
    const state = withLocalFallback(
      createRedisSharedState({ url: server.url, prefix: prefixed(), logger: silent }),
      silent,
    )
    listen(state)
    await until(async () => state.ready && (await connected()) === before + 2, 'two connections')
    await state.close()
    await until(async () => (await connected()) === before, 'both connections closed')
  })

  it('hears the other instances once Redis comes up, when Redis was down as it started, and closes while it is down', async () => {
    const prefix = prefixed()
    await server.stop()
    // Subscribed while Redis is down, as a gateway that starts before Redis does.
    const late = withLocalFallback(redisState(prefix), silent)
    const heard = listen(late)
    // Long enough for the subscriber's reconnects to outlast any retry count on its SUBSCRIBE.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await server.restart()
    const other = withLocalFallback(redisState(prefix), silent)
    await until(() => late.ready && other.ready, 'both instances ready', 8000)
    await until(
      async () => {
        await other.publish(ended('after-start'))
        return heard.ended.includes('event-after-start')
      },
      'the first instance to hear the other',
      5000,
    )

    // And one that never met Redis closes without waiting for it.
    await server.stop()
    const never = createRedisSharedState({ url: server.url, prefix, logger: silent })
    listen(never)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const closing = performance.now()
    await never.close()
    expect(performance.now() - closing).toBeLessThan(1000)
    await server.restart()
  }, 30_000)
})
