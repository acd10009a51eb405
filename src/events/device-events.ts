import { createMemorySharedState, type SharedState } from './shared-state.js'
import { type TopicStream, Topics } from './topics.js'

/** What happened to a device, as subscribers of `deviceEvents` see it (SPEC §12). */
export const DEVICE_EVENT_TYPES = [
  'LOCKED',
  'UNLOCKED',
  'CONNECTED',
  'DISCONNECTED',
  'BATTERY_LOW',
  'BATTERY_CHANGED',
  'ACCESS_CODE_SET',
  'ACCESS_CODE_REMOVED',
  'ACCESS_CODE_FAILED',
  'DEVICE_ADDED',
  'DEVICE_REMOVED',
  'DEVICE_RENAMED',
  'OTHER',
] as const

export type DeviceEventType = (typeof DEVICE_EVENT_TYPES)[number]

/** Seam's event types by the type subscribers see; any other `lock.*`, `device.*`, `access_code.*` is OTHER. */
const TYPE_OF_SEAM_EVENT: Readonly<Record<string, DeviceEventType>> = {
  'lock.locked': 'LOCKED',
  'lock.unlocked': 'UNLOCKED',
  'device.connected': 'CONNECTED',
  'device.disconnected': 'DISCONNECTED',
  'device.low_battery': 'BATTERY_LOW',
  'device.battery_status_changed': 'BATTERY_CHANGED',
  'access_code.set_on_device': 'ACCESS_CODE_SET',
  'access_code.removed_from_device': 'ACCESS_CODE_REMOVED',
  'access_code.failed_to_set_on_device': 'ACCESS_CODE_FAILED',
  'access_code.failed_to_remove_from_device': 'ACCESS_CODE_FAILED',
  'device.added': 'DEVICE_ADDED',
  'device.removed': 'DEVICE_REMOVED',
  'device.deleted': 'DEVICE_REMOVED',
  'device.name_changed': 'DEVICE_RENAMED',
}

/** Seam's event types that concern a device (its `device_id` says which). */
export const DEVICE_EVENT_PATTERN = /^(lock|device|access_code)\./
/** Seam's event types of action attempts (`action_attempt.lock_door.succeeded`, …). */
export const ACTION_ATTEMPT_EVENT_PATTERN = /^action_attempt\.[a-z_]+\.(succeeded|failed)$/

/** Seam's event types the events poller asks for, besides `client_session.deleted`. */
export const POLLED_DEVICE_EVENT_TYPES = [
  ...Object.keys(TYPE_OF_SEAM_EVENT),
  'action_attempt.lock_door.succeeded',
  'action_attempt.lock_door.failed',
  'action_attempt.unlock_door.succeeded',
  'action_attempt.unlock_door.failed',
]

/** One event of a device, as every instance shares it and `deviceEvents` delivers it. */
export interface DeviceEvent {
  kind: 'device'
  eventId: string
  /** Seam's own event type, such as `lock.unlocked`. */
  seamEventType: string
  eventType: DeviceEventType
  deviceId: string
  /** The account the device belongs to: how a client session's subscription is reached. */
  connectedAccountId: string | null
  workspaceId: string
  occurredAt: string
  /** The action attempt that caused it (lock events of an action). */
  actionAttemptId: string | null
}

/** An action attempt that finished, as every instance shares it and `actionAttemptUpdated` delivers it. */
export interface ActionAttemptUpdate {
  kind: 'actionAttempt'
  eventId: string
  actionAttemptId: string
  workspaceId: string
  status: 'success' | 'error'
  occurredAt: string
}

/** What the bus carries between instances. */
export type DeviceBusEvent = DeviceEvent | ActionAttemptUpdate

/** Where the news of a device event came from. */
export type DeviceEventSource = 'webhook' | 'poller'

const string = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined

/**
 * The device event or attempt update a Seam event (webhook body or `/events/list` item) carries, or
 * undefined when it carries neither (another kind of event, or one without the ids to route it).
 */
export function fromSeamEvent(seamEvent: Record<string, unknown>): DeviceBusEvent | undefined {
  const eventId = string(seamEvent.event_id)
  const seamEventType = string(seamEvent.event_type)
  const workspaceId = string(seamEvent.workspace_id)
  if (eventId === undefined || seamEventType === undefined || workspaceId === undefined) return undefined
  const occurredAt = string(seamEvent.occurred_at) ?? string(seamEvent.created_at) ?? new Date().toISOString()
  const attempt = ACTION_ATTEMPT_EVENT_PATTERN.exec(seamEventType)
  if (attempt !== null) {
    const actionAttemptId = string(seamEvent.action_attempt_id)
    if (actionAttemptId === undefined) return undefined
    return {
      kind: 'actionAttempt',
      eventId,
      actionAttemptId,
      workspaceId,
      status: attempt[1] === 'succeeded' ? 'success' : 'error',
      occurredAt,
    }
  }
  if (!DEVICE_EVENT_PATTERN.test(seamEventType)) return undefined
  const deviceId = string(seamEvent.device_id)
  if (deviceId === undefined) return undefined
  return {
    kind: 'device',
    eventId,
    seamEventType,
    eventType: TYPE_OF_SEAM_EVENT[seamEventType] ?? 'OTHER',
    deviceId,
    connectedAccountId: string(seamEvent.connected_account_id) ?? null,
    workspaceId,
    occurredAt,
    actionAttemptId: string(seamEvent.action_attempt_id) ?? null,
  }
}

/**
 * Topics of device events: `device:<id>` (subscribers of chosen devices), `account:<id>` (a client
 * session's subscribers, one topic per connected account of the session), `workspace:<id>` (a
 * workspace key's subscribers of every device). An event is published to the three topics it
 * belongs to; a subscription listens to topics of one kind only, so it hears each event once.
 */
export type DeviceTopic = `device:${string}` | `account:${string}` | `workspace:${string}`

/** Options of {@link createDeviceEvents}. */
export interface DeviceEventsOptions {
  /** Carries events to every instance and claims each once across them (wrapped in `withLocalFallback`). */
  bus: SharedState
  /** Counts every report of an event: `fresh` false for a repeat that was dropped. */
  observe?: (report: { source: DeviceEventSource; type: string; fresh: boolean }) => void
  /** How long an event's claim lasts (Svix retries for about 3 days). */
  dedupeTtlMs: number
}

// How long this instance answers a repeat by itself, and remembers the events it applied.
const LOCAL_DEDUPE_MS = 10 * 60 * 1000

/**
 * The device half of the event path. An event, from whichever source, on whichever instance and
 * however often reported, is claimed once on the bus by its Seam `event_id`, published to every
 * instance, and handed by each to its local topics: a delivery costs one map lookup per topic and
 * wakes only that topic's subscribers. Per process.
 */
export function createDeviceEvents({ bus, observe, dedupeTtlMs }: DeviceEventsOptions) {
  const devices = new Topics<DeviceEvent>()
  const attempts = new Topics<ActionAttemptUpdate>()
  const localClaims = createMemorySharedState()
  const applied = new Map<string, number>()

  function apply(event: DeviceBusEvent) {
    const now = Date.now()
    if (applied.has(event.eventId)) return
    applied.set(event.eventId, now + LOCAL_DEDUPE_MS)
    for (const [eventId, until] of applied) {
      if (until > now) break
      applied.delete(eventId)
    }
    if (event.kind === 'actionAttempt') {
      attempts.publish(`attempt:${event.actionAttemptId}`, event)
      return
    }
    devices.publish(`device:${event.deviceId}`, event)
    if (event.connectedAccountId !== null) devices.publish(`account:${event.connectedAccountId}`, event)
    devices.publish(`workspace:${event.workspaceId}`, event)
  }
  bus.onDeviceEvent(apply)

  /** Takes one Seam event from a source; resolves false when it was a repeat (dropped) or not a device event. */
  async function received(seamEvent: Record<string, unknown>, source: DeviceEventSource): Promise<boolean> {
    const event = fromSeamEvent(seamEvent)
    if (event === undefined) return false
    const claim = `device-event:${event.eventId}`
    const fresh = (await localClaims.claim(claim, LOCAL_DEDUPE_MS)) && (await bus.claim(claim, dedupeTtlMs))
    observe?.({ source, type: event.kind === 'device' ? event.eventType : 'ACTION_ATTEMPT', fresh })
    if (!fresh) return false
    await bus.publishDeviceEvent(event)
    // Applied here in any case (a no-op when the bus already brought it back).
    apply(event)
    return true
  }

  return {
    received,
    /**
     * A stream of the device events published to `topics` (all of one kind, see
     * {@link DeviceTopic}) that `keep` accepts. No topics: a stream that waits until it is returned.
     */
    subscribe: (
      topics: readonly DeviceTopic[],
      keep: (event: DeviceEvent) => boolean,
    ): TopicStream<DeviceEvent> => devices.subscribeAll(topics, { keep }),
    /** A stream of the updates of one action attempt, which ends after its first (the attempt finished). */
    subscribeAttempt: (actionAttemptId: string): TopicStream<ActionAttemptUpdate> =>
      attempts.subscribe(`attempt:${actionAttemptId}`, { once: true }),
    /** Streams open (tests, metrics). */
    get topics() {
      return devices.size + attempts.size
    },
    close() {
      void localClaims.close()
    },
  }
}

/** The process's device event hub. */
export type DeviceEvents = ReturnType<typeof createDeviceEvents>
