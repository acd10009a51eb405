import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { usePrometheus } from '@graphql-yoga/plugin-prometheus'
import type { Plugin } from 'graphql-yoga'
import { collectDefaultMetrics, Registry } from 'prom-client'
import { KNOWN_ERROR_CODES } from '../contract/error-codes.js'
import { errorBody } from '../contract/error-shaping.js'

/**
 * Metrics exposure and the rule that keeps series bounded: no label value ever comes from a caller.
 * Operation names, paths, URLs and ids are not labels; the values that are (error codes, upstream
 * statuses) are folded into a fixed set, so whatever clients send, the number of series is fixed.
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
 * Yoga's and envelop's operation metrics, with only bounded labels: `operationType` (query,
 * mutation, subscription), the error `phase`, and the HTTP `method` and `statusCode`. Off:
 * `operationName`, the error `path` (aliases and list indexes), `url` (a GET's query string),
 * and the resolver labels. The plugin serves no endpoint: {@link startMetricsServer} or
 * {@link useMetricsBehindToken} do.
 */
export function useOperationMetrics(registry: Registry): Plugin {
  return usePrometheus({
    endpoint: false,
    registry,
    // Every metric named: the plugin merges this with defaults that switch on seven more, among
    // them a walk of every document for deprecated fields and a Summary (t-digest) per request.
    // Measured in-process, they cost 15–55 µs of CPU per request for figures nobody reads here.
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_error_result: true,
      graphql_yoga_http_duration: true,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
    labels: {
      operationName: false,
      path: false,
      url: false,
      fieldName: false,
      typeName: false,
      returnType: false,
      operationType: true,
      phase: true,
      method: true,
      statusCode: true,
    },
  })
}

/** Counts every error a result carries by its `extensions.code` (metrics), on every transport. */
export function useErrorCodeMetrics(count: (code: string) => void): Plugin {
  const countResult = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => {
    for (const error of result.errors ?? []) count(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))
  }
  return {
    onResultProcess({ result }) {
      for (const item of Array.isArray(result) ? result : [result]) {
        if (item !== null && typeof item === 'object' && 'errors' in item) countResult(item as never)
      }
    },
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest()

/**
 * `/metrics` on the public listener, for deployments that set `METRICS_TOKEN`: answered only to
 * `Authorization: Bearer <token>` (compared in constant time); anything else gets a 401 and no
 * metrics.
 */
export function useMetricsBehindToken(registry: Registry, token: string): Plugin {
  const expected = sha256(`Bearer ${token}`)
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics') return
      // Hashes have one length, so timingSafeEqual compares them without revealing the token's.
      const presented = sha256(request.headers.get('authorization') ?? '')
      if (!timingSafeEqual(presented, expected)) {
        return endResponse(
          new fetchAPI.Response(
            errorBody('UNAUTHENTICATED', 'The metrics need Authorization: Bearer <METRICS_TOKEN>'),
            {
              status: 401,
              headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' },
            },
          ),
        )
      }
      return endResponse(
        new fetchAPI.Response(await metricsText(registry), {
          headers: { 'content-type': METRICS_CONTENT_TYPE },
        }),
      )
    },
  }
}

/** A listener of its own that serves `GET /metrics` and nothing else. */
export interface MetricsServer {
  /** `http://host:port/metrics` */
  url: string
  close(): Promise<void>
}

/**
 * Starts the metrics listener on `METRICS_HOST:METRICS_PORT` (loopback by default), so that the
 * figures never reach the public port.
 * @throws naming METRICS_PORT when the port cannot be bound (in use, not permitted)
 */
export async function startMetricsServer(options: {
  registry: Registry
  host: string
  port: number
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('Not found: this listener serves GET /metrics only\n')
      return
    }
    metricsText(options.registry).then(
      (text) => {
        res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('The metrics could not be collected\n')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `METRICS_PORT ${options.port} on ${options.host} cannot be used for the metrics listener (${error.code ?? error.message}); set METRICS_PORT to a free port (0 picks one)`,
        ),
      ),
    )
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const shown = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
