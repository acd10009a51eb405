import type { SharedState } from '../events/shared-state.js'

/**
 * How long the gateway remembers which device an action attempt acts on. Seam completes an
 * attempt within seconds to minutes; a day leaves room for a client that looks again later.
 */
export const ACTION_ATTEMPT_RECORD_TTL_MS = 24 * 60 * 60 * 1000

/**
 * Which device each action attempt the gateway started acts on. Seam's `action_attempt` names no
 * device, and its fake answers `/action_attempts/get` for any attempt of any workspace: whether a
 * caller may read an attempt is whether it may read its device (SPEC §12), so the gateway keeps
 * the link itself, on the shared state (every instance finds an attempt whichever one started it;
 * with Redis away, the instance that started it still does).
 *
 * An attempt the gateway did not start (made with Seam directly) is unknown here, and answers
 * NOT_FOUND to everyone: nothing else tells whose it is. Per process.
 */
export interface ActionAttemptDevices {
  /** Records that `actionAttemptId` acts on `deviceId`. */
  remember(actionAttemptId: string, deviceId: string): Promise<void>
  /** The device `actionAttemptId` acts on, or undefined when the gateway did not start it. */
  deviceOf(actionAttemptId: string): Promise<string | undefined>
}

const key = (actionAttemptId: string) => `action-attempt-device:${actionAttemptId}`

/** Creates the record of attempts on `shared` (memory, or Redis with the local fallback). */
export function createActionAttemptDevices(shared: Pick<SharedState, 'put' | 'get'>): ActionAttemptDevices {
  return {
    remember: (actionAttemptId, deviceId) =>
      shared.put(key(actionAttemptId), deviceId, ACTION_ATTEMPT_RECORD_TTL_MS),
    deviceOf: (actionAttemptId) => shared.get(key(actionAttemptId)),
  }
}
