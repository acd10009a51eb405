import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { sleep, waitFor } from './helpers/clients.js'
import { SEAM_DOWN, startFaultyUpstream } from './helpers/faulty-upstream.js'
import { bearer, testConfig } from './helpers/gateway.js'

// The gateway when Seam misbehaves, seen through the gateway and counted on the wire: the circuit
// breaker opens after 8 consecutive failed upstream calls, fails fast while open, lets one probe
// through after 5 s and closes when Seam is back; writes are sent once; a client that goes away
// takes its upstream request with it.

const API_KEY = 'seam_apikey1_token'
const UPSTREAM_TIMEOUT_MS = 2000
const DEVICES = '{ devices { nodes { deviceId } } }'
const ALL_DEVICES = [
  'august_device_1',
  'august_device_2',
  'ecobee_device_1',
  'minut_device_1',
  'schlage_device_id',
]

let sandbox: Sandbox | undefined
let proxy: Awaited<ReturnType<typeof startFaultyUpstream>> | undefined
let gateway: App | undefined
let url: string

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0 })
  proxy = await startFaultyUpstream(sandbox.url)
  gateway = createApp(
    testConfig({
      SEAM_ENDPOINT: proxy.url,
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      SHUTDOWN_GRACE_MS: '500',
    }),
  )
  url = await gateway.start()
})

afterAll(async () => {
  await gateway?.stop()
  await proxy?.close()
  await sandbox?.stop()
})

async function post(query: string, signal?: AbortSignal, to = url) {
  const response = await fetch(`${to}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...bearer(API_KEY),
    },
    body: JSON.stringify({ query }),
    ...(signal ? { signal } : {}),
  })
  return { status: response.status, body: (await response.json()) as unknown }
}

/** Runs `query` and measures how long the gateway took to answer. */
async function timed(query: string, to = url) {
  const started = performance.now()
  const result = await post(query, undefined, to)
  return { ...result, ms: performance.now() - started }
}

const devicesFailed = (message: string) => ({
  errors: [
    {
      message,
      locations: [{ line: 1, column: 3 }],
      path: ['devices'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    },
  ],
  data: { devices: null },
})
const DEVICES_DATA = { data: { devices: { nodes: ALL_DEVICES.map((deviceId) => ({ deviceId })) } } }
const SEAM_UNAVAILABLE = 'Seam is unavailable'
const FAILING_FAST = 'Seam is unavailable (failing fast while it recovers)'

async function ready(to = url) {
  const response = await fetch(`${to}/ready`)
  return { status: response.status, body: await response.json() }
}

describe('writes', () => {
  afterEach(() => {
    proxy?.reset()
  })

  it('sends a createClientSession that meets a 503 exactly once, answers UPSTREAM_UNAVAILABLE, creates nothing', async () => {
    await post('{ viewer { kind } }') // The API key is checked (and cached) before the fault.
    proxy!.failNext('/client_sessions/create', SEAM_DOWN)
    const { status, body } = await post(
      'mutation { createClientSession(input: { userIdentifierKey: "sent-once" }) { clientSession { clientSessionId } } }',
    )
    expect({ status, body }).toEqual({
      status: 200,
      body: {
        errors: [
          {
            message: SEAM_UNAVAILABLE,
            locations: [{ line: 1, column: 12 }],
            path: ['createClientSession'],
            extensions: { code: 'UPSTREAM_UNAVAILABLE' },
          },
        ],
        data: null,
      },
    })
    // Give a retry, if there were one, time to reach the wire.
    await sleep(500)
    expect(proxy!.count('/client_sessions/create')).toBe(1)
    expect(
      getFakeStore(sandbox!.fake)
        .getState()
        .client_sessions.filter((session) => session.user_identifier_key === 'sent-once'),
    ).toEqual([])
  })
})

describe('a client that goes away', () => {
  afterEach(() => {
    proxy?.reset()
  })

  it('takes its upstream request with it: the gateway closes the hanging upstream call soon after', async () => {
    await post('{ viewer { kind } }')
    proxy!.failEverything('hang')
    const controller = new AbortController()
    const pending = post(DEVICES, controller.signal).then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    )
    await waitFor(() => proxy!.count('/devices/list') === 1, 'the upstream request to reach the proxy')
    const abortedAt = performance.now()
    controller.abort()
    expect(await pending).toBe('AbortError')

    // Well before UPSTREAM_TIMEOUT_MS would have ended it.
    await waitFor(() => proxy!.abandoned.length > 0, 'the gateway to close the upstream request', 1000)
    expect(proxy!.abandoned.map(({ path }) => path)).toEqual(['/devices/list'])
    expect(proxy!.abandoned[0]!.at - abortedAt).toBeLessThan(500)
    // And nothing retried it.
    await sleep(300)
    expect(proxy!.count('/devices/list')).toBe(1)
  })
})

describe('circuit breaker', () => {
  // Each test opens the circuit of its own gateway: the breaker is per upstream client, so no test
  // starts where another left it.
  let own: App | undefined
  let ownUrl: string

  beforeEach(async () => {
    proxy!.reset()
    own = createApp(
      testConfig({
        SEAM_ENDPOINT: proxy!.url,
        UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
        SHUTDOWN_GRACE_MS: '500',
      }),
    )
    ownUrl = await own.start()
  })
  afterEach(async () => {
    await own?.stop()
    own = undefined
    proxy?.reset()
  })

  const read = () => post(DEVICES, undefined, ownUrl)
  const timedRead = () => timed(DEVICES, ownUrl)
  const readyOwn = () => ready(ownUrl)

  /**
   * Checks the API key while Seam is healthy, then fails Seam until the circuit opens.
   * @returns how many device reads reached Seam after each failed query, and when the circuit opened
   */
  async function openCircuit() {
    expect(await read()).toEqual({ status: 200, body: DEVICES_DATA })
    expect(await readyOwn()).toEqual({ status: 200, body: { ok: true, upstream: true } })

    proxy!.reset()
    proxy!.failEverything(SEAM_DOWN)
    const seen: number[] = []
    for (const message of [SEAM_UNAVAILABLE, SEAM_UNAVAILABLE, FAILING_FAST]) {
      expect(await read()).toEqual({ status: 200, body: devicesFailed(message) })
      seen.push(proxy!.count('/devices/list'))
    }
    return { seen, openedAt: performance.now() }
  }

  /** Brings Seam back, answering `delayMs` late, and waits out the open circuit's 5 s. */
  async function seamBackAfterOpen(openedAt: number, delayMs: number) {
    proxy!.failEverything(undefined)
    proxy!.delay(delayMs)
    await sleep(Math.max(0, openedAt + 5000 + 100 - performance.now()))
  }

  it('opens after 8 consecutive failed reads (3 queries, each read tried 3 times)', async () => {
    // 3 + 3 + 2 calls reach Seam: the 8th failure opens the circuit, so the third query's last retry
    // already fails fast.
    const { seen } = await openCircuit()
    expect(seen).toEqual([3, 6, 8])
  })

  it('while open, fails a read fast: UPSTREAM_UNAVAILABLE in under 50 ms, and Seam sees nothing', async () => {
    await openCircuit()
    const fast = await timedRead()
    expect({ status: fast.status, body: fast.body }).toEqual({
      status: 200,
      body: devicesFailed(FAILING_FAST),
    })
    expect(proxy!.count('/devices/list')).toBe(8)
    expect(fast.ms).toBeLessThan(50)
  })

  it('while open, answers /ready with 503 without asking Seam', async () => {
    await openCircuit()
    expect(await readyOwn()).toEqual({ status: 503, body: { ok: false, upstream: false } })
    expect(proxy!.requests.filter((path) => path !== '/devices/list')).toEqual([])
  })

  it('after 5 s lets exactly one probe through; a read during the probe still fails fast', async () => {
    const { openedAt } = await openCircuit()
    // Seam is back, answering a little late so that the probe is still in flight for a while.
    await seamBackAfterOpen(openedAt, 300)
    let probeAnswered = false
    const probe = timedRead().then((answer) => {
      probeAnswered = true
      return answer
    })
    await waitFor(() => proxy!.count('/devices/list') === 9, 'the probe to reach Seam')
    const during = await timedRead()
    // Failing fast means not waiting for the probe: the read is answered while Seam still holds it.
    const answeredDuringProbe = !probeAnswered
    const probed = await probe
    const reachedSeam = proxy!.count('/devices/list')

    expect({ status: probed.status, body: probed.body }).toEqual({ status: 200, body: DEVICES_DATA })
    expect({ status: during.status, body: during.body }).toEqual({
      status: 200,
      body: devicesFailed(FAILING_FAST),
    })
    expect(reachedSeam).toBe(9)
    expect(answeredDuringProbe).toBe(true)
  })

  it('closes once the probe succeeded: /ready answers 200 and reads go through again', async () => {
    const { openedAt } = await openCircuit()
    await seamBackAfterOpen(openedAt, 0)
    expect(await read()).toEqual({ status: 200, body: DEVICES_DATA })
    expect(proxy!.count('/devices/list')).toBe(9)

    const before = proxy!.count('/devices/list')
    expect(await readyOwn()).toEqual({ status: 200, body: { ok: true, upstream: true } })
    expect(await read()).toEqual({ status: 200, body: DEVICES_DATA })
    expect(proxy!.count('/devices/list')).toBe(before + 1)
  })
})
