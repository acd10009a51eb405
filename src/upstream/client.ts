import { SeamHttp, type SeamHttpOptions } from '@seamapi/http/connect'
import type { RouteRequestBody, RouteResponse, Routes } from '@seamapi/types/connect'
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig, isAxiosError } from 'axios'
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js'
import { statusLabel, toUpstreamError, UpstreamError } from './errors.js'

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
  /** Seam base URL, such as `https://connect.getseam.com` or the sandbox's URL. */
  endpoint: string
  /** Timeout of one call in ms. @default 5000 */
  timeoutMs?: number
  /** Called after every call with its route, status and duration. */
  observe?: UpstreamObserver
  /** How many SDK clients (one per credential) to keep. @default 1000 */
  maxClients?: number
  /** Retries of a failed read (network error, 5xx, 429); writes are never retried. @default 2 */
  maxRetries?: number
  /** First backoff in ms, doubled per retry, with jitter. @default 100 */
  retryBaseMs?: number
  /** Longest `Retry-After` honoured; a longer one fails at once as RATE_LIMITED. @default 2000 */
  maxRetryAfterMs?: number
  /** The circuit breaker's settings. */
  breaker?: CircuitBreakerOptions
}

/** Per-request options of {@link Upstream.as}. */
export interface CallOptions {
  /** Aborted when the client goes away: the upstream call is abandoned too. */
  signal?: AbortSignal | undefined
}

/** Per-call hook carried in axios' config (functions survive axios' config merging). */
type CallHooks = { onRetryAfter?: (ms: number) => void }

const fetchAdapter = axios.getAdapter('fetch')

/**
 * axios' fetch adapter, noting Seam's `Retry-After` before the SDK's error interceptor turns the
 * response into an error object without headers.
 */
const retryAfterAdapter: AxiosAdapter = async (config) => {
  try {
    return await fetchAdapter(config)
  } catch (error) {
    const header = isAxiosError(error) ? error.response?.headers?.['retry-after'] : undefined
    const ms = parseRetryAfter(header)
    if (ms !== undefined) (config as InternalAxiosRequestConfig & CallHooks).onRetryAfter?.(ms)
    throw error
  }
}

const parseRetryAfter = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The one way to Seam. Per process; hands out a {@link SeamClient} per request.
 *
 * It keeps one `@seamapi/http` client per credential (a small LRU) so a request does not pay for
 * building an axios instance; Node's global agent keeps connections alive.
 */
export interface Upstream {
  /** A client for one request (or one subscription event), calling Seam with `credential`. */
  as(credential: UpstreamCredential, options?: CallOptions): SeamClient
  /** `open` while Seam is considered down and calls fail fast. */
  readonly circuit: 'open' | 'closed'
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
type PaginatedRoute = '/devices/list' | '/connected_accounts/list'

const WRITE = /\/(create|delete|revoke|grant_access|get_or_create|update)$/

/** Creates the process-wide upstream. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const timeoutMs = options.timeoutMs ?? 5000
  const maxClients = options.maxClients ?? 1000
  const maxRetries = options.maxRetries ?? 2
  const retryBaseMs = options.retryBaseMs ?? 100
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 2000
  // Insertion-ordered map as a small LRU: a hit moves the entry to the end.
  const clients = new Map<string, SeamHttp>()
  const breaker = createCircuitBreaker(options.breaker)

  const sdkFor = (credential: UpstreamCredential): SeamHttp => {
    const secret = credential.kind === 'publishableKey' ? credential.key : credential.token
    const key = `${credential.kind}:${secret}`
    const cached = clients.get(key)
    if (cached !== undefined) {
      clients.delete(key)
      clients.set(key, cached)
      return cached
    }
    const common = {
      endpoint: options.endpoint,
      // Retries are the gateway's decision (reads only), never the SDK's default.
      axiosRetryOptions: { retries: 0 },
      axiosOptions: { timeout: timeoutMs, adapter: retryAfterAdapter },
    }
    let sdk: SeamHttp
    if (credential.kind === 'apiKey') sdk = SeamHttp.fromApiKey(credential.token, common)
    else if (credential.kind === 'clientSessionToken')
      sdk = SeamHttp.fromClientSessionToken(credential.token, common)
    else {
      // The SDK's only public publishable-key entry point creates a session for a fixed user; the
      // gateway needs the raw get_or_create call with the caller's parameters, so it passes the key
      // the way the SDK does internally (the `seam-publishable-key` header).
      sdk = new SeamHttp({ ...common, publishableKey: credential.key } as SeamHttpOptions)
    }
    clients.set(key, sdk)
    if (clients.size > maxClients) clients.delete(clients.keys().next().value as string)
    return sdk
  }

  return {
    get circuit() {
      return breaker.state
    },
    as(credential, callOptions = {}) {
      const sdk = sdkFor(credential)
      const inFlight = new Map<string, Promise<unknown>>()

      const attempt = async (route: Route, body: unknown): Promise<unknown> => {
        const started = performance.now()
        let retryAfterMs: number | undefined
        const hooks: CallHooks = { onRetryAfter: (ms) => (retryAfterMs = ms) }
        try {
          const response = await breaker.run(route, () =>
            sdk.client
              .request({ url: route, method: 'POST', data: body ?? {}, signal: callOptions.signal, ...hooks })
              .catch((error: unknown) => {
                const mapped = toUpstreamError(error, route, timeoutMs)
                if (retryAfterMs !== undefined) mapped.details.retryAfterMs = retryAfterMs
                throw mapped
              }),
          )
          options.observe?.({
            route,
            status: String(response.status),
            durationMs: performance.now() - started,
          })
          return response.data
        } catch (error) {
          const mapped = toUpstreamError(error, route, timeoutMs)
          options.observe?.({ route, status: statusLabel(mapped), durationMs: performance.now() - started })
          throw mapped
        }
      }

      /** A write is sent once. A read is retried on network errors, 5xx and 429, with backoff. */
      const send = async (route: Route, body: unknown): Promise<unknown> => {
        if (WRITE.test(route)) return attempt(route, body)
        for (let retry = 0; ; retry++) {
          try {
            return await attempt(route, body)
          } catch (error) {
            if (!(error instanceof UpstreamError) || retry >= maxRetries) throw error
            const { code, details } = error
            if (code !== 'UPSTREAM_UNAVAILABLE' && code !== 'RATE_LIMITED') throw error
            // An open circuit fails fast: retrying it would only wait.
            if (details.seamType === 'circuit_open') throw error
            if (details.retryAfterMs !== undefined && details.retryAfterMs > maxRetryAfterMs) throw error
            const backoff = retryBaseMs * 2 ** retry * (0.5 + Math.random() / 2)
            await sleep(details.retryAfterMs ?? backoff)
          }
        }
      }

      const call = (route: Route, body: unknown): Promise<unknown> => {
        if (WRITE.test(route)) return send(route, body)
        const key = `${route} ${JSON.stringify(body ?? {})}`
        const pending = inFlight.get(key)
        if (pending !== undefined) return pending
        const promise = send(route, body).finally(() => inFlight.delete(key))
        inFlight.set(key, promise)
        return promise
      }

      const page = async (route: Route, key: string, body: unknown) => {
        const response = (await call(route, body)) as Record<string, unknown> & {
          pagination?: { has_next_page?: boolean; next_page_cursor?: string | null }
        }
        const items = response[key]
        if (!Array.isArray(items)) {
          throw toUpstreamError(new Error(`Seam answered ${route} without a ${key} array`), route, timeoutMs)
        }
        const next = response.pagination?.has_next_page
          ? (response.pagination.next_page_cursor ?? null)
          : null
        return { items, nextPageCursor: next }
      }

      return {
        call: call as SeamClient['call'],
        page: page as SeamClient['page'],
        all: (async (route: Route, key: string, body: Record<string, unknown>) => {
          const items: unknown[] = []
          let current = await page(route, key, body)
          items.push(...current.items)
          while (current.nextPageCursor !== null) {
            current = await page(route, key, { ...body, page_cursor: current.nextPageCursor })
            items.push(...current.items)
          }
          return items
        }) as SeamClient['all'],
      }
    },
  }
}
