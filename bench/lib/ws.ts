import { type Client, createClient } from 'graphql-ws'
import WebSocket from 'ws'

/** How a socket was closed, as its client saw the close frame. */
export interface Close {
  code: number
  reason: string
  /** `performance.now()` when the client saw it. */
  at: number
}

/** One graphql-ws client (one socket) opened by a benchmark. */
export interface Socket {
  client: Client
  /** Set once the socket closes. */
  close: Close | undefined
  /** Resolves when the socket closes. */
  closed: Promise<Close>
}

/** What one subscription received, with the time of each event. */
export interface Subscription {
  /** `performance.now()` of each `next`. */
  arrivals: number[]
  /** Called on every `next` (after its arrival is recorded). */
  onNext: (() => void) | undefined
  errors: unknown[]
  unsubscribe: () => void
}

/** `ws://host:port/graphql` for `http://host:port`. */
export const graphqlWsUrl = (baseUrl: string): string => `${baseUrl.replace(/^http/, 'ws')}/graphql`

/**
 * Opens a graphql-ws client on `{baseUrl}/graphql` at once (no laziness, no retries, no client
 * pings) and resolves when the server acknowledged `connection_init`.
 *
 * @throws when the socket closes before the acknowledgement, with its close code
 */
export function openSocket(baseUrl: string, connectionParams: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let resolveClosed: (close: Close) => void = () => {}
    const socket: Socket = {
      client: undefined as unknown as Client,
      close: undefined,
      closed: new Promise((r) => (resolveClosed = r)),
    }
    socket.client = createClient({
      url: graphqlWsUrl(baseUrl),
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: {
        connected: () => resolve(socket),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string }
          socket.close = { code, reason, at: performance.now() }
          resolveClosed(socket.close)
          reject(new Error(`Expected connection_ack, got a close ${code} ${reason}`))
        },
      },
    })
  })
}

/** Opens `count` sockets, `batch` at a time, with the connection params `paramsOf(i)`. */
export async function openSockets(
  baseUrl: string,
  count: number,
  paramsOf: (index: number) => Record<string, unknown>,
  batch = 50,
): Promise<Socket[]> {
  const sockets: Socket[] = []
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start)
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: size }, (_, i) => openSocket(baseUrl, paramsOf(start + i))),
      )),
    )
  }
  return sockets
}

/** Starts one subscription on a socket and records when its events arrive. */
export function subscribe(
  socket: Socket,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription {
  const subscription: Subscription = {
    arrivals: [],
    onNext: undefined,
    errors: [],
    unsubscribe: () => {},
  }
  subscription.unsubscribe = socket.client.subscribe(
    { query, variables },
    {
      next: () => {
        subscription.arrivals.push(performance.now())
        subscription.onNext?.()
      },
      error: (error) => subscription.errors.push(error),
      complete: () => {},
    },
  )
  return subscription
}

/** Resolves at the subscription's next event after now, or rejects after `timeoutMs`. */
export function nextEvent(subscription: Subscription, timeoutMs: number): Promise<number> {
  const seen = subscription.arrivals.length
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.onNext = undefined
      reject(new Error(`Expected an event within ${timeoutMs} ms, got none`))
    }, timeoutMs)
    subscription.onNext = () => {
      if (subscription.arrivals.length <= seen) return
      clearTimeout(timer)
      subscription.onNext = undefined
      resolve(subscription.arrivals[seen]!)
    }
  })
}

/** Disposes every socket (closing them with 1000) and waits until they are closed. */
export async function disposeAll(sockets: Socket[]): Promise<void> {
  await Promise.all(sockets.map((socket) => socket.client.dispose()))
}
