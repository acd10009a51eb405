/**
 * The environment of the servers whose CPU and memory benchmark 2 measures (and that
 * `bench/profile.ts` and `bench/compare.ts` profile and compare), as production runs them.
 */

/** Every server under test: production mode. */
export const PRODUCTION_ENV = { NODE_ENV: 'production' }

/**
 * The gateway's, on `seamEndpoint`: its defaults (log lines at `info`, which the benchmarks start
 * it `quiet` to drop), with the rate limits counted at their highest settings, so that every
 * request pays for counting and no load reaches them.
 */
export const productionGatewayEnv = (seamEndpoint: string): Record<string, string> => ({
  ...PRODUCTION_ENV,
  PORT: '0',
  METRICS_PORT: '0',
  SEAM_ENDPOINT: seamEndpoint,
  RATE_LIMIT_PER_MINUTE: '1000000',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
  SHUTDOWN_GRACE_MS: '1000',
})

/**
 * The gateway's in the subscription benchmarks (4, 6 and `profile-broadcast.ts`), on
 * `seamEndpoint`: no log lines, no rate limits, and no connection caps (hundreds of sockets of one
 * API key, all from 127.0.0.1: far past the caps a browser needs).
 */
export const subscriptionGatewayEnv = (
  seamEndpoint: string,
  webhookSecret: string,
  maxSubscriptionsPerSocket: number,
): Record<string, string> => ({
  PORT: '0',
  METRICS_PORT: '0',
  LOG_LEVEL: 'silent',
  SEAM_ENDPOINT: seamEndpoint,
  RATE_LIMIT_PER_MINUTE: '0',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  MAX_SUBSCRIPTIONS_PER_SOCKET: String(maxSubscriptionsPerSocket),
  MAX_CONNECTIONS_PER_PRINCIPAL: '0',
  MAX_CONNECTIONS_PER_ADDRESS: '0',
  SEAM_WEBHOOK_SECRET: webhookSecret,
  SHUTDOWN_GRACE_MS: '1000',
})
