import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'

/**
 * OpenTelemetry tracing, off unless configured. The API (`@opentelemetry/api`) is all the gateway
 * itself calls; the SDK, the OTLP exporter and the undici instrumentation are loaded only when
 * tracing is on, and with tracing off the app is built without a tracer: no span, no context, no
 * propagation on any path.
 *
 * Configured with the standard variables: `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` turns it on (`OTEL_TRACES_EXPORTER=none` or
 * `OTEL_SDK_DISABLED=true` keep it off); `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
 * `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER`, … are read by the SDK itself.
 */

/** The instrumentation scope of the gateway's own spans. */
export const TRACER_NAME = 'seam-graphql-gateway'
const DEFAULT_SERVICE_NAME = 'seam-graphql-gateway'

/** Whether the environment turns tracing on, and the service name it gives. */
export function tracingFromEnv(env: Record<string, string | undefined>): { serviceName: string } | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT
  if (endpoint === undefined || endpoint.trim() === '') return undefined
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined
  const serviceName = env.OTEL_SERVICE_NAME?.trim()
  return { serviceName: serviceName === undefined || serviceName === '' ? DEFAULT_SERVICE_NAME : serviceName }
}

/** Tracing started for the process: the gateway's tracer, and what flushes and stops it. */
export interface Tracing {
  tracer: Tracer
  /** Flushes the spans not yet exported, then unregisters everything tracing registered. */
  shutdown(): Promise<void>
}

/**
 * Starts the OpenTelemetry SDK for the process: a Node tracer provider registered globally (the
 * AsyncLocalStorage context manager and the W3C `traceparent` propagator), the undici
 * instrumentation (a span per HTTP attempt to Seam, `traceparent` sent with it), and spans exported
 * over OTLP/HTTP in batches, or to `spanProcessor` when given (tests).
 */
export async function startTracing(options: {
  serviceName: string
  spanProcessor?: SpanProcessor
}): Promise<Tracing> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { resourceFromAttributes }, { UndiciInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/instrumentation-undici'),
    ])
  const spanProcessor =
    options.spanProcessor ??
    new BatchSpanProcessor(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter())
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [spanProcessor],
  })
  provider.register()
  const undici = new UndiciInstrumentation({
    // Only what is safe to record: never a header (credentials travel in them).
    headersToSpanAttributes: { requestHeaders: [], responseHeaders: [] },
  })
  undici.setTracerProvider(provider)
  undici.enable()
  return {
    tracer: provider.getTracer(TRACER_NAME),
    async shutdown() {
      undici.disable()
      await provider.shutdown()
      trace.disable()
      context.disable()
      propagation.disable()
    },
  }
}

/** HTTP methods recorded as they are; any other is `_OTHER` (the semantic conventions' word). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
/** The gateway's routes; any other path is recorded as `other`, so that callers cannot mint span names. */
const ROUTES = new Set(['/graphql', '/health', '/ready', '/webhooks/seam', '/metrics'])

/**
 * Runs `serve` for one incoming request inside a server span: its parent is the caller's W3C
 * `traceparent` when sent, and it ends when the response is finished or the connection closes, with
 * the response status. The span's name and attributes hold only values from fixed sets: method,
 * route, status.
 */
export function traceRequest(
  tracer: Tracer,
  req: IncomingMessage,
  res: ServerResponse,
  serve: () => void,
): void {
  const method = req.method !== undefined && METHODS.has(req.method) ? req.method : '_OTHER'
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const route = ROUTES.has(path) ? path : 'other'
  const parent = propagation.extract(ROOT_CONTEXT, req.headers)
  const span = tracer.startSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route } },
    parent,
  )
  const end = () => {
    span.setAttribute('http.response.status_code', res.statusCode)
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
    span.end()
  }
  res.once('finish', end)
  res.once('close', () => {
    if (!res.writableFinished) end()
  })
  context.with(trace.setSpan(parent, span), serve)
}

/**
 * Runs `work` in a span of its own, a child of the active one: ended when it settles, marked as an
 * error (with the error's code, never its message) when it throws.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      span.setAttribute('error.type', typeof code === 'string' ? code : 'Error')
      span.setStatus({ code: SpanStatusCode.ERROR })
      throw error
    } finally {
      span.end()
    }
  })
}
