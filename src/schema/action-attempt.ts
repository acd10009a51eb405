import type { ActionAttempt, Device } from '@seamapi/types/connect'
import type { ActionAttemptOfDevice } from '../loaders/action-attempt.js'
import { isNotFound } from '../loaders/ids.js'
import { type CapabilityFlag, countAction, deviceToActOn, requireCapability } from './acting.js'
import { builder } from './builder.js'
import type { AuthenticatedContext } from './context.js'
import { DeviceRef } from './device.js'

/** An action on a device (lock, unlock, …), which Seam carries out in the background. */
export const ActionAttemptRef = builder.objectRef<ActionAttemptOfDevice>('ActionAttempt')

const ActionAttemptStatus = builder.enumType('ActionAttemptStatus', {
  description: 'Where an action attempt is: Seam answers an action at once and carries it out after.',
  values: {
    PENDING: { value: 'pending', description: 'Seam is carrying the action out.' },
    SUCCESS: { value: 'success', description: 'The action was carried out.' },
    ERROR: { value: 'error', description: 'The action failed; `error` says why.' },
  } as const,
})

const ActionAttemptError = builder
  .objectRef<{ type: string; message: string }>('ActionAttemptError')
  .implement({
    description: 'Why an action attempt failed, as Seam reports it.',
    fields: (t) => ({
      type: t.exposeString('type', { description: 'Seam error type, such as `device_offline`.' }),
      message: t.exposeString('message', { description: 'What went wrong, in words.' }),
    }),
  })

builder.node(ActionAttemptRef, {
  description:
    'An action on a device (lockDoor, unlockDoor, …). Seam answers at once with a PENDING attempt and carries the action out in the background; read it again with `actionAttempt` until it is SUCCESS or ERROR.',
  id: { resolve: ({ actionAttempt }) => actionAttempt.action_attempt_id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'actionAttempt' in value,
  // Yours when its device is: an attempt on someone else's device fails as a missing one does.
  authScopes: (attempt) => ({ ownsActionAttempt: attempt }),
  fields: (t) => ({
    actionAttemptId: t.id({
      description: 'Seam id of the action attempt.',
      resolve: ({ actionAttempt }) => actionAttempt.action_attempt_id,
    }),
    actionType: t.string({
      description: 'What the action does, such as `LOCK_DOOR` or `UNLOCK_DOOR`.',
      resolve: ({ actionAttempt }) => actionAttempt.action_type,
    }),
    status: t.field({
      type: ActionAttemptStatus,
      description: 'PENDING while Seam carries the action out, then SUCCESS or ERROR.',
      resolve: ({ actionAttempt }) => actionAttempt.status,
    }),
    error: t.field({
      type: ActionAttemptError,
      nullable: true,
      description: 'Why the action failed; null unless the status is ERROR.',
      resolve: ({ actionAttempt }) =>
        actionAttempt.status === 'error'
          ? ((actionAttempt.error as { type: string; message: string } | null) ?? null)
          : null,
    }),
    result: t.field({
      type: 'JSON',
      nullable: true,
      description: "The action's result as Seam reports it; null until it succeeds.",
      resolve: ({ actionAttempt }) => actionAttempt.result ?? null,
    }),
    // Read again, not the device as it was before the action: a lock that locked shows locked.
    device: t.withAuth({ authenticated: true }).field({
      type: DeviceRef,
      nullable: true,
      description: 'The device the action is for, as Seam reports it now; null once it is gone.',
      resolve: ({ device }, _args, { loaders }) =>
        loaders.deviceById.load(device.device_id).catch((error: unknown) => {
          if (isNotFound(error)) return null
          throw error
        }),
    }),
  }),
})

builder.queryFields((t) => ({
  actionAttempt: t.withAuth({ authenticated: true }).field({
    type: ActionAttemptRef,
    nullable: true,
    description:
      'One action attempt by its Seam id, started through this gateway in the last 24 hours; NOT_FOUND when it does not exist or its device is not yours.',
    args: { actionAttemptId: t.arg.id({ required: true }) },
    resolve: (_root, { actionAttemptId }, { loaders }) => loaders.actionAttemptById.load(actionAttemptId),
  }),
}))

/** The action attempt an action started. */
const ActionAttemptPayload = builder
  .objectRef<{ actionAttempt: ActionAttemptOfDevice }>('ActionAttemptPayload')
  .implement({
    description: 'The action attempt an action started.',
    fields: (t) => ({
      actionAttempt: t.expose('actionAttempt', {
        type: ActionAttemptRef,
        description: 'Usually PENDING: follow it with `actionAttempt` until it is SUCCESS or ERROR.',
      }),
    }),
  })

/**
 * Runs one action on a device: the wall first (the device must be the caller's: nothing is sent
 * upstream otherwise), then what the device supports, then the action, sent once (a write is never
 * retried). The attempt's device is recorded so that `actionAttempt` can tell whose it is.
 */
async function act(
  ctx: AuthenticatedContext,
  deviceId: string,
  action: { route: '/locks/lock_door' | '/locks/unlock_door'; flag: CapabilityFlag; mutation: string },
): Promise<{ actionAttempt: ActionAttemptOfDevice }> {
  return countAction(ctx, action.mutation, async () => {
    const device: Device = await deviceToActOn(ctx, deviceId)
    requireCapability(device, action.flag, action.mutation)
    const { action_attempt } = await ctx.seam.call(action.route, { device_id: device.device_id })
    // The device changes with the action: anything of this operation that reads it asks Seam again.
    ctx.loaders.deviceById.clear(device.device_id)
    return { actionAttempt: await startedOn(ctx, action_attempt, device) }
  })
}

/**
 * Records that `actionAttempt`, just started by this gateway, acts on `device`, so that
 * `actionAttempt` can tell later (on any instance) whose it is.
 */
export async function startedOn(
  ctx: Pick<AuthenticatedContext, 'actionAttemptDevices'>,
  actionAttempt: ActionAttempt,
  device: Device,
): Promise<ActionAttemptOfDevice> {
  await ctx.actionAttemptDevices.remember(actionAttempt.action_attempt_id, device.device_id)
  return { actionAttempt, device }
}

builder.mutationFields((t) => ({
  lockDoor: t.withAuth({ authenticated: true }).field({
    type: ActionAttemptPayload,
    description:
      'Locks a lock. A workspace API key may lock any lock of its workspace; a client session token only the locks of its own connected accounts (NOT_FOUND otherwise, exactly as for a device that does not exist, and nothing is sent to Seam). BAD_USER_INPUT for a device that cannot be locked remotely.',
    args: { deviceId: t.arg.id({ required: true, description: 'Seam id of the lock.' }) },
    resolve: (_root, { deviceId }, ctx) =>
      act(ctx, deviceId, { route: '/locks/lock_door', flag: 'can_remotely_lock', mutation: 'lockDoor' }),
  }),
  unlockDoor: t.withAuth({ authenticated: true }).field({
    type: ActionAttemptPayload,
    description:
      'Unlocks a lock. Same rules as lockDoor; BAD_USER_INPUT for a device that cannot be unlocked remotely.',
    args: { deviceId: t.arg.id({ required: true, description: 'Seam id of the lock.' }) },
    resolve: (_root, { deviceId }, ctx) =>
      act(ctx, deviceId, {
        route: '/locks/unlock_door',
        flag: 'can_remotely_unlock',
        mutation: 'unlockDoor',
      }),
  }),
}))
