import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { YogaInitialContext } from 'graphql-yoga'
import type { ActionAttemptDevices } from '../auth/action-attempt-devices.js'
import { clientAddress } from '../auth/client-address.js'
import { readCredentialFromHeaders } from '../auth/credentials.js'
import { clientSessionPrincipal, type Principal } from '../auth/principal.js'
import type { RateLimiter } from '../auth/rate-limit.js'
import type { PrincipalResolver } from '../auth/resolve-principal.js'
import type { Config } from '../config.js'
import { badUserInput } from '../contract/errors.js'
import type { DeviceEvents } from '../events/device-events.js'
import type { SessionEvents } from '../events/session-events.js'
import { CallerGone } from '../http/caller-gone.js'
import { createLoaders } from '../loaders/index.js'
import type { GatewayContext } from '../schema/context.js'
import { createCursorSigner } from '../schema/pagination.js'
import { createCallBudget } from '../upstream/call-budget.js'
import type { Abandonment, CallOptions, Upstream } from '../upstream/client.js'
import type { SessionSocket } from '../ws/socket-registry.js'

/**
 * What Yoga is given per request besides its own: the principal and session socket of a graphql-ws
 * operation (resolved once per socket), and the Node request and response.
 */
export interface ServerContext {
  principal?: Principal
  sessionSocket?: SessionSocket
  req?: IncomingMessage
  res?: ServerResponse
}

/** What {@link createContexts} needs. */
export interface ContextDeps {
  config: Pick<Config, 'cursorSecret' | 'trustProxy'> & {
    limits: Pick<Config['limits'], 'maxUpstreamCallsPerOperation'>
  }
  upstream: Upstream
  resolvePrincipal: PrincipalResolver
  rateLimiter: Pick<RateLimiter, 'admit' | 'admitAddress' | 'admitSignIn' | 'consume'>
  events: SessionEvents
  deviceEvents: DeviceEvents
  /** Told each device action and its outcome (metrics). */
  observeAction: (action: string, outcome: string) => void
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
  const {
    config,
    upstream,
    rateLimiter,
    events,
    deviceEvents,
    observeAction,
    observeBatch,
    actionAttemptDevices,
  } = deps
  const records = { actionAttemptDevices }
  // Instances behind one balancer share CURSOR_SECRET (config requires it with REDIS_URL); one
  // instance alone signs with a secret of its own, so its cursors die with the process.
  const cursors = createCursorSigner(config.cursorSecret ?? randomBytes(32))

  /**
   * A context for `principal`. Plain data, so that Yoga's context takes it with one
   * `Object.assign`: the Seam client and the loaders are objects that make their parts (headers,
   * DataLoaders) on first use, since most subscription events (and every idle subscription) never
   * touch them, and 10,000 of them should cost next to nothing.
   */
  const build = (principal: Principal, socket?: SessionSocket, signal?: Abandonment): GatewayContext => {
    const issuedSessionIds = new Set<string>()
    if (principal.kind === 'anonymous')
      return {
        principal,
        seam: null,
        loaders: null,
        loadersAsSession: null,
        cursors,
        events,
        deviceEvents,
        observeAction,
        actionAttemptDevices,
        issuedSessionIds,
        signIn: null,
      }
    // The request's abort signal (a client that goes away abandons its upstream calls too), and
    // one budget of calls for the operation (or the event), whichever clients it uses.
    const callOptions: CallOptions = {
      signal,
      budget: createCallBudget(config.limits.maxUpstreamCallsPerOperation),
    }
    // The caller's own credential.
    const seam = upstream.as(principal.credential, callOptions)
    if (principal.kind !== 'publishableKey') {
      return {
        principal,
        events,
        deviceEvents,
        observeAction,
        actionAttemptDevices,
        socket,
        issuedSessionIds,
        cursors,
        signIn: null,
        loadersAsSession: null,
        seam,
        loaders: createLoaders(seam, principal, observeBatch, records),
      }
    }
    let signedIn = false
    return {
      principal,
      events,
      deviceEvents,
      observeAction,
      actionAttemptDevices,
      socket,
      issuedSessionIds,
      cursors,
      // Aliases would otherwise make one operation (one count of the rate limit) many sign-ins.
      signIn: () => {
        if (signedIn) {
          throw badUserInput(
            'A publishable key may get or create one client session per operation; send one getOrCreateClientSession',
          )
        }
        signedIn = true
        return rateLimiter.admitSignIn(principal.credential.key)
      },
      loadersAsSession: (session) =>
        createLoaders(
          upstream.as({ kind: 'clientSessionToken', token: session.token }, callOptions),
          clientSessionPrincipal(session),
          observeBatch,
          records,
        ),
      seam,
      // Loaders only serve principals that read: a publishable key only calls get_or_create.
      loaders: null,
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
        const read = readCredentialFromHeaders(initial.request.headers)
        principal = deps.resolvePrincipal.peek(read)
        // Known without a lookup (the common case): the address and the principal are counted in
        // one round trip to the shared state.
        if (principal !== undefined) await rateLimiter.admit(address, principal)
        else {
          await rateLimiter.admitAddress(address)
          principal = await deps.resolvePrincipal(read)
          await rateLimiter.consume(principal, address)
        }
      } else {
        // Every operation counts against its principal's rate limit, whatever the transport.
        await rateLimiter.consume(principal, address)
      }
      if (principal.kind === 'clientSession') events.remember(principal.session)
      // Envelop merges it into Yoga's own context (one Object.assign of plain data). Over HTTP
      // (and SSE) the caller going away is read from the Node response, as the request's signal
      // reads it, but more cheaply; graphql-ws has neither.
      const gone = initial.res === undefined ? initial.request?.signal : new CallerGone(initial.res)
      return build(principal, initial.sessionSocket, gone)
    },
  }
}

/** The contexts of one app. */
export type Contexts = ReturnType<typeof createContexts>
