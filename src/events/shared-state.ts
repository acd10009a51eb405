import { createRedisEventTarget } from '@graphql-yoga/redis-event-target'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { DeviceBusEvent } from './device-events.js'
import type { SessionEndedEvent, SessionExpiryChange } from './session-events.js'

/**
 * What instances share: the ended-session, session-expiry and device-event channels, once-only claims (event and
 * webhook dedupe), values with a lifetime (which device each action attempt acts on), the events
 * poller's lock and rate-limit counters. In memory for one instance; on
 * Redis for several (`REDIS_URL`). Per process.
 */
export interface SharedState {
  /** `memory` or `redis`. */
  readonly kind: 'memory' | 'redis'
  /** Claims `key` for `ttlMs`: true for the first claim across all instances, false for repeats. */
  claim(key: string, ttlMs: number): Promise<boolean>
  /** Stores `value` under `key` for `ttlMs`, for every instance to read. */
  put(key: string, value: string, ttlMs: number): Promise<void>
  /** The value stored under `key`, or undefined when none was (or it expired). */
  get(key: string): Promise<string | undefined>
  /** Sends an ended session to every instance, this one included. */
  publish(event: SessionEndedEvent): Promise<void>
  /** Receives every published ended session. */
  onSessionEnded(handler: (event: SessionEndedEvent) => void): void
  /** Sends a live session's new `expires_at` to every instance, this one included. */
  publishExpiry(change: SessionExpiryChange): Promise<void>
  /** Receives every published expiry change. */
  onExpiryChanged(handler: (change: SessionExpiryChange) => void): void
  /** Sends a device event or action attempt update to every instance, this one included. */
  publishDeviceEvent(event: DeviceBusEvent): Promise<void>
  /** Receives every published device event and action attempt update. */
  onDeviceEvent(handler: (event: DeviceBusEvent) => void): void
  /** Counts one hit of `key` in the current window; resolves with the window's count. */
  hit(key: string, windowMs: number): Promise<number>
  /**
   * Counts one hit of each key in the current window, in order, stopping after the first whose
   * count goes over its limit (the keys after it are not counted): one round trip for several
   * budgets. Resolves with the counts made, in order.
   */
  hits(budgets: ReadonlyArray<{ key: string; limit: number }>, windowMs: number): Promise<number[]>
  /** Takes or renews the lock `name` for `owner` for `ttlMs`; true while `owner` holds it. */
  lock(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Releases the lock `name` if `owner` holds it. */
  unlock(name: string, owner: string): Promise<void>
  /** True while the shared store is reachable (always, in memory). */
  readonly ready: boolean
  close(): Promise<void>
}

/**
 * The most values one instance keeps in memory ({@link SharedState.put}); the oldest go first. Their
 * keys come from Seam, but how many there are is up to callers (each action makes one).
 */
export const MAX_MEMORY_VALUES = 100_000

const CHANNEL = 'session-ended'
const EXPIRY_CHANNEL = 'session-expiry'
const DEVICE_CHANNEL = 'device-event'

type ChannelEvent = CustomEvent<SessionEndedEvent | SessionExpiryChange | DeviceBusEvent>

/** The shared state of a single instance: everything in this process. */
export function createMemorySharedState(): SharedState {
  const claims = new Map<string, number>()
  // Values in insertion order with their expiry: the oldest are the first to expire or to go.
  const values = new Map<string, { value: string; until: number }>()
  const counters = new Map<string, { windowMs: number; window: number; count: number }>()
  // The window each window length last swept its old counters in.
  const sweptWindows = new Map<number, number>()
  const handlers = new Set<(event: SessionEndedEvent) => void>()
  const expiryHandlers = new Set<(change: SessionExpiryChange) => void>()
  const deviceHandlers = new Set<(event: DeviceBusEvent) => void>()
  const sweep = (now: number) => {
    // Claims are kept in insertion order with their expiry; expired ones at the front go.
    for (const [key, until] of claims) {
      if (until > now) break
      claims.delete(key)
    }
  }
  return {
    kind: 'memory',
    async claim(key, ttlMs) {
      const now = Date.now()
      sweep(now)
      const until = claims.get(key)
      if (until !== undefined && until > now) return false
      claims.delete(key)
      claims.set(key, now + ttlMs)
      return true
    },
    async put(key, value, ttlMs) {
      const now = Date.now()
      for (const [old, entry] of values) {
        if (entry.until > now && values.size < MAX_MEMORY_VALUES) break
        values.delete(old)
      }
      values.delete(key)
      values.set(key, { value, until: now + ttlMs })
    },
    async get(key) {
      const entry = values.get(key)
      return entry !== undefined && entry.until > Date.now() ? entry.value : undefined
    },
    async publish(event) {
      for (const handler of handlers) handler(event)
    },
    onSessionEnded(handler) {
      handlers.add(handler)
    },
    async publishExpiry(change) {
      for (const handler of expiryHandlers) handler(change)
    },
    onExpiryChanged(handler) {
      expiryHandlers.add(handler)
    },
    async publishDeviceEvent(event) {
      for (const handler of deviceHandlers) handler(event)
    },
    onDeviceEvent(handler) {
      deviceHandlers.add(handler)
    },
    async hit(key, windowMs) {
      return count(key, windowMs)
    },
    async hits(budgets, windowMs) {
      const counts: number[] = []
      for (const { key, limit } of budgets) {
        const counted = count(key, windowMs)
        counts.push(counted)
        if (counted > limit) break
      }
      return counts
    },
    async lock() {
      return true
    },
    async unlock() {},
    ready: true,
    async close() {
      handlers.clear()
      expiryHandlers.clear()
      deviceHandlers.clear()
    },
  }

  /** Counts one hit of `key` in the current window of `windowMs`; returns the window's count. */
  function count(key: string, windowMs: number): number {
    const window = Math.floor(Date.now() / windowMs)
    const counter = counters.get(key)
    if (counter !== undefined && counter.windowMs === windowMs && counter.window === window)
      return ++counter.count
    // The first hit of a new window drops the counters of older ones, once per window (not once
    // per new key, which made a window of n keys cost n² steps): memory follows the keys active
    // in the current window.
    if (sweptWindows.get(windowMs) !== window) {
      sweptWindows.set(windowMs, window)
      for (const [other, value] of counters) {
        if (value.windowMs === windowMs && value.window < window) counters.delete(other)
      }
    }
    counters.set(key, { windowMs, window, count: 1 })
    return 1
  }
}

/** How often each kind of fallback is logged while the shared store is away. */
const FALLBACK_LOG_INTERVAL_MS = 10_000

/**
 * The one "Redis is away" policy: the shared state, with every call that fails answered by this
 * instance alone, so that the gateway keeps serving with guarantees that shrink to one instance's,
 * never to none.
 *
 * - Claims and rate-limit counts go to this instance's memory: it still dedupes what it sees
 *   itself, and limits loosen to N times their value.
 * - A publish reaches this instance's own handlers (its own subscribers still hear its events).
 * - Values are stored and read in this instance's memory: what it stored itself it still finds.
 * - The poller lock is not held: instances that cannot see each other's lock do not all poll.
 *
 * Each kind of fallback is logged at most once per 10 s: while Redis is away, every request would
 * say it. Its calls never reject, so nothing that uses it needs a fallback of its own. Per process.
 */
export function withLocalFallback(shared: SharedState, logger: Logger): SharedState {
  const local = createMemorySharedState()
  const lastLogged = new Map<string, number>()
  /** The answer to a failed call: logged (once per interval per operation), then made alone. */
  const alone =
    <T>(operation: string, answer: () => Promise<T>) =>
    (error: unknown): Promise<T> => {
      const now = Date.now()
      if (now - (lastLogged.get(operation) ?? Number.NEGATIVE_INFINITY) >= FALLBACK_LOG_INTERVAL_MS) {
        lastLogged.set(operation, now)
        logger.warn(
          { operation, err: error instanceof Error ? error.message : String(error) },
          'shared state unavailable; this instance alone',
        )
      }
      return answer()
    }
  return {
    kind: shared.kind,
    claim: (key, ttlMs) => shared.claim(key, ttlMs).catch(alone('claim', () => local.claim(key, ttlMs))),
    // A value stored while Redis is away is this instance's alone, and read back from here.
    put: (key, value, ttlMs) =>
      shared.put(key, value, ttlMs).catch(alone('put', () => local.put(key, value, ttlMs))),
    get: (key) =>
      shared
        .get(key)
        .then(async (value) => value ?? (await local.get(key)))
        .catch(alone('get', () => local.get(key))),
    hit: (key, windowMs) => shared.hit(key, windowMs).catch(alone('hit', () => local.hit(key, windowMs))),
    hits: (budgets, windowMs) =>
      shared.hits(budgets, windowMs).catch(alone('hit', () => local.hits(budgets, windowMs))),
    publish: (event) => shared.publish(event).catch(alone('publish', () => local.publish(event))),
    publishExpiry: (change) =>
      shared.publishExpiry(change).catch(alone('publishExpiry', () => local.publishExpiry(change))),
    publishDeviceEvent: (event) =>
      shared
        .publishDeviceEvent(event)
        .catch(alone('publishDeviceEvent', () => local.publishDeviceEvent(event))),
    onSessionEnded(handler) {
      shared.onSessionEnded(handler)
      local.onSessionEnded(handler)
    },
    onDeviceEvent(handler) {
      shared.onDeviceEvent(handler)
      local.onDeviceEvent(handler)
    },
    onExpiryChanged(handler) {
      shared.onExpiryChanged(handler)
      local.onExpiryChanged(handler)
    },
    lock: (name, owner, ttlMs) => shared.lock(name, owner, ttlMs).catch(alone('lock', async () => false)),
    // An unreleased lock expires by itself after its ttl.
    unlock: (name, owner) => shared.unlock(name, owner).catch(alone('unlock', async () => {})),
    get ready() {
      return shared.ready
    },
    async close() {
      await Promise.all([shared.close(), local.close()])
    },
  }
}

/** Options of {@link createRedisSharedState}. */
export interface RedisSharedStateOptions {
  url: string
  /** Prefix of every key and channel, so that deployments (or tests) can share a server. */
  prefix: string
  logger: Logger
}

// Counts each key (KEYS) in its window (ARGV[1] ms) in order, and stops after the first whose
// count goes over its limit (ARGV[2..]): several budgets in one round trip, counted as one by one.
const HITS = `local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('incr', key)
  redis.call('pexpire', key, ARGV[1])
  counts[i] = count
  if count > tonumber(ARGV[i + 1]) then break end
end
return counts`

// Renews, or releases, a lock only for its owner (compare-and-expire, compare-and-delete).
const RENEW_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

/**
 * The shared state of N instances, on Redis. Two connections: one for commands and publishing (no offline
 * queue: while Redis is away, calls fail at once and {@link withLocalFallback} answers them on this
 * instance alone), one subscribed to the ended-session, expiry and device-event channels through `@graphql-yoga/redis-event-target`
 * (its SUBSCRIBE waits for Redis, and ioredis subscribes again after every reconnect).
 *
 * Redis down at start is not fatal: the gateway starts, serves queries, reports not ready on
 * `/ready`, and ioredis keeps reconnecting.
 */
export function createRedisSharedState(options: RedisSharedStateOptions): SharedState {
  const { prefix, logger } = options
  let lastError = 0
  const onError = (role: string) => (error: Error) => {
    // ioredis reports every failed reconnect; one line per 10 s is enough.
    if (Date.now() - lastError < 10_000) return
    lastError = Date.now()
    logger.warn({ role, err: error.message }, 'redis unavailable; retrying')
  }
  const common = { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false }
  const command = new Redis(options.url, { ...common, enableOfflineQueue: false }) as Redis & {
    hits(keyCount: number, ...args: Array<string | number>): Promise<unknown>
  }
  // Sent once, then called by its SHA (EVALSHA).
  command.defineCommand('hits', { lua: HITS })
  // Its SUBSCRIBEs wait for Redis however long it is away (no retry count): one refused while
  // Redis was down at start would be a channel never subscribed (ioredis subscribes again after a
  // reconnect only what Redis once acknowledged), and an unhandled rejection in the event target.
  const subscriber = new Redis(options.url, { ...common, maxRetriesPerRequest: null })
  command.on('error', onError('command'))
  subscriber.on('error', onError('subscriber'))
  for (const client of [command, subscriber]) {
    client.on('ready', () =>
      logger.info({ role: client === command ? 'command' : 'subscriber' }, 'redis ready'),
    )
  }

  const target = createRedisEventTarget<ChannelEvent>({ publishClient: command, subscribeClient: subscriber })
  const channel = `${prefix}${CHANNEL}`
  const expiryChannel = `${prefix}${EXPIRY_CHANNEL}`
  const deviceChannel = `${prefix}${DEVICE_CHANNEL}`

  return {
    kind: 'redis',
    async claim(key, ttlMs) {
      return (await command.set(`${prefix}${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK'
    },
    async put(key, value, ttlMs) {
      await command.set(`${prefix}value:${key}`, value, 'PX', ttlMs)
    },
    async get(key) {
      return (await command.get(`${prefix}value:${key}`)) ?? undefined
    },
    async publish(event) {
      // Published directly (the event target would not wait): resolves once Redis has handed the
      // event to every subscribed instance. The target's JSON serializer reads it back.
      await command.publish(channel, JSON.stringify(event))
    },
    onSessionEnded(handler) {
      target.addEventListener(channel, (event) =>
        handler((event as ChannelEvent).detail as SessionEndedEvent),
      )
    },
    async publishExpiry(change) {
      await command.publish(expiryChannel, JSON.stringify(change))
    },
    onExpiryChanged(handler) {
      target.addEventListener(expiryChannel, (event) =>
        handler((event as ChannelEvent).detail as SessionExpiryChange),
      )
    },
    async publishDeviceEvent(event) {
      await command.publish(deviceChannel, JSON.stringify(event))
    },
    onDeviceEvent(handler) {
      target.addEventListener(deviceChannel, (event) =>
        handler((event as ChannelEvent).detail as DeviceBusEvent),
      )
    },
    async hit(key, windowMs) {
      const window = Math.floor(Date.now() / windowMs)
      const counter = `${prefix}rate:${key}:${window}`
      const [[, count]] = (await command.multi().incr(counter).pexpire(counter, windowMs).exec()) as [
        [unknown, number],
      ]
      return count
    },
    async hits(budgets, windowMs) {
      const window = Math.floor(Date.now() / windowMs)
      return (await command.hits(
        budgets.length,
        ...budgets.map(({ key }) => `${prefix}rate:${key}:${window}`),
        windowMs,
        ...budgets.map(({ limit }) => limit),
      )) as number[]
    },
    async lock(name, owner, ttlMs) {
      const key = `${prefix}lock:${name}`
      if ((await command.set(key, owner, 'PX', ttlMs, 'NX')) === 'OK') return true
      return (await command.eval(RENEW_LOCK, 1, key, owner, String(ttlMs))) === 1
    },
    async unlock(name, owner) {
      await command.eval(RELEASE_LOCK, 1, `${prefix}lock:${name}`, owner)
    },
    get ready() {
      return command.status === 'ready' && subscriber.status === 'ready'
    },
    async close() {
      // QUIT when connected (what was sent is answered first); else nothing waits for Redis.
      const quit = (client: Redis) => (client.status === 'ready' ? client.quit() : undefined)
      await Promise.allSettled([quit(command), quit(subscriber)])
      command.disconnect()
      subscriber.disconnect()
    },
  }
}
