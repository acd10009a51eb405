import { type Span, SpanKind, type Tracer } from '@opentelemetry/api'
import type { RouteRequestBody, RouteResponse, Routes } from '@seamapi/types/connect'
import { inSpan } from '../observability/tracing.js'
import { CALL_BUDGET_SPENT, type CallBudget } from './call-budget.js'
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js'
import { createTransport } from './transport.js'
import { fromCallFailure, fromSeamResponse, statusLabel, UpstreamError } from './upstream-error.js'

/** A credential that Seam accepts, as the gateway forwards it. */
export type UpstreamCredential =
  | { kind: 'apiKey'; token: string }
  | { kind: 'clientSessionToken'; token: string }
  | { kind: 'publishableKey'; key: string }

/** Seam routes the gateway calls. Reads may share an in-flight request; writes never do. */
export type Route = keyof Routes

/** One page of a paginated Seam list. */
export interface Page<T> {
  items: T[]
  /** Cursor of the next page, `null` on the last page. */
  nextPageCursor: string | null
}

/** Observes every upstream call (metrics). */
export type UpstreamObserver = (call: { route: Route; status: string; durationMs: number }) => void

/** Options of {@link createUpstream}. */
export interface UpstreamOptions {
  /** Seam base URL, such as `https://connect.getseam.com` or a stand-in's. */
  endpoint: string
  /** Timeout of one call in ms. @default 5000 */
  timeoutMs?: number
  /** Called after every call with its route, status and duration. */
  observe?: UpstreamObserver
  /** Largest answer read from Seam; a bigger one fails as UPSTREAM_UNAVAILABLE. @default 32 MiB */
  maxResponseBytes?: number
  /** Retries of a failed read (network error, 5xx, 429); writes are never retried. @default 2 */
  maxRetries?: number
  /** First backoff in ms, doubled per retry, with jitter. @default 100 */
  retryBaseMs?: number
  /** Longest `Retry-After` honoured; a longer one fails at once as RATE_LIMITED. @default 2000 */
  maxRetryAfterMs?: number
  /** The circuit breaker's settings. */
  breaker?: CircuitBreakerOptions
  /**
   * Traces each call (retries included) in a client span: route, final status, retries, the
   * breaker's state; never a credential or a body. Each HTTP attempt is a child span of the undici
   * instrumentation, which also sends the W3C `traceparent`. @default no tracing
   */
  tracer?: Tracer
}

/**
 * What tells the calls of a request that its caller went away: an `AbortSignal`, or anything with
 * its `aborted` flag and `abort` listeners (`http/caller-gone.ts`).
 */
export interface Abandonment {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { once: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** Per-request options of {@link Upstream.as}. */
export interface CallOptions {
  /** Aborted when the client goes away: the upstream call is abandoned too. */
  signal?: Abandonment | undefined
  /**
   * The operation's budget of calls: every request sent counts (each retry too; a read shared
   * with an identical one in flight does not). Without one, calls are not counted: the principal
   * resolver and the events poller are not an operation of a caller.
   */
  budget?: CallBudget | undefined
}

const parseRetryAfter = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** `seamType` of a 2xx answer that is not JSON. */
const UNPARSABLE = 'unparsable_answer'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The one way to Seam. Per process; hands out a {@link SeamClient} per request.
 *
 * It speaks HTTP to Seam itself (`./transport.ts`: undici's connection pool, one dispatch per
 * call) rather than through `@seamapi/http`: SPEC §5 asks for the SDK unless a measurement shows
 * it costs real throughput, and it does. Benchmark 2 of `npm run bench` prices one upstream call by
 * HTTP client (see `bench/README.md`): the SDK (axios) cost more CPU per call than the whole rest
 * of a gateway request, and `node:http` more than undici's pool. Types still come from
 * `@seamapi/types` (`Routes`), and Seam's errors are classified as the SDK classifies them
 * (`./upstream-error.ts`).
 */
export interface Upstream {
  /** A client for one request (or one subscription event), calling Seam with `credential`. */
  as(credential: UpstreamCredential, options?: CallOptions): SeamClient
  /** `open` while Seam is considered down and calls fail fast. */
  readonly circuit: 'open' | 'closed'
  /** Closes the kept-alive connections to Seam once the calls in flight are done. */
  close(): Promise<void>
}

/** Calls of one request with one credential. In-flight identical reads are made once. */
export interface SeamClient {
  /** POSTs `body` to `route` and returns Seam's whole JSON response. */
  call<P extends Route>(route: P, body: RouteRequestBody<P>): Promise<RouteResponse<P>>
  /** Fetches one page of a paginated list. */
  page<P extends PaginatedRoute, K extends keyof RouteResponse<P> & string>(
    route: P,
    key: K,
    body: RouteRequestBody<P>,
  ): Promise<Page<ItemOf<RouteResponse<P>[K]>>>
  /** Fetches every page of a paginated list. */
  all<P extends PaginatedRoute, K extends keyof RouteResponse<P> & string>(
    route: P,
    key: K,
    body: RouteRequestBody<P>,
  ): Promise<Array<ItemOf<RouteResponse<P>[K]>>>
}

type ItemOf<T> = T extends ReadonlyArray<infer I> ? I : never
type PaginatedRoute = '/devices/list' | '/connected_accounts/list' | '/access_codes/list'

/**
 * Reads are the routes that end in `/get` or `/list`; every other route is a write, sent once and
 * never shared with an identical call in flight: an action (`/locks/lock_door`) or a change
 * repeated by a retry would happen twice, and a route added later is safe by default.
 */
const READ = /\/(get|list)$/
const isWrite = (route: Route): boolean => !READ.test(route)

/** Creates the process-wide upstream. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const timeoutMs = options.timeoutMs ?? 5000
  const maxRetries = options.maxRetries ?? 2
  const retryBaseMs = options.retryBaseMs ?? 100
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 2000
  const maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024
  const breaker = createCircuitBreaker(options.breaker)

  const transport = createTransport({ endpoint: options.endpoint, timeoutMs, maxResponseBytes })

  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return undefined
    }
  }

  /** The headers of every call with `credential`. */
  const headersOf = (credential: UpstreamCredential): Record<string, string> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
    if (credential.kind === 'apiKey') headers.authorization = `Bearer ${credential.token}`
    else if (credential.kind === 'clientSessionToken') {
      // As `@seamapi/http` sends a client session token.
      headers.authorization = `Bearer ${credential.token}`
      headers['client-session-token'] = credential.token
    } else headers['seam-publishable-key'] = credential.key
    return headers
  }

  /** One request sent: counted against the budget, through the breaker, observed, classified. */
  const attempt = async (
    route: Route,
    payload: string,
    headers: Record<string, string>,
    callOptions: CallOptions,
    span: Span | undefined,
  ): Promise<unknown> => {
    // Before the breaker: a spent budget says nothing about Seam's health.
    callOptions.budget?.spend(route)
    const started = performance.now()
    let answer: { status: number; json: unknown }
    try {
      answer = await breaker.run(route, async () => {
        const answer = await transport.post(route, headers, payload, callOptions.signal)
        const { requestId } = answer
        const json = answer.text === '' ? undefined : parseJson(answer.text)
        if (answer.status < 200 || answer.status >= 300) {
          const error = fromSeamResponse(
            route,
            answer.status,
            json,
            requestId !== undefined && requestId !== '' ? requestId : undefined,
          )
          const retryAfterMs = parseRetryAfter(answer.retryAfter)
          if (retryAfterMs !== undefined) error.details.retryAfterMs = retryAfterMs
          throw error
        }
        return { status: answer.status, json }
      })
    } catch (error) {
      const mapped = error instanceof UpstreamError ? error : fromCallFailure('network', route, timeoutMs)
      options.observe?.({ route, status: statusLabel(mapped), durationMs: performance.now() - started })
      if (mapped.details.status !== undefined)
        span?.setAttribute('http.response.status_code', mapped.details.status)
      throw mapped
    }
    options.observe?.({ route, status: String(answer.status), durationMs: performance.now() - started })
    span?.setAttribute('http.response.status_code', answer.status)
    // A 2xx that is not JSON (a proxy's error page) is no answer Seam gives. Seam's server did
    // answer, so the breaker does not count it, and asking again would get the same page.
    if (answer.json === undefined) {
      throw new UpstreamError('Seam is unavailable', 'UPSTREAM_UNAVAILABLE', {
        route,
        status: answer.status,
        seamType: UNPARSABLE,
      })
    }
    return answer.json
  }

  /** A write is sent once. A read is retried on network errors, 5xx and 429, with backoff. */
  const sendOnce = async (
    route: Route,
    payload: string,
    headers: Record<string, string>,
    callOptions: CallOptions,
    span: Span | undefined,
  ): Promise<unknown> => {
    if (isWrite(route)) return attempt(route, payload, headers, callOptions, span)
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(route, payload, headers, callOptions, span)
      } catch (error) {
        if (!(error instanceof UpstreamError) || retry >= maxRetries) throw error
        const { code, details } = error
        if (code !== 'UPSTREAM_UNAVAILABLE' && code !== 'RATE_LIMITED') throw error
        // An open circuit fails fast: retrying it would only wait. A spent budget stays spent.
        if (
          details.seamType === 'circuit_open' ||
          details.seamType === UNPARSABLE ||
          details.seamType === CALL_BUDGET_SPENT
        )
          throw error
        if (details.retryAfterMs !== undefined && details.retryAfterMs > maxRetryAfterMs) throw error
        const backoff = retryBaseMs * 2 ** retry * (0.5 + Math.random() / 2)
        span?.setAttribute('seam.retries', retry + 1)
        await sleep(details.retryAfterMs ?? backoff)
      }
    }
  }

  const { tracer } = options
  /** One call, in its span when tracing. */
  const send = (
    route: Route,
    payload: string,
    headers: Record<string, string>,
    callOptions: CallOptions,
  ): Promise<unknown> =>
    tracer === undefined
      ? sendOnce(route, payload, headers, callOptions, undefined)
      : inSpan(
          tracer,
          `seam ${route}`,
          { 'seam.route': route, 'http.request.method': 'POST', 'seam.retries': 0 },
          async (span) => {
            try {
              return await sendOnce(route, payload, headers, callOptions, span)
            } finally {
              span.setAttribute('seam.circuit', breaker.state)
            }
          },
          SpanKind.CLIENT,
        )

  /**
   * The client of one request (or subscription event) with one credential: an object, not a set of
   * closures, made for every operation whether it calls Seam or not; its headers and its map of
   * reads in flight are made on its first call.
   */
  class Client implements SeamClient {
    private headers: Record<string, string> | undefined
    private inFlight: Map<string, Promise<unknown>> | undefined

    constructor(
      private readonly credential: UpstreamCredential,
      private readonly callOptions: CallOptions,
    ) {}

    call<P extends Route>(route: P, body: RouteRequestBody<P>): Promise<RouteResponse<P>> {
      return this.request(route, body) as Promise<RouteResponse<P>>
    }

    async page<P extends PaginatedRoute, K extends keyof RouteResponse<P> & string>(
      route: P,
      key: K,
      body: RouteRequestBody<P>,
    ): Promise<Page<ItemOf<RouteResponse<P>[K]>>> {
      const response = (await this.request(route, body)) as Record<string, unknown> & {
        pagination?: { has_next_page?: boolean; next_page_cursor?: string | null }
      }
      const items = response[key]
      if (!Array.isArray(items)) throw fromCallFailure('network', route, timeoutMs)
      const next = response.pagination?.has_next_page ? (response.pagination.next_page_cursor ?? null) : null
      return { items, nextPageCursor: next }
    }

    async all<P extends PaginatedRoute, K extends keyof RouteResponse<P> & string>(
      route: P,
      key: K,
      body: RouteRequestBody<P>,
    ): Promise<Array<ItemOf<RouteResponse<P>[K]>>> {
      let current = await this.page(route, key, body)
      const items = [...current.items]
      while (current.nextPageCursor !== null) {
        current = await this.page(route, key, { ...body, page_cursor: current.nextPageCursor })
        items.push(...current.items)
      }
      return items
    }

    /** Sends `body` to `route`; an identical read already in flight is shared, not sent again. */
    private request(route: Route, body: unknown): Promise<unknown> {
      this.headers ??= headersOf(this.credential)
      const payload = JSON.stringify(body ?? {})
      if (isWrite(route)) return send(route, payload, this.headers, this.callOptions)
      const key = `${route} ${payload}`
      this.inFlight ??= new Map()
      const inFlight = this.inFlight
      const pending = inFlight.get(key)
      if (pending !== undefined) return pending
      const promise = send(route, payload, this.headers, this.callOptions).finally(() => inFlight.delete(key))
      inFlight.set(key, promise)
      return promise
    }
  }

  return {
    get circuit() {
      return breaker.state
    },
    close: () => transport.close(),
    as: (credential, callOptions = {}) => new Client(credential, callOptions),
  }
}
