import { SpanKind, type Tracer } from '@opentelemetry/api'
import { inSpan } from '../observability/tracing.js'
import type { SharedState } from './shared-state.js'

/**
 * `shared` with a client span per round trip (`redis claim`, `redis publish`, …), a child of the
 * active span: what the event path and the limits cost in Redis, in the trace of the request or
 * webhook that caused it. No key or value is recorded. For the Redis state only; wrap it inside
 * `withLocalFallback` (shared-state.ts), so that a failed round trip shows as a failed span.
 */
export function withTracing(shared: SharedState, tracer: Tracer): SharedState {
  const traced = <T>(operation: string, call: () => Promise<T>): Promise<T> =>
    inSpan(
      tracer,
      `redis ${operation}`,
      { 'db.system.name': 'redis', 'db.operation.name': operation },
      () => call(),
      SpanKind.CLIENT,
    )
  return {
    kind: shared.kind,
    claim: (key, ttlMs) => traced('claim', () => shared.claim(key, ttlMs)),
    put: (key, value, ttlMs) => traced('put', () => shared.put(key, value, ttlMs)),
    get: (key) => traced('get', () => shared.get(key)),
    publish: (event) => traced('publish', () => shared.publish(event)),
    onSessionEnded: (handler) => shared.onSessionEnded(handler),
    publishExpiry: (change) => traced('publish', () => shared.publishExpiry(change)),
    onExpiryChanged: (handler) => shared.onExpiryChanged(handler),
    publishDeviceEvent: (event) => traced('publish', () => shared.publishDeviceEvent(event)),
    onDeviceEvent: (handler) => shared.onDeviceEvent(handler),
    hit: (key, windowMs) => traced('hit', () => shared.hit(key, windowMs)),
    hits: (budgets, windowMs) => traced('hits', () => shared.hits(budgets, windowMs)),
    lock: (name, owner, ttlMs) => traced('lock', () => shared.lock(name, owner, ttlMs)),
    unlock: (name, owner) => traced('unlock', () => shared.unlock(name, owner)),
    get ready() {
      return shared.ready
    },
    close: () => shared.close(),
  }
}
