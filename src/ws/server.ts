import type { IncomingMessage, Server } from 'node:http'
import type { GraphQLError } from 'graphql'
import type { ServerOptions } from 'graphql-ws'
import { type Extra, useServer } from 'graphql-ws/use/ws'
import type { Gauge } from 'prom-client'
import { WebSocketServer } from 'ws'
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
  const graphqlWs = useServer<Record<string, unknown> | undefined, SocketExtra>(
    options.options,
    wsServer,
    KEEP_ALIVE_MS,
  )
  return {
    async close() {
      // graphql-ws closes every socket with 1001 and waits for the server to close.
      await graphqlWs.dispose()
      openSockets.set(0)
    },
  }
}
