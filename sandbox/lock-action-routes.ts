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
}

/** Each lock action: the event the fake records for it, and Seam's event of its attempt. */
const ACTIONS = [
  {
    path: '/locks/lock_door',
    lockEvent: 'lock.locked',
    attemptEvent: 'action_attempt.lock_door.succeeded',
    actionType: 'LOCK_DOOR',
  },
  {
    path: '/locks/unlock_door',
    lockEvent: 'lock.unlocked',
    attemptEvent: 'action_attempt.unlock_door.succeeded',
    actionType: 'UNLOCK_DOOR',
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
 * Like the fake, it does not scope actions to a client session's accounts: the gateway's own wall
 * is what stops a foreign unlock (README: "What it deliberately does not model").
 */
export function createLockActionRoutes(options: LockActionRoutesOptions): Map<string, SandboxInterceptor> {
  return new Map(ACTIONS.map((action) => [action.path, interceptor(action, options)]))
}

function interceptor(action: LockAction, { store, log }: LockActionRoutesOptions): SandboxInterceptor {
  return {
    async intercept(req, res, query, fake) {
      try {
        if (req.method !== 'POST') return fake(req, res)
        const body = await readRawBody(req)
        const bodyValues = body.length === 0 ? {} : isJson(req) ? jsonObjectOrNone(body) : undefined
        const deviceId = { ...queryToValues(query), ...bodyValues }.device_id
        if (bodyValues !== undefined && typeof deviceId === 'string') {
          whenFakeAccepts(res, (answer) => completeAttempt(store, action, deviceId, answer))
        }
        fake(replayRequest(req, body), res)
      } catch (error) {
        sendRouteFailure(req, res, error, log)
      }
    },
  }
}

/** Completes the fake's lock event with the attempt, and records the attempt's own event. */
function completeAttempt(store: FakeStore, action: LockAction, deviceId: string, answer: unknown): void {
  const attempt = (answer as { action_attempt?: { action_attempt_id?: unknown } } | undefined)?.action_attempt
  const attemptId = attempt?.action_attempt_id
  if (typeof attemptId !== 'string') return
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
