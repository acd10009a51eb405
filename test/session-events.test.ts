import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { pino } from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { createPrincipalCache } from '../src/auth/principal-cache.js'
import {
  createSessionEvents,
  type ExpiryVerdict,
  type KnownSession,
  type SessionEndedEvent,
  type SessionEventsOptions,
  type SessionExpiryChange,
} from '../src/events/session-events.js'
import { createMemorySharedState } from '../src/events/shared-state.js'
import { createSocketRegistry } from '../src/ws/socket-registry.js'
import { sleep, waitFor } from './helpers/clients.js'

// The session event path on its own (src/events/session-events.ts), with its real parts: the
// principal cache, the socket registry, the in-memory bus that instances of one process share, and
// real sockets. Each test drives the module's exported API and reads what subscribers, sockets,
// the bus and the options' callbacks see.

const WORKSPACE_ID = 'ws_session_events'
const silent = pino({ level: 'silent' })

const at = (ms: number) => new Date(ms).toISOString()

function session(id: string, expiresAt: number, extra: Partial<KnownSession> = {}): KnownSession {
  return {
    client_session_id: id,
    workspace_id: WORKSPACE_ID,
    user_identifier_key: `user-of-${id}`,
    expires_at: at(expiresAt),
    ...extra,
  }
}

type Events = ReturnType<typeof createSessionEvents>
const started: Events[] = []
const streams: Array<AsyncIterableIterator<SessionEndedEvent>> = []
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const stream of streams.splice(0)) await stream.return?.()
  for (const events of started.splice(0)) events.close()
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** An event path with real parts; `ended` collects every end its workspace topic delivers. */
function start(options: Partial<SessionEventsOptions> = {}) {
  const bus = options.bus ?? createMemorySharedState()
  const cache = options.cache ?? createPrincipalCache()
  const sockets = options.sockets ?? createSocketRegistry()
  const events = createSessionEvents({ logger: silent, ...options, bus, cache, sockets })
  started.push(events)
  const ended = collect(events.subscribe(`workspace:${WORKSPACE_ID}`))
  /** Every expiry change the bus carries to the instances. */
  const announced: SessionExpiryChange[] = []
  bus.onExpiryChanged((change) => announced.push(change))
  return { events, bus, cache, sockets, ended, announced }
}

/** Collects, as they come, the items of a stream. */
function collect(stream: AsyncIterableIterator<SessionEndedEvent>): SessionEndedEvent[] {
  streams.push(stream)
  const items: SessionEndedEvent[] = []
  void (async () => {
    for await (const item of stream) items.push(item)
  })()
  return items
}

const EMPTY = Symbol('empty')
/**
 * The items a stream holds right now. A topic hands an item to its streams synchronously, so once
 * an end has been applied every stream it was for holds it. Call once per stream, at the end.
 */
async function held(stream: AsyncIterableIterator<SessionEndedEvent>): Promise<SessionEndedEvent[]> {
  streams.push(stream)
  const items: SessionEndedEvent[] = []
  for (;;) {
    const next = await Promise.race([stream.next(), Promise.resolve(EMPTY)])
    if (next === EMPTY || next.done === true) return items
    items.push(next.value)
  }
}

/** A `confirmExpiry` that records what it was asked and answers with `answer`. */
function seam(answer: (asked: { clientSessionId: string; expiresAt: number }) => Promise<ExpiryVerdict>) {
  const asked: Array<{ clientSessionId: string; token: string | undefined; expiresAt: number }> = []
  return {
    asked,
    confirmExpiry: (question: { clientSessionId: string; token: string | undefined; expiresAt: number }) => {
      asked.push(question)
      return answer(question)
    },
  }
}

const ENDED: ExpiryVerdict = { kind: 'ended' }
const expiredAtOf = (events: SessionEndedEvent[]) =>
  events.map((event) => [event.clientSessionId, event.expiredAt])

describe('ends', () => {
  it('delivers an end once, to its session, its workspace and its user only, and drops the repeats', async () => {
    const reports: Array<{ source: string; fresh: boolean }> = []
    const { events } = start({ observe: (report) => reports.push(report) })
    events.remember(session('cst_a', Date.now() + 3_600_000))
    const right = [
      events.subscribe('session:cst_a'),
      events.subscribe(`workspace:${WORKSPACE_ID}`),
      events.subscribe(`workspace:${WORKSPACE_ID}:user:user-of-cst_a`),
    ]
    const wrong = [
      events.subscribe('session:cst_b'),
      events.subscribe('workspace:ws_other'),
      events.subscribe(`workspace:${WORKSPACE_ID}:user:user-of-cst_b`),
      // A user whose identifier key is the word "null" is not the user of a session with no known user.
      events.subscribe(`workspace:${WORKSPACE_ID}:user:null`),
    ]

    const input = { clientSessionId: 'cst_a', workspaceId: WORKSPACE_ID, reason: 'DELETED' as const }
    expect(await events.sessionEnded({ ...input, source: 'mutation' })).toBe(true)
    expect(await events.sessionEnded({ ...input, source: 'webhook', eventId: 'evt_webhook_a' })).toBe(false)
    expect(await events.sessionEnded({ ...input, source: 'poller', eventId: 'evt_webhook_a' })).toBe(false)
    // A session this instance never saw: its user is unknown.
    expect(
      await events.sessionEnded({
        clientSessionId: 'cst_unseen',
        workspaceId: WORKSPACE_ID,
        reason: 'DELETED',
        source: 'webhook',
      }),
    ).toBe(true)

    const endOfA = {
      eventId: expect.any(String),
      clientSessionId: 'cst_a',
      workspaceId: WORKSPACE_ID,
      userIdentifierKey: 'user-of-cst_a',
      occurredAt: expect.any(String),
      reason: 'DELETED',
    }
    const [own, workspace, user] = await Promise.all(right.map(held))
    expect(own).toEqual([endOfA])
    expect(user).toEqual([endOfA])
    expect(workspace).toEqual([endOfA, { ...endOfA, clientSessionId: 'cst_unseen', userIdentifierKey: null }])
    expect(await Promise.all(wrong.map(held))).toEqual([[], [], [], []])
    expect(reports).toEqual([
      { source: 'mutation', fresh: true },
      { source: 'webhook', fresh: false },
      { source: 'poller', fresh: false },
      { source: 'webhook', fresh: true },
    ])
  })

  it('takes each expires_at that ran out as an end of its own', async () => {
    const { events } = start()
    const expiry = (expiredAt: number) =>
      events.sessionEnded({
        clientSessionId: 'cst_leases',
        workspaceId: WORKSPACE_ID,
        reason: 'EXPIRED',
        expiredAt,
        source: 'expiry',
      })
    const first = Date.now() - 60_000
    expect(await expiry(first)).toBe(true)
    expect(await expiry(first)).toBe(false)
    // A later lease of the same session (extended at Seam) that ran out too.
    expect(await expiry(first + 30_000)).toBe(true)
  })

  it('carries expiredAt only in the event of an expiry that names it', async () => {
    const { events } = start()
    const own = events.subscribe('session:cst_shapes')
    const input = { clientSessionId: 'cst_shapes', workspaceId: WORKSPACE_ID, source: 'mutation' as const }
    await events.sessionEnded({ ...input, reason: 'REVOKED', expiredAt: 1_000 })
    await events.sessionEnded({ ...input, reason: 'EXPIRED' })
    await events.sessionEnded({ ...input, reason: 'EXPIRED', expiredAt: 2_000 })

    const delivered = await held(own)
    expect(
      delivered.map((event) => [event.reason, Object.hasOwn(event, 'expiredAt'), event.expiredAt]),
    ).toEqual([
      ['REVOKED', false, undefined],
      ['EXPIRED', false, undefined],
      ['EXPIRED', true, 2_000],
    ])
  })

  it('forgets the ids of the events it applied after ten minutes, so their memory stays bounded', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    cleanups.push(() => void vi.useRealTimers())
    const t0 = Date.parse('2026-12-08T00:00:00.000Z')
    vi.setSystemTime(t0)
    const { events, bus } = start()
    const own = events.subscribe('session:cst_replayed')
    const event = (eventId: string, clientSessionId: string): SessionEndedEvent => ({
      eventId,
      clientSessionId,
      workspaceId: WORKSPACE_ID,
      userIdentifierKey: null,
      occurredAt: at(t0),
      reason: 'DELETED',
    })

    await bus.publish(event('evt_replayed', 'cst_replayed'))
    // The bus brings an event back to the instance that published it: applied once.
    await bus.publish(event('evt_replayed', 'cst_replayed'))
    vi.setSystemTime(t0 + 10 * 60 * 1000 + 1)
    await bus.publish(event('evt_later', 'cst_later'))
    // Its id was forgotten: a replay now is applied as news.
    await bus.publish(event('evt_replayed', 'cst_replayed'))

    expect((await held(own)).map((delivered) => delivered.eventId)).toEqual(['evt_replayed', 'evt_replayed'])
  })
})

describe('expiry', () => {
  it('fails closed when Seam cannot confirm an expiry: the session ends at its known expires_at, with a warning', async () => {
    const lines: Array<Record<string, unknown>> = []
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) })
    const check = seam(async () => ({ kind: 'unconfirmed', reason: 'Seam is unavailable' }))
    const { events, ended } = start({ logger, confirmExpiry: check.confirmExpiry })
    const expiresAt = Date.now() + 150
    events.remember(session('cst_unconfirmed', expiresAt, { token: 'seam_cst1_unconfirmed' }))

    await waitFor(() => ended.length === 1, 'the expiry')
    expect(check.asked).toEqual([
      { clientSessionId: 'cst_unconfirmed', token: 'seam_cst1_unconfirmed', expiresAt },
    ])
    expect(ended[0]).toMatchObject({
      clientSessionId: 'cst_unconfirmed',
      reason: 'EXPIRED',
      expiredAt: expiresAt,
    })
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        clientSessionId: 'cst_unconfirmed',
        reason: 'Seam is unavailable',
        msg: 'expiry not confirmed with Seam; the session ends at its known expires_at',
      }),
    ])
  })

  it('re-arms a session Seam shows extended, and tells every instance its new expires_at', async () => {
    const first = Date.now() + 150
    const extendedTo = first + 300
    const check = seam(async (asked) =>
      asked.expiresAt === first ? { kind: 'extended', expiresAt: at(extendedTo) } : ENDED,
    )
    const { events, ended, announced } = start({ confirmExpiry: check.confirmExpiry })
    events.remember(session('cst_extended', first, { token: 'seam_cst1_extended' }))

    await waitFor(() => ended.length === 1, 'the expiry of the extended lease')
    expect(announced).toEqual([{ clientSessionId: 'cst_extended', expiresAt: at(extendedTo) }])
    expect(check.asked.map((asked) => asked.expiresAt)).toEqual([first, extendedTo])
    expect(expiredAtOf(ended)).toEqual([['cst_extended', extendedTo]])
  })

  it('lets an extension that arrives while Seam is asked win over its answer', async () => {
    let answer: (verdict: ExpiryVerdict) => void = () => {}
    const first = Date.now() + 100
    const check = seam((asked) =>
      asked.expiresAt === first
        ? new Promise<ExpiryVerdict>((resolve) => {
            answer = resolve
          })
        : Promise.resolve(ENDED),
    )
    const { events, ended } = start({ confirmExpiry: check.confirmExpiry })
    events.remember(session('cst_raced', first))
    await waitFor(() => check.asked.length === 1, 'the question to Seam')

    const later = Date.now() + 200
    events.remember(session('cst_raced', later))
    answer({ kind: 'unconfirmed', reason: 'Seam is unavailable' })
    await waitFor(() => ended.length > 0 && check.asked.length === 2, 'the expiry of the later lease')
    expect(expiredAtOf(ended)).toEqual([['cst_raced', later]])
  })

  it('keeps the timer of a later lease when an earlier lease of the session is reported expired', async () => {
    const { events, ended } = start()
    const later = Date.now() + 200
    events.remember(session('cst_two_leases', later))
    const earlier = Date.now() - 60_000
    await events.sessionEnded({
      clientSessionId: 'cst_two_leases',
      workspaceId: WORKSPACE_ID,
      reason: 'EXPIRED',
      expiredAt: earlier,
      source: 'expiry',
    })

    await waitFor(() => ended.length === 2, 'the expiry of the later lease')
    expect(expiredAtOf(ended)).toEqual([
      ['cst_two_leases', earlier],
      ['cst_two_leases', later],
    ])
  })

  it('ignores a stale expiry change that names a lease already reported expired', async () => {
    const { events, bus, ended } = start()
    const later = Date.now() + 200
    events.remember(session('cst_stale_change', later))
    const earlier = Date.now() - 60_000
    await events.sessionEnded({
      clientSessionId: 'cst_stale_change',
      workspaceId: WORKSPACE_ID,
      reason: 'EXPIRED',
      expiredAt: earlier,
      source: 'expiry',
    })
    await bus.publishExpiry({ clientSessionId: 'cst_stale_change', expiresAt: at(earlier) })

    await waitFor(() => ended.length === 2, 'the expiry of the later lease')
    expect(expiredAtOf(ended)).toEqual([
      ['cst_stale_change', earlier],
      ['cst_stale_change', later],
    ])
  })

  it('does not ask Seam about a lease reported expired before its own timer came', async () => {
    const check = seam(async () => ENDED)
    const { events, ended } = start({ confirmExpiry: check.confirmExpiry })
    const expiresAt = Date.now() + 150
    events.remember(session('cst_told', expiresAt))
    // Timed after it: once this one is asked about, the first one's timer would have fired.
    events.remember(session('cst_sentinel', expiresAt + 100))
    // Another instance timed the same lease and ended it.
    await events.sessionEnded({
      clientSessionId: 'cst_told',
      workspaceId: WORKSPACE_ID,
      reason: 'EXPIRED',
      expiredAt: expiresAt,
      source: 'expiry',
    })

    await waitFor(() => ended.length === 2, 'the expiry of the other session')
    expect(check.asked.map((asked) => asked.clientSessionId)).toEqual(['cst_sentinel'])
    expect(expiredAtOf(ended)).toEqual([
      ['cst_told', expiresAt],
      ['cst_sentinel', expiresAt + 100],
    ])
  })

  it('keeps the token it knows when the session is seen again without one', async () => {
    const check = seam(async () => ENDED)
    const { events, ended } = start({ confirmExpiry: check.confirmExpiry })
    const expiresAt = Date.now() + 150
    events.remember(session('cst_token', expiresAt, { token: 'seam_cst1_token' }))
    events.remember(session('cst_token', expiresAt))

    await waitFor(() => ended.length === 1, 'the expiry')
    expect(check.asked).toEqual([{ clientSessionId: 'cst_token', token: 'seam_cst1_token', expiresAt }])
  })

  it('shares a later expires_at, and an earlier one only when a write set it', () => {
    const leases: string[] = []
    const { events, announced } = start({ onNewLease: (token) => leases.push(token) })
    const base = Date.now() + 3_600_000
    const id = 'cst_moves'
    const seen = (expiresAt: number, options?: { expiryChanged?: boolean }) =>
      events.remember(session(id, expiresAt, { token: 'seam_cst1_moves' }), options)

    seen(base)
    expect({ announced, leases }).toEqual({ announced: [], leases: [] })
    // A write that set the expires_at it already had: nothing moved.
    seen(base, { expiryChanged: true })
    expect({ announced, leases }).toEqual({ announced: [], leases: [] })
    // An earlier one from a cached principal: Seam may have extended it since.
    seen(base - 60_000)
    expect({ announced, leases }).toEqual({ announced: [], leases: [] })
    // A later one: a new lease.
    seen(base + 60_000)
    expect({ announced, leases }).toEqual({
      announced: [{ clientSessionId: id, expiresAt: at(base + 60_000) }],
      leases: ['seam_cst1_moves'],
    })
    // An earlier one a write set: taken and shared, no new lease.
    seen(base - 60_000, { expiryChanged: true })
    expect({ announced, leases }).toEqual({
      announced: [
        { clientSessionId: id, expiresAt: at(base + 60_000) },
        { clientSessionId: id, expiresAt: at(base - 60_000) },
      ],
      leases: ['seam_cst1_moves'],
    })
  })

  it('does not track again a session that ended', async () => {
    const { events, ended, announced } = start()
    const expiresAt = Date.now() + 150
    await events.sessionEnded({
      clientSessionId: 'cst_gone',
      workspaceId: WORKSPACE_ID,
      reason: 'DELETED',
      source: 'webhook',
    })
    // A request that was in flight when the session was deleted, and a write's answer.
    events.remember(session('cst_gone', expiresAt))
    events.remember(session('cst_gone', expiresAt + 10), { expiryChanged: true })
    events.remember(session('cst_sentinel', expiresAt + 100))

    expect(announced).toEqual([])
    await waitFor(() => ended.length === 2, 'the expiry of the other session')
    expect(ended.map((event) => [event.clientSessionId, event.reason])).toEqual([
      ['cst_gone', 'DELETED'],
      ['cst_sentinel', 'EXPIRED'],
    ])
  })

  it('leaves the event loop idle while the sessions it times are far from their expiry', async () => {
    const { events } = start()
    for (let i = 0; i < 2000; i++) events.remember(session(`cst_far_${i}`, Date.now() + 3_600_000))
    const before = performance.eventLoopUtilization()
    await sleep(300)
    expect(performance.eventLoopUtilization(before).utilization).toBeLessThan(0.5)
  })

  it('stops its expiry timers when closed', async () => {
    const bus = createMemorySharedState()
    const closing = start({ bus })
    const other = start({ bus })
    const expiresAt = Date.now() + 150
    closing.events.remember(session('cst_closed', expiresAt))
    other.events.remember(session('cst_sentinel', expiresAt + 100))
    closing.events.close()

    await waitFor(() => other.ended.length === 1, 'the expiry on the other instance')
    expect(expiredAtOf(other.ended)).toEqual([['cst_sentinel', expiresAt + 100]])
    expect(closing.ended).toEqual(other.ended)
  })
})

describe('known sessions', () => {
  async function openSocket(): Promise<{
    server: WebSocket
    closed: Promise<{ code: number; reason: string }>
  }> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await once(wss, 'listening')
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate()
          wss.close(() => resolve())
        }),
    )
    const connected = once(wss, 'connection') as Promise<[WebSocket]>
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    const [server] = await connected
    return { server, closed }
  }

  it('keeps timing a session with an open socket or stream over its bound, and forgets idle ones', async () => {
    const sockets = createSocketRegistry()
    const { events, ended } = start({
      sockets,
      maxKnownSessions: 1,
      isLive: (clientSessionId) => clientSessionId === 'cst_streaming',
    })
    const { server, closed } = await openSocket()
    sockets.add('cst_socket', server)
    const expiresAt = Date.now() + 300

    events.remember(session('cst_idle', expiresAt - 150))
    events.remember(session('cst_socket', expiresAt))
    events.remember(session('cst_streaming', expiresAt))
    for (let i = 0; i < 3; i++) events.remember(session(`cst_other_${i}`, Date.now() + 3_600_000))

    await waitFor(() => ended.length >= 2, 'the expiries of the live sessions')
    expect(expiredAtOf(ended).sort()).toEqual([
      ['cst_socket', expiresAt],
      ['cst_streaming', expiresAt],
    ])
    expect(await closed).toEqual({ code: 4403, reason: 'Forbidden' })
  })

  it('remembers as many idle sessions as its bound', async () => {
    const { events, ended } = start({ maxKnownSessions: 2 })
    const expiresAt = Date.now() + 150
    events.remember(session('cst_first', expiresAt))
    events.remember(session('cst_second', expiresAt))

    await waitFor(() => ended.length === 2, 'both expiries')
    expect(expiredAtOf(ended).sort()).toEqual([
      ['cst_first', expiresAt],
      ['cst_second', expiresAt],
    ])
  })

  it('looks at no more than eight sessions per session it remembers over its bound', async () => {
    const { events, ended } = start({
      maxKnownSessions: 8,
      isLive: (clientSessionId) => clientSessionId.startsWith('cst_live_'),
    })
    for (let i = 0; i < 8; i++) events.remember(session(`cst_live_${i}`, Date.now() + 3_600_000))
    const expiresAt = Date.now() + 150
    // Ninth: the eight before it are all live, so it stays until a later insertion reaches it.
    events.remember(session('cst_ninth', expiresAt))

    await waitFor(() => ended.length === 1, 'the expiry of the ninth')
    expect(expiredAtOf(ended)).toEqual([['cst_ninth', expiresAt]])
  })
})
