import { createHash, timingSafeEqual } from 'node:crypto'
import type { Plugin } from 'graphql-yoga'
import type { Registry } from 'prom-client'
import { errorBody } from '../../contract/error-shaping.js'
import { METRICS_CONTENT_TYPE, metricsText } from '../../observability/metrics.js'

/** Options of {@link useMetricsBehindToken}. */
export interface MetricsBehindTokenOptions {
  /** The app's registry. */
  registry: Registry
  /** `METRICS_TOKEN`: the bearer token `/metrics` asks for. */
  token: string
}

const sha256 = (value: string) => createHash('sha256').update(value).digest()

/**
 * `/metrics` on the public listener, for deployments that set `METRICS_TOKEN`: answered only to
 * `Authorization: Bearer <token>` (compared in constant time); anything else gets a 401 and no
 * metrics.
 */
export function useMetricsBehindToken({ registry, token }: MetricsBehindTokenOptions): Plugin {
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
