import { CloseCode } from 'graphql-ws'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import type { UpstreamCredential } from '../upstream/client.js'
import type { Principal } from './principal.js'
import { credentialKey } from './principal-cache.js'

/** graphql-ws close code for a credential Seam no longer accepts: the protocol's `4403 Forbidden`. */
export const CREDENTIAL_REFUSED_CLOSE = { code: CloseCode.Forbidden, reason: 'Forbidden' } as const

/** With no principal cache (`PRINCIPAL_CACHE_TTL_MS=0`), open connections are re-checked this often. */
export const UNCACHED_PERIOD_MS = 1000
/** The shortest period, whatever the TTL: a lookup per credential per period is the cost. */
export const MIN_PERIOD_MS = 100

/**
 * How much earlier than `Date.now()` says a tick may come. Timers count whole milliseconds of a
 * clock of their own, and fire up to a millisecond or two before `Date.now()` has moved on by their
 * interval.
 */
const TICK_EARLINESS_MS = 5

/**
 * How often open connections re-check their credential with Seam: every principal cache TTL, so that
 * a connection is never served longer than an HTTP request would be by a credential Seam refused.
 */
export const revalidationPeriodMs = (principalCacheTtlMs: number): number =>
  principalCacheTtlMs === 0 ? UNCACHED_PERIOD_MS : Math.max(principalCacheTtlMs, MIN_PERIOD_MS)

/** A long-lived HTTP subscription stream (SSE): returning it ends the stream. */
export interface EndableStream {
  return(): unknown
}

/** Options of {@link createConnectionRevalidator}. */
export interface ConnectionRevalidatorOptions {
  /** Asks Seam about a credential again, past the principal cache; shares lookups in flight. */
  recheck: (credential: UpstreamCredential) => Promise<Principal>
  /** Longest time between two checks of a credential, in ms (see {@link revalidationPeriodMs}). */
  periodMs: number
  /** Told of every principal Seam confirmed (a client session's current expiry is news). */
  onConfirmed?: (principal: Principal) => void
  /** Told when a refused credential's connections were closed. */
  onRefused?: (closed: { sockets: number; streams: number }) => void
  logger: Logger
  /** Lookups in flight at once. @default 16 */
  concurrency?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

/** The open connections of one credential. Per credential with open connections. */
interface Group {
  readonly key: string
  readonly credential: UpstreamCredential
  readonly clientSessionId: string | undefined
  readonly sockets: Set<WebSocket>
  readonly streams: Set<EndableStream>
  /** When Seam last confirmed the credential (or the first connection opened). */
  checkedAt: number
  checking: boolean
}

const isUnauthenticated = (error: unknown): boolean =>
  (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'UNAUTHENTICATED'

/**
 * Re-validates long-lived connections (graphql-ws sockets, SSE streams): each credential that holds
 * open connections is asked about at Seam at least every `periodMs`, once for all its connections.
 * Seam refusing it (revoked API key, session ended without the gateway hearing) closes its sockets
 * with 4403 and ends its streams; Seam unavailable keeps them (an outage must not sign everyone
 * out), and the credential is asked again a period later. Per process.
 *
 * One timer for the process, ticking a quarter of a period, finds the credentials that are due;
 * a connection costs one set entry (no closure, no timer of its own).
 */
export function createConnectionRevalidator(options: ConnectionRevalidatorOptions) {
  const { periodMs, logger } = options
  const concurrency = options.concurrency ?? 16
  const now = options.now ?? Date.now
  const tickMs = Math.max(periodMs / 4, 1)
  const groups = new Map<string, Group>()
  const bySession = new Map<string, Group>()
  const socketGroups = new WeakMap<WebSocket, Group>()
  const streamGroups = new WeakMap<EndableStream, Group>()
  const queue: Group[] = []
  let active = 0
  let timer: NodeJS.Timeout | undefined
  let lastWarning = 0
  let closed = false

  const drop = (group: Group) => {
    if (group.sockets.size > 0 || group.streams.size > 0) return
    if (groups.get(group.key) === group) groups.delete(group.key)
    if (group.clientSessionId !== undefined && bySession.get(group.clientSessionId) === group)
      bySession.delete(group.clientSessionId)
    if (groups.size === 0 && timer !== undefined) {
      clearInterval(timer)
      timer = undefined
    }
  }

  const join = (principal: Principal): Group | undefined => {
    if (principal.kind !== 'workspace' && principal.kind !== 'clientSession') return undefined
    const { credential } = principal
    const key = credentialKey(credential)
    let group = groups.get(key)
    if (group === undefined) {
      group = {
        key,
        credential,
        clientSessionId: principal.kind === 'clientSession' ? principal.clientSessionId : undefined,
        sockets: new Set(),
        streams: new Set(),
        checkedAt: now(),
        checking: false,
      }
      groups.set(key, group)
      if (group.clientSessionId !== undefined) bySession.set(group.clientSessionId, group)
      if (!closed) timer ??= setInterval(tick, tickMs).unref()
    }
    return group
  }

  // One listener function for every socket: `this` is the socket that closed.
  function leaveSocket(this: WebSocket) {
    const group = socketGroups.get(this)
    if (group === undefined) return
    socketGroups.delete(this)
    group.sockets.delete(this)
    drop(group)
  }

  /** Closes a refused credential's connections. */
  const refuse = (group: Group) => {
    const sockets = [...group.sockets]
    const streams = [...group.streams]
    group.sockets.clear()
    group.streams.clear()
    drop(group)
    for (const socket of sockets) {
      socketGroups.delete(socket)
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
        socket.close(CREDENTIAL_REFUSED_CLOSE.code, CREDENTIAL_REFUSED_CLOSE.reason)
      }
    }
    for (const stream of streams) {
      streamGroups.delete(stream)
      void Promise.resolve(stream.return()).catch(() => {})
    }
    logger.info(
      { kind: group.credential.kind, sockets: sockets.length, streams: streams.length },
      'connections closed: Seam no longer accepts their credential',
    )
    options.onRefused?.({ sockets: sockets.length, streams: streams.length })
  }

  const check = async (group: Group) => {
    try {
      const principal = await options.recheck(group.credential)
      group.checkedAt = now()
      options.onConfirmed?.(principal)
    } catch (error) {
      if (isUnauthenticated(error)) return refuse(group)
      // Not a refusal (Seam unavailable, timing out, rate limiting us): the connections stay, and
      // the credential is asked again a period later.
      group.checkedAt = now()
      if (now() - lastWarning >= periodMs) {
        lastWarning = now()
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'open connections kept: their credential could not be re-checked with Seam now',
        )
      }
    } finally {
      group.checking = false
    }
  }

  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const group = queue.shift() as Group
      active++
      void check(group).finally(() => {
        active--
        pump()
      })
    }
  }

  // Due: a check now keeps the gap since the last one within the period, whatever the tick's phase.
  // A tick that comes a little early by the clock still finds what it came for: without the
  // allowance, the group that started the timer (its first check due exactly three ticks later)
  // would, now and then, wait a quarter period more.
  function tick() {
    const due = now() - (periodMs - tickMs) + TICK_EARLINESS_MS
    for (const group of groups.values()) {
      if (group.checking || group.checkedAt > due) continue
      group.checking = true
      queue.push(group)
    }
    pump()
  }

  return {
    /** Watches a graphql-ws socket of this principal until it closes. */
    watchSocket(principal: Principal, socket: WebSocket): void {
      // A socket that closed while its credential was looked up will not say so again.
      if (socket.readyState !== socket.OPEN) return
      const group = join(principal)
      if (group === undefined) return
      group.sockets.add(socket)
      socketGroups.set(socket, group)
      socket.on('close', leaveSocket)
    },
    /** Watches an SSE stream of this principal; {@link unwatchStream} once it ended. */
    watchStream(principal: Principal, stream: EndableStream): void {
      const group = join(principal)
      if (group === undefined) return
      group.streams.add(stream)
      streamGroups.set(stream, group)
    },
    /** A watched stream ended. */
    unwatchStream(stream: EndableStream): void {
      const group = streamGroups.get(stream)
      if (group === undefined) return
      streamGroups.delete(stream)
      group.streams.delete(stream)
      drop(group)
    },
    /** True while a connection of this client session is open and watched. */
    holds(clientSessionId: string): boolean {
      return bySession.has(clientSessionId)
    },
    /** Stops the timer (the connections are closed by the server's own shutdown). */
    close(): void {
      closed = true
      clearInterval(timer)
      timer = undefined
      queue.length = 0
    },
  }
}

/** The process's re-validation of open connections. */
export type ConnectionRevalidator = ReturnType<typeof createConnectionRevalidator>
