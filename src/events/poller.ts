import type { Logger } from 'pino'
import type { Upstream } from '../upstream/client.js'
import type { SessionEndedInput } from './session-events.js'

/** Options of {@link createEventsPoller}. */
export interface EventsPollerOptions {
  upstream: Upstream
  /** The gateway's own workspace API key (`SEAM_API_KEY`). */
  apiKey: string
  /** Time between two polls, in ms. */
  intervalMs: number
  /** Runs the event path for one deleted session. */
  onSessionDeleted: (event: SessionEndedInput) => Promise<unknown>
  /** Seam's event types to ask for besides `client_session.deleted`. @default none */
  otherEventTypes?: readonly string[]
  /** Runs the event path for one event of those types. */
  onOtherEvent?: (event: Record<string, unknown>) => Promise<unknown>
  logger: Logger
  /** How far back the first poll looks, and how much each poll overlaps the last. @default 5000 */
  overlapMs?: number
  /**
   * Takes or renews the poller lock for `ttlMs`: only its holder polls, so N instances poll once.
   * @default always true (one instance)
   */
  lock?: (ttlMs: number) => Promise<boolean>
  /** Releases the lock when this poller stops, so another instance takes over at once. */
  unlock?: () => Promise<void>
  /** Told after every attempt whether this instance holds the lock (metrics). */
  onHolder?: (held: boolean) => void
}

/**
 * Polls Seam's `/events/list` for `client_session.deleted` (and for device events and action
 * attempts, when asked), for deployments that cannot receive webhooks. Per process; with several
 * instances, only the holder of the poller lock polls.
 *
 * Each poll asks for events since the newest one seen, minus an overlap so that events Seam
 * records late are not missed; event ids already handled are skipped, and the event path drops a
 * session that already ended anyway. Only events of the key's own workspace count (Seam's fake
 * does not filter `/events/list` by workspace).
 */
export function createEventsPoller(options: EventsPollerOptions) {
  const overlapMs = options.overlapMs ?? 5000
  const otherTypes = new Set(options.otherEventTypes ?? [])
  const eventTypes = ['client_session.deleted', ...otherTypes]
  const seam = options.upstream.as({ kind: 'apiKey', token: options.apiKey })
  const seen = new Map<string, number>()
  let since = Date.now() - overlapMs
  let workspaceId: string | undefined
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  // Held for three intervals: a holder that dies loses it soon, and another instance takes over.
  const lockTtlMs = Math.max(3 * options.intervalMs, 5000)

  const pollOnce = async () => {
    workspaceId ??= (await seam.call('/workspaces/get', {})).workspace.workspace_id
    const { events } = await seam.call('/events/list', {
      since: new Date(since - overlapMs).toISOString(),
      event_types: eventTypes as Array<'client_session.deleted'>,
    })
    for (const event of events) {
      const at = Date.parse(event.created_at)
      if (Number.isFinite(at)) since = Math.max(since, at)
      if (event.workspace_id !== workspaceId || seen.has(event.event_id)) continue
      if (event.event_type !== 'client_session.deleted') {
        if (!otherTypes.has(event.event_type)) continue
        seen.set(event.event_id, Date.now())
        await options.onOtherEvent?.(event as unknown as Record<string, unknown>)
        continue
      }
      seen.set(event.event_id, Date.now())
      await options.onSessionDeleted({
        eventId: event.event_id,
        clientSessionId: event.client_session_id,
        workspaceId: event.workspace_id,
        occurredAt: event.occurred_at,
        reason: 'DELETED',
        source: 'poller',
      })
    }
    // Ids older than the overlap window cannot come back: forget them.
    const horizon = Date.now() - 10 * (overlapMs + options.intervalMs)
    for (const [id, at] of seen) if (at < horizon) seen.delete(id)
  }

  const tick = () => {
    running = (options.lock ?? (async () => true))(lockTtlMs)
      .then((held) => {
        options.onHolder?.(held)
        return held ? pollOnce() : undefined
      })
      .catch((error: unknown) => {
        options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'events poll failed',
        )
      })
      .finally(() => {
        running = undefined
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref()
      })
  }

  return {
    /** Starts polling; the first poll runs at once. */
    start() {
      stopped = false
      tick()
    },
    /** Runs one poll now (tests, and a manual nudge). */
    pollOnce,
    /** Stops polling and waits for a poll in progress. */
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
      options.onHolder?.(false)
      await options.unlock?.().catch(() => {})
    },
  }
}
