import type { Tracer } from '@opentelemetry/api'
import type { Logger } from 'pino'
import { createActionAttemptDevices } from './auth/action-attempt-devices.js'
import { createAuth } from './auth/index.js'
import type { Config } from './config.js'
import { createEventPath } from './events/index.js'
import { createMemorySharedState, createRedisSharedState, withLocalFallback } from './events/shared-state.js'
import { withTracing } from './events/traced-shared-state.js'
import { createContexts } from './graphql/context.js'
import { loadPersistedOperations } from './graphql/persisted-operations.js'
import { createGatewayYoga } from './graphql/yoga.js'
import { useOperationsRoutes } from './http/routes.js'
import { type HttpServer, startHttpServer } from './http/server.js'
import { createLogger } from './observability/logger.js'
import { createMetrics } from './observability/metrics.js'
import { type MetricsServer, startMetricsServer } from './observability/metrics-server.js'
import { createUpstream } from './upstream/client.js'
import { createHealthProbe } from './upstream/health-probe.js'
import { graphqlWsOptions } from './ws/graphql-ws-options.js'
import { attachGraphqlWs } from './ws/server.js'

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

/** Options that are not configuration: injected parts, and what the process entry chooses. */
export interface AppOptions {
  /** Logger. @default JSON to stdout at `config.logLevel` ({@link createLogger}) */
  logger?: Logger
  /** GraphiQL's opening state: its query and the JSON of its headers pane. @default empty */
  graphiql?: { defaultQuery?: string; headers?: string }
  /**
   * The tracer of the process's OpenTelemetry SDK (`startTracing`, `observability/tracing.ts`):
   * spans per request, operation, upstream call, Redis round trip and webhook delivery.
   * @default no tracing, and nothing of it on any path
   */
  tracer?: Tracer
}

/**
 * The composition root: builds each part of the gateway in the order a request meets them and
 * wires them together; each part lives in the module named here. Per app (tests build several in one
 * process); nothing listens until {@link App.start}.
 *
 * @throws Error when the configuration names no Seam endpoint; ConfigError for a bad
 *   PERSISTED_OPERATIONS_FILE
 */
export function createApp(config: Config, options: AppOptions = {}): App {
  const endpoint = config.seamEndpoint
  if (endpoint === undefined) throw new Error('Expected a Seam endpoint (SEAM_ENDPOINT), got none')

  // Observability: one logger and one metrics registry per app.
  const logger = options.logger ?? createLogger(config.logLevel)
  const metrics = createMetrics()

  // Upstream: the only code that talks to Seam.
  const { tracer } = options
  const upstream = createUpstream({
    endpoint,
    timeoutMs: config.upstreamTimeoutMs,
    observe: metrics.upstreamCall,
    ...(tracer === undefined ? {} : { tracer }),
  })
  const upstreamReachable = createHealthProbe({ endpoint })

  // Shared state of N instances (Redis; this instance alone while it is away), or of this one (memory).
  const redis = config.redisUrl
    ? createRedisSharedState({ url: config.redisUrl, prefix: config.redisKeyPrefix, logger })
    : undefined
  const bus =
    redis === undefined
      ? createMemorySharedState()
      : withLocalFallback(tracer === undefined ? redis : withTracing(redis, tracer), logger)

  // Auth: who is calling (credentials → principals) and how much they may (rate limits, caps on
  // open connections); open sockets and SSE streams are re-validated every period (SPEC §4).
  const auth = createAuth({
    config,
    upstream,
    bus,
    logger,
    metrics,
    onSessionConfirmed: (session) => events.remember(session),
  })
  const { resolvePrincipal, rateLimiter, connectionLimits, revalidator } = auth

  // Events: sources (webhook, poller, expiry, mutations) → dedupe → bus → caches, sockets,
  // subscriptions.
  const { sockets, events, deviceEvents, webhook, poller } = createEventPath({
    config,
    upstream,
    bus,
    logger,
    metrics,
    principalCache: auth.principalCache,
    isLive: revalidator.holds,
    onNewLease: auth.forgetRefusedToken,
    tracer,
  })

  // GraphQL: per-operation contexts, Yoga over HTTP and SSE, and graphql-ws over the same pipeline.
  const contexts = createContexts({
    config,
    upstream,
    resolvePrincipal,
    rateLimiter,
    events,
    deviceEvents,
    observeAction: metrics.deviceAction,
    observeBatch: metrics.loaderBatch,
    // Which device each action attempt acts on: on the shared state, so any instance can answer.
    actionAttemptDevices: createActionAttemptDevices(bus),
  })
  const persistedOperations = loadPersistedOperations(config.persistedOperationsFile)
  const yoga = createGatewayYoga({
    config,
    logger,
    metrics,
    contexts,
    routes: useOperationsRoutes({ upstream, upstreamReachable, bus, webhook }),
    persistedOperations,
    revalidator,
    connectionLimits,
    graphiql: options.graphiql,
    tracer,
  })
  const wsOptions = graphqlWsOptions({
    config,
    yoga,
    resolvePrincipal,
    rateLimiter,
    connectionLimits,
    revalidator,
    sockets,
    persistedOperations,
    eventContext: contexts.forEvent,
    countSubscriptions: metrics.openSubscriptions,
  })

  let metricsServer: MetricsServer | undefined
  let http: HttpServer | undefined
  let stopping: Promise<void> | undefined

  const start = async (): Promise<string> => {
    // The metrics listener first: a busy METRICS_PORT fails start before anything is public.
    if (config.metricsToken === undefined) {
      metricsServer = await startMetricsServer({
        registry: metrics.registry,
        host: config.metricsHost,
        port: config.metricsPort,
      })
    }
    http = await startHttpServer({
      config,
      logger,
      tracer,
      handle: yoga,
      // Sockets are attached once the port is ours: a busy port fails start cleanly.
      attach: (server) =>
        attachGraphqlWs(server, {
          config,
          options: wsOptions,
          connectionLimits,
          openSockets: metrics.openSockets,
        }),
    })
    poller?.start()
    logger.info({ url: http.url, poller: poller !== undefined }, 'gateway listening')
    return http.url
  }

  const stop = () => {
    stopping ??= (async () => {
      await poller?.stop()
      // Sockets close with 1001; requests in flight finish; SSE streams are cut after the grace.
      await http?.close()
      revalidator.close()
      await metricsServer?.close()
      events.close()
      deviceEvents.close()
      await Promise.all([bus.close(), upstream.close()])
    })()
    return stopping
  }

  return {
    start,
    stop,
    get url() {
      return http?.url ?? ''
    },
    get metricsUrl() {
      if (config.metricsToken !== undefined) return http === undefined ? '' : `${http.url}/metrics`
      return metricsServer?.url ?? ''
    },
  }
}
