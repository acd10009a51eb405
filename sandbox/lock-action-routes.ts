import type { FakeStore } from './fake-store.js'
import {
  isJson,
  jsonObjectOrNone,
  queryToValues,
  readRawBody,
  replayRequest,
  type SandboxInterceptor,
  type SandboxLog,
  sendRouteFailure,
  whenFakeAccepts,
} from './http.js'

/** What the lock action routes need from the sandbox. */
export interface LockActionRoutesOptions {
  /** The fake's store, where the events of each action are completed and recorded. */
  readonly store: FakeStore
  /** Where a request that fails unexpectedly is reported. */
  readonly log: SandboxLog
  /**
   * How long an attempt stays PENDING before it completes, as at Seam, where a lock takes a
   * moment. 0 completes it in the moment the fake answers (tests). @default 0
   */
  readonly completionDelayMs?: number
  /** Aborted when the sandbox stops: attempts still pending then never complete. */
  readonly signal?: AbortSignal
}

/** Each lock action: the event the fake records for it, and Seam's event of its attempt. */
const ACTIONS = [
  {
    path: '/locks/lock_door',
    lockEvent: 'lock.locked',
    attemptEvent: 'action_attempt.lock_door.succeeded',
    failedEvent: 'action_attempt.lock_door.failed',
    actionType: 'LOCK_DOOR',
    locked: true,
  },
  {
    path: '/locks/unlock_door',
    lockEvent: 'lock.unlocked',
    attemptEvent: 'action_attempt.unlock_door.succeeded',
    failedEvent: 'action_attempt.unlock_door.failed',
    actionType: 'UNLOCK_DOOR',
    locked: false,
  },
] as const

type LockAction = (typeof ACTIONS)[number]

/**
 * `/locks/lock_door` and `/locks/unlock_door` with the events Seam records for them. The fake
 * changes the lock, records `lock.locked` / `lock.unlocked` without the attempt that caused it and
 * marks the attempt successful at once, but records no event of the attempt. The sandbox hands
 * every request to the fake and, in the moment the fake answers 200 and before the answer leaves,
 * completes the lock event as Seam's (`action_attempt_id`, `method: "seamapi"`) and records
 * `action_attempt.lock_door.succeeded` / `action_attempt.unlock_door.succeeded` (Seam's shape:
 * the attempt's id, type and status; no device). Both are then on `/events/list` and delivered as
 * signed webhooks (`device-events.ts`).
 *
 * With `completionDelayMs`, the attempt stays PENDING (the lock unchanged, no event yet) for that
 * long, then completes as above. A device that is offline (`/devices/simulate/disconnect`) fails
 * the attempt instead: ERROR `device_offline`, the lock unchanged, and
 * `action_attempt.lock_door.failed` / `unlock_door.failed` recorded.
 *
 * Like the fake, it does not scope actions to a client session's accounts: the gateway's own wall
 * is what stops a foreign unlock (README: "What it deliberately does not model").
 */
export function createLockActionRoutes(options: LockActionRoutesOptions): Map<string, SandboxInterceptor> {
  return new Map(ACTIONS.map((action) => [action.path, interceptor(action, options)]))
}

function interceptor(action: LockAction, options: LockActionRoutesOptions): SandboxInterceptor {
  const { store, log } = options
  const delayMs = options.completionDelayMs ?? 0
  return {
    async intercept(req, res, query, fake) {
      try {
        if (req.method !== 'POST') return fake(req, res)
        const body = await readRawBody(req)
        const bodyValues = body.length === 0 ? {} : isJson(req) ? jsonObjectOrNone(body) : undefined
        const deviceId = { ...queryToValues(query), ...bodyValues }.device_id
        if (bodyValues !== undefined && typeof deviceId === 'string') {
          const device = store.getState().devices.find((candidate) => candidate.device_id === deviceId)
          const before = device?.properties
          const online = before?.online !== false
          whenFakeAccepts(res, (answer) => {
            if (online && delayMs === 0) return completeAttempt(store, action, deviceId, answer)
            const attemptId = attemptIdOf(answer)
            if (attemptId === undefined || device === undefined) return
            // What the fake did at once is undone; the attempt is settled later (or now, offline).
            holdAttempt(store, action, deviceId, attemptId, (before as { locked?: boolean }).locked)
            const settle = () =>
              online
                ? succeed(store, action, deviceId, attemptId)
                : fail(store, action, device.workspace_id, attemptId)
            if (delayMs === 0) return settle()
            const timer = setTimeout(() => {
              options.signal?.removeEventListener('abort', cancel)
              settle()
            }, delayMs)
            const cancel = () => clearTimeout(timer)
            options.signal?.addEventListener('abort', cancel, { once: true })
          })
        }
        fake(replayRequest(req, body), res)
      } catch (error) {
        sendRouteFailure(req, res, error, log)
      }
    },
  }
}

const attemptIdOf = (answer: unknown): string | undefined => {
  const attempt = (answer as { action_attempt?: { action_attempt_id?: unknown } } | undefined)?.action_attempt
  return typeof attempt?.action_attempt_id === 'string' ? attempt.action_attempt_id : undefined
}

/** The index of the lock event the fake just recorded for `deviceId`, not yet tied to an attempt. */
function fakeLockEventIndex(store: FakeStore, action: LockAction, deviceId: string): number {
  const { events } = store.getState()
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index] as (typeof events)[number] & { action_attempt_id?: string }
    if (
      event.event_type === action.lockEvent &&
      event.device_id === deviceId &&
      event.action_attempt_id === undefined
    )
      return index
  }
  return -1
}

/** Undoes what the fake did at once: the attempt is PENDING again, the lock as it was, no lock event. */
function holdAttempt(
  store: FakeStore,
  action: LockAction,
  deviceId: string,
  attemptId: string,
  lockedBefore: boolean | undefined,
): void {
  const index = fakeLockEventIndex(store, action, deviceId)
  if (index >= 0) store.setState({ events: store.getState().events.filter((_event, i) => i !== index) })
  store
    .getState()
    .updateActionAttempt({ action_attempt_id: attemptId, status: 'pending', result: null, error: null })
  if (lockedBefore !== undefined) {
    store.getState().updateDevice({ device_id: deviceId, properties: { locked: lockedBefore } } as never)
  }
}

/** A held attempt succeeds: the lock changes, its event and the attempt's are recorded. */
function succeed(store: FakeStore, action: LockAction, deviceId: string, attemptId: string): void {
  const state = store.getState()
  const device = state.devices.find((candidate) => candidate.device_id === deviceId)
  if (device === undefined) return
  state.updateActionAttempt({ action_attempt_id: attemptId, status: 'success', result: {}, error: null })
  state.updateDevice({ device_id: deviceId, properties: { locked: action.locked } } as never)
  state.addEvent({
    event_type: action.lockEvent,
    workspace_id: device.workspace_id,
    device_id: deviceId,
    connected_account_id: device.connected_account_id,
    action_attempt_id: attemptId,
    method: 'seamapi',
  } as never)
  state.addEvent({
    event_type: action.attemptEvent,
    workspace_id: device.workspace_id,
    action_attempt_id: attemptId,
    action_type: action.actionType,
    status: 'success',
  })
}

/** A held attempt fails: the device is offline. */
function fail(store: FakeStore, action: LockAction, workspaceId: string, attemptId: string): void {
  const state = store.getState()
  const error = { type: 'device_offline', message: 'The device is offline' }
  state.updateActionAttempt({ action_attempt_id: attemptId, status: 'error', result: null, error })
  state.addEvent({
    event_type: action.failedEvent,
    workspace_id: workspaceId,
    action_attempt_id: attemptId,
    action_type: action.actionType,
    status: 'error',
    error,
  } as never)
}

/** Completes the fake's lock event with the attempt, and records the attempt's own event. */
function completeAttempt(store: FakeStore, action: LockAction, deviceId: string, answer: unknown): void {
  const attemptId = attemptIdOf(answer)
  if (attemptId === undefined) return
  const { events } = store.getState()
  // The event the fake recorded for this request: the latest of its kind for the device, not yet
  // tied to an attempt.
  let index = events.length - 1
  for (; index >= 0; index--) {
    const event = events[index] as (typeof events)[number] & { action_attempt_id?: string }
    if (
      event.event_type === action.lockEvent &&
      event.device_id === deviceId &&
      event.action_attempt_id === undefined
    )
      break
  }
  const lockEvent = events[index]
  if (lockEvent === undefined) return
  store.setState({
    events: events.map((event, i) =>
      i === index ? { ...event, action_attempt_id: attemptId, method: 'seamapi' } : event,
    ),
  })
  store.getState().addEvent({
    event_type: action.attemptEvent,
    workspace_id: lockEvent.workspace_id,
    action_attempt_id: attemptId,
    action_type: action.actionType,
    status: 'success',
  })
}
