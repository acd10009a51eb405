import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { KNOWN_ERROR_CODES } from '../contract/error-codes.js'

/**
 * Every metric of the gateway, and the rule that keeps series bounded: no label value ever comes
 * from a caller. Operation names, paths, URLs and ids are not labels; the values that are (error
 * codes, upstream statuses) are folded into a fixed set, so whatever clients send, the number of
 * series is fixed. (Yoga's operation metrics join the same registry: `useOperationMetrics`.)
 */

/** The `code` label of an error: one of {@link KNOWN_ERROR_CODES}, or `OTHER`. */
export const errorCodeLabel = (code: string): string => (KNOWN_ERROR_CODES.has(code) ? code : 'OTHER')

/** The `status` label of an upstream call: an HTTP status, one of the reasons there was none, or `other`. */
export const upstreamStatusLabel = (status: string): string =>
  /^[1-5]\d\d$/.test(status) || ['aborted', 'timeout', 'network', 'error'].includes(status) ? status : 'other'

let processRegistry: Registry | undefined
/**
 * Process metrics (CPU, memory, event loop lag, GC, handles): one collector per process, however
 * many gateways it runs (tests run several), since each collector keeps observers of its own.
 */
const processMetrics = (): Registry => {
  if (processRegistry === undefined) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** The exposition text of a gateway's registry with the process metrics. */
export const metricsText = (registry: Registry): Promise<string> =>
  Registry.merge([processMetrics(), registry]).metrics()

/** The content type of {@link metricsText}. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE

/**
 * Every metric of one app, in a registry of its own, so that several apps can live in one process
 * (tests). Per app.
 */
export function createMetrics() {
  const registry = new Registry()
  const registers = [registry]
  const upstreamCalls = new Counter({
    name: 'seam_upstream_requests_total',
    help: 'Calls to Seam by route and status',
    labelNames: ['route', 'status'] as const,
    registers,
  })
  const sessionEvents = new Counter({
    name: 'gateway_session_events_total',
    help: 'Client session end events by source',
    labelNames: ['source'] as const,
    registers,
  })
  const deviceEvents = new Counter({
    name: 'gateway_device_events_total',
    help: 'Device events and action attempt updates received, by type and source (repeats included)',
    labelNames: ['type', 'source'] as const,
    registers,
  })
  const deviceActions = new Counter({
    name: 'gateway_device_actions_total',
    help: 'Device actions sent to Seam, by action and outcome (started, or the error code)',
    labelNames: ['action', 'outcome'] as const,
    registers,
  })
  const duplicatesDropped = new Counter({
    name: 'gateway_event_duplicates_dropped_total',
    help: 'Webhook deliveries and events dropped as duplicates',
    registers,
  })
  const errorsByCode = new Counter({
    name: 'gateway_errors_total',
    help: 'GraphQL errors returned, by extensions.code',
    labelNames: ['code'] as const,
    registers,
  })
  const loaderBatchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by entity',
    labelNames: ['entity'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers,
  })
  const upstreamLatency = new Histogram({
    name: 'seam_upstream_request_duration_seconds',
    help: 'Duration of calls to Seam by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  })
  const openSubscriptions = new Gauge({
    name: 'gateway_open_subscriptions',
    help: 'Subscriptions currently open (graphql-ws and SSE)',
    registers,
  })
  const pollerHolder = new Gauge({
    name: 'gateway_poller_holder',
    help: '1 while this instance holds the events poller lock (one instance polls)',
    registers,
  })
  const openSockets = new Gauge({ name: 'gateway_open_sockets', help: 'Open graphql-ws sockets', registers })
  const connectionsRefused = new Counter({
    name: 'gateway_connections_refused_total',
    help: 'Sockets and SSE streams refused because a cap on open connections was full, by cap',
    labelNames: ['limit'] as const,
    registers,
  })
  const socketsClosedBySessionEnd = new Counter({
    name: 'gateway_sockets_closed_by_session_end_total',
    help: 'graphql-ws sockets closed with 4403 because their client session ended',
    registers,
  })
  return {
    registry,
    /** One call to Seam (the upstream client's `observe`): its status folded into a fixed set. */
    upstreamCall({ route, status, durationMs }: { route: string; status: string; durationMs: number }) {
      upstreamCalls.inc({ route, status: upstreamStatusLabel(status) })
      upstreamLatency.observe({ route }, durationMs / 1000)
    },
    /** One report of an ended session; `fresh` false for a repeat that was dropped. */
    sessionEvent({ source, fresh }: { source: string; fresh: boolean }) {
      sessionEvents.inc({ source })
      if (!fresh) duplicatesDropped.inc()
    },
    /**
     * One report of a device event or action attempt update; `fresh` false for a repeat that was
     * dropped. `type` is a DeviceEventType or ACTION_ATTEMPT: a fixed set.
     */
    deviceEvent({ source, type, fresh }: { source: string; type: string; fresh: boolean }) {
      deviceEvents.inc({ type, source })
      if (!fresh) duplicatesDropped.inc()
    },
    /** One device action (`action` a mutation name), `outcome` `started` or a public error code. */
    deviceAction: (action: string, outcome: string) =>
      deviceActions.inc({ action, outcome: outcome === 'started' ? outcome : errorCodeLabel(outcome) }),
    /** A webhook delivery dropped as a repeat of an earlier one. */
    duplicateDropped: () => duplicatesDropped.inc(),
    /** One error returned to a client, by its `extensions.code` (folded into {@link KNOWN_ERROR_CODES}). */
    error: (code: string) => errorsByCode.inc({ code: errorCodeLabel(code) }),
    /** The size of one DataLoader batch. */
    loaderBatch: (entity: string, size: number) => loaderBatchSize.observe({ entity }, size),
    /** +1 when a subscription starts, -1 when it ends. */
    openSubscriptions: (delta: number) => openSubscriptions.inc(delta),
    openSockets,
    /** Whether this instance holds the events poller lock. */
    pollerHolder: (held: boolean) => pollerHolder.set(held ? 1 : 0),
    /** A socket or SSE stream refused by the cap `limit`. */
    connectionRefused: (limit: string) => connectionsRefused.inc({ limit }),
    /** Sockets closed because their session ended. */
    socketsClosedBySessionEnd: (count: number) => socketsClosedBySessionEnd.inc(count),
  }
}

/** The metrics of one app. */
export type Metrics = ReturnType<typeof createMetrics>
