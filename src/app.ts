import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations'
import { type GraphQLError, getOperationAST } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga'
import type { Logger } from 'pino'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { WebSocketServer } from 'ws'
import { clientAddress } from './auth/client-address.js'
import { createConnectionLimits } from './auth/connection-limits.js'
import { readCredentialFromConnectionParams, readCredentialFromHeaders } from './auth/credentials.js'
import { clientSessionPrincipal, type Principal } from './auth/principal.js'
import { createPrincipalCache, credentialKey } from './auth/principal-cache.js'
import { createRateLimiter } from './auth/rate-limit.js'
import { createPrincipalResolver } from './auth/resolve-principal.js'
import { createConnectionRevalidator, revalidationPeriodMs } from './auth/revalidate-connections.js'
import { createUnknownCredentials } from './auth/unknown-credentials.js'
import type { Config } from './config.js'
import { badUserInput, gatewayError } from './errors.js'
import { createMemoryBus, createRedisBus } from './events/bus.js'
import { createExpiryCheck } from './events/expiry-check.js'
import { createEventsPoller } from './events/poller.js'
import { createSessionEvents, DEDUPE_TTL_MS } from './events/session-events.js'
import { createSocketRegistry, type SessionSocket } from './events/socket-registry.js'
import { createWebhookHandler } from './events/webhook.js'
import { corsRefusal, distinctValues, originAllowed, readCappedBody, sendError } from './http-guards.js'
import { createLoaders, type Loaders } from './loaders/index.js'
import { createLogger, requestContext, warnAtMostEvery, yogaLogger } from './observability/logger.js'
import {
  errorCodeLabel,
  type MetricsServer,
  startMetricsServer,
  upstreamStatusLabel,
  useMetricsBehindToken,
  useOperationMetrics,
} from './observability/metrics.js'
import { loadPersistedOperations, operationIdOf, persistedError } from './persisted-operations.js'
import type { GatewayContext } from './schema/context.js'
import { useCostLimit } from './schema/cost.js'
import { maskError, useErrorCodeMetrics } from './schema/errors.js'
import { createEventExecution, useFreshContextPerEvent } from './schema/fresh-context-per-event.js'
import { schema } from './schema/index.js'
import { createCursorSigner } from './schema/pagination.js'
import { type EnvelopedRoot, forSocket, parseOrExplain } from './socket-errors.js'
import { corkPerTurn } from './socket-writes.js'
import { type CallBudget, createCallBudget } from './upstream/call-budget.js'
import { type CallOptions, createUpstream, type SeamClient } from './upstream/client.js'
import { createHealthProbe } from './upstream/health-probe.js'

/** The gateway, built and ready to listen. */
export interface App {
  /** Starts listening. Resolves with the base URL. */
  start(): Promise<string>
  /** Stops accepting, closes sockets with 1001, lets requests in flight finish. Idempotent. */
  stop(): Promise<void>
  /** Base URL once started, such as `http://127.0.0.1:4000`. */
  readonly url: string
  /**
   * Where `/metrics` is served once started: the metrics listener (`http://127.0.0.1:9464/metrics`),
   * or `${url}/metrics` behind METRICS_TOKEN.
   */
  readonly metricsUrl: string
}

/** Options that are not configuration: injected parts and what the process entry chooses. */
export interface AppOptions {
  /** Logger. @default JSON to stdout at `config.logLevel` ({@link createLogger}) */
  logger?: Logger
  /** GraphiQL's opening state: its query and the JSON of its headers pane. @default empty */
  graphiql?: { defaultQuery?: string; headers?: string }
}

/**
 * Wires the gateway: config → upstream → principals → Yoga (HTTP, SSE) + graphql-ws on one Node
 * server. Per process; nothing listens until {@link Gateway.start}.
 */
export function createApp(config: Config, options: AppOptions = {}): App {
  const endpoint = config.seamEndpoint
  if (endpoint === undefined) throw new Error('Expected a Seam endpoint in the configuration, got none')
  const logger = options.logger ?? createLogger(config.logLevel)
  // Metrics: one registry per gateway, so that several gateways can live in one process (tests).
  const registry = new Registry()
  const upstreamCalls = new Counter({
    name: 'seam_upstream_requests_total',
    help: 'Calls to Seam by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  })
  const sessionEventsCounter = new Counter({
    name: 'gateway_session_events_total',
    help: 'Client session end events by source',
    labelNames: ['source'],
    registers: [registry],
  })
  const duplicatesDropped = new Counter({
    name: 'gateway_event_duplicates_dropped_total',
    help: 'Webhook deliveries and events dropped as duplicates',
    registers: [registry],
  })
  const errorsByCode = new Counter({
    name: 'gateway_errors_total',
    help: 'GraphQL errors returned, by extensions.code',
    labelNames: ['code'],
    registers: [registry],
  })
  const loaderBatchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by entity',
    labelNames: ['entity'],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [registry],
  })
  const upstreamLatency = new Histogram({
    name: 'seam_upstream_request_duration_seconds',
    help: 'Duration of calls to Seam by route',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const openSubscriptions = new Gauge({
    name: 'gateway_open_subscriptions',
    help: 'Subscriptions currently open (graphql-ws and SSE)',
    registers: [registry],
  })
  const pollerHolder = new Gauge({
    name: 'gateway_poller_holder',
    help: '1 while this instance holds the events poller lock (one instance polls)',
    registers: [registry],
  })
  const openSockets = new Gauge({
    name: 'gateway_open_sockets',
    help: 'Open graphql-ws sockets',
    registers: [registry],
  })
  const connectionsRefused = new Counter({
    name: 'gateway_connections_refused_total',
    help: 'Sockets and SSE streams refused because a cap on open connections was full, by cap',
    labelNames: ['limit'],
    registers: [registry],
  })
  // Sockets and SSE streams open at once, per credential, per client address and per instance.
  const connectionLimits = createConnectionLimits({
    perPrincipal: config.limits.maxConnectionsPerPrincipal,
    perAddress: config.limits.maxConnectionsPerAddress,
    perInstance: config.limits.maxConnections,
    onRefused: (limit) => connectionsRefused.inc({ limit }),
  })

  const upstream = createUpstream({
    endpoint,
    timeoutMs: config.upstreamTimeoutMs,
    observe: ({ route, status, durationMs }) => {
      upstreamCalls.inc({ route, status: upstreamStatusLabel(status) })
      upstreamLatency.observe({ route }, durationMs / 1000)
    },
  })

  const principalCache = createPrincipalCache({ ttlMs: config.principalCacheTtlMs })
  // Credentials Seam refused, remembered briefly: a retried bad token costs no upstream call.
  const unknownCredentials = createUnknownCredentials()
  const resolvePrincipal = createPrincipalResolver(
    (credential) => upstream.as(credential),
    principalCache,
    unknownCredentials,
  )
  const socketsClosedBySessionEnd = new Counter({
    name: 'gateway_sockets_closed_by_session_end_total',
    help: 'graphql-ws sockets closed with 4403 because their client session ended',
    registers: [registry],
  })
  const sockets = createSocketRegistry()
  // Shared state of N instances (Redis), or of this one (memory).
  const bus = config.redisUrl
    ? createRedisBus({ url: config.redisUrl, prefix: config.redisKeyPrefix, logger })
    : createMemoryBus()
  // Used when Redis is away, so that this instance still dedupes what it sees itself.
  const localBus = createMemoryBus()
  const claim = (key: string, ttlMs: number) =>
    bus.claim(key, ttlMs).catch((error: unknown) => {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'claim failed; local only')
      return localBus.claim(key, ttlMs)
    })
  const instanceId = randomUUID()
  // Open sockets and SSE streams ask Seam about their credential again every period (SPEC §4).
  const revalidator = createConnectionRevalidator({
    periodMs: revalidationPeriodMs(config.principalCacheTtlMs),
    recheck: (credential) => resolvePrincipal({ kind: 'credential', credential }, { fresh: true }),
    onConfirmed: (principal) => {
      if (principal.kind === 'clientSession') events.remember(principal.session)
    },
    logger,
  })
  const events = createSessionEvents({
    bus,
    logger,
    cache: principalCache,
    // Before EXPIRED, Seam is asked whether the session was extended.
    confirmExpiry: createExpiryCheck({
      upstream: () => upstream,
      apiKey: () => config.seamApiKey,
    }),
    isLive: (clientSessionId) => revalidator.holds(clientSessionId),
    // A session Seam gave a new lease: its token, refused while it had expired, works again at once.
    onNewLease: (token) => unknownCredentials.delete(credentialKey({ kind: 'clientSessionToken', token })),
    sockets: {
      ...sockets,
      sessionEnded: (clientSessionId) => {
        const closed = sockets.sessionEnded(clientSessionId)
        socketsClosedBySessionEnd.inc(closed)
        return closed
      },
    },
    observe: ({ source, fresh }) => {
      sessionEventsCounter.inc({ source })
      if (!fresh) duplicatesDropped.inc()
    },
  })

  // Instances behind one balancer share CURSOR_SECRET (config requires it with REDIS_URL); one
  // instance alone signs with a secret of its own, so its cursors die with the process.
  const cursors = createCursorSigner(config.cursorSecret ?? randomBytes(32))
  const observeBatch = (entity: string, size: number) => loaderBatchSize.observe({ entity }, size)

  const buildContext = (
    principal: Principal,
    socket?: SessionSocket,
    signal?: AbortSignal,
  ): GatewayContext => {
    const issuedSessionIds = new Set<string>()
    if (principal.kind === 'anonymous')
      return {
        principal,
        seam: null,
        loaders: null,
        loadersAsSession: null,
        cursors,
        events,
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
              )
          : null,
      get seam() {
        return seamClient()
      },
      get loaders() {
        // Loaders only serve principals that read: a publishable key only calls get_or_create.
        loaders ??=
          principal.kind === 'publishableKey' ? null : createLoaders(seamClient(), principal, observeBatch)
        return loaders
      },
    }
  }

  /** A subscription event's context: the subscription's principal and socket, the rest fresh. */
  const eventContext = (context: Pick<GatewayContext, 'principal' | 'socket'>) =>
    buildContext(context.principal, context.socket)

  /**
   * graphql-ws subscriptions skip envelop's subscribe: its per-subscription wrappers (error and
   * result hooks of every plugin) held about 5 KiB per idle subscription, and nothing in them is
   * needed once the operation was parsed, validated, limited and rate-counted in `onSubscribe`.
   * Errors are masked here as Yoga masks them.
   */
  const socketSubscription = {
    subscribe: createEventExecution({
      refresh: eventContext,
      count: (delta) => openSubscriptions.inc(delta),
      finish: (result) =>
        result.errors === undefined
          ? result
          : {
              ...result,
              errors: result.errors.map((e) => maskError(e, 'Unexpected error.') as GraphQLError),
            },
    }),
  }

  const webhook = createWebhookHandler({
    secret: config.seamWebhookSecret,
    onSessionDeleted: (event) => events.sessionEnded(event),
    onDuplicate: () => duplicatesDropped.inc(),
    claim: (svixId) => claim(`webhook:${svixId}`, DEDUPE_TTL_MS),
    logger,
  })

  const useOperationsRoutes: Plugin = {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json' },
          }),
        )
      if (url.pathname === '/health') return json(200, { ok: true })
      if (url.pathname === '/ready') {
        // Not ready while the circuit is open: the balancer sends traffic elsewhere meanwhile.
        const upstreamReady = upstream.circuit === 'closed' && (await upstreamReachable())
        const redisReady = bus.ready
        const ok = upstreamReady && redisReady
        return json(ok ? 200 : 503, {
          ok,
          upstream: upstreamReady,
          ...(bus.kind === 'redis' ? { redis: redisReady } : {}),
        })
      }
      if (url.pathname === '/webhooks/seam') return endResponse(await webhook(request))
    },
  }

  const upstreamReachable = createHealthProbe({ endpoint })

  const rateLimiter = createRateLimiter({
    limit: config.limits.rateLimitPerMinute,
    perAddressLimit: config.limits.rateLimitPerAddressPerMinute,
    hit: (key, windowMs) => bus.hit(key, windowMs),
    localHit: (key, windowMs) => localBus.hit(key, windowMs),
    onFallback: warnAtMostEvery(logger, 10_000, 'rate limits counted on this instance only'),
  })
  const persistedOperations = loadPersistedOperations(config.persistedOperationsFile)
  /**
   * A socket's operation under the allow-list: graphql-ws always carries `query`, so the document
   * is taken from the list by id when one is given, and otherwise must be one of the listed texts.
   */
  const allowListed = (params: { query: string; extensions?: Record<string, unknown> | null }): string => {
    const id = operationIdOf({ extensions: params.extensions ?? undefined })
    const listed = id === null ? undefined : persistedOperations?.get(id)
    if (listed !== undefined) return listed
    if (id === null && listedTexts.has(params.query)) return params.query
    throw createGraphQLError(
      'PersistedQueryOnly',
      persistedError('PersistedQueryOnly', 'CANNOT_SEND_PQ_ID_AND_BODY'),
    )
  }
  const listedTexts = new Set(persistedOperations?.values() ?? [])

  const yoga = createYoga<
    { principal?: Principal; sessionSocket?: SessionSocket; req?: IncomingMessage },
    GatewayContext
  >({
    schema,
    graphqlEndpoint: '/graphql',
    // Yoga's own health check answers every path ending in /health with an empty body; ours is JSON.
    healthCheckEndpoint: '/__yoga/health',
    landingPage: false,
    logging: yogaLogger(logger),
    // GraphiQL from the bundled assets of @graphql-yoga/render-graphiql (no CDN: it works offline
    // and behind strict CSPs). Loaded on first use: the bundle is large and most processes never
    // render it.
    renderGraphiQL: async (options) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    graphiql: () =>
      config.graphiql
        ? {
            title: 'Seam GraphQL Gateway',
            // SSE: GraphiQL then sends the headers pane (the token) with subscriptions too; its
            // graphql-ws client would send an empty connection_init and be refused.
            subscriptionsProtocol: 'SSE',
            ...options.graphiql,
          }
        : false,
    cors:
      config.corsOrigins.length === 0
        ? false
        : {
            origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
            credentials: !config.corsOrigins.includes('*'),
            allowedHeaders: [
              'authorization',
              'content-type',
              'client-session-token',
              'seam-client-session-token',
              'seam-publishable-key',
              'seam-user-identifier-key',
            ],
            methods: ['GET', 'POST'],
          },
    batching: false,
    maskedErrors: { maskError },
    context: async (initial): Promise<GatewayContext> => {
      const address = clientAddress(initial.req, config.trustProxy)
      // graphql-ws resolves the principal once per socket at connection_init; HTTP and SSE here,
      // after the client address is counted, so that unknown credentials cost a bounded number of
      // lookups.
      let principal = initial.principal
      if (principal === undefined) {
        await rateLimiter.admitAddress(address)
        principal = await resolvePrincipal(readCredentialFromHeaders(initial.request.headers))
      }
      // Every operation counts against its principal's rate limit, whatever the transport.
      await rateLimiter.consume(principal, address)
      if (principal.kind === 'clientSession') events.remember(principal.session)
      // Defined on Yoga's own context rather than returned: envelop merges a returned object with
      // Object.assign, which would call the lazy `seam` and `loaders` getters and build a Seam
      // client and four DataLoaders for every operation, whether it reads Seam or not.
      const context = buildContext(principal, initial.sessionSocket, initial.request?.signal)
      Object.defineProperties(initial, Object.getOwnPropertyDescriptors(context))
      return {} as GatewayContext
    },
    plugins: [
      useOperationsRoutes,
      ...(config.metricsToken === undefined ? [] : [useMetricsBehindToken(registry, config.metricsToken)]),
      // A browser's "simple" request (text/plain, form, multipart, or a GET without a custom
      // header) never executes; any credential header makes a request non-simple.
      useCSRFPrevention({
        requestHeaders: [
          'x-graphql-csrf',
          'authorization',
          'client-session-token',
          'seam-client-session-token',
          'seam-publishable-key',
        ],
      }),
      ...(persistedOperations === undefined
        ? []
        : [
            usePersistedOperations({
              getPersistedOperation: (id: string) => persistedOperations.get(id) ?? null,
              allowArbitraryOperations: false,
              // The GraphQL-over-HTTP `documentId`, or Apollo's `extensions.persistedQuery`.
              extractPersistedOperationId: (params) =>
                operationIdOf(params as { documentId?: unknown; extensions?: Record<string, unknown> }),
              // The plugin's own messages and codes, with the 400 that a response without data must
              // carry under application/graphql-response+json (GraphQL over HTTP).
              customErrors: {
                notFound: persistedError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_IN_LIST'),
                persistedQueryOnly: persistedError('PersistedQueryOnly', 'CANNOT_SEND_PQ_ID_AND_BODY'),
                keyNotFound: persistedError('PersistedQueryKeyNotFound', 'PERSISTED_QUERY_ID_REQUIRED'),
              },
            }),
          ]),
      useErrorCodeMetrics((code) => errorsByCode.inc({ code: errorCodeLabel(code) })),
      useFreshContextPerEvent(
        createEventExecution({
          refresh: eventContext,
          count: (delta) => openSubscriptions.inc(delta),
          watch: { start: revalidator.watchStream, end: revalidator.unwatchStream },
          // An SSE stream holds its places (credential, address, instance) until it ends.
          admit: ({ principal, req }) =>
            connectionLimits.acquireStream(principal, clientAddress(req, config.trustProxy)),
        }),
      ),
      // Abuse limits in the validation phase, so HTTP, SSE and WebSocket share them.
      EnvelopArmorPlugin({
        maxDepth: { n: config.limits.maxDepth, ignoreIntrospection: true },
        maxAliases: { n: config.limits.maxAliases },
        maxTokens: { n: config.limits.maxTokens },
        maxDirectives: { n: config.limits.maxDirectives },
        // armor prices only a literal `first`; useCostLimit sees variables and defaults too.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: !config.introspection },
      }),
      useCostLimit({ maxCost: config.limits.maxCost }),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      useOperationMetrics(registry),
    ],
  })

  let server: Server | undefined
  let metricsServer: MetricsServer | undefined
  let metricsUrl = ''
  let wsServer: WebSocketServer | undefined
  let poller: ReturnType<typeof createEventsPoller> | undefined
  let url = ''
  let stopping: Promise<void> | undefined

  const start = async (): Promise<string> => {
    // The metrics listener first: a busy METRICS_PORT fails start before anything is public.
    if (config.metricsToken === undefined) {
      metricsServer = await startMetricsServer({
        registry,
        host: config.metricsHost,
        port: config.metricsPort,
      })
      metricsUrl = metricsServer.url
    }

    server = createServer((req, res) => {
      // A request id for the logs and the caller (a sane incoming x-request-id is kept).
      const incoming = req.headers['x-request-id']
      const requestId =
        typeof incoming === 'string' && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID()
      res.setHeader('x-request-id', requestId)
      const started = performance.now()
      res.once('finish', () => {
        // Never the query string or headers: they may carry credentials.
        logger.info(
          {
            requestId,
            method: req.method,
            path: (req.url ?? '/').split('?')[0],
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
          },
          'request',
        )
        // While stopping, a connection whose last request finished is closed rather than kept
        // alive: stop() waits for in-flight requests, not for clients to drop idle connections.
        if (stopping !== undefined) setImmediate(() => server?.closeIdleConnections())
      })
      // One credential per request: Node keeps only the first of repeated Authorization lines.
      if (distinctValues(req, 'authorization') > 1 || distinctValues(req, 'client-session-token') > 1) {
        sendError(
          res,
          401,
          'UNAUTHENTICATED',
          'The request carries two different credentials; send exactly one',
        )
        return
      }
      // A browser asks before a cross-origin call; an origin that may not call is told so plainly.
      if (
        req.method === 'OPTIONS' &&
        !originAllowed(req.headers.origin, req.headers.host, config.corsOrigins)
      ) {
        sendError(res, 403, 'FORBIDDEN', corsRefusal(req.headers.origin))
        return
      }
      requestContext.run({ requestId }, () => handle(req, res))
    })
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      readCappedBody(req, config.limits.maxBodyBytes).then(
        (body) => {
          // Yoga takes an already-read body as it is (whatwg-node reads `req.body` when present).
          if (body !== undefined) (req as IncomingMessage & { body?: Buffer }).body = body
          yoga(req, res)
        },
        () =>
          sendError(
            res,
            413,
            'BAD_USER_INPUT',
            `Request body is larger than ${config.limits.maxBodyBytes} bytes`,
            {
              connection: 'close',
            },
          ),
      )
    }
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject)
      server!.listen(config.port, config.host, () => resolve())
    })
    // Sockets are attached once the port is ours (a busy port fails start cleanly). A browser's
    // socket must come from the gateway's own origin or one of CORS_ORIGINS, as its HTTP requests.
    wsServer = new WebSocketServer({
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
    wsServer.on('close', () => openSockets.set(0))
    useServer<Record<string, unknown> | undefined, { principal?: Principal; sessionSocket?: SessionSocket }>(
      {
        connectionInitWaitTimeout: 3000,
        onConnect: async (ctx) => {
          try {
            // The socket's address is counted before its credential is looked up, as over HTTP.
            await rateLimiter.admitAddress(clientAddress(ctx.extra.request, config.trustProxy))
            const principal = await resolvePrincipal(readCredentialFromConnectionParams(ctx.connectionParams))
            if (principal.kind !== 'workspace' && principal.kind !== 'clientSession') return false
            // A socket that closed during the lookup takes no place (its close has been told).
            if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false
            // Over MAX_CONNECTIONS_PER_PRINCIPAL: RATE_LIMITED, closed with 4429 below.
            ctx.extra.socket.once('close', connectionLimits.acquirePrincipal(principal))
            ctx.extra.principal = principal
            revalidator.watchSocket(principal, ctx.extra.socket)
            if (principal.kind === 'clientSession') {
              ctx.extra.sessionSocket = sockets.add(principal.clientSessionId, ctx.extra.socket)
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
          if (Object.keys(ctx.subscriptions).length > config.limits.maxSubscriptionsPerSocket) {
            return [
              gatewayError(
                'RATE_LIMITED',
                `A socket may hold at most ${config.limits.maxSubscriptionsPerSocket} operations at once`,
              ),
            ]
          }
          // Every failure of an operation's setup (syntax, limits, rate limit, allow-list) is that
          // operation's `error` message, as over HTTP; the socket stays open.
          try {
            const query = persistedOperations === undefined ? params.query : allowListed(params)
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
              return { ...args, contextValue: { principal, socket }, rootValue: socketSubscription }
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
      },
      wsServer,
      // Keep-alive pings; a socket that stops answering them is closed.
      12_000,
    )

    const address = server.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`
    if (config.metricsToken !== undefined) metricsUrl = `${url}/metrics`

    if (config.seamEventsPollIntervalMs > 0 && config.seamApiKey !== undefined) {
      poller = createEventsPoller({
        upstream: upstream,
        apiKey: config.seamApiKey,
        intervalMs: config.seamEventsPollIntervalMs,
        onSessionDeleted: (event) => events.sessionEnded(event),
        logger,
        lock: (ttlMs) => bus.lock('poller', instanceId, ttlMs).catch(() => false),
        unlock: () => bus.unlock('poller', instanceId),
        onHolder: (held) => pollerHolder.set(held ? 1 : 0),
      })
      poller.start()
    }
    logger.info({ url, poller: poller !== undefined }, 'gateway listening')
    return url
  }

  const stop = () => {
    stopping ??= (async () => {
      await poller?.stop()
      for (const socket of wsServer?.clients ?? []) socket.close(1001, 'Going away')
      await new Promise<void>((resolve) => (wsServer ? wsServer.close(() => resolve()) : resolve()))
      if (server !== undefined) {
        // Stop accepting at once; let in-flight requests finish, then cut what is left (SSE
        // streams never finish by themselves) after the grace period.
        await new Promise<void>((resolve) => {
          const cut = setTimeout(() => server!.closeAllConnections(), config.shutdownGraceMs)
          server!.close(() => {
            clearTimeout(cut)
            resolve()
          })
          server!.closeIdleConnections()
        })
      }
      revalidator.close()
      await metricsServer?.close()
      events.close()
      await bus.close()
    })()
    return stopping
  }

  return {
    start,
    stop,
    get url() {
      return url
    },
    get metricsUrl() {
      return metricsUrl
    },
  }
}
