import { randomBytes, randomUUID } from 'node:crypto'
import { request } from 'node:http'
import { SpanStatusCode } from '@opentelemetry/api'
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { Webhook } from 'svix'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { startTracing, type Tracing, tracingFromEnv } from '../src/observability/tracing.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { testConfig } from './helpers/gateway.js'
import { startTestRedis, type TestRedis } from './helpers/redis.js'

/**
 * OpenTelemetry (README "Tracing"): the SDK with an in-memory exporter, a gateway on Redis and the
 * sandbox behind a counting proxy. A scoped query and a webhook-driven session end each make one
 * trace, continuing the caller's W3C `traceparent`, whose span tree is asserted; the trace goes on
 * upstream in the `traceparent` Seam receives. Requests are sent with `node:http`, not fetch, so
 * that the test's own calls make no client spans of their own.
 */

const API_KEY = 'seam_apikey1_token'
const SECRET = `whsec_${randomBytes(24).toString('base64')}`

let exporter: InMemorySpanExporter
let tracing: Tracing
let redis: TestRedis
let sandbox: Sandbox
let proxy: CountingProxy
let app: App
let url: string

beforeAll(async () => {
  exporter = new InMemorySpanExporter()
  tracing = await startTracing({
    serviceName: 'gateway-under-test',
    spanProcessor: new SimpleSpanProcessor(exporter),
  })
  redis = await startTestRedis()
  sandbox = await createSandbox()
  proxy = await startCountingProxy(sandbox.url)
  app = createApp(
    testConfig({
      SEAM_ENDPOINT: proxy.url,
      SEAM_API_KEY: API_KEY,
      SEAM_WEBHOOK_SECRET: SECRET,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `tracing-${randomBytes(4).toString('hex')}:`,
    }),
    { tracer: tracing.tracer },
  )
  url = await app.start()
}, 30_000)

afterAll(async () => {
  await app?.stop()
  await proxy?.stop()
  await sandbox?.stop()
  await redis?.stop()
  await tracing?.shutdown()
})

/** POSTs with node:http; resolves with the status and the body text. */
function post(
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A fresh caller's trace context: the trace id, the caller's span id, and its `traceparent`. */
function callerContext() {
  const traceId = randomBytes(16).toString('hex')
  const spanId = randomBytes(8).toString('hex')
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` }
}

/** The finished spans of one trace, once the last of them has ended. */
async function spansOf(traceId: string, until: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5000
  for (;;) {
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId)
    if (until(spans)) return spans
    if (Date.now() > deadline)
      throw new Error(`Expected the trace to complete, got ${spans.map((s) => s.name).join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId
const one = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((span) => span.name === name)
  expect(found.map((span) => span.name)).toEqual([name])
  return found[0]!
}
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((span) => parentOf(span) === parent.spanContext().spanId)

describe('tracing', () => {
  it('traces a scoped query from the caller through the operation to each call to Seam, and sends the trace on', async () => {
    const created = (await (
      await fetch(`${sandbox.url}/client_sessions/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({
          user_identifier_key: `traced-${randomUUID()}`,
          connected_account_ids: ['john_connected_account_id'],
        }),
      })
    ).json()) as { client_session: { token: string } }
    const token = created.client_session.token
    const caller = callerContext()
    proxy.reset()
    const answer = await post(
      '/graphql',
      {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        traceparent: caller.traceparent,
      },
      JSON.stringify({
        query: 'query MyDevices { viewer { kind } devices(first: 5) { nodes { deviceId } } }',
      }),
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.text).errors).toBeUndefined()

    const spans = await spansOf(caller.traceId, (all) => all.some((span) => span.name === 'POST /graphql'))
    const server = one(spans, 'POST /graphql')
    expect([parentOf(server), server.kind, server.attributes]).toEqual([
      caller.spanId,
      1, // SERVER
      { 'http.request.method': 'POST', 'http.route': '/graphql', 'http.response.status_code': 200 },
    ])
    const operation = one(spans, 'graphql.operation')
    expect([parentOf(operation), operation.attributes]).toEqual([
      server.spanContext().spanId,
      { 'graphql.operation.type': 'query', 'graphql.operation.name': 'MyDevices' },
    ])
    // The principal is resolved before the operation runs; the devices inside it.
    const principal = one(spans, 'seam /client_sessions/get')
    const devices = one(spans, 'seam /devices/list')
    expect(parentOf(principal)).toBe(server.spanContext().spanId)
    expect(parentOf(devices)).toBe(operation.spanContext().spanId)
    expect(devices.attributes).toEqual({
      'seam.route': '/devices/list',
      'http.request.method': 'POST',
      'seam.retries': 0,
      'http.response.status_code': 200,
      'seam.circuit': 'closed',
    })
    // Each HTTP attempt is the undici instrumentation's span, a child of its call.
    for (const call of [principal, devices]) {
      expect(
        childrenOf(spans, call).map((span) => [span.kind, span.attributes['http.response.status_code']]),
      ).toEqual([
        [2, 200], // CLIENT
      ])
    }
    // Seam received the trace: every request of this operation carried its trace id.
    const sent = proxy.traceparents()
    expect(sent.map((entry) => entry.path).sort()).toEqual(['/client_sessions/get', '/devices/list'])
    for (const entry of sent)
      expect(entry.traceparent).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-01$`))
    // No credential anywhere in the trace.
    expect(JSON.stringify(spans.map((span) => [span.name, span.attributes]))).not.toContain(token)
  })

  it('traces a webhook-driven session end: the delivery, then its claims and publish in Redis', async () => {
    const created = (await (
      await fetch(`${sandbox.url}/client_sessions/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({
          user_identifier_key: `ended-${randomUUID()}`,
          connected_account_ids: ['john_connected_account_id'],
        }),
      })
    ).json()) as { client_session: { client_session_id: string } }
    const now = new Date()
    const id = `msg_${randomUUID()}`
    const payload = JSON.stringify({
      event_id: randomUUID(),
      event_type: 'client_session.deleted',
      workspace_id: 'seed_workspace_1',
      client_session_id: created.client_session.client_session_id,
      created_at: now.toISOString(),
      occurred_at: now.toISOString(),
    })
    const caller = callerContext()
    const answer = await post(
      '/webhooks/seam',
      {
        'content-type': 'application/json',
        'svix-id': id,
        'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
        'svix-signature': new Webhook(SECRET).sign(id, now, payload),
        traceparent: caller.traceparent,
      },
      payload,
    )
    expect(answer.status).toBe(200)

    const spans = await spansOf(caller.traceId, (all) =>
      all.some((span) => span.name === 'POST /webhooks/seam'),
    )
    const server = one(spans, 'POST /webhooks/seam')
    expect(parentOf(server)).toBe(caller.spanId)
    const delivery = one(spans, 'seam.webhook')
    expect([parentOf(delivery), delivery.attributes]).toEqual([
      server.spanContext().spanId,
      { 'seam.event_type': 'client_session.deleted', 'seam.webhook.outcome': 'processed' },
    ])
    // The delivery's id claimed, then the end claimed and published to every instance.
    expect(
      childrenOf(spans, delivery)
        .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
        .map((span) => [span.name, span.kind, span.attributes['db.system.name']]),
    ).toEqual([
      ['redis claim', 2, 'redis'],
      ['redis claim', 2, 'redis'],
      ['redis publish', 2, 'redis'],
    ])
  })

  it('marks a webhook delivery it refused as rejected and failed, and a repeat as duplicate', async () => {
    const deliver = async (payload: string, id: string, secret: string) => {
      const now = new Date()
      const caller = callerContext()
      const answer = await post(
        '/webhooks/seam',
        {
          'content-type': 'application/json',
          'svix-id': id,
          'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
          'svix-signature': new Webhook(secret).sign(id, now, payload),
          traceparent: caller.traceparent,
        },
        payload,
      )
      const spans = await spansOf(caller.traceId, (all) =>
        all.some((span) => span.name === 'POST /webhooks/seam'),
      )
      return { status: answer.status, delivery: one(spans, 'seam.webhook') }
    }
    const payload = JSON.stringify({
      event_id: randomUUID(),
      event_type: 'device.connected',
      workspace_id: 'seed_workspace_1',
      device_id: `device-${randomUUID()}`,
      created_at: new Date().toISOString(),
      occurred_at: new Date().toISOString(),
    })
    const forged = await deliver(
      payload,
      `msg_${randomUUID()}`,
      `whsec_${randomBytes(24).toString('base64')}`,
    )
    expect([forged.status, forged.delivery.attributes, forged.delivery.status.code]).toEqual([
      401,
      { 'seam.webhook.outcome': 'rejected' },
      SpanStatusCode.ERROR,
    ])
    const id = `msg_${randomUUID()}`
    const first = await deliver(payload, id, SECRET)
    const repeat = await deliver(payload, id, SECRET)
    expect([first.status, first.delivery.attributes]).toEqual([
      200,
      { 'seam.event_type': 'device.connected', 'seam.webhook.outcome': 'processed' },
    ])
    expect([repeat.status, repeat.delivery.attributes]).toEqual([
      200,
      { 'seam.event_type': 'device.connected', 'seam.webhook.outcome': 'duplicate' },
    ])
  })
})

describe('tracingFromEnv', () => {
  it('turns tracing on with an OTLP endpoint only, and off with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }
    expect(
      [
        {},
        { OTEL_SERVICE_NAME: 'named' },
        { OTEL_EXPORTER_OTLP_ENDPOINT: '  ' },
        endpoint,
        {
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
          OTEL_SERVICE_NAME: ' api-gateway ',
        },
        { ...endpoint, OTEL_SDK_DISABLED: 'TRUE' },
        { ...endpoint, OTEL_SDK_DISABLED: 'false' },
        { ...endpoint, OTEL_TRACES_EXPORTER: 'none' },
      ].map(tracingFromEnv),
    ).toEqual([
      undefined,
      undefined,
      undefined,
      { serviceName: 'seam-graphql-gateway' },
      { serviceName: 'api-gateway' },
      undefined,
      { serviceName: 'seam-graphql-gateway' },
      undefined,
    ])
  })
})
