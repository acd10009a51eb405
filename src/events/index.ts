import { randomUUID } from 'node:crypto'
import type { Tracer } from '@opentelemetry/api'
import type { Logger } from 'pino'
import type { PrincipalCache } from '../auth/principal-cache.js'
import type { Config } from '../config.js'
import type { Metrics } from '../observability/metrics.js'
import type { Upstream } from '../upstream/client.js'
import { createSocketRegistry } from '../ws/socket-registry.js'
import { createDeviceEvents, POLLED_DEVICE_EVENT_TYPES } from './device-events.js'
import { createExpiryCheck } from './expiry-check.js'
import { createEventsPoller } from './poller.js'
import { createSessionEvents, DEDUPE_TTL_MS } from './session-events.js'
import type { SharedState } from './shared-state.js'
import { createWebhookHandler } from './webhook.js'

/** What {@link createEventPath} needs. */
export interface EventPathDeps {
  config: Pick<Config, 'seamApiKey' | 'seamWebhookSecret' | 'seamEventsPollIntervalMs'>
  upstream: Upstream
  /** Carries ended sessions to every instance; claims each event once across them. */
  bus: SharedState
  logger: Logger
  metrics: Pick<
    Metrics,
    'sessionEvent' | 'deviceEvent' | 'duplicateDropped' | 'socketsClosedBySessionEnd' | 'pollerHolder'
  >
  /** The principal cache: an ended session's principal leaves it. */
  principalCache: PrincipalCache
  /** True while a session is in use beyond what the cache and the sockets know (an SSE stream). */
  isLive: (clientSessionId: string) => boolean
  /** Told a session's token when Seam gave the session a later lease. */
  onNewLease: (token: string) => void
  /** Traces each webhook delivery, when tracing is on. */
  tracer?: Tracer | undefined
}

/**
 * The event path: its sources (Seam's webhooks, the `/events/list` poller when
 * SEAM_EVENTS_POLL_INTERVAL_MS is set, expiries, the gateway's own mutations) → dedupe → bus →
 * caches, sockets and subscriptions; session ends in `events`, device events and action attempt
 * updates in `deviceEvents`. Per app; the poller polls once started.
 */
export function createEventPath(deps: EventPathDeps) {
  const { config, upstream, bus, logger, metrics } = deps
  const sockets = createSocketRegistry({ onSessionEnded: metrics.socketsClosedBySessionEnd })
  const events = createSessionEvents({
    bus,
    logger,
    cache: deps.principalCache,
    sockets,
    // Before EXPIRED, Seam is asked whether the session was extended.
    confirmExpiry: createExpiryCheck({ upstream, apiKey: config.seamApiKey }),
    isLive: deps.isLive,
    onNewLease: deps.onNewLease,
    observe: metrics.sessionEvent,
  })
  const deviceEvents = createDeviceEvents({ bus, observe: metrics.deviceEvent, dedupeTtlMs: DEDUPE_TTL_MS })
  const webhook = createWebhookHandler({
    secret: config.seamWebhookSecret,
    onSessionDeleted: (event) => events.sessionEnded(event),
    onOtherEvent: (event) => deviceEvents.received(event, 'webhook'),
    onDuplicate: metrics.duplicateDropped,
    claim: (svixId) => bus.claim(`webhook:${svixId}`, DEDUPE_TTL_MS),
    logger,
    tracer: deps.tracer,
  })
  const instanceId = randomUUID()
  const poller =
    config.seamEventsPollIntervalMs > 0 && config.seamApiKey !== undefined
      ? createEventsPoller({
          upstream,
          apiKey: config.seamApiKey,
          intervalMs: config.seamEventsPollIntervalMs,
          onSessionDeleted: (event) => events.sessionEnded(event),
          otherEventTypes: POLLED_DEVICE_EVENT_TYPES,
          onOtherEvent: (event) => deviceEvents.received(event, 'poller'),
          logger,
          // One instance polls: the holder of the poller lock.
          lock: (ttlMs) => bus.lock('poller', instanceId, ttlMs),
          unlock: () => bus.unlock('poller', instanceId),
          onHolder: metrics.pollerHolder,
        })
      : undefined
  return { sockets, events, deviceEvents, webhook, poller }
}
