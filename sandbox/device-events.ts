import type { FakeStore } from './fake-store.js'

/** Seam's device-side events: of locks, devices, access codes and action attempts. */
const DEVICE_EVENT = /^(lock|device|access_code|action_attempt)\./

/** A device event as Seam delivers it: the stored event without the fake's own fields. */
export interface DeliveredDeviceEvent {
  readonly event_id: string
  readonly event_type: string
  readonly workspace_id: string
  readonly [field: string]: unknown
}

/** Watches the fake's store for device events; see {@link watchDeviceEvents}. */
export interface DeviceEventWatcher {
  /** Resolves once every event recorded so far has been handed to `deliver`. */
  settled(): Promise<void>
  /** Stops watching. Idempotent. */
  stop(): void
}

/**
 * Hands every device event the fake's store records from now on (`lock.*`, `device.*`,
 * `access_code.*`, `action_attempt.*`, whoever records it: the fake's own routes, the sandbox's,
 * a test through the store) to `deliver`, in Seam's shape (without the fake's
 * `event_description`). The fake records them on `/events/list` but delivers none; Seam delivers
 * each as a webhook. `client_session.deleted` is not among them: its route delivers it itself.
 *
 * Each event is handed over after the task that recorded it, read again from the store then: a
 * sandbox route that records an event and completes it in the same task (the lock routes add the
 * attempt to the fake's lock event) delivers it complete.
 *
 * Lifecycle: one per sandbox; `stop` on sandbox stop.
 */
export function watchDeviceEvents(
  store: FakeStore,
  deliver: (event: DeliveredDeviceEvent) => void,
): DeviceEventWatcher {
  const pending = new Set<Promise<void>>()
  const unsubscribe = store.subscribe((state, previous) => {
    // The fake only ever appends events: the new ones are the tail.
    if (state.events === previous.events || state.events.length <= previous.events.length) return
    const ids = state.events
      .slice(previous.events.length)
      .filter((event) => DEVICE_EVENT.test(event.event_type))
      .map((event) => event.event_id)
    if (ids.length === 0) return
    const handed = new Promise<void>((resolve) =>
      setImmediate(() => {
        const byId = new Map(store.getState().events.map((event) => [event.event_id, event]))
        for (const id of ids) {
          const event = byId.get(id)
          if (event === undefined) continue
          const { event_description: _description, ...seamEvent } = event
          deliver(seamEvent as DeliveredDeviceEvent)
        }
        resolve()
      }),
    )
    pending.add(handed)
    void handed.finally(() => pending.delete(handed))
  })
  return {
    async settled() {
      await Promise.all([...pending])
    },
    stop: unsubscribe,
  }
}
