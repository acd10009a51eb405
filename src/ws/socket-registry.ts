import type { WebSocket } from 'ws'

/** graphql-ws close code for an ended session: the protocol's `4403 Forbidden`. */
export const SESSION_ENDED_CLOSE = { code: 4403, reason: 'Forbidden' } as const

/** One client-session socket, as the event path sees it. Per socket. */
export interface SessionSocket {
  /** A `clientSessionDeleted` subscription of this socket started waiting for its event. */
  watching(): void
  /** That subscription sent its event (or stopped): once none waits, an ended session's socket closes. */
  settled(): void
}

/** Options of {@link createSocketRegistry}. */
export interface SocketRegistryOptions {
  /** How long an ended session's socket waits for its own event before it closes anyway. @default 1000 */
  graceMs?: number
  /** Told how many sockets each ended session had (metrics). */
  onSessionEnded?: (closed: number) => void
}

/**
 * The open graphql-ws sockets of client sessions, by session id, so that ending a session costs
 * one map lookup. Per process.
 *
 * When a session ends, each of its sockets first gets its own `clientSessionDeleted` event (its
 * subscription stream yields the event, then calls {@link SessionSocket.settled}), and is then
 * closed with 4403. A socket with no such subscription closes at once; one whose subscription does
 * not deliver within `graceMs` closes anyway.
 */
export function createSocketRegistry(options: SocketRegistryOptions = {}) {
  const graceMs = options.graceMs ?? 1000
  const bySession = new Map<string, Set<Entry>>()

  interface Entry {
    socket: WebSocket
    waiting: number
    ending: boolean
  }

  const close = (entry: Entry) => {
    if (
      entry.socket.readyState === entry.socket.OPEN ||
      entry.socket.readyState === entry.socket.CONNECTING
    ) {
      entry.socket.close(SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason)
    }
  }

  return {
    /** Registers a socket of a session; it leaves the registry when it closes. */
    add(clientSessionId: string, socket: WebSocket): SessionSocket {
      const entry: Entry = { socket, waiting: 0, ending: false }
      const handle: SessionSocket = {
        watching: () => {
          entry.waiting++
        },
        settled: () => {
          entry.waiting = Math.max(0, entry.waiting - 1)
          // The event was handed to the socket before this runs; the subscription's `complete` goes
          // out in the same turn, so the close frame waits for the next one and follows both.
          if (entry.ending && entry.waiting === 0) setImmediate(() => close(entry))
        },
      }
      // A socket that closed while its credential was looked up will not say so again.
      if (socket.readyState !== socket.OPEN) return handle
      const entries = bySession.get(clientSessionId) ?? new Set()
      entries.add(entry)
      bySession.set(clientSessionId, entries)
      socket.once('close', () => {
        entries.delete(entry)
        if (entries.size === 0 && bySession.get(clientSessionId) === entries)
          bySession.delete(clientSessionId)
      })
      return handle
    },
    /** Closes an ended session's sockets (after their own event); returns how many there were. */
    sessionEnded(clientSessionId: string): number {
      const entries = [...(bySession.get(clientSessionId) ?? [])]
      for (const entry of entries) {
        entry.ending = true
        if (entry.waiting === 0) close(entry)
        else setTimeout(() => close(entry), graceMs).unref()
      }
      options.onSessionEnded?.(entries.length)
      return entries.length
    },
    /** Open sockets of a session. */
    count(clientSessionId: string): number {
      return bySession.get(clientSessionId)?.size ?? 0
    },
  }
}

/** The process's registry of client-session sockets. */
export type SocketRegistry = ReturnType<typeof createSocketRegistry>
