import type { IncomingMessage, Server } from 'node:http'
import type { GraphQLError } from 'graphql'
import {
  CloseCode,
  DEPRECATED_GRAPHQL_WS_PROTOCOL,
  handleProtocols,
  makeServer,
  type ServerOptions,
} from 'graphql-ws'
import type { Extra } from 'graphql-ws/use/ws'
import type { Gauge } from 'prom-client'
import { type WebSocket, WebSocketServer } from 'ws'
import { clientAddress } from '../auth/client-address.js'
import type { ConnectionLimits } from '../auth/connection-limits.js'
import type { Config } from '../config.js'
import { originAllowed } from '../http/guards.js'
import type { SocketExtra } from './graphql-ws-options.js'
import { corkPerTurn } from './socket-writes.js'

/** Options of {@link attachGraphqlWs}. */
export interface GraphqlWsServerOptions {
  config: Pick<Config, 'corsOrigins' | 'trustProxy'> & { limits: Pick<Config['limits'], 'maxBodyBytes'> }
  /** The graphql-ws server options (`graphqlWsOptions`). */
  options: ServerOptions<Record<string, unknown> | undefined, Extra & Partial<SocketExtra>>
  /** Every socket holds its client address's place (and the instance's) from the upgrade. */
  connectionLimits: Pick<ConnectionLimits, 'acquireAddress'>
  /** `gateway_open_sockets`. */
  openSockets: Pick<Gauge, 'inc' | 'dec' | 'set'>
}

/** Keep-alive pings, in ms; a socket that stops answering them is closed. */
const KEEP_ALIVE_MS = 12_000

/**
 * graphql-ws on `/graphql` of the gateway's server. A browser's socket must come from the gateway's
 * own origin or one of CORS_ORIGINS, as its HTTP requests; no message is larger than
 * MAX_BODY_BYTES. Per server.
 *
 * @returns what closes it: every socket with 1001 Going away, then the WebSocket server
 */
export function attachGraphqlWs(server: Server, options: GraphqlWsServerOptions): { close(): Promise<void> } {
  const { config, connectionLimits, openSockets } = options
  const wsServer = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: config.limits.maxBodyBytes,
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      originAllowed(origin, req.headers.host, config.corsOrigins),
  })
  wsServer.on('connection', (socket, req) => {
    corkPerTurn(socket, req.socket)
    openSockets.inc()
    socket.once('close', () => openSockets.dec())
    // A socket holds its address's place (and the instance's) from the upgrade until it closes,
    // whether it ever sends connection_init or not.
    try {
      socket.once('close', connectionLimits.acquireAddress(clientAddress(req, config.trustProxy)))
    } catch (error) {
      socket.close(4429, (error as GraphQLError).message)
    }
  })
  const graphqlWs = serveGraphqlWs(options.options, wsServer, KEEP_ALIVE_MS)
  return {
    async close() {
      // graphql-ws closes every socket with 1001 and waits for the server to close.
      await graphqlWs.dispose()
      openSockets.set(0)
    },
  }
}

/**
 * Makes equal query texts one string: `intern(text)` answers the first copy it kept of an equal
 * text. What it keeps is bounded three ways, since the texts come from callers: texts longer than
 * `maxLength` are not kept, and it empties itself before it would hold more than `maxEntries`
 * texts or `maxTotalLength` characters (a caller's stream of distinct large documents never pins
 * more than that). Per server.
 */
export function createQueryInterner({
  maxLength = 8 * 1024,
  maxEntries = 1000,
  maxTotalLength = 1024 * 1024,
}: {
  maxLength?: number
  maxEntries?: number
  maxTotalLength?: number
} = {}) {
  const texts = new Map<string, string>()
  let total = 0
  return {
    intern(text: string): string {
      if (text.length > maxLength) return text
      const known = texts.get(text)
      if (known !== undefined) return known
      if (texts.size >= maxEntries || total + text.length > maxTotalLength) {
        texts.clear()
        total = 0
      }
      texts.set(text, text)
      total += text.length
      return text
    },
    /** Texts kept now, and their characters (tests). */
    get size() {
      return { entries: texts.size, characters: total }
    },
  }
}

/**
 * graphql-ws's `useServer` (`graphql-ws/use/ws`), the same protocol, keep-alive, close codes and
 * error handling, with what it holds per subscription cut down: a subscription's `subscribe`
 * message stays pending inside graphql-ws for the subscription's whole life, so here
 *
 * - no async frame of our own waits on it (`useServer` holds one per operation, with the frame's
 *   message Buffer, which pins the socket's read chunk);
 * - graphql-ws gets the message already parsed, which it accepts in place of the text (it then
 *   validates it as ever), so that the text is not held as well;
 * - equal query texts are one string: 50,000 subscriptions of one document hold its text once.
 */
function serveGraphqlWs<E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<Record<string, unknown> | undefined, Extra & Partial<E>>,
  wsServer: WebSocketServer,
  keepAlive: number,
): { dispose(): Promise<void> } {
  const isProd = process.env.NODE_ENV === 'production'
  const server = makeServer(options)
  const queryTexts = createQueryInterner()
  const internQuery = (message: unknown) => {
    const payload = (message as { type?: unknown; payload?: { query?: unknown } } | null)?.payload
    if ((message as { type?: unknown }).type !== 'subscribe' || typeof payload?.query !== 'string') return
    payload.query = queryTexts.intern(payload.query)
  }
  const closeOnError = (socket: WebSocket, error: unknown) =>
    socket.close(
      CloseCode.InternalServerError,
      isProd
        ? 'Internal server error'
        : limitCloseReason(error instanceof Error ? error.message : String(error)),
    )
  wsServer.options.handleProtocols = handleProtocols
  wsServer.once('error', (error) => {
    console.error('Internal error emitted on the WebSocket server. Please check your implementation.', error)
    let firstError: unknown = null
    for (const client of wsServer.clients) {
      try {
        closeOnError(client, error)
      } catch (closeError) {
        firstError = firstError ?? closeError
      }
    }
    if (firstError) throw firstError
  })
  wsServer.on('connection', (socket, request) => {
    socket.once('error', (error) => {
      console.error('Internal error emitted on a WebSocket socket. Please check your implementation.', error)
      closeOnError(socket, error)
    })
    let pongWait: NodeJS.Timeout | null = null
    const pingInterval =
      keepAlive > 0 && Number.isFinite(keepAlive)
        ? setInterval(() => {
            if (socket.readyState === socket.OPEN) {
              pongWait = setTimeout(() => socket.terminate(), keepAlive)
              socket.once('pong', () => {
                if (pongWait) {
                  clearTimeout(pongWait)
                  pongWait = null
                }
              })
              socket.ping()
            }
          }, keepAlive)
        : null
    let writes: Writes | undefined
    // One per socket, not per message: a message's handling ends when its operation does.
    const failed = (error: unknown) => {
      console.error(
        'Internal error occurred during message handling. Please check your implementation.',
        error,
      )
      closeOnError(socket, error)
    }
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return Promise.resolve()
          // Resolves once this message is written, as graphql-ws expects; the messages written
          // meanwhile (a broadcast's, one per subscription of the socket) share one promise and
          // one callback, rather than a promise and two closures each.
          if (writes === undefined || writes.settled) writes = new Writes()
          return writes.send(socket, data)
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            let message: unknown
            try {
              message = JSON.parse(String(data))
            } catch {
              // What graphql-ws answers a text it cannot parse.
              return socket.close(CloseCode.BadRequest, 'Invalid message received')
            }
            if (typeof message === 'object' && message !== null) internQuery(message)
            // graphql-ws takes a parsed message as it takes a text (and validates it either way).
            handle(message as string).then(undefined, failed)
          }),
      },
      { socket, request } as Extra & Partial<E>,
    )
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait)
      if (pingInterval) clearInterval(pingInterval)
      if (
        !isProd &&
        code === CloseCode.SubprotocolNotAcceptable &&
        socket.protocol === DEPRECATED_GRAPHQL_WS_PROTOCOL
      ) {
        console.warn(
          `Client provided the unsupported and deprecated subprotocol "${socket.protocol}" used by subscriptions-transport-ws.` +
            'Please see https://www.apollographql.com/docs/apollo-server/data/subscriptions/#switching-from-subscriptions-transport-ws.',
        )
      }
      void closed(code, String(reason))
    })
  })
  return {
    async dispose() {
      for (const client of wsServer.clients) client.close(1001, 'Going away')
      wsServer.removeAllListeners()
      await new Promise<void>((resolve, reject) =>
        wsServer.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}

/**
 * Messages of one socket written one after another: one promise for them all, settled when the
 * last of them is written (writes complete in order), or rejected with the first write error.
 */
class Writes {
  settled = false
  #pending = 0
  #resolve!: () => void
  #reject!: (error: Error) => void
  readonly #promise = new Promise<void>((resolve, reject) => {
    this.#resolve = resolve
    this.#reject = reject
  })
  // One callback for every message of the batch: the stream also batches their completions.
  readonly #written = (error?: Error | null) => {
    if (this.settled) return
    if (error) {
      this.settled = true
      this.#reject(error)
    } else if (--this.#pending === 0) {
      this.settled = true
      this.#resolve()
    }
  }

  send(socket: WebSocket, data: string): Promise<void> {
    this.#pending++
    socket.send(data, this.#written)
    return this.#promise
  }
}

/** graphql-ws's own: a close reason must fit in a close frame. */
const limitCloseReason = (reason: string) => (reason.length < 124 ? reason : 'Internal server error')
