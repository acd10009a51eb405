import { type GraphQLError, getOperationAST } from 'graphql'
import type { ServerOptions } from 'graphql-ws'
import type { Extra } from 'graphql-ws/use/ws'
import { clientAddress } from '../auth/client-address.js'
import type { ConnectionLimits } from '../auth/connection-limits.js'
import { readCredentialFromConnectionParams } from '../auth/credentials.js'
import type { Principal } from '../auth/principal.js'
import type { RateLimiter } from '../auth/rate-limit.js'
import type { PrincipalResolver } from '../auth/resolve-principal.js'
import type { ConnectionRevalidator } from '../auth/revalidate-connections.js'
import type { Config } from '../config.js'
import { forSocket, maskError, parseOrExplain } from '../contract/error-shaping.js'
import { gatewayError } from '../contract/errors.js'
import { createEventExecution, type EventExecutionOptions } from '../graphql/event-execution.js'
import type { PersistedOperations } from '../graphql/persisted-operations.js'
import type { GatewayYoga } from '../graphql/yoga.js'
import type { GatewayContext } from '../schema/context.js'
import type { SessionSocket, SocketRegistry } from './socket-registry.js'

/** What graphql-ws needs from the envelop pipeline: the `execute` and `subscribe` that Yoga's plugins
 * wrapped, passed as the root value of each operation. */
type EnvelopedRoot = { execute: (args: unknown) => never; subscribe: (args: unknown) => never }

/** What graphql-ws keeps per socket, besides the socket and its upgrade request. Per socket. */
export type SocketExtra = {
  /** The socket's principal, resolved once at `connection_init`. */
  principal?: Principal
  /** A client session's socket, as the event path sees it. */
  sessionSocket?: SessionSocket
  /** What the socket's subscriptions keep between events; one for all of them. */
  subscriptionContext?: Pick<GatewayContext, 'principal' | 'socket'>
}

/** What {@link graphqlWsOptions} needs. */
export interface GraphqlWsDeps {
  config: Pick<Config, 'trustProxy'> & { limits: Pick<Config['limits'], 'maxSubscriptionsPerSocket'> }
  /** Yoga's envelop pipeline: sockets are parsed, validated, limited and executed as HTTP is. */
  yoga: Pick<GatewayYoga, 'getEnveloped'>
  resolvePrincipal: PrincipalResolver
  rateLimiter: Pick<RateLimiter, 'admitAddress'>
  connectionLimits: Pick<ConnectionLimits, 'acquirePrincipal'>
  revalidator: Pick<ConnectionRevalidator, 'watchSocket'>
  sockets: Pick<SocketRegistry, 'add'>
  /** The allow-list, when PERSISTED_OPERATIONS_FILE is set. */
  persistedOperations: PersistedOperations | undefined
  /** Builds a subscription event's context from its subscription's (same principal, same socket). */
  eventContext: EventExecutionOptions['refresh']
  /** Told +1 when a subscription starts and -1 when it ends (metrics). */
  countSubscriptions: (delta: number) => void
}

/**
 * The graphql-ws server options: who may open a socket (`onConnect`), how each operation is set up
 * through Yoga's pipeline (`onSubscribe`), and how errors leave (`onNext`). A pure function of its
 * dependencies: nothing listens until the options reach `useServer` (`./server.ts`).
 */
export function graphqlWsOptions(
  deps: GraphqlWsDeps,
): ServerOptions<Record<string, unknown> | undefined, Extra & Partial<SocketExtra>> {
  const { config, yoga, persistedOperations } = deps
  const { maxSubscriptionsPerSocket } = config.limits
  /**
   * graphql-ws subscriptions skip envelop's subscribe: its per-subscription wrappers (error and
   * result hooks of every plugin) hold memory per idle subscription, and nothing in them is
   * needed once the operation was parsed, validated, limited and rate-counted in `onSubscribe`.
   * Errors are masked here as Yoga masks them.
   */
  const socketSubscription = {
    subscribe: createEventExecution({
      refresh: deps.eventContext,
      count: deps.countSubscriptions,
      finish: (result) =>
        result.errors === undefined
          ? result
          : {
              ...result,
              errors: result.errors.map((e) => maskError(e, 'Unexpected error.') as GraphQLError),
            },
    }),
  }

  return {
    connectionInitWaitTimeout: 3000,
    onConnect: async (ctx) => {
      try {
        // The socket's address is counted before its credential is looked up, as over HTTP.
        await deps.rateLimiter.admitAddress(clientAddress(ctx.extra.request, config.trustProxy))
        const principal = await deps.resolvePrincipal(
          readCredentialFromConnectionParams(ctx.connectionParams),
        )
        if (principal.kind !== 'workspace' && principal.kind !== 'clientSession') return false
        // A socket that closed during the lookup takes no place (its close has been told).
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false
        // Over MAX_CONNECTIONS_PER_PRINCIPAL: RATE_LIMITED, closed with 4429 below.
        ctx.extra.socket.once('close', deps.connectionLimits.acquirePrincipal(principal))
        ctx.extra.principal = principal
        deps.revalidator.watchSocket(principal, ctx.extra.socket)
        if (principal.kind === 'clientSession') {
          ctx.extra.sessionSocket = deps.sockets.add(principal.clientSessionId, ctx.extra.socket)
        }
        return true
      } catch (error) {
        // A refused credential: graphql-ws closes with 4403 Forbidden. Anything else (Seam
        // unavailable) is not the caller's fault: 4500 with a message that leaks nothing.
        const code = (error as GraphQLError).extensions?.code
        if (code === 'UNAUTHENTICATED') return false
        if (code === 'RATE_LIMITED') {
          // 4429, as HTTP's 429; graphql-ws clients do not retry it at once. The close that
          // graphql-ws sends after `false` is a no-op on a closing socket.
          ctx.extra.socket.close(4429, (error as GraphQLError).message)
          return false
        }
        throw new Error('The credential could not be checked now; try again')
      }
    },
    // Yoga's envelop pipeline (parse, validate, context, execute) serves sockets exactly as HTTP.
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
    onSubscribe: async (ctx, _id, params) => {
      if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerSocket) {
        return [
          gatewayError(
            'RATE_LIMITED',
            `A socket may hold at most ${maxSubscriptionsPerSocket} operations at once`,
          ),
        ]
      }
      // Every failure of an operation's setup (syntax, limits, rate limit, allow-list) is that
      // operation's `error` message, as over HTTP; the socket stays open.
      try {
        const query =
          persistedOperations === undefined ? params.query : persistedOperations.socketQuery(params)
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: { ...params, query },
          principal: ctx.extra.principal,
          sessionSocket: ctx.extra.sessionSocket,
        })
        const args = {
          schema,
          operationName: params.operationName,
          document: parseOrExplain(parse, query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        }
        const errors = validate(args.schema, args.document)
        if (errors.length > 0) return errors.map(forSocket)
        if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') {
          // An idle subscription keeps only its principal and socket; every event gets a
          // context of its own (see socketSubscription).
          const { principal, socket } = args.contextValue as GatewayContext
          let kept = ctx.extra.subscriptionContext
          if (kept === undefined || kept.principal !== principal || kept.socket !== socket) {
            kept = { principal, socket }
            ctx.extra.subscriptionContext = kept
          }
          return { ...args, contextValue: kept, rootValue: socketSubscription }
        }
        return args
      } catch (error) {
        return [forSocket(maskError(error, 'Unexpected error.') as GraphQLError)]
      }
    },
    // Errors leave over the socket without the HTTP hints they carry for Yoga.
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors === undefined
        ? undefined
        : { ...result, errors: result.errors.map((e) => forSocket(e).toJSON()) },
  }
}
