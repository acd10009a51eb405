import { createServer } from 'node:net'
import { parse } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { KNOWN_ERROR_CODES } from '../src/contract/error-codes.js'
import { createClientPool, queryWs, waitFor } from './helpers/clients.js'
import { startTestGateway, type TestGateway } from './helpers/gateway.js'
import { readMetrics } from './helpers/metrics.js'

// Metrics never grow with what callers send (SPEC §9): no label value comes from a request, so the
// number of series is fixed; and /metrics is not on the public listener unless METRICS_TOKEN guards it.

const METRICS_TOKEN = 'metrics-token-0123456789abcdef'
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
/** 20 KB of operation name, as the review sent it. */
const hostile = (i: number) => `query Op_${i}_${'A'.repeat(20_000)} { __typename }`

const clients = createClientPool()
afterEach(() => clients.disposeAll())

/** Every label value of every series in an exposition text. */
const labelValues = (text: string): string[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => [...line.matchAll(/="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!))

/** The series of an exposition text that are not process metrics. */
const gatewaySeries = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !/^(# (HELP|TYPE) )?(process|nodejs)_/.test(line))
    .join('\n')

/** Sends one operation over plain HTTP with `Authorization: Bearer nope` (refused: 401). */
async function anonymousHttp(url: string, query: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
    body: JSON.stringify({ query }),
  })
  await response.text()
  return response.status
}

/** Runs one query over SSE with the demo client session token; resolves with its events. */
async function sse(t: TestGateway, query: string): Promise<string> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${t.demoToken}`,
    },
    body: JSON.stringify({ query }),
  })
  return response.text()
}

describe('hostile operation names', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  it('leave /metrics the same size over HTTP, SSE and graphql-ws, without any name in it', async () => {
    const socket = clients.openWs(t.url, { clientSessionToken: t.demoToken })
    await waitFor(() => socket.connected === 1, 'connection_ack')
    // One of each first, so that every series these requests touch exists before the measure.
    expect(await anonymousHttp(t.url, 'query Warm { __typename }')).toBe(401)
    expect(await sse(t, 'query Warm { __typename }')).toContain('"__typename":"Query"')
    expect(await queryWs(socket.client, parse('query Warm { __typename }'), {})).toEqual({
      data: { __typename: 'Query' },
    })
    const before = await readMetrics(t.url)

    for (let i = 0; i < 20; i++) {
      expect(await anonymousHttp(t.url, hostile(i))).toBe(401)
      expect(await sse(t, hostile(100 + i))).toContain('"__typename":"Query"')
      expect(await queryWs(socket.client, parse(hostile(200 + i)), {})).toEqual({
        data: { __typename: 'Query' },
      })
    }

    const text = await readMetrics(t.url)
    console.log(`/metrics: ${before.length} bytes before 60 hostile operations, ${text.length} after`)
    // The gateway's own series only change their digits; process metrics (GC kinds, handles) may
    // add a few series of their own meanwhile, which one 20 KB name would dwarf.
    expect(gatewaySeries(text).length - gatewaySeries(before).length).toBeLessThan(512)
    expect(text.length - before.length).toBeLessThan(8192)
    expect(text).not.toContain('Op_')
    expect(text).not.toContain('Warm')
    expect(text).not.toContain('AAAAAAAA')
    expect(Math.max(...labelValues(text).map((value) => value.length))).toBeLessThanOrEqual(64)
    // The operations were counted all the same, by type only.
    expect(text).toMatch(/^graphql_envelop_request\{operationType="query"\} 42$/m)
  })

  it('counts errors by a fixed set of codes', async () => {
    // A gateway of its own, with refusals of its own: the other test's 42 operations stay exact.
    const own = await startTestGateway()
    try {
      expect(await anonymousHttp(own.url, hostile(300))).toBe(401)
      expect(await anonymousHttp(own.url, '{ __typename }')).toBe(401)
      const text = await readMetrics(own.url)
      const codes = [...text.matchAll(/^gateway_errors_total\{code="([^"]*)"\} \d+$/gm)].map((m) => m[1]!)
      expect(codes).toContain('UNAUTHENTICATED')
      for (const code of codes) expect([...KNOWN_ERROR_CODES, 'OTHER']).toContain(code)
    } finally {
      await own.stop()
    }
  })
})

describe('where /metrics is served', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway()
  })

  afterAll(async () => {
    await t?.stop()
  })

  it('not on the public port by default: 404 there', async () => {
    const response = await fetch(`${t.url}/metrics`)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('seam_upstream_requests_total')
  })

  it('on a loopback metrics listener of its own, with process metrics', async () => {
    const metricsUrl = new URL(t.gateway.metricsUrl)
    expect(metricsUrl.hostname).toBe('127.0.0.1')
    expect(metricsUrl.pathname).toBe('/metrics')
    expect(metricsUrl.port).not.toBe(new URL(t.url).port)
    const response = await fetch(t.gateway.metricsUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(CONTENT_TYPE)
    const text = await response.text()
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m)
    expect(text).toContain('# TYPE seam_upstream_requests_total counter')
    // The metrics listener serves nothing else.
    const other = await fetch(`${metricsUrl.origin}/graphql`)
    expect({ status: other.status, text: await other.text() }).toEqual({
      status: 404,
      text: 'Not found: this listener serves GET /metrics only\n',
    })
  })

  it('closes the metrics listener on stop()', async () => {
    const own = await startTestGateway()
    const { metricsUrl } = own.gateway
    expect((await fetch(metricsUrl)).status).toBe(200)
    await own.stop()
    await expect(fetch(metricsUrl)).rejects.toThrow('fetch failed')
  })

  it('fails start naming METRICS_PORT when the port is taken', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as { port: number }
    try {
      await expect(startTestGateway({ METRICS_PORT: String(port) })).rejects.toThrow(
        `METRICS_PORT ${port} on 127.0.0.1 cannot be used for the metrics listener (EADDRINUSE); set METRICS_PORT to a free port (0 picks one)`,
      )
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()))
    }
  })
})

describe('METRICS_TOKEN: /metrics on the public port, to its holder only', () => {
  let t: TestGateway

  beforeAll(async () => {
    t = await startTestGateway({ METRICS_TOKEN })
  })

  afterAll(async () => {
    await t?.stop()
  })

  const refusal = {
    status: 401,
    body: {
      errors: [
        {
          message: 'The metrics need Authorization: Bearer <METRICS_TOKEN>',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    },
  }

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer metrics-token-0123456789abcdeX' }],
    ['the token without its scheme', { authorization: METRICS_TOKEN }],
    ['a workspace API key', { authorization: 'Bearer seam_apikey1_token' }],
  ])('answers %s with 401 and no metrics', async (_, headers: Record<string, string>) => {
    const response = await fetch(`${t.url}/metrics`, { headers })
    const text = await response.text()
    expect({ status: response.status, body: JSON.parse(text) }).toEqual(refusal)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
    expect(text).not.toContain(METRICS_TOKEN)
  })

  it('serves the metrics, process metrics included, to Authorization: Bearer <METRICS_TOKEN>', async () => {
    expect(t.gateway.metricsUrl).toBe(`${t.url}/metrics`)
    const response = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(CONTENT_TYPE)
    const text = await response.text()
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m)
    expect(text).toContain('# TYPE seam_upstream_requests_total counter')
  })
})
