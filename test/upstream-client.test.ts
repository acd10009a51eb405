/**
 * The upstream client on its own, against a local HTTP server: what it sends (the headers
 * `@seamapi/http` sends, one kept-alive connection), and how it treats answers no Seam gives.
 * Seam's own error answers through the gateway are covered by `upstream-errors.test.ts`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCallBudget } from '../src/upstream/call-budget.js'
import { createUpstream, type Upstream, type UpstreamOptions } from '../src/upstream/client.js'
import { UpstreamError } from '../src/upstream/upstream-error.js'

interface Seen {
  path: string
  headers: IncomingHttpHeaders
  body: unknown
}

describe('the upstream client', () => {
  let server: Server
  let endpoint: string
  let connections = 0
  const seen: Seen[] = []
  let answer: (path: string) => { status: number; type?: string; body: string } = () => ({
    status: 200,
    body: '{"devices":[],"pagination":{"has_next_page":false,"next_page_cursor":null}}',
  })

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        seen.push({
          path: req.url ?? '',
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        })
        const { status, type, body } = answer(req.url ?? '')
        res.writeHead(status, { 'content-type': type ?? 'application/json', 'seam-request-id': 'req_1' })
        res.end(body)
      })
    })
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  /** The upstreams a test made: each is closed after its test, its connections with it. */
  const made: Upstream[] = []
  const upstreamOf = (options: UpstreamOptions): Upstream => {
    const upstream = createUpstream(options)
    made.push(upstream)
    return upstream
  }

  afterEach(async () => {
    // A test's kept-alive connections must not be counted, or reused, by the next.
    await Promise.all(made.splice(0).map((upstream) => upstream.close()))
    seen.length = 0
    connections = 0
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('sends each kind of credential the way @seamapi/http does, with a JSON body', async () => {
    const upstream = upstreamOf({ endpoint })
    const body = { device_ids: ['d1'] }
    await upstream.as({ kind: 'apiKey', token: 'seam_key' }).call('/devices/list', body)
    await upstream.as({ kind: 'clientSessionToken', token: 'seam_cst_x' }).call('/devices/list', body)
    await upstream.as({ kind: 'publishableKey', key: 'seam_pk_x' }).call('/devices/list', body)
    expect(seen.map((request) => request.path)).toEqual(['/devices/list', '/devices/list', '/devices/list'])
    expect(seen.map((request) => request.body)).toEqual([body, body, body])
    const auth = seen.map(({ headers }) => ({
      authorization: headers.authorization,
      'client-session-token': headers['client-session-token'],
      'seam-publishable-key': headers['seam-publishable-key'],
      'content-type': headers['content-type'],
    }))
    expect(auth).toEqual([
      {
        authorization: 'Bearer seam_key',
        'client-session-token': undefined,
        'seam-publishable-key': undefined,
        'content-type': 'application/json',
      },
      {
        authorization: 'Bearer seam_cst_x',
        'client-session-token': 'seam_cst_x',
        'seam-publishable-key': undefined,
        'content-type': 'application/json',
      },
      {
        authorization: undefined,
        'client-session-token': undefined,
        'seam-publishable-key': 'seam_pk_x',
        'content-type': 'application/json',
      },
    ])
  })

  it('keeps one connection alive across sequential calls of many requests', async () => {
    const upstream = upstreamOf({ endpoint })
    for (let i = 0; i < 20; i++) {
      await upstream.as({ kind: 'apiKey', token: 'seam_key' }).all('/devices/list', 'devices', {})
    }
    expect(seen).toHaveLength(20)
    expect(connections).toBe(1)
  })

  it('keeps a path prefix of the endpoint', async () => {
    const upstream = upstreamOf({ endpoint: `${endpoint}/seam/` })
    await upstream.as({ kind: 'apiKey', token: 'seam_key' }).call('/devices/list', {})
    expect(seen.map((request) => request.path)).toEqual(['/seam/devices/list'])
  })

  it('refuses an answer larger than maxResponseBytes as UPSTREAM_UNAVAILABLE', async () => {
    const upstream = upstreamOf({ endpoint, maxResponseBytes: 1024, maxRetries: 0 })
    answer = () => ({ status: 200, body: JSON.stringify({ devices: ['x'.repeat(4096)] }) })
    try {
      const error = await upstream
        .as({ kind: 'apiKey', token: 'seam_key' })
        .call('/devices/list', {})
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UpstreamError)
      expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'Seam is unavailable' })
    } finally {
      answer = () => ({ status: 200, body: '{"devices":[]}' })
    }
  })

  it('does not retry a 2xx answer that is not JSON, and does not count it against the circuit', async () => {
    const upstream = upstreamOf({ endpoint, breaker: { failureThreshold: 1 } })
    answer = () => ({ status: 200, type: 'text/html', body: '<html>proxy</html>' })
    try {
      const error = await upstream
        .as({ kind: 'apiKey', token: 'seam_key' })
        .call('/devices/list', {})
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'Seam is unavailable' })
      expect(seen).toHaveLength(1)
      expect(upstream.circuit).toBe('closed')
    } finally {
      answer = () => ({ status: 200, body: '{"devices":[]}' })
    }
  })

  it('makes no call for a credential Node cannot put in a header, and does not count it against the circuit', async () => {
    const upstream = upstreamOf({ endpoint, breaker: { failureThreshold: 1 } })
    const error = await upstream
      .as({ kind: 'apiKey', token: 'seam_key\r\nx-injected: 1' })
      .call('/devices/list', {})
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The credential was not accepted' })
    expect(seen).toHaveLength(0)
    expect(upstream.circuit).toBe('closed')
  })

  it('gives up on an aborted call at once, without calling', async () => {
    const upstream = upstreamOf({ endpoint })
    const controller = new AbortController()
    controller.abort()
    const error = await upstream
      .as({ kind: 'apiKey', token: 'seam_key' }, { signal: controller.signal })
      .call('/devices/list', {})
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', details: { seamType: 'aborted' } })
    expect(seen).toHaveLength(0)
  })

  it('sends every route that is neither a /get nor a /list once: never retried, never shared in flight', async () => {
    const upstream = upstreamOf({ endpoint, retryBaseMs: 1, breaker: { failureThreshold: 10 } })
    answer = (path) =>
      path === '/locks/lock_door'
        ? { status: 503, body: '' }
        : { status: 200, body: '{"action_attempt":{"action_attempt_id":"a1"},"ok":true}' }
    try {
      const seam = upstream.as({ kind: 'apiKey', token: 'seam_key' })
      const error = await seam.call('/locks/lock_door', { device_id: 'd1' }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' })
      expect(seen.map((request) => request.path)).toEqual(['/locks/lock_door'])
      // Two identical actions at once are two actions.
      const body = { device_id: 'd1' }
      await Promise.all([seam.call('/locks/unlock_door', body), seam.call('/locks/unlock_door', body)])
      expect(seen.map((request) => request.path)).toEqual([
        '/locks/lock_door',
        '/locks/unlock_door',
        '/locks/unlock_door',
      ])
    } finally {
      answer = () => ({ status: 200, body: '{"devices":[]}' })
    }
  })

  it("counts every request sent against the operation's budget: each retry, never a read shared in flight", async () => {
    const upstream = upstreamOf({ endpoint, retryBaseMs: 1, breaker: { failureThreshold: 10 } })
    let failures = 2
    answer = () =>
      failures-- > 0
        ? { status: 503, body: '' }
        : { status: 200, body: '{"devices":[],"pagination":{"has_next_page":false,"next_page_cursor":null}}' }
    try {
      const budget = createCallBudget(4)
      const seam = upstream.as({ kind: 'apiKey', token: 'seam_key' }, { budget })
      // Two 503s, then an answer: three requests.
      await seam.call('/devices/list', {})
      expect(budget.spent).toBe(3)
      // Two identical reads at once: one request.
      const body = { device_ids: ['d1'] }
      await Promise.all([seam.call('/devices/list', body), seam.call('/devices/list', body)])
      expect(budget.spent).toBe(4)
      expect(seen).toHaveLength(4)
      // The fifth is refused without a request, and not retried.
      const error = await seam.call('/devices/list', { device_ids: ['d2'] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UpstreamError)
      expect(error).toMatchObject({
        code: 'RATE_LIMITED',
        message: 'This operation reached its limit of 4 upstream calls (MAX_UPSTREAM_CALLS_PER_OPERATION)',
      })
      expect(seen).toHaveLength(4)
      expect(upstream.circuit).toBe('closed')
      // Another operation's client has a budget of its own; the principal resolver's has none.
      await upstream
        .as({ kind: 'apiKey', token: 'seam_key' }, { budget: createCallBudget(4) })
        .call('/devices/list', {})
      await upstream.as({ kind: 'apiKey', token: 'seam_key' }).call('/devices/list', {})
      expect(seen).toHaveLength(6)
    } finally {
      answer = () => ({ status: 200, body: '{"devices":[]}' })
    }
  })
})
