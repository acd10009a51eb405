import type { ActionAttempt, Device } from '@seamapi/types/connect'
import DataLoader from 'dataloader'
import type { ActionAttemptDevices } from '../auth/action-attempt-devices.js'
import type { Principal } from '../auth/principal.js'
import { mayReadDevice } from '../auth/visibility.js'
import { notFound } from '../contract/errors.js'
import type { SeamClient } from '../upstream/client.js'
import { foundOrNone, isPlausibleId, loadedOrMissing } from './ids.js'

/** An action attempt and the device it acts on (Seam's attempt does not name it). */
export interface ActionAttemptOfDevice {
  actionAttempt: ActionAttempt
  device: Device
}

/**
 * Action attempts by id, per request. Seam's attempt does not say which device it acts on, and the
 * fake answers any attempt to anyone, so each one is found in three steps:
 *
 * 1. the device the gateway recorded when it started the attempt (`ActionAttemptDevices`);
 * 2. that device, read as the caller through `deviceById` (batched with the request's other
 *    devices, and cached: an attempt read right after its action costs no second device read);
 * 3. only for attempts on devices the caller may see: the attempts themselves, one
 *    `/action_attempts/get`, or one `/action_attempts/list {action_attempt_ids}` for several.
 *
 * An unknown attempt, an attempt on someone else's device and an attempt Seam no longer has are
 * the same NOT_FOUND, and Seam is never asked about the first two. The ActionAttempt type checks
 * the device again (`ownsActionAttempt`).
 */
export function createActionAttemptByIdLoader(
  seam: SeamClient,
  principal: Principal,
  deviceById: DataLoader<string, Device>,
  attemptDevices: ActionAttemptDevices,
  observeBatch: (size: number) => void = () => {},
) {
  return new DataLoader<string, ActionAttemptOfDevice>(async (keys) => {
    observeBatch(keys.length)
    const deviceIds = await Promise.all(
      keys.map((id) => (isPlausibleId(id) ? attemptDevices.deviceOf(id) : undefined)),
    )
    const devices = await loadedOrMissing(deviceById, deviceIds)
    const visible = new Map<string, Device>()
    keys.forEach((id, i) => {
      const device = devices[i]
      if (device !== undefined && mayReadDevice(principal, device)) visible.set(id, device)
    })
    const ids = [...visible.keys()]
    let attempts: ActionAttempt[] = []
    if (ids.length === 1 && ids[0] !== undefined) {
      attempts = await foundOrNone(
        seam
          .call('/action_attempts/get', { action_attempt_id: ids[0] })
          .then((response) => response.action_attempt),
      )
    } else if (ids.length > 1) {
      attempts = (
        await foundOrNone(
          seam
            .call('/action_attempts/list', { action_attempt_ids: ids })
            .then((response) => response.action_attempts),
        )
      ).flat()
    }
    const byId = new Map(attempts.map((attempt) => [attempt.action_attempt_id, attempt]))
    return keys.map((id) => {
      const actionAttempt = byId.get(id)
      const device = visible.get(id)
      return actionAttempt === undefined || device === undefined
        ? notFound('ActionAttempt', id)
        : { actionAttempt, device }
    })
  })
}
