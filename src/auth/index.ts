import type { ClientSession } from '@seamapi/types/connect'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { SharedState } from '../events/shared-state.js'
import type { Metrics } from '../observability/metrics.js'
import type { Upstream } from '../upstream/client.js'
import { createConnectionLimits } from './connection-limits.js'
import { createPrincipalCache, credentialKey } from './principal-cache.js'
import { createRateLimiter } from './rate-limit.js'
import { createPrincipalResolver } from './resolve-principal.js'
import { createConnectionRevalidator, revalidationPeriodMs } from './revalidate-connections.js'
import { createUnknownCredentials } from './unknown-credentials.js'

/** What {@link createAuth} needs. */
export interface AuthDeps {
  config: Pick<Config, 'principalCacheTtlMs' | 'limits'>
  /** Seam, which alone knows whether a credential is good. */
  upstream: Upstream
  /** Where rate limits are counted across instances (this one alone while Redis is away). */
  bus: SharedState
  logger: Logger
  metrics: Pick<Metrics, 'connectionRefused'>
  /** Told of a client session Seam confirmed while re-validating an open connection. */
  onSessionConfirmed: (session: ClientSession) => void
}

/**
 * Who is calling, and how much they may: credentials → principals (cached; credentials Seam refused
 * remembered briefly, so that a retried bad token costs no upstream call), rate limits per address
 * and per principal, and caps on the sockets and SSE streams open at once per credential, per
 * client address and per instance. Open sockets and SSE streams ask Seam about their credential
 * again every period (SPEC §4). Per app.
 */
export function createAuth(deps: AuthDeps) {
  const { config, upstream, bus, logger, metrics } = deps
  const { limits } = config
  const principalCache = createPrincipalCache({ ttlMs: config.principalCacheTtlMs })
  const unknownCredentials = createUnknownCredentials()
  const resolvePrincipal = createPrincipalResolver(
    (credential) => upstream.as(credential),
    principalCache,
    unknownCredentials,
  )
  return {
    principalCache,
    resolvePrincipal,
    /**
     * A session Seam gave a new lease: its token, refused (and remembered so) while it had expired,
     * works again at once.
     */
    forgetRefusedToken: (token: string) =>
      unknownCredentials.delete(credentialKey({ kind: 'clientSessionToken', token })),
    revalidator: createConnectionRevalidator({
      periodMs: revalidationPeriodMs(config.principalCacheTtlMs),
      recheck: (credential) => resolvePrincipal({ kind: 'credential', credential }, { fresh: true }),
      onConfirmed: (principal) => {
        if (principal.kind === 'clientSession') deps.onSessionConfirmed(principal.session)
      },
      logger,
    }),
    rateLimiter: createRateLimiter({
      limit: limits.rateLimitPerMinute,
      perAddressLimit: limits.rateLimitPerAddressPerMinute,
      hit: (key, windowMs) => bus.hit(key, windowMs),
      hits: (budgets, windowMs) => bus.hits(budgets, windowMs),
    }),
    connectionLimits: createConnectionLimits({
      perPrincipal: limits.maxConnectionsPerPrincipal,
      perAddress: limits.maxConnectionsPerAddress,
      perInstance: limits.maxConnections,
      onRefused: metrics.connectionRefused,
    }),
  }
}
