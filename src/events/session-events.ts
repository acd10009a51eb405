import { createPubSub } from 'graphql-yoga'
import type { PrincipalCache } from '../auth/principal-cache.js'

/** Why a client session ended. */
export type SessionEndReason = 'DELETED' | 'REVOKED' | 'EXPIRED'

/** One ended client session, as subscribers receive it. */
export interface SessionEndedEvent {
  eventId: string
  clientSessionId: string
  workspaceId: string
  userIdentifierKey: string | null
  occurredAt: string
  reason: SessionEndReason
}

/**
 * Topics are per session and per workspace, so delivering an event costs one lookup per topic,
 * never a scan of all subscribers.
 */
export type SessionTopics = {
  [key: `session:${string}`]: [SessionEndedEvent]
  [key: `workspace:${string}`]: [SessionEndedEvent]
}

/** Options of {@link createSessionEvents}. */
export interface SessionEventsOptions {
  cache: PrincipalCache
}

/**
 * The event path inside one process: an ended session evicts its cached principal, then its event
 * goes to the session's topic and to its workspace's topic. Per process.
 */
export function createSessionEvents({ cache }: SessionEventsOptions) {
  const pubsub = createPubSub<SessionTopics>()
  return {
    pubsub,
    /** A live session's grants changed: its cached principal goes, so its next request sees them. */
    sessionChanged(clientSessionId: string) {
      cache.forgetClientSession(clientSessionId)
    },
    /** Ends a session once: evicts its principal and publishes its event; repeats are dropped. */
    async sessionEnded(
      input: Omit<SessionEndedEvent, 'eventId' | 'occurredAt'> & { eventId?: string; occurredAt?: string },
    ) {
      // The cache's tombstone doubles as this process's dedupe: a session ends once.
      if (cache.hasEnded(input.clientSessionId)) return
      cache.evictClientSession(input.clientSessionId)
      const event: SessionEndedEvent = {
        eventId: input.eventId ?? crypto.randomUUID(),
        occurredAt: input.occurredAt ?? new Date().toISOString(),
        clientSessionId: input.clientSessionId,
        workspaceId: input.workspaceId,
        userIdentifierKey: input.userIdentifierKey,
        reason: input.reason,
      }
      pubsub.publish(`session:${event.clientSessionId}`, event)
      pubsub.publish(`workspace:${event.workspaceId}`, event)
    },
  }
}

/** The process's session event hub. */
export type SessionEvents = ReturnType<typeof createSessionEvents>
