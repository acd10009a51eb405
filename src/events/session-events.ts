import type { Logger } from 'pino'
import type { PrincipalCache } from '../auth/principal-cache.js'
import type { EventBus } from './bus.js'
import type { SocketRegistry } from './socket-registry.js'
import { Topics } from './topics.js'

/** Why a client session ended. */
export type SessionEndReason = 'DELETED' | 'REVOKED' | 'EXPIRED'

/** Where the news of an ended session came from. */
export type SessionEventSource = 'mutation' | 'webhook' | 'poller' | 'expiry'

/** One ended client session, as subscribers receive it. */
export interface SessionEndedEvent {
  eventId: string
  clientSessionId: string
  workspaceId: string
  userIdentifierKey: string | null
  occurredAt: string
  reason: SessionEndReason
}

/** What a source knows about an ended session; the rest is filled in from what the gateway saw. */
export type SessionEndedInput = Omit<SessionEndedEvent, 'eventId' | 'occurredAt' | 'userIdentifierKey'> & {
  eventId?: string | undefined
  occurredAt?: string | undefined
  userIdentifierKey?: string | null | undefined
  source: SessionEventSource
}

/**
 * Topics are per session, per user of a workspace, and per workspace, so delivering an event
 * costs one lookup per topic and wakes only the subscribers it is for, never a scan of all:
 * `session:<id>` (the session's own subscribers, and workspace subscribers filtered to it),
 * `workspace:<id>:user:<key>` (workspace subscribers filtered to a user), `workspace:<id>` (the
 * unfiltered ones).
 */
export type SessionTopic = `session:${string}` | `workspace:${string}`

/** A session as the gateway saw it: enough to describe its end and to time its expiry. */
export interface KnownSession {
  client_session_id: string
  workspace_id: string
  user_identifier_key?: string | null | undefined
  expires_at: string
}

/** Options of {@link createSessionEvents}. */
export interface SessionEventsOptions {
  cache: PrincipalCache
  sockets: SocketRegistry
  /** Carries ended sessions to every instance and claims each end once across them. */
  bus: EventBus
  logger: Logger
  /** Counts every report of an ended session: `fresh` false for a repeat that was dropped. */
  observe?: (report: { source: SessionEventSource; fresh: boolean }) => void
  /** Sessions remembered at most (oldest forgotten first). @default 50000 */
  maxKnownSessions?: number
}

// setTimeout's limit; later expiries are re-armed when this fires.
const MAX_TIMER_MS = 2 ** 31 - 1
/** How long an ended session's claim lasts: Svix retries a webhook for about 3 days. */
export const DEDUPE_TTL_MS = 3 * 24 * 3600 * 1000

/**
 * The event path. An ended session, from whichever source, on whichever instance and however
 * often reported, is claimed once on the bus and published to every instance; each instance then
 * evicts its cached principal, delivers the event to its session's and its workspace's topics
 * (local, so a delivery is a map lookup), and closes the session's sockets with 4403 after their
 * own event. Per process.
 */
export function createSessionEvents({
  cache,
  sockets,
  bus,
  logger,
  observe,
  maxKnownSessions = 50_000,
}: SessionEventsOptions) {
  const topics = new Topics<SessionEndedEvent>()
  const known = new Map<
    string,
    { workspaceId: string; userIdentifierKey: string | null; expiresAt: number }
  >()
  const timers = new Map<string, NodeJS.Timeout>()

  const arm = (clientSessionId: string, expiresAt: number) => {
    clearTimeout(timers.get(clientSessionId))
    const delay = Math.max(0, expiresAt - Date.now())
    const timer = setTimeout(
      () => {
        timers.delete(clientSessionId)
        const session = known.get(clientSessionId)
        if (session === undefined) return
        if (session.expiresAt > Date.now()) return arm(clientSessionId, session.expiresAt)
        void sessionEnded({
          clientSessionId,
          workspaceId: session.workspaceId,
          reason: 'EXPIRED',
          source: 'expiry',
        })
      },
      Math.min(delay, MAX_TIMER_MS),
    )
    timer.unref()
    timers.set(clientSessionId, timer)
  }

  const forget = (clientSessionId: string) => {
    clearTimeout(timers.get(clientSessionId))
    timers.delete(clientSessionId)
    known.delete(clientSessionId)
  }

  /** Applies an ended session on this instance, once. */
  function apply(event: SessionEndedEvent) {
    if (cache.hasEnded(event.clientSessionId)) return
    cache.evictClientSession(event.clientSessionId)
    forget(event.clientSessionId)
    topics.publish(`session:${event.clientSessionId}`, event)
    topics.publish(`workspace:${event.workspaceId}`, event)
    if (event.userIdentifierKey !== null) {
      topics.publish(`workspace:${event.workspaceId}:user:${event.userIdentifierKey}`, event)
    }
    sockets.sessionEnded(event.clientSessionId)
  }
  bus.onSessionEnded(apply)

  async function sessionEnded(input: SessionEndedInput): Promise<boolean> {
    // This instance's tombstone answers repeats without a round trip; the bus's claim answers
    // the repeats that other instances (or other sources) saw first.
    let fresh = !cache.hasEnded(input.clientSessionId)
    if (fresh) {
      try {
        fresh = await bus.claim(`ended:${input.clientSessionId}`, DEDUPE_TTL_MS)
      } catch (error) {
        // The shared store is away: handle it here rather than not at all.
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'event claim failed; local only',
        )
      }
    }
    observe?.({ source: input.source, fresh })
    if (!fresh) return false
    const seen = known.get(input.clientSessionId)
    const event: SessionEndedEvent = {
      eventId: input.eventId ?? crypto.randomUUID(),
      occurredAt: input.occurredAt ?? new Date().toISOString(),
      clientSessionId: input.clientSessionId,
      workspaceId: input.workspaceId,
      userIdentifierKey: input.userIdentifierKey ?? seen?.userIdentifierKey ?? null,
      reason: input.reason,
    }
    try {
      await bus.publish(event)
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'event publish failed; local only',
      )
    }
    // Applied here in any case (a no-op when the bus already brought it back).
    apply(event)
    return true
  }

  return {
    /** Subscribe here; see {@link SessionTopic} for the topics. */
    subscribe: (
      topic: SessionTopic,
      options?: Parameters<Topics<SessionEndedEvent>['subscribe']>[1],
    ): AsyncIterableIterator<SessionEndedEvent> => topics.subscribe(topic, options),
    sockets,
    /**
     * Remembers a live session: its user identifier key for events that lack it (Seam's webhook
     * has none) and a timer that ends it with reason EXPIRED at its `expires_at`.
     */
    remember(session: KnownSession) {
      if (cache.hasEnded(session.client_session_id)) return
      const expiresAt = Date.parse(session.expires_at)
      const previous = known.get(session.client_session_id)
      known.delete(session.client_session_id)
      known.set(session.client_session_id, {
        workspaceId: session.workspace_id,
        userIdentifierKey: session.user_identifier_key ?? null,
        expiresAt,
      })
      if (previous?.expiresAt !== expiresAt && Number.isFinite(expiresAt))
        arm(session.client_session_id, expiresAt)
      if (known.size > maxKnownSessions) forget(known.keys().next().value as string)
    },
    /** A live session's grants changed: its cached principal goes, so its next request sees them. */
    sessionChanged(clientSessionId: string) {
      cache.forgetClientSession(clientSessionId)
    },
    /** Ends a session once; resolves false when it had already ended (a repeat, dropped). */
    sessionEnded,
    /** Stops the expiry timers. */
    close() {
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}

/** The process's session event hub. */
export type SessionEvents = ReturnType<typeof createSessionEvents>
