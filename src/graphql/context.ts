import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { YogaInitialContext } from 'graphql-yoga'
import type { ActionAttemptDevices } from '../auth/action-attempt-devices.js'
import { clientAddress } from '../auth/client-address.js'
import { readCredentialFromHeaders } from '../auth/credentials.js'
import { clientSessionPrincipal, type Principal } from '../auth/principal.js'
import type { RateLimiter } from '../auth/rate-limit.js'
import type { PrincipalResolver } from '../auth/resolve-principal.js'
import type { Config } from '../config.js'
import { badUserInput } from '../contract/errors.js'
import type { SessionEvents } from '../events/session-events.js'
import { createLoaders, type Loaders } from '../loaders/index.js'
import type { GatewayContext } from '../schema/context.js'
import { createCursorSigner } from '../schema/pagination.js'
import { type CallBudget, createCallBudget } from '../upstream/call-budget.js'
import type { CallOptions, SeamClient, Upstream } from '../upstream/client.js'
import type { SessionSocket } from '../ws/socket-registry.js'

/**
 * What Yoga is given per request besides its own: the principal and session socket of a graphql-ws
 * operation (resolved once per socket), and the Node request.
 */
export interface ServerContext {
  principal?: Principal
  sessionSocket?: SessionSocket
  req?: IncomingMessage
}

/** What {@link createContexts} needs. */
export interface ContextDeps {
  config: Pick<Config, 'cursorSecret' | 'trustProxy'> & {
    limits: Pick<Config['limits'], 'maxUpstreamCallsPerOperation'>
  }
  upstream: Upstream
  resolvePrincipal: PrincipalResolver
  rateLimiter: Pick<RateLimiter, 'admitAddress' | 'admitSignIn' | 'consume'>
  events: SessionEvents
  /** Told the size of every DataLoader batch (metrics). */
  observeBatch: (entity: string, size: number) => void
  /** Which device each action attempt the gateway started acts on (shared by instances). */
  actionAttemptDevices: ActionAttemptDevices
}

/**
 * The resolvers' context ({@link GatewayContext}): built per operation over HTTP, SSE and
 * graphql-ws, and per event of a subscription. Per app.
 */
export function createContexts(deps: ContextDeps) {
  const { config, upstream, rateLimiter, events, observeBatch, actionAttemptDevices } = deps
  const records = { actionAttemptDevices }
  // Instances behind one balancer share CURSOR_SECRET (config requires it with REDIS_URL); one
  // instance alone signs with a secret of its own, so its cursors die with the process.
  const cursors = createCursorSigner(config.cursorSecret ?? randomBytes(32))

  /** A context for `principal`: the Seam client and the loaders are made on first use. */
  const build = (principal: Principal, socket?: SessionSocket, signal?: AbortSignal): GatewayContext => {
    const issuedSessionIds = new Set<string>()
    if (principal.kind === 'anonymous')
      return {
        principal,
        seam: null,
        loaders: null,
        loadersAsSession: null,
        cursors,
        events,
        actionAttemptDevices,
        issuedSessionIds,
        signIn: null,
      }
    // The Seam client and the loaders are made on first use: most subscription events (and
    // every idle subscription) never touch them, and 10,000 of them should cost nothing.
    let seam: SeamClient | undefined
    let loaders: Loaders | null | undefined
    // The request's abort signal (a client that goes away abandons its upstream calls too), and
    // one budget of calls for the operation (or the event), whichever clients it uses.
    let budget: CallBudget | undefined
    const callOptions = (): CallOptions => {
      budget ??= createCallBudget(config.limits.maxUpstreamCallsPerOperation)
      return { signal, budget }
    }
    // The caller's own credential.
    const seamClient = () => (seam ??= upstream.as(principal.credential, callOptions()))
    let signedIn = false
    return {
      principal,
      events,
      actionAttemptDevices,
      socket,
      issuedSessionIds,
      cursors,
      // Aliases would otherwise make one operation (one count of the rate limit) many sign-ins.
      signIn:
        principal.kind === 'publishableKey'
          ? () => {
              if (signedIn) {
                throw badUserInput(
                  'A publishable key may get or create one client session per operation; send one getOrCreateClientSession',
                )
              }
              signedIn = true
              return rateLimiter.admitSignIn(principal.credential.key)
            }
          : null,
      loadersAsSession:
        principal.kind === 'publishableKey'
          ? (session) =>
              createLoaders(
                upstream.as({ kind: 'clientSessionToken', token: session.token }, callOptions()),
                clientSessionPrincipal(session),
                observeBatch,
                records,
              )
          : null,
      get seam() {
        return seamClient()
      },
      get loaders() {
        // Loaders only serve principals that read: a publishable key only calls get_or_create.
        loaders ??=
          principal.kind === 'publishableKey'
            ? null
            : createLoaders(seamClient(), principal, observeBatch, records)
        return loaders
      },
    }
  }

  return {
    build,
    /** A subscription event's context: the subscription's principal and socket, the rest fresh. */
    forEvent: (context: Pick<GatewayContext, 'principal' | 'socket'>) =>
      build(context.principal, context.socket),
    /**
     * Yoga's `context`: counts the client address, resolves the principal (HTTP and SSE; graphql-ws
     * resolved it at `connection_init`), counts the operation against its principal's rate limit.
     */
    async forOperation(initial: YogaInitialContext & ServerContext): Promise<GatewayContext> {
      const address = clientAddress(initial.req, config.trustProxy)
      // graphql-ws resolves the principal once per socket at connection_init; HTTP and SSE here,
      // after the client address is counted, so that unknown credentials cost a bounded number of
      // lookups.
      let principal = initial.principal
      if (principal === undefined) {
        await rateLimiter.admitAddress(address)
        principal = await deps.resolvePrincipal(readCredentialFromHeaders(initial.request.headers))
      }
      // Every operation counts against its principal's rate limit, whatever the transport.
      await rateLimiter.consume(principal, address)
      if (principal.kind === 'clientSession') events.remember(principal.session)
      // Defined on Yoga's own context rather than returned: envelop merges a returned object with
      // Object.assign, which would call the lazy `seam` and `loaders` getters and build a Seam
      // client and four DataLoaders for every operation, whether it reads Seam or not.
      const context = build(principal, initial.sessionSocket, initial.request?.signal)
      Object.defineProperties(initial, Object.getOwnPropertyDescriptors(context))
      return {} as GatewayContext
    },
  }
}

/** The contexts of one app. */
export type Contexts = ReturnType<typeof createContexts>
