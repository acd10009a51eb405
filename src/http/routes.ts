import type { Plugin } from 'graphql-yoga'
import type { SharedState } from '../events/shared-state.js'
import type { Upstream } from '../upstream/client.js'

/** Options of {@link useOperationsRoutes}. */
export interface OperationsRoutesOptions {
  /** The Seam client: its circuit breaker's state. */
  upstream: Pick<Upstream, 'circuit'>
  /** Is Seam reachable (a cached probe of its `/health`). */
  upstreamReachable: () => Promise<boolean>
  /** The shared state: is Redis reachable, when there is one. */
  bus: Pick<SharedState, 'kind' | 'ready'>
  /** `POST /webhooks/seam`: Seam's signed webhooks. */
  webhook: (request: Request) => Promise<Response>
}

/**
 * The routes beside `/graphql`, answered before Yoga looks for an operation:
 *
 * - `GET /health`: the process is up (`{ ok: true }`), whatever Seam and Redis do;
 * - `GET /ready`: 200 when Seam is reachable and its circuit closed, and Redis (when used) is
 *   reachable, else 503, with each part's answer;
 * - `/webhooks/seam`: Seam's webhooks into the event path.
 */
export function useOperationsRoutes(options: OperationsRoutesOptions): Plugin {
  const ready = async (): Promise<{ ok: boolean; body: unknown }> => {
    // Not ready while the circuit is open: the balancer sends traffic elsewhere meanwhile.
    const upstreamReady = options.upstream.circuit === 'closed' && (await options.upstreamReachable())
    const redisReady = options.bus.ready
    const ok = upstreamReady && redisReady
    return {
      ok,
      body: { ok, upstream: upstreamReady, ...(options.bus.kind === 'redis' ? { redis: redisReady } : {}) },
    }
  }
  return {
    // Synchronous for every other path (each GraphQL request): an async hook would hand Yoga a
    // promise to wait for on every request.
    onRequest({ url, request, endResponse, fetchAPI }) {
      const { pathname } = url
      if (pathname !== '/health' && pathname !== '/ready' && pathname !== '/webhooks/seam') return
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json' },
          }),
        )
      if (pathname === '/health') return json(200, { ok: true })
      if (pathname === '/ready') return ready().then(({ ok, body }) => json(ok ? 200 : 503, body))
      return options.webhook(request).then(endResponse)
    },
  }
}
