/**
 * The device half of the event path on its own, over the in-process bus: which Seam events it
 * takes, how it reads them, and that a repeat is dropped and counted as one, on one instance or
 * across two sharing a bus. End to end (webhook, poller, sockets, Redis) it is covered by
 * `device-events.test.ts`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeviceEvents, type DeviceEventSource, fromSeamEvent } from '../src/events/device-events.js'
import { createMemorySharedState } from '../src/events/shared-state.js'

const WORKSPACE = 'workspace_1'

const unlocked = (eventId: string) => ({
  event_id: eventId,
  event_type: 'lock.unlocked',
  workspace_id: WORKSPACE,
  device_id: 'device_1',
  connected_account_id: 'account_1',
  occurred_at: '2026-12-08T00:00:00.000Z',
})

const attemptEvent = (eventId: string, outcome: 'succeeded' | 'failed') => ({
  event_id: eventId,
  event_type: `action_attempt.lock_door.${outcome}`,
  workspace_id: WORKSPACE,
  action_attempt_id: 'attempt_1',
  occurred_at: '2026-12-08T00:00:00.000Z',
})

describe('fromSeamEvent', () => {
  it('reads an action attempt that succeeded as success, and one that failed as error', () => {
    expect(fromSeamEvent(attemptEvent('e1', 'succeeded'))).toMatchObject({
      kind: 'actionAttempt',
      status: 'success',
    })
    expect(fromSeamEvent(attemptEvent('e2', 'failed'))).toMatchObject({
      kind: 'actionAttempt',
      status: 'error',
    })
  })

  it('takes no event of another kind, even one that names a device', () => {
    expect(fromSeamEvent({ ...unlocked('e1'), event_type: 'connected_account.connected' })).toBeUndefined()
    expect(fromSeamEvent({ ...unlocked('e1'), event_type: 'client_session.deleted' })).toBeUndefined()
  })

  it('reads an empty id as no id', () => {
    expect(fromSeamEvent({ ...unlocked('e1'), event_id: '' })).toBeUndefined()
    expect(fromSeamEvent({ ...unlocked('e1'), connected_account_id: '' })).toMatchObject({
      connectedAccountId: null,
    })
  })
})

describe('createDeviceEvents', () => {
  function instance(bus = createMemorySharedState()) {
    const reports: Array<{ source: DeviceEventSource; type: string; fresh: boolean }> = []
    const events = createDeviceEvents({ bus, dedupeTtlMs: 60_000, observe: (report) => reports.push(report) })
    return { bus, events, reports }
  }

  it('delivers a fresh event, drops its repeat, and counts both', async () => {
    const { events, reports } = instance()
    const stream = events.subscribe(['device:device_1'], () => true)
    expect(await events.received(unlocked('e1'), 'webhook')).toBe(true)
    expect(await stream.next()).toMatchObject({
      done: false,
      value: { eventId: 'e1', eventType: 'UNLOCKED' },
    })
    expect(await events.received(unlocked('e1'), 'poller')).toBe(false)
    expect(reports).toEqual([
      { source: 'webhook', type: 'UNLOCKED', fresh: true },
      { source: 'poller', type: 'UNLOCKED', fresh: false },
    ])
    events.close()
  })

  it('drops on a second instance an event the first one claimed on the bus', async () => {
    const bus = createMemorySharedState()
    const first = instance(bus)
    const second = instance(bus)
    expect(await first.events.received(unlocked('e1'), 'webhook')).toBe(true)
    expect(await second.events.received(unlocked('e1'), 'poller')).toBe(false)
    expect(second.reports).toEqual([{ source: 'poller', type: 'UNLOCKED', fresh: false }])
  })

  it('counts an action attempt as ACTION_ATTEMPT and hands it to its attempt stream', async () => {
    const { events, reports } = instance()
    const stream = events.subscribeAttempt('attempt_1')
    expect(await events.received(attemptEvent('e1', 'succeeded'), 'webhook')).toBe(true)
    expect(await stream.next()).toMatchObject({
      done: false,
      value: { actionAttemptId: 'attempt_1', status: 'success' },
    })
    expect(reports).toEqual([{ source: 'webhook', type: 'ACTION_ATTEMPT', fresh: true }])
  })

  it('takes nothing from a Seam event that is no device event, and counts nothing', async () => {
    const { events, reports } = instance()
    expect(
      await events.received({ ...unlocked('e1'), event_type: 'client_session.deleted' }, 'webhook'),
    ).toBe(false)
    expect(reports).toEqual([])
  })

  it('counts the open topics of devices and of attempts', async () => {
    const { events } = instance()
    const devices = events.subscribe(['device:device_1', 'device:device_2'], () => true)
    const attempt = events.subscribeAttempt('attempt_1')
    expect(events.topics).toBe(3)
    await devices.return()
    expect(events.topics).toBe(1)
    await attempt.return()
    expect(events.topics).toBe(0)
  })

  it('drops the bus bringing back an event it applied, and forgets it ten minutes after (memory stays bounded)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const start = Date.now()
    const { bus, events } = instance()
    const stream = events.subscribe(['device:device_1'], () => true)
    const ids = async (count: number) => {
      const got: string[] = []
      for (let i = 0; i < count; i++) got.push(((await stream.next()).value as { eventId: string }).eventId)
      return got
    }
    const fromBus = (eventId: string) => bus.publishDeviceEvent(fromSeamEvent(unlocked(eventId))!)
    await fromBus('e1')
    await fromBus('e1')
    await fromBus('e2')
    expect(await ids(2)).toEqual(['e1', 'e2'])
    // Ten minutes after e1 and e2 were applied, the next event makes this instance forget them.
    vi.setSystemTime(start + 10 * 60 * 1000)
    await fromBus('e3')
    await fromBus('e1')
    await fromBus('e4')
    expect(await ids(3)).toEqual(['e3', 'e1', 'e4'])
  }, 2000)
})

afterEach(() => {
  vi.useRealTimers()
})
