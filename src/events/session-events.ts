import { createPubSub } from 'graphql-yoga'
import type { PrincipalCache } from '../auth/principal-cache.js'
import type { SocketRegistry } from './socket-registry.js'

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
 * Topics are per session and per workspace, so delivering an event costs one lookup per topic,
 * never a scan of all subscribers.
 */
export type SessionTopics = {
  [key: `session:${string}`]: [SessionEndedEvent]
  [key: `workspace:${string}`]: [SessionEndedEvent]
}

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
  /** Counts every report of an ended session: `fresh` false for a repeat that was dropped. */
  observe?: (report: { source: SessionEventSource; fresh: boolean }) => void
  /** Sessions remembered at most (oldest forgotten first). @default 50000 */
  maxKnownSessions?: number
}

// setTimeout's limit; later expiries are re-armed when this fires.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * The event path inside one process. An ended session, from whichever source and however often
 * reported, is handled once: its cached principal is evicted, its event goes to its session's and
 * its workspace's topics, and its sockets close with 4403 after their own event. Per process.
 */
export function createSessionEvents({
  cache,
  sockets,
  observe,
  maxKnownSessions = 50_000,
}: SessionEventsOptions) {
  const pubsub = createPubSub<SessionTopics>()
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

  async function sessionEnded(input: SessionEndedInput): Promise<boolean> {
    // The cache's tombstone doubles as this process's dedupe: a session ends once.
    if (cache.hasEnded(input.clientSessionId)) {
      observe?.({ source: input.source, fresh: false })
      return false
    }
    const seen = known.get(input.clientSessionId)
    cache.evictClientSession(input.clientSessionId)
    forget(input.clientSessionId)
    const event: SessionEndedEvent = {
      eventId: input.eventId ?? crypto.randomUUID(),
      occurredAt: input.occurredAt ?? new Date().toISOString(),
      clientSessionId: input.clientSessionId,
      workspaceId: input.workspaceId,
      userIdentifierKey: input.userIdentifierKey ?? seen?.userIdentifierKey ?? null,
      reason: input.reason,
    }
    observe?.({ source: input.source, fresh: true })
    pubsub.publish(`session:${event.clientSessionId}`, event)
    pubsub.publish(`workspace:${event.workspaceId}`, event)
    sockets.sessionEnded(event.clientSessionId)
    return true
  }

  return {
    pubsub,
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
