/**
 * The events poller on its own, against the embedded sandbox behind a tampering proxy (which
 * records what each `/events/list` asks for, and makes Seam list the events a test needs): what it
 * asks for, how its window moves, that an event is handled once, and how it keeps polling, stops
 * and reports a failed poll. Across instances (the poller lock) it is covered by
 * `multi-instance.test.ts` and `device-events.test.ts`.
 */
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { createEventsPoller, type EventsPollerOptions } from '../src/events/poller.js'
import type { SessionEndedInput } from '../src/events/session-events.js'
import { createUpstream, type Upstream } from '../src/upstream/client.js'
import { waitFor } from './helpers/clients.js'
import { startTamperingUpstream, type TamperingUpstream } from './helpers/tampering-upstream.js'

let sandbox: Sandbox
let proxy: TamperingUpstream
let upstream: Upstream
let workspaceId: string
/** The params of every `/events/list` asked through the proxy, in order. */
const asked: Array<{ since: string; event_types: string[] }> = []
/** When set, what Seam lists (instead of its own events). */
let listed: Array<Record<string, unknown>> | undefined

const quiet = pino({ level: 'silent' })

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0 })
  proxy = await startTamperingUpstream(sandbox.url)
  upstream = createUpstream({ endpoint: proxy.url, maxRetries: 0 })
  const { workspace } = await upstream
    .as({ kind: 'apiKey', token: sandbox.apiKey })
    .call('/workspaces/get', {})
  workspaceId = workspace.workspace_id
  proxy.rewrite('/events/list', (answer, params) => {
    asked.push(params as (typeof asked)[number])
    return listed === undefined ? answer : { ...answer, events: listed }
  })
}, 30_000)

afterEach(() => {
  vi.useRealTimers()
  asked.length = 0
  listed = undefined
})

afterAll(async () => {
  await upstream?.close()
  await proxy?.close()
  await sandbox?.stop()
})

function poller(options: Partial<EventsPollerOptions> = {}) {
  const deleted: SessionEndedInput[] = []
  const other: Array<Record<string, unknown>> = []
  const made = createEventsPoller({
    upstream,
    apiKey: sandbox.apiKey,
    intervalMs: 60_000,
    onSessionDeleted: async (event) => void deleted.push(event),
    onOtherEvent: async (event) => void other.push(event),
    logger: quiet,
    ...options,
  })
  return { poller: made, deleted, other }
}

/** A Seam event of the sandbox's workspace, created `agoMs` before now. */
const event = (eventId: string, eventType: string, agoMs: number, extra: Record<string, unknown> = {}) => ({
  event_id: eventId,
  event_type: eventType,
  workspace_id: workspaceId,
  created_at: new Date(Date.now() - agoMs).toISOString(),
  occurred_at: new Date(Date.now() - agoMs).toISOString(),
  device_id: 'device_1',
  ...extra,
})

describe('what it asks for', () => {
  it('by default, client_session.deleted since twice the overlap before it started; a session deleted just before is reported', async () => {
    const seam = upstream.as({ kind: 'apiKey', token: sandbox.apiKey })
    const { client_session } = await seam.call('/client_sessions/create', {
      user_identifier_key: 'poller-user',
    })
    await seam.call('/client_sessions/delete', { client_session_id: client_session.client_session_id })
    const createdAt = Date.now()
    const { poller: p, deleted } = poller({ otherEventTypes: undefined, onOtherEvent: undefined })
    // No lock given: this instance polls.
    p.start()
    await waitFor(() => deleted.length === 1, 'the deleted session reported')
    await p.stop()
    expect(asked[0]?.event_types).toEqual(['client_session.deleted'])
    const since = Date.parse(asked[0]!.since)
    expect(since).toBeGreaterThanOrEqual(createdAt - 10_000 - 50)
    expect(since).toBeLessThanOrEqual(createdAt - 10_000 + 1000)
    expect(deleted).toEqual([
      expect.objectContaining({
        clientSessionId: client_session.client_session_id,
        source: 'poller',
        reason: 'DELETED',
      }),
    ])
  })

  it('moves its window to the newest event seen, minus the overlap, whatever the order and an unreadable date', async () => {
    const { poller: p } = poller({ overlapMs: 1000, otherEventTypes: ['lock.locked'] })
    const newest = event('e1', 'lock.locked', 300, { workspace_id: 'another_workspace' })
    listed = [
      newest,
      event('e2', 'lock.locked', 800),
      event('e3', 'lock.locked', 0, { created_at: 'not a date' }),
    ]
    await p.pollOnce()
    listed = []
    await p.pollOnce()
    expect(Date.parse(asked[1]!.since)).toBe(Date.parse(newest.created_at) - 1000)
  })

  it('hands on only the events of the types it asked for', async () => {
    const { poller: p, other } = poller({ otherEventTypes: ['lock.locked'] })
    listed = [event('e1', 'device.connected', 10), event('e2', 'lock.locked', 5)]
    await p.pollOnce()
    expect(other.map((e) => e.event_id)).toEqual(['e2'])
  })
})

describe('each event once', () => {
  it('skips an event it already handled, when polls overlap', async () => {
    // An interval longer than the overlap.
    const { poller: p, other } = poller({
      overlapMs: 1000,
      intervalMs: 5000,
      otherEventTypes: ['lock.locked'],
    })
    listed = [event('e1', 'lock.locked', 10)]
    await p.pollOnce()
    await p.pollOnce()
    expect(other.map((e) => e.event_id)).toEqual(['e1'])
  })

  it('remembers an id for ten windows of overlap and interval, and forgets it after (memory stays bounded)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const start = Date.now()
    const { poller: p, other } = poller({ overlapMs: 100, intervalMs: 100, otherEventTypes: ['lock.locked'] })
    listed = [event('e1', 'lock.locked', 10)]
    await p.pollOnce()
    // Ten windows later, to the millisecond: still known.
    vi.setSystemTime(start + 2000)
    await p.pollOnce()
    // One millisecond more: known to this poll, forgotten after it.
    vi.setSystemTime(start + 2001)
    await p.pollOnce()
    expect(other.map((e) => e.event_id)).toEqual(['e1'])
    await p.pollOnce()
    expect(other.map((e) => e.event_id)).toEqual(['e1', 'e1'])
  })
})

describe('running', () => {
  it('polls again every interval while started, and not once stopped, even mid-poll', async () => {
    const ttls: number[] = []
    const held: boolean[] = []
    let release: (() => void) | undefined
    const { poller: p } = poller({
      intervalMs: 20,
      lock: async (ttlMs) => {
        ttls.push(ttlMs)
        // The third attempt is still waiting for the lock when the poller is stopped.
        if (ttls.length === 3) await new Promise<void>((resolve) => (release = resolve))
        return true
      },
      onHolder: (isHolder) => held.push(isHolder),
    })
    listed = []
    p.start()
    await waitFor(() => release !== undefined, 'a third poll')
    const stopped = p.stop()
    release?.()
    await stopped
    expect(held.at(-1)).toBe(false)
    await sleep(100)
    expect(ttls.length).toBe(3)
    // The lock is held for three intervals, and at least five seconds.
    expect(ttls.every((ttl) => ttl === 5000)).toBe(true)
  })

  it('holds the lock for three intervals when that is more than five seconds', async () => {
    const ttls: number[] = []
    const { poller: p } = poller({
      intervalMs: 10_000,
      lock: async (ttlMs) => {
        ttls.push(ttlMs)
        return false
      },
    })
    p.start()
    await waitFor(() => ttls.length === 1, 'the first poll')
    await p.stop()
    expect(ttls).toEqual([30_000])
  })

  it('logs a failed poll and keeps polling', async () => {
    const lines: Array<Record<string, unknown>> = []
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
          done()
        },
      }),
    )
    let attempts = 0
    const { poller: p } = poller({
      intervalMs: 20,
      logger,
      lock: async () => {
        attempts++
        throw new Error('lock store down')
      },
    })
    p.start()
    await waitFor(() => attempts >= 2 && lines.length >= 1, 'a logged failure and another attempt')
    await p.stop()
    expect(lines[0]).toMatchObject({ level: 40, msg: 'events poll failed', err: 'lock store down' })
  })
})
