/**
 * The shared state with tracing, on its own: one client span per round trip, named after it, and
 * the subscriptions (which are no round trip) passed through unchanged. In a whole gateway, over
 * Redis, the spans are covered by `tracing.test.ts`.
 */

import { SpanKind } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { afterAll, describe, expect, it } from 'vitest'
import type { DeviceBusEvent } from '../src/events/device-events.js'
import type { SessionEndedEvent, SessionExpiryChange } from '../src/events/session-events.js'
import { createMemorySharedState } from '../src/events/shared-state.js'
import { withTracing } from '../src/events/traced-shared-state.js'

const exporter = new InMemorySpanExporter()
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const tracer = provider.getTracer('traced-shared-state-test')

afterAll(async () => {
  await provider.shutdown()
})

describe('withTracing', () => {
  it('traces each round trip in a client span named after it, and records no key or value', async () => {
    const traced = withTracing(createMemorySharedState(), tracer)
    exporter.reset()
    await traced.claim('k1', 1000)
    await traced.put('k2', 'secret value', 1000)
    expect(await traced.get('k2')).toBe('secret value')
    await traced.publish({ eventId: 'e' } as SessionEndedEvent)
    await traced.publishExpiry({ clientSessionId: 'c', expiresAt: 'x' })
    await traced.publishDeviceEvent({ eventId: 'd' } as DeviceBusEvent)
    await traced.hit('k3', 1000)
    await traced.hits([{ key: 'k4', limit: 5 }], 1000)
    await traced.lock('poller', 'owner', 1000)
    await traced.unlock('poller', 'owner')
    const spans = exporter.getFinishedSpans()
    expect(spans.map((span) => span.name)).toEqual([
      'redis claim',
      'redis put',
      'redis get',
      'redis publish',
      'redis publish',
      'redis publish',
      'redis hit',
      'redis hits',
      'redis lock',
      'redis unlock',
    ])
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.CLIENT)
      expect(span.attributes).toEqual({
        'db.system.name': 'redis',
        'db.operation.name': span.name.slice('redis '.length),
      })
    }
  })

  it('passes subscriptions to the state it wraps, without a span', async () => {
    const shared = createMemorySharedState()
    const traced = withTracing(shared, tracer)
    const ended: SessionEndedEvent[] = []
    const changed: SessionExpiryChange[] = []
    const devices: DeviceBusEvent[] = []
    traced.onSessionEnded((event) => ended.push(event))
    traced.onExpiryChanged((change) => changed.push(change))
    traced.onDeviceEvent((event) => devices.push(event))
    exporter.reset()
    await shared.publish({ eventId: 'e' } as SessionEndedEvent)
    await shared.publishExpiry({ clientSessionId: 'c', expiresAt: 'x' })
    await shared.publishDeviceEvent({ eventId: 'd' } as DeviceBusEvent)
    expect(ended).toEqual([{ eventId: 'e' }])
    expect(changed).toEqual([{ clientSessionId: 'c', expiresAt: 'x' }])
    expect(devices).toEqual([{ eventId: 'd' }])
    expect(exporter.getFinishedSpans()).toEqual([])
  })
})
