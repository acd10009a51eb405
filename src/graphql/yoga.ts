import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import type { Tracer } from '@opentelemetry/api'
import { createYoga, type Plugin } from 'graphql-yoga'
import type { Logger } from 'pino'
import { clientAddress } from '../auth/client-address.js'
import type { ConnectionLimits } from '../auth/connection-limits.js'
import type { ConnectionRevalidator } from '../auth/revalidate-connections.js'
import type { Config } from '../config.js'
import { CREDENTIAL_HEADERS, USER_IDENTIFIER_KEY_HEADER } from '../contract/credential-headers.js'
import type { Metrics } from '../observability/metrics.js'
import type { GatewayContext } from '../schema/context.js'
import { schema } from '../schema/index.js'
import type { Contexts, ServerContext } from './context.js'
import { createEventExecution } from './event-execution.js'
import type { PersistedOperations } from './persisted-operations.js'
import { useCostLimit } from './plugins/use-cost-limit.js'
import { useErrorCodeMetrics } from './plugins/use-error-code-metrics.js'
import { createErrorLogs } from './plugins/use-error-logs.js'
import { useFreshContextPerEvent } from './plugins/use-fresh-context-per-event.js'
import { useMetricsBehindToken } from './plugins/use-metrics-behind-token.js'
import { useNoIntrospection } from './plugins/use-no-introspection.js'
import { useOperationMetrics } from './plugins/use-operation-metrics.js'
import { useOperationTracing } from './plugins/use-operation-tracing.js'
import { usePersistedOperationsOnly } from './plugins/use-persisted-operations-only.js'

/** What {@link createGatewayYoga} needs. */
export interface YogaDeps {
  config: Pick<
    Config,
    'graphiql' | 'introspection' | 'corsOrigins' | 'metricsToken' | 'trustProxy' | 'limits'
  >
  logger: Logger
  metrics: Pick<Metrics, 'registry' | 'error' | 'openSubscriptions'>
  contexts: Pick<Contexts, 'forOperation' | 'forEvent'>
  /** The routes beside `/graphql` (`/health`, `/ready`, `/webhooks/seam`). */
  routes: Plugin
  /** The allow-list, when PERSISTED_OPERATIONS_FILE is set. */
  persistedOperations: PersistedOperations | undefined
  /** SSE streams are re-validated one by one. */
  revalidator: Pick<ConnectionRevalidator, 'watchStream' | 'unwatchStream'>
  /** SSE streams take their places among the open connections. */
  connectionLimits: Pick<ConnectionLimits, 'acquireStream'>
  /** GraphiQL's opening state: its query and the JSON of its headers pane. */
  graphiql?: { defaultQuery?: string; headers?: string } | undefined
  /** A span per operation when tracing is on (`observability/tracing.ts`). */
  tracer?: Tracer | undefined
}

/**
 * The GraphQL server over HTTP and SSE (and, through `getEnveloped`, graphql-ws): the schema, the
 * error mask, CORS, GraphiQL and every plugin, in the order they run. Per app.
 */
export function createGatewayYoga(deps: YogaDeps) {
  const { config, metrics, contexts } = deps
  const { limits } = config
  const errorLogs = createErrorLogs(deps.logger)
  return createYoga<ServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // Yoga's own health check answers every path ending in /health with an empty body; ours is JSON.
    healthCheckEndpoint: '/__yoga/health',
    landingPage: false,
    logging: errorLogs.logging,
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
            ...deps.graphiql,
          }
        : false,
    cors:
      config.corsOrigins.length === 0
        ? false
        : {
            origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
            credentials: !config.corsOrigins.includes('*'),
            allowedHeaders: [...CREDENTIAL_HEADERS, USER_IDENTIFIER_KEY_HEADER, 'content-type'],
            methods: ['GET', 'POST'],
          },
    batching: false,
    // The HTTP server caps and reads the body before Yoga sees it (MAX_BODY_BYTES, 413): Yoga's own
    // cap would read it a second time, through a web stream, on every request.
    maxRequestBodySize: false,
    maskedErrors: { maskError: errorLogs.maskError },
    context: (initial) => contexts.forOperation(initial),
    plugins: [
      deps.routes,
      // What the mask replaced is logged with its request's id as the result leaves.
      errorLogs.plugin,
      ...(config.metricsToken === undefined
        ? []
        : [useMetricsBehindToken({ registry: metrics.registry, token: config.metricsToken })]),
      // A browser's "simple" request (text/plain, form, multipart, or a GET without a custom
      // header) never executes; any credential header makes a request non-simple.
      useCSRFPrevention({
        requestHeaders: ['x-graphql-csrf', ...CREDENTIAL_HEADERS],
      }),
      ...(deps.persistedOperations === undefined
        ? []
        : [usePersistedOperationsOnly({ operations: deps.persistedOperations })]),
      useErrorCodeMetrics({ count: metrics.error }),
      useFreshContextPerEvent({
        subscribe: createEventExecution({
          refresh: contexts.forEvent,
          count: metrics.openSubscriptions,
          watch: { start: deps.revalidator.watchStream, end: deps.revalidator.unwatchStream },
          // An SSE stream holds its places (credential, address, instance) until it ends.
          admit: ({ principal, req }) =>
            deps.connectionLimits.acquireStream(principal, clientAddress(req, config.trustProxy)),
        }),
      }),
      // Abuse limits in the validation phase, so HTTP, SSE and WebSocket share them.
      EnvelopArmorPlugin({
        maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
        maxAliases: { n: limits.maxAliases },
        maxTokens: { n: limits.maxTokens },
        maxDirectives: { n: limits.maxDirectives },
        // armor prices only a literal `first`; useCostLimit sees variables and defaults too.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: !config.introspection },
      }),
      useCostLimit({ maxCost: limits.maxCost }),
      ...(config.introspection ? [] : [useNoIntrospection()]),
      useOperationMetrics({ registry: metrics.registry }),
      // Last: its span wraps the execution and the subscription the plugins above settled on.
      ...(deps.tracer === undefined ? [] : [useOperationTracing({ tracer: deps.tracer })]),
    ],
  })
}

/** The app's Yoga server. */
export type GatewayYoga = ReturnType<typeof createGatewayYoga>
