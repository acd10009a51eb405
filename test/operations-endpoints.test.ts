import { once } from 'node:events'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createSandbox } from '../sandbox/sandbox.js'
import { ViewerDocument } from './generated/graphql.js'
import { startCountingProxy } from './helpers/counting-proxy.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { metricsUrlOf } from './helpers/metrics.js'

const DevicesQuery = parse('{ viewer { kind } devices { nodes { deviceId } } }')

let gw: TestGateway
beforeAll(async () => {
  gw = await startTestGateway()
})
afterAll(async () => {
  await gw?.stop()
})

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

async function get(url: string) {
  const response = await fetch(url)
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  }
}

describe('/health', () => {
  it('answers 200 {"ok":true}', async () => {
    expect(await get(`${gw.url}/health`)).toEqual({
      status: 200,
      contentType: 'application/json',
      text: '{"ok":true}',
    })
  })
})

describe('/ready', () => {
  it('answers 200 while the upstream (the embedded sandbox) is reachable', async () => {
    expect(await get(`${gw.url}/ready`)).toEqual({
      status: 200,
      contentType: 'application/json',
      text: '{"ok":true,"upstream":true}',
    })
  })

  it('answers 503 when SEAM_ENDPOINT points at a closed port', async () => {
    const gateway = await startTestGateway({ SEAM_ENDPOINT: `http://127.0.0.1:${await closedPort()}` })
    try {
      expect(await get(`${gateway.url}/ready`)).toEqual({
        status: 503,
        contentType: 'application/json',
        text: '{"ok":false,"upstream":false}',
      })
      // Alive all the same.
      expect((await get(`${gateway.url}/health`)).status).toBe(200)
    } finally {
      await gateway.stop()
    }
  })

  it('asks Seam at most once a second, however often it is polled', async () => {
    // /ready is anonymous: each of its hits must not become a call to Seam.
    const sandbox = await createSandbox({ port: 0 })
    const proxy = await startCountingProxy(sandbox.url)
    const gateway = await startTestGateway({ SEAM_ENDPOINT: proxy.url })
    try {
      proxy.reset()
      const answers = await Promise.all(Array.from({ length: 20 }, () => get(`${gateway.url}/ready`)))
      expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(
        new Set([
          JSON.stringify({
            status: 200,
            contentType: 'application/json',
            text: '{"ok":true,"upstream":true}',
          }),
        ]),
      )
      for (let i = 0; i < 20; i++) expect((await get(`${gateway.url}/ready`)).status).toBe(200)
      console.log(`/health probes for 40 hits of /ready: ${proxy.total()}`)
      expect(proxy.counts()).toEqual({ '/health': 1 })
      // A second later the answer is asked for again.
      await sleep(1100)
      expect((await get(`${gateway.url}/ready`)).status).toBe(200)
      expect(proxy.counts()).toEqual({ '/health': 2 })
    } finally {
      await gateway.stop()
      await proxy.stop()
      await sandbox.stop()
    }
  })
})

describe('/metrics', () => {
  it('counts upstream calls by route and status, and never shows a credential', async () => {
    // A gateway of its own, so that the counts are exactly those of this test.
    const gateway = await startTestGateway()
    try {
      const unknownToken = 'seam_cst_unknown_0123456789'
      const workspace = await gateway.execute(DevicesQuery, {}, bearer(gateway.apiKey))
      expect(workspace.status).toBe(200)
      const session = await gateway.execute(ViewerDocument, {}, bearer(gateway.demoToken))
      expect(session.status).toBe(200)
      const refused = await gateway.execute(ViewerDocument, {}, bearer(unknownToken))
      expect(refused.status).toBe(401)

      const response = await fetch(metricsUrlOf(gateway.url))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
      const text = await response.text()
      const upstreamLines = text
        .split('\n')
        .filter((line) => line.startsWith('seam_upstream_requests_total'))
        .sort()
      // Nothing at start: the sandbox made the demo session before the gateway was built.
      expect(upstreamLines).toEqual([
        // The demo token's principal (its viewer.clientSession is the principal's own session).
        'seam_upstream_requests_total{route="/client_sessions/get",status="200"} 1',
        // The unknown token's principal.
        'seam_upstream_requests_total{route="/client_sessions/get",status="401"} 1',
        'seam_upstream_requests_total{route="/devices/list",status="200"} 1',
        'seam_upstream_requests_total{route="/workspaces/get",status="200"} 1',
      ])
      expect(text).toContain('# TYPE seam_upstream_requests_total counter')

      for (const secret of [gateway.apiKey, gateway.demoToken, unknownToken, 'seam_cst', 'seam_apikey']) {
        expect(text).not.toContain(secret)
      }
    } finally {
      await gateway.stop()
    }
  })
})

describe('request body cap (MAX_BODY_BYTES, 102400 by default)', () => {
  const tooLarge = {
    status: 413,
    contentType: 'application/json',
    text: JSON.stringify({
      errors: [
        { message: 'Request body is larger than 102400 bytes', extensions: { code: 'BAD_USER_INPUT' } },
      ],
    }),
  }
  /** A valid operation padded with an unused variable to `bytes` bytes. */
  const paddedBody = (bytes: number) => {
    const empty = JSON.stringify({ query: '{ viewer { kind } }', variables: { pad: '' } })
    return JSON.stringify({
      query: '{ viewer { kind } }',
      variables: { pad: 'x'.repeat(bytes - empty.length) },
    })
  }

  it('answers a body one byte over the cap with 413', async () => {
    const body = paddedBody(102_401)
    expect(Buffer.byteLength(body)).toBe(102_401)
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gw.apiKey) },
      body,
    })
    expect({
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.text(),
    }).toEqual(tooLarge)
  })

  it('serves a body exactly at the cap', async () => {
    const body = paddedBody(102_400)
    expect(Buffer.byteLength(body)).toBe(102_400)
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gw.apiKey) },
      body,
    })
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { data: { viewer: { kind: 'WORKSPACE' } } },
    })
  })

  it('answers a chunked body (no content-length) over the cap with 413', async () => {
    const chunk = new TextEncoder().encode(paddedBody(150_000))
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // Several chunks, as a streaming client sends them.
        for (let offset = 0; offset < chunk.length; offset += 16_384) {
          controller.enqueue(chunk.slice(offset, offset + 16_384))
        }
        controller.close()
      },
    })
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gw.apiKey) },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect({
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.text(),
    }).toEqual(tooLarge)
  })

  it('closes a graphql-ws socket whose message is over the cap with 1009', async () => {
    const socket = new WebSocket(`${gw.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws')
    try {
      await once(socket, 'open')
      const closed = once(socket, 'close')
      socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(102_400) } }))
      const [code, reason] = (await Promise.race([
        closed,
        sleep(3000).then(() => {
          throw new Error('Expected the socket to close within 3 s')
        }),
      ])) as [number, Buffer]
      expect({ code, reason: reason.toString() }).toEqual({ code: 1009, reason: '' })
    } finally {
      socket.terminate()
    }
  })
})
