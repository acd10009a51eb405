import type { Logger } from 'pino'
import type { PrincipalCache } from '../auth/principal-cache.js'
import type { SocketRegistry } from '../ws/socket-registry.js'
import { createMemorySharedState, type SharedState } from './shared-state.js'
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
  /**
   * For an expiry, the `expires_at` (epoch ms) that ran out: what the tombstone of this end guards.
   * Carried between instances; not part of the GraphQL type.
   */
  expiredAt?: number | undefined
}

/** What a source knows about an ended session; the rest is filled in from what the gateway saw. */
export type SessionEndedInput = Omit<
  SessionEndedEvent,
  'eventId' | 'occurredAt' | 'userIdentifierKey' | 'expiredAt'
> & {
  eventId?: string | undefined
  occurredAt?: string | undefined
  userIdentifierKey?: string | null | undefined
  /** For reason EXPIRED: the `expires_at` (epoch ms) that ran out. */
  expiredAt?: number | undefined
  source: SessionEventSource
}

/** A live session's new `expires_at`, as instances share it (no token ever goes on the bus). */
export interface SessionExpiryChange {
  clientSessionId: string
  expiresAt: string
}

/**
 * Topics are per session, per user of a workspace, and per workspace, so delivering an event
 * costs one lookup per topic and wakes only the subscribers it is for, never a scan of all:
 * `session:<id>` (the session's own subscribers, and workspace subscribers filtered to it),
 * `workspace:<id>:user:<key>` (workspace subscribers filtered to a user), `workspace:<id>` (the
 * unfiltered ones).
 */
export type SessionTopic = `session:${string}` | `workspace:${string}`

/** A session as the gateway saw it: enough to describe its end, to time its expiry and to re-read it. */
export interface KnownSession {
  client_session_id: string
  workspace_id: string
  user_identifier_key?: string | null | undefined
  expires_at: string
  /** The session's own token (Seam returns it with the session): asks Seam about its expiry. */
  token?: string | undefined
}

/** What Seam says about a session whose known `expires_at` has come. */
export type ExpiryVerdict =
  /** Seam refused its token as expired or unknown, or shows the expiry passed: it ended. */
  | { kind: 'ended' }
  /** Seam shows a later `expires_at`: the session was extended. */
  | { kind: 'extended'; expiresAt: string }
  /** Seam could not be asked (unavailable, or nothing to ask with). */
  | { kind: 'unconfirmed'; reason: string }

/** Options of {@link createSessionEvents}. */
export interface SessionEventsOptions {
  cache: PrincipalCache
  sockets: SocketRegistry
  /**
   * Carries ended sessions and expiry changes to every instance; claims each end once across them.
   * Its calls do not fail: with Redis, it is wrapped in `withLocalFallback` (shared-state.ts).
   */
  bus: SharedState
  logger: Logger
  /** Counts every report of an ended session: `fresh` false for a repeat that was dropped. */
  observe?: (report: { source: SessionEventSource; fresh: boolean }) => void
  /**
   * Asks Seam about a session whose known `expires_at` has come, before it is declared EXPIRED.
   * @default every expiry ends the session without asking
   */
  confirmExpiry?: (session: {
    clientSessionId: string
    token: string | undefined
    expiresAt: number
  }) => Promise<ExpiryVerdict>
  /**
   * True while a session is in use beyond what the cache and the socket registry know (an SSE
   * stream): its expiry timer is kept whatever the bound.
   */
  isLive?: (clientSessionId: string) => boolean
  /**
   * Told a session's token when the session got a later lease than the gateway knew: a refusal
   * of that token remembered since (it had expired) no longer holds.
   */
  onNewLease?: (token: string) => void
  /** Idle sessions remembered at most (least recently seen forgotten first). @default 50000 */
  maxKnownSessions?: number
}

// setTimeout's limit; later expiries are re-armed when this fires.
const MAX_TIMER_MS = 2 ** 31 - 1
/** How long an end's claim lasts: Svix retries a webhook for about 3 days. */
export const DEDUPE_TTL_MS = 3 * 24 * 3600 * 1000
/**
 * How long this instance answers a repeat of an end by itself, without asking the bus (and how
 * long it remembers the ids of events it applied).
 */
const LOCAL_DEDUPE_MS = 10 * 60 * 1000
// Sessions looked at per insertion over the bound: an insertion stays O(1) even when the oldest
// are all live.
const EVICTION_SCAN = 8

/**
 * The identity of an end, by which it is deduped: a session's deletion, its revocation, or its
 * expiry at one `expires_at`. Never the session id alone: a session extended at Seam can expire
 * again later, and a deletion after an earlier (or mistaken) end is news.
 */
export function endIdentity(input: Pick<SessionEndedInput, 'clientSessionId' | 'reason' | 'expiredAt'>) {
  return input.reason === 'EXPIRED'
    ? `${input.clientSessionId}:EXPIRED:${input.expiredAt ?? 'unknown'}`
    : `${input.clientSessionId}:${input.reason}`
}

interface Known {
  workspaceId: string
  userIdentifierKey: string | null
  expiresAt: number
  token: string | undefined
}

/**
 * The event path. An end, from whichever source, on whichever instance and however often
 * reported, is claimed once on the bus (by {@link endIdentity}) and published to every instance;
 * each instance then evicts the session's cached principals, delivers the event to its session's
 * and its workspace's topics (local, so a delivery is a map lookup), and closes the session's
 * sockets with 4403 after their own event. Expiry timers re-read the session from Seam before
 * ending it, and an expiry change seen by one instance re-arms every instance. Per process.
 */
export function createSessionEvents({
  cache,
  sockets,
  bus,
  logger,
  observe,
  confirmExpiry,
  isLive,
  onNewLease,
  maxKnownSessions = 50_000,
}: SessionEventsOptions) {
  const topics = new Topics<SessionEndedEvent>()
  // Least recently seen first.
  const known = new Map<string, Known>()
  const timers = new Map<string, NodeJS.Timeout>()
  // Ends this instance has claimed or seen repeated, and events it has applied (an event comes
  // back from the bus to the instance that published it): insertion order, so old ones go first.
  const localClaims = createMemorySharedState()
  const applied = new Map<string, number>()

  const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

  const arm = (clientSessionId: string, expiresAt: number) => {
    clearTimeout(timers.get(clientSessionId))
    const delay = Math.max(0, expiresAt - Date.now())
    const timer = setTimeout(() => void expire(clientSessionId), Math.min(delay, MAX_TIMER_MS))
    timer.unref()
    timers.set(clientSessionId, timer)
  }

  const forget = (clientSessionId: string) => {
    clearTimeout(timers.get(clientSessionId))
    timers.delete(clientSessionId)
    known.delete(clientSessionId)
  }

  const live = (clientSessionId: string) =>
    sockets.count(clientSessionId) > 0 ||
    cache.holdsClientSession(clientSessionId) ||
    isLive?.(clientSessionId) === true

  /**
   * Keeps the idle sessions under the bound, least recently seen first. A live one (open socket or
   * stream, cached principal) is never forgotten: its timer is what ends it on time; it moves to
   * the back instead. Live sessions are bounded by the open connections and the principal cache's
   * own bound, so the map is at most `maxKnownSessions` plus those.
   */
  const bound = () => {
    for (let looked = 0; known.size > maxKnownSessions && looked < EVICTION_SCAN; looked++) {
      const [oldest, entry] = known.entries().next().value as [string, Known]
      if (live(oldest)) {
        known.delete(oldest)
        known.set(oldest, entry)
      } else forget(oldest)
    }
  }

  /** Tells every instance about a new expiry (this one applies it when the bus brings it back). */
  const announce = (clientSessionId: string, expiresAt: number) => {
    void bus.publishExpiry({ clientSessionId, expiresAt: new Date(expiresAt).toISOString() })
  }

  /** A known session's expiry moved: its timer follows. */
  const moveExpiry = (clientSessionId: string, expiresAt: number): boolean => {
    const entry = known.get(clientSessionId)
    if (entry === undefined || entry.expiresAt === expiresAt || !Number.isFinite(expiresAt)) return false
    if (expiresAt > entry.expiresAt && entry.token !== undefined) onNewLease?.(entry.token)
    entry.expiresAt = expiresAt
    arm(clientSessionId, expiresAt)
    return true
  }

  bus.onExpiryChanged((change) => {
    const expiresAt = Date.parse(change.expiresAt)
    if (cache.hasEnded(change.clientSessionId, expiresAt)) return
    moveExpiry(change.clientSessionId, expiresAt)
  })

  /** A known session's `expires_at` has come: asks Seam before declaring it EXPIRED. */
  async function expire(clientSessionId: string) {
    timers.delete(clientSessionId)
    const session = known.get(clientSessionId)
    if (session === undefined) return
    if (session.expiresAt > Date.now()) return arm(clientSessionId, session.expiresAt)
    const expiredAt = session.expiresAt
    const verdict: ExpiryVerdict =
      confirmExpiry === undefined
        ? { kind: 'ended' }
        : await confirmExpiry({ clientSessionId, token: session.token, expiresAt: expiredAt }).catch(
            (error: unknown) => ({ kind: 'unconfirmed', reason: message(error) }) as const,
          )
    // While Seam was asked, the session may have ended, or its expiry moved: that news wins.
    const now = known.get(clientSessionId)
    if (now === undefined || now.expiresAt !== expiredAt) return
    if (verdict.kind === 'extended') {
      const extendedTo = Date.parse(verdict.expiresAt)
      if (moveExpiry(clientSessionId, extendedTo)) announce(clientSessionId, extendedTo)
      return
    }
    if (verdict.kind === 'unconfirmed') {
      // Fail closed: the gateway knows this lease ran out and cannot learn of a new one. Should
      // Seam show a later expires_at afterwards, that lease is served again (see the tombstone).
      logger.warn(
        { clientSessionId, reason: verdict.reason },
        'expiry not confirmed with Seam; the session ends at its known expires_at',
      )
    }
    await sessionEnded({
      clientSessionId,
      workspaceId: now.workspaceId,
      reason: 'EXPIRED',
      expiredAt,
      source: 'expiry',
    })
  }

  /** Applies an end on this instance, once per event. */
  function apply(event: SessionEndedEvent) {
    const now = Date.now()
    if (applied.has(event.eventId)) return
    applied.set(event.eventId, now + LOCAL_DEDUPE_MS)
    for (const [eventId, until] of applied) {
      if (until > now) break
      applied.delete(eventId)
    }
    const { clientSessionId } = event
    cache.evictClientSession(
      clientSessionId,
      event.reason === 'EXPIRED'
        ? { reason: 'EXPIRED', expiresAt: event.expiredAt ?? Date.parse(event.occurredAt) }
        : { reason: event.reason },
    )
    // An expiry ends one lease: a later one this instance already knows keeps its timer.
    const entry = known.get(clientSessionId)
    if (
      event.reason !== 'EXPIRED' ||
      event.expiredAt === undefined ||
      entry === undefined ||
      entry.expiresAt <= event.expiredAt
    ) {
      forget(clientSessionId)
    }
    topics.publish(`session:${clientSessionId}`, event)
    topics.publish(`workspace:${event.workspaceId}`, event)
    if (event.userIdentifierKey !== null) {
      topics.publish(`workspace:${event.workspaceId}:user:${event.userIdentifierKey}`, event)
    }
    sockets.sessionEnded(clientSessionId)
  }
  bus.onSessionEnded(apply)

  async function sessionEnded(input: SessionEndedInput): Promise<boolean> {
    const claim = `ended:${endIdentity(input)}`
    // This instance answers its own repeats without a round trip; the bus answers the repeats
    // that other instances (or other sources) saw first.
    const fresh = (await localClaims.claim(claim, LOCAL_DEDUPE_MS)) && (await bus.claim(claim, DEDUPE_TTL_MS))
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
      ...(input.reason === 'EXPIRED' && input.expiredAt !== undefined ? { expiredAt: input.expiredAt } : {}),
    }
    await bus.publish(event)
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
     * has none), its token to ask Seam about its expiry, and a timer that ends it with reason
     * EXPIRED at its `expires_at`. Called for every request of a client session: cheap.
     *
     * A later `expires_at` than the one known is an extension, whatever the source, and is shared
     * with every instance. An earlier one is taken only with `expiryChanged` (an answer to a write
     * that set it): a cached principal may carry an expiry that Seam has extended since.
     */
    remember(session: KnownSession, options: { expiryChanged?: boolean } = {}) {
      const id = session.client_session_id
      const expiresAt = Date.parse(session.expires_at)
      if (cache.hasEnded(id, expiresAt)) return
      const entry = known.get(id)
      if (entry === undefined) {
        known.set(id, {
          workspaceId: session.workspace_id,
          userIdentifierKey: session.user_identifier_key ?? null,
          expiresAt,
          token: session.token,
        })
        if (Number.isFinite(expiresAt)) {
          arm(id, expiresAt)
          if (options.expiryChanged === true) {
            if (session.token !== undefined) onNewLease?.(session.token)
            announce(id, expiresAt)
          }
        }
        bound()
        return
      }
      known.delete(id)
      known.set(id, entry)
      if (session.user_identifier_key !== undefined) entry.userIdentifierKey = session.user_identifier_key
      if (session.token !== undefined) entry.token = session.token
      if ((expiresAt > entry.expiresAt || options.expiryChanged === true) && moveExpiry(id, expiresAt)) {
        announce(id, expiresAt)
      }
    },
    /** A live session's grants changed: its cached principal goes, so its next request sees them. */
    sessionChanged(clientSessionId: string) {
      cache.forgetClientSession(clientSessionId)
    },
    /** Ends a session once per end; resolves false when that end was already reported (dropped). */
    sessionEnded,
    /** Stops the expiry timers. */
    close() {
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      void localClaims.close()
    },
  }
}

/** The process's session event hub. */
export type SessionEvents = ReturnType<typeof createSessionEvents>
