import { badUserInput } from '../contract/errors.js'
import {
  type ActionAttemptUpdate,
  DEVICE_EVENT_TYPES,
  type DeviceEvent,
  type DeviceEventType,
  type DeviceTopic,
} from '../events/device-events.js'
import type { ActionAttemptOfDevice } from '../loaders/action-attempt.js'
import { isNotFound } from '../loaders/ids.js'
import { deviceToActOn } from './acting.js'
import { ActionAttemptRef } from './action-attempt.js'
import { builder } from './builder.js'
import type { AuthenticatedContext } from './context.js'
import { DeviceRef } from './device.js'
import { checkId } from './inputs.js'
import { checkListLength } from './pagination.js'

/** The most devices one `deviceEvents` subscription may name. */
export const MAX_SUBSCRIBED_DEVICES = 100

const DESCRIPTIONS: Record<DeviceEventType, string> = {
  LOCKED: 'A lock locked (`lock.locked`).',
  UNLOCKED: 'A lock unlocked (`lock.unlocked`).',
  CONNECTED: 'The device came online (`device.connected`).',
  DISCONNECTED: 'The device went offline (`device.disconnected`).',
  BATTERY_LOW: 'The battery is low (`device.low_battery`).',
  BATTERY_CHANGED: 'The battery level or status changed (`device.battery_status_changed`).',
  ACCESS_CODE_SET: 'An access code is now on the device (`access_code.set_on_device`).',
  ACCESS_CODE_REMOVED: 'An access code left the device (`access_code.removed_from_device`).',
  ACCESS_CODE_FAILED: 'An access code could not be set or removed (`access_code.failed_to_*`).',
  DEVICE_ADDED: 'The device was added (`device.added`).',
  DEVICE_REMOVED: 'The device was removed or deleted (`device.removed`, `device.deleted`).',
  DEVICE_RENAMED: 'The device was renamed (`device.name_changed`).',
  OTHER: 'Any other `lock.*`, `device.*` or `access_code.*` event; `seamEventType` says which.',
}

const DeviceEventTypeEnum = builder.enumType('DeviceEventType', {
  description: 'What happened to a device.',
  values: Object.fromEntries(
    DEVICE_EVENT_TYPES.map((type) => [type, { description: DESCRIPTIONS[type] }]),
  ) as {
    [K in DeviceEventType]: { description: string }
  },
})

const DeviceEventRef = builder.objectRef<DeviceEvent>('DeviceEvent').implement({
  description:
    "Something happened to a device: Seam's event, routed to the subscribers who may see the device.",
  fields: (t) => ({
    eventId: t.exposeID('eventId', { description: 'Seam id of the event.' }),
    eventType: t.field({ type: DeviceEventTypeEnum, resolve: (event) => event.eventType }),
    seamEventType: t.exposeString('seamEventType', {
      description: "Seam's own event type, such as `lock.unlocked`.",
    }),
    deviceId: t.exposeID('deviceId'),
    connectedAccountId: t.exposeID('connectedAccountId', { nullable: true }),
    actionAttemptId: t.exposeID('actionAttemptId', {
      nullable: true,
      description: 'The action attempt that caused the event (a lock or unlock through Seam), if any.',
    }),
    occurredAt: t.field({ type: 'DateTime', resolve: (event) => event.occurredAt }),
    device: t.withAuth({ authenticated: true }).field({
      type: DeviceRef,
      nullable: true,
      description:
        "The device as Seam reports it now, read with the subscriber's own credential; null once it is gone.",
      resolve: (event, _args, { loaders }) =>
        loaders.deviceById.load(event.deviceId).catch((error: unknown) => {
          if (isNotFound(error)) return null
          throw error
        }),
    }),
  }),
})

builder.subscriptionField('deviceEvents', (t) =>
  t.withAuth({ authenticated: true }).field({
    type: DeviceEventRef,
    description: `Events of devices, as they happen. A client session token receives the events of the devices of its own connected accounts; a workspace API key its workspace's. \`deviceIds\` (at most ${MAX_SUBSCRIBED_DEVICES}) narrows to those devices, each of which must be the caller's (NOT_FOUND otherwise, as for one that does not exist); \`eventTypes\` narrows to those types.`,
    args: {
      deviceIds: t.arg.idList({ description: 'Only these devices.' }),
      eventTypes: t.arg({ type: [DeviceEventTypeEnum], description: 'Only these types.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const { principal } = ctx
      if (args.deviceIds != null && args.deviceIds.length === 0)
        throw badUserInput('deviceIds must name at least one device, or be left out for every device')
      if (args.eventTypes != null && args.eventTypes.length === 0)
        throw badUserInput('eventTypes must name at least one type, or be left out for every type')
      checkListLength('deviceIds', args.deviceIds, MAX_SUBSCRIBED_DEVICES)
      const types: ReadonlySet<DeviceEventType> | null =
        args.eventTypes == null ? null : new Set(args.eventTypes)
      let topics: DeviceTopic[]
      if (args.deviceIds != null) {
        const ids = [...new Set(args.deviceIds)]
        // The wall: each device read as the caller (one batch), foreign ones NOT_FOUND.
        await Promise.all(ids.map((id) => deviceToActOn(ctx, id, 'deviceIds')))
        topics = ids.map((id) => `device:${id}` as const)
      } else if (principal.kind === 'clientSession') {
        topics = [...principal.connectedAccountIds].map((id) => `account:${id}` as const)
      } else {
        topics = [`workspace:${principal.workspaceId}`]
      }
      const { workspaceId } = principal
      // Checked again for every event: only the workspace's events, and for a client session only
      // its own accounts' devices, whatever topic carried them.
      const accounts = principal.kind === 'clientSession' ? principal.connectedAccountIds : null
      return ctx.deviceEvents.subscribe(
        topics,
        (event) =>
          event.workspaceId === workspaceId &&
          (accounts === null ||
            (event.connectedAccountId !== null && accounts.has(event.connectedAccountId))) &&
          (types === null || types.has(event.eventType)),
      )
    },
    resolve: (event) => event,
  }),
)

/** The attempt an update is about, read again as the subscriber; the update's outcome wins over a stale read. */
async function attemptOf(
  ctx: AuthenticatedContext,
  update: ActionAttemptUpdate,
): Promise<ActionAttemptOfDevice> {
  const read = await ctx.loaders.actionAttemptById.load(update.actionAttemptId)
  if (read.actionAttempt.status !== 'pending') return read
  return {
    ...read,
    actionAttempt: {
      ...read.actionAttempt,
      status: update.status,
    } as unknown as ActionAttemptOfDevice['actionAttempt'],
  }
}

async function* one<T>(item: T): AsyncGenerator<T> {
  yield item
}

builder.subscriptionField('actionAttemptUpdated', (t) =>
  t.withAuth({ authenticated: true }).field({
    type: ActionAttemptRef,
    description:
      'The outcome of an action attempt started through this gateway: one event when it is SUCCESS or ERROR, then the subscription ends (at once, when it already has finished). NOT_FOUND when it does not exist or its device is not yours.',
    args: { actionAttemptId: t.arg.id({ required: true }) },
    subscribe: async (_root, { actionAttemptId }, ctx) => {
      checkId('actionAttemptId', actionAttemptId)
      // Listening first, then reading: an outcome that comes in between is not missed.
      const updates = ctx.deviceEvents.subscribeAttempt(actionAttemptId)
      let current: ActionAttemptOfDevice
      try {
        current = await ctx.loaders.actionAttemptById.load(actionAttemptId)
      } catch (error) {
        void updates.return()
        throw error
      }
      if (current.actionAttempt.status === 'pending') return updates
      void updates.return()
      return one<ActionAttemptOfDevice | ActionAttemptUpdate>(current)
    },
    resolve: (item, _args, ctx) => ('kind' in item ? attemptOf(ctx, item) : item),
  }),
)
