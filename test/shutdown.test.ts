import { connect } from 'node:net'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { ClientSessionDeletedDocument, ViewerDocument } from './generated/graphql.js'
import { createClientPool, subscribeWs, waitFor } from './helpers/clients.js'
import { execute } from './helpers/execute.js'
import { bearer, testConfig } from './helpers/gateway.js'
import { type HeldUpstream, startHeldUpstream } from './helpers/held-upstream.js'
import { untilOpenSubscriptions } from './helpers/metrics.js'

// SPEC §9, graceful shutdown on SIGTERM (`gateway.stop()`): stop accepting at once, let requests in
// flight finish, close sockets with 1001, and cut what never finishes by itself (SSE streams) once
// SHUTDOWN_GRACE_MS has passed. Each test stops a gateway of its own, behind an upstream whose
// answers wait until the test releases them.

const API_KEY = 'seam_apikey1_token'
const EVERY_DEVICE = [
  'august_device_1',
  'august_device_2',
  'ecobee_device_1',
  'minut_device_1',
  'schlage_device_id',
]
const DEVICE_IDS = parse('{ devices { nodes { deviceId } } }') as TypedDocumentNode<
  { devices: { nodes: Array<{ deviceId: string }> } | null },
  Record<string, never>
>
/** How long after its grace period (or its last request) `stop()` may take before the test calls it stuck. */
const MARGIN_MS = 5000

let sandbox: Sandbox
let upstream: HeldUpstream
const pool = createClientPool()
const started: App[] = []

beforeAll(async () => {
  sandbox = await createSandbox()
  upstream = await startHeldUpstream(sandbox.url)
  return async () => {
    await upstream?.close()
    await sandbox?.stop()
  }
})

afterEach(async () => {
  await pool.disposeAll()
  await Promise.all(started.splice(0).map((gateway) => gateway.stop()))
})

async function startGateway(shutdownGraceMs: number): Promise<{ gateway: App; url: string }> {
  const gateway = createApp(
    testConfig({ SEAM_ENDPOINT: upstream.url, SHUTDOWN_GRACE_MS: String(shutdownGraceMs) }),
  )
  started.push(gateway)
  const url = await gateway.start()
  // The API key is looked up (and cached) now: what follows is held on the route it asks for alone.
  expect((await execute(url, ViewerDocument, {}, bearer(API_KEY))).status).toBe(200)
  return { gateway, url }
}

/** Resolves true when a TCP connection to the gateway's port is refused, false when it is accepted. */
const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url)
    const socket = connect({ host: hostname, port: Number(port) })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })

/** Polls until the gateway's port refuses connections: it no longer accepts. */
async function noLongerAccepting(url: string): Promise<void> {
  const deadline = Date.now() + 5000
  while (!(await refused(url))) {
    if (Date.now() > deadline) throw new Error(`Expected ${url} to refuse new connections within 5000 ms`)
  }
}

/** Waits for `stopping` (a `stop()`), failing the test when it is still pending after `ms`. */
async function stoppedWithin(stopping: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Expected stop() to resolve within ${ms} ms; still pending`)),
      ms,
    )
  })
  try {
    await Promise.race([stopping, stuck])
  } finally {
    clearTimeout(timer)
  }
}

describe('gateway.stop()', () => {
  it('lets a request in flight finish with its whole answer, while refusing new connections', async () => {
    // A grace period far longer than the test: the request must finish by itself, not be cut.
    const { gateway, url } = await startGateway(60_000)
    const held = upstream.hold('/devices/list')
    const inFlight = execute(url, DEVICE_IDS, {}, bearer(API_KEY))
    await held.arrived

    const stopped = gateway.stop()
    await noLongerAccepting(url)
    held.release()

    const { status, body } = await inFlight
    expect(status).toBe(200)
    expect(body).toEqual({ data: { devices: { nodes: EVERY_DEVICE.map((deviceId) => ({ deviceId })) } } })
    // Nothing else was open: stop() is done once that request is, long before the grace period.
    await stoppedWithin(stopped, MARGIN_MS)
  })

  it('cuts an open SSE stream once SHUTDOWN_GRACE_MS has passed, and closes sockets with 1001', async () => {
    const graceMs = 300
    const { gateway, url } = await startGateway(graceMs)
    const stream = pool.subscribeSse(url, bearer(API_KEY), ClientSessionDeletedDocument, {})
    const socket = pool.openWs(url, { authorization: `Bearer ${API_KEY}` })
    const overSocket = subscribeWs(socket.client, ClientSessionDeletedDocument, {})
    await waitFor(() => socket.connected === 1, 'connection_ack')
    // Server side: both subscriptions are open before the gateway stops.
    await untilOpenSubscriptions(gateway, 2)

    await stoppedWithin(gateway.stop(), graceMs + MARGIN_MS)

    expect(socket.closes).toEqual([{ code: 1001, reason: 'Going away' }])
    expect(overSocket.results).toEqual([])
    // The stream was cut without an event: graphql-sse reports the broken connection.
    await waitFor(() => stream.errors.length > 0 || stream.completed, 'the SSE stream to end')
    expect({ results: stream.results, completed: stream.completed }).toEqual({
      results: [],
      completed: false,
    })
    expect(stream.errors.map((error) => `${(error as Error).name}: ${(error as Error).message}`)).toEqual([
      'NetworkError: terminated',
    ])
    expect(await refused(url)).toBe(true)
  })
})
