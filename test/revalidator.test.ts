import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { Principal } from '../src/auth/principal.js'
import {
  type ConnectionRevalidator,
  createConnectionRevalidator,
  type EndableStream,
  MIN_PERIOD_MS,
  revalidationPeriodMs,
  UNCACHED_PERIOD_MS,
} from '../src/auth/revalidate-connections.js'
import { unauthenticated } from '../src/contract/errors.js'
import type { UpstreamCredential } from '../src/upstream/client.js'
import { sleep, waitFor } from './helpers/clients.js'
import { apiKeyPrincipal as apiKey, sessionPrincipal as session } from './helpers/principals.js'

// The re-validator of open connections on its own: a real timer (a period of 40 ms, a tick every
// 10 ms) and a clock the test moves, so that a credential falls due exactly when the test says.
// Connections here are SSE-like streams, and real sockets where a socket's own life matters; the
// gateway's sockets end to end are in revalidation.test.ts.

const PERIOD_MS = 40

const tokenOf = (credential: UpstreamCredential) =>
  'token' in credential ? credential.token : credential.key

/** A stream that counts how often it was ended. */
function stream(): EndableStream & { ended: number } {
  const s = {
    ended: 0,
    return() {
      s.ended++
      return undefined
    },
  }
  return s
}

interface Setup {
  revalidator: ConnectionRevalidator
  /** The clock, and how often the re-validator read it (every tick reads it). */
  clock: { now: number; reads: number }
  /** Tokens asked about, in order. */
  rechecks: string[]
  logs: Array<{ level: number; msg: string }>
  refused: Array<{ sockets: number; streams: number }>
  confirmed: Principal[]
}

let current: Setup | undefined
afterEach(() => {
  current?.revalidator.close()
  current = undefined
})

/** A re-validator whose `recheck` answers with `answer(token)`. */
function setup(answer: (token: string) => Promise<Principal>, concurrency?: number): Setup {
  const clock = { now: 0, reads: 0 }
  const rechecks: string[] = []
  const logs: Setup['logs'] = []
  const refused: Setup['refused'] = []
  const confirmed: Principal[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)))
      done()
    },
  })
  const revalidator = createConnectionRevalidator({
    periodMs: PERIOD_MS,
    now: () => {
      clock.reads++
      return clock.now
    },
    recheck: (credential) => {
      const token = tokenOf(credential)
      rechecks.push(token)
      return answer(token)
    },
    onRefused: (closed) => refused.push(closed),
    onConfirmed: (principal) => confirmed.push(principal),
    logger: pino({ level: 'info' }, destination),
    ...(concurrency === undefined ? {} : { concurrency }),
  })
  current = { revalidator, clock, rechecks, logs, refused, confirmed }
  return current
}

const REFUSED = () => Promise.reject(unauthenticated('The credential is unknown, expired or revoked'))

describe('revalidationPeriodMs', () => {
  it('is the principal cache TTL, at least MIN_PERIOD_MS, and UNCACHED_PERIOD_MS without a cache', () => {
    expect(revalidationPeriodMs(0)).toBe(UNCACHED_PERIOD_MS)
    expect(UNCACHED_PERIOD_MS).toBe(1000)
    expect(revalidationPeriodMs(1)).toBe(MIN_PERIOD_MS)
    expect(MIN_PERIOD_MS).toBe(100)
    expect(revalidationPeriodMs(300)).toBe(300)
  })
})

describe('createConnectionRevalidator', () => {
  it('asks once a period, not at every tick, and tells of each confirmed principal', async () => {
    const key = apiKey('seam_key_a')
    const { revalidator, clock, rechecks, confirmed } = setup(async () => key)
    // The first connection counts as a check: nothing is due before a period has passed since.
    clock.now = 500
    revalidator.watchStream(key, stream())
    await sleep(5 * (PERIOD_MS / 4))
    expect(rechecks).toEqual([])
    clock.now = 1000
    await waitFor(() => rechecks.length === 1, 'a first check')
    // The clock stands still: the credential was just confirmed, nothing is due at later ticks
    // (waiting several periods of real time, so that a tick longer than a quarter period shows).
    await sleep(6 * PERIOD_MS)
    expect(rechecks).toEqual(['seam_key_a'])
    expect(confirmed).toEqual([key])
    // Due once no tick could come before the period ends: a period, less a tick, less the 5 ms a
    // tick may come early by the clock, after the last check.
    clock.now = 1000 + PERIOD_MS - PERIOD_MS / 4 - 5 - 1
    await sleep(5 * (PERIOD_MS / 4))
    expect(rechecks).toHaveLength(1)
    clock.now = 1000 + PERIOD_MS - PERIOD_MS / 4 - 5
    await waitFor(() => rechecks.length === 2, 'a second check a period later')
  })

  it('ends a refused credential’s streams, tells how many, and leaves another credential’s alone', async () => {
    const { revalidator, clock, rechecks, refused, logs } = setup((token) =>
      token === 'seam_cst_cs_a' ? REFUSED() : Promise.resolve(apiKey(token)),
    )
    const [a1, a2, b] = [stream(), stream(), stream()]
    revalidator.watchStream(session('cs_a'), a1)
    revalidator.watchStream(session('cs_a'), a2)
    revalidator.watchStream(apiKey('seam_key_b'), b)
    expect(revalidator.holds('cs_a')).toBe(true)
    clock.now = 1000
    await waitFor(() => refused.length === 1, 'a refusal')
    expect(refused).toEqual([{ sockets: 0, streams: 2 }])
    expect([a1.ended, a2.ended, b.ended]).toEqual([1, 1, 0])
    expect(revalidator.holds('cs_a')).toBe(false)
    expect(
      logs.find((l) => l.msg === 'connections closed: Seam no longer accepts their credential'),
    ).toMatchObject({
      level: 30,
      kind: 'clientSessionToken',
      sockets: 0,
      streams: 2,
    })
    // The refused credential is asked no more; the other one still is.
    clock.now = 2000
    await waitFor(() => rechecks.length === 3, 'the other credential checked again')
    expect(rechecks.slice(2)).toEqual(['seam_key_b'])
    await sleep(3 * (PERIOD_MS / 4))
    expect(rechecks.filter((t) => t === 'seam_cst_cs_a')).toHaveLength(1)
  })

  it('ends a refused stream whose end fails, without an unhandled rejection', async () => {
    const { revalidator, clock, refused } = setup(REFUSED)
    let ended = 0
    revalidator.watchStream(session('cs_a'), {
      return: () => {
        ended++
        return Promise.reject(new Error('already gone'))
      },
    })
    clock.now = 1000
    await waitFor(() => refused.length === 1, 'a refusal')
    await sleep(20)
    expect(ended).toBe(1)
  })

  it('keeps the streams while Seam cannot be asked, asks again a period later, and warns once a period', async () => {
    const { revalidator, clock, rechecks, refused, logs } = setup(() =>
      Promise.reject(new Error('Seam down')),
    )
    const streams = [stream(), stream()]
    revalidator.watchStream(apiKey('seam_key_a'), streams[0] as EndableStream)
    revalidator.watchStream(apiKey('seam_key_b'), streams[1] as EndableStream)
    clock.now = 1000
    await waitFor(() => rechecks.length === 2, 'both credentials asked')
    await sleep(5 * (PERIOD_MS / 4))
    // A failed check counts as a check: nothing more is due until a period later.
    expect(rechecks).toHaveLength(2)
    const warnings = () =>
      logs.filter(
        (l) => l.msg === 'open connections kept: their credential could not be re-checked with Seam now',
      )
    expect(warnings()).toHaveLength(1)
    expect(warnings()[0]).toMatchObject({ level: 40, err: 'Seam down' })
    // Exactly a period after the first warning: the next one is due.
    clock.now = 1000 + PERIOD_MS
    await waitFor(() => rechecks.length === 4, 'both asked again a period later')
    await sleep(20)
    expect(warnings()).toHaveLength(2)
    expect(refused).toEqual([])
    expect(streams.map((s) => s.ended)).toEqual([0, 0])
  })

  it('keeps at most `concurrency` lookups in flight, and does not queue a credential still being asked', async () => {
    const pending: Array<() => void> = []
    const { revalidator, clock, rechecks } = setup(
      (token) => new Promise((resolve) => pending.push(() => resolve(apiKey(token)))),
      2,
    )
    for (const token of ['k1', 'k2', 'k3', 'k4', 'k5']) revalidator.watchStream(apiKey(token), stream())
    clock.now = 1000
    await waitFor(() => rechecks.length === 2, 'two lookups')
    // Later periods pass while the lookups hang: no credential is asked twice, none more at once.
    clock.now = 5000
    await sleep(5 * (PERIOD_MS / 4))
    expect(rechecks).toEqual(['k1', 'k2'])
    pending.shift()?.()
    await waitFor(() => rechecks.length === 3, 'a third lookup once one ended')
    await sleep(5 * (PERIOD_MS / 4))
    expect(rechecks).toEqual(['k1', 'k2', 'k3'])
    for (let i = 0; i < 4; i++) {
      pending.shift()?.()
      await sleep(5)
    }
    await waitFor(() => rechecks.length === 5, 'every credential asked')
    expect([...rechecks].sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5'])
  })

  it('starts the next queued lookup as soon as one ends, and none once closed', async () => {
    const pending = new Map<string, () => void>()
    const { revalidator, clock, rechecks } = setup(
      (token) =>
        token === 'k1' || token === 'k4'
          ? new Promise((resolve) => pending.set(token, () => resolve(apiKey(token))))
          : Promise.resolve(apiKey(token)),
      1,
    )
    const first = [stream(), stream(), stream()]
    for (const [i, token] of ['k1', 'k2', 'k3'].entries()) {
      revalidator.watchStream(apiKey(token), first[i] as EndableStream)
    }
    clock.now = 1000
    await waitFor(() => rechecks.length === 1, 'the first lookup')
    pending.get('k1')?.()
    // Before any timer can fire again: the queue drained as each lookup ended.
    await new Promise((resolve) => setImmediate(resolve))
    expect(rechecks).toEqual(['k1', 'k2', 'k3'])
    // Closed with a lookup in flight and one queued behind it: the queued one is not asked.
    for (const s of first) revalidator.unwatchStream(s)
    revalidator.watchStream(apiKey('k4'), stream())
    revalidator.watchStream(apiKey('k5'), stream())
    clock.now = 2000
    await waitFor(() => rechecks.length === 4, 'the lookup that hangs')
    revalidator.close()
    pending.get('k4')?.()
    await sleep(3 * (PERIOD_MS / 4))
    expect(rechecks).toEqual(['k1', 'k2', 'k3', 'k4'])
  })

  it('keeps checking a credential while one of its streams is open, and the others when one credential leaves', async () => {
    const { revalidator, clock, rechecks } = setup(async (token) => apiKey(token))
    const [a1, a2, b] = [stream(), stream(), stream()]
    revalidator.watchStream(apiKey('seam_key_a'), a1)
    revalidator.watchStream(apiKey('seam_key_a'), a2)
    revalidator.watchStream(apiKey('seam_key_b'), b)
    revalidator.unwatchStream(a1)
    revalidator.unwatchStream(b)
    // Unwatching twice, or a stream never watched, changes nothing.
    revalidator.unwatchStream(b)
    revalidator.unwatchStream(stream())
    clock.now = 1000
    await waitFor(() => rechecks.length === 1, 'a check of the credential still open')
    await sleep(3 * (PERIOD_MS / 4))
    expect(rechecks).toEqual(['seam_key_a'])
  })

  it('holds a client session while one of its streams is open', () => {
    const { revalidator } = setup(async (token) => apiKey(token))
    const [s1, s2] = [stream(), stream()]
    revalidator.watchStream(session('cs_a'), s1)
    revalidator.watchStream(session('cs_a'), s2)
    revalidator.watchStream(apiKey('seam_key_a'), stream())
    revalidator.unwatchStream(s1)
    expect(revalidator.holds('cs_a')).toBe(true)
    revalidator.unwatchStream(s2)
    expect(revalidator.holds('cs_a')).toBe(false)
    expect(revalidator.holds('seam_key_a')).toBe(false)
  })

  it('watches no credential-less principal, and asks nothing once closed', async () => {
    const { revalidator, clock, rechecks } = setup(async (token) => apiKey(token))
    revalidator.watchStream({ kind: 'anonymous' }, stream())
    revalidator.watchStream(
      {
        kind: 'publishableKey',
        userIdentifierKey: undefined,
        credential: { kind: 'publishableKey', key: 'pk' },
      },
      stream(),
    )
    clock.now = 1000
    await sleep(5 * (PERIOD_MS / 4))
    expect(rechecks).toEqual([])
    // Two credentials open before the close, one after: none is asked once closed.
    revalidator.watchStream(apiKey('seam_key_a'), stream())
    revalidator.watchStream(apiKey('seam_key_b'), stream())
    revalidator.close()
    revalidator.watchStream(apiKey('seam_key_c'), stream())
    clock.now = 2000
    await sleep(5 * (PERIOD_MS / 4))
    expect(rechecks).toEqual([])
  })
})

describe('createConnectionRevalidator, its timer', () => {
  it('stops ticking once the last connection left, and starts again with the next one', async () => {
    const { revalidator, clock, rechecks } = setup(async (token) => apiKey(token))
    const [a, b] = [stream(), stream()]
    revalidator.watchStream(apiKey('seam_key_a'), a)
    revalidator.watchStream(apiKey('seam_key_b'), b)
    revalidator.unwatchStream(a)
    // One credential still open: the timer ticks, and each tick reads the clock.
    const reads = clock.reads
    await waitFor(() => clock.reads > reads, 'a tick')
    revalidator.unwatchStream(b)
    // Nothing to check: no tick at all for several ticks' time (only a tick reads the clock).
    const idle = clock.reads
    await sleep(5 * (PERIOD_MS / 4))
    expect(clock.reads).toBe(idle)
    revalidator.watchStream(apiKey('seam_key_c'), stream())
    clock.now = 1000
    await waitFor(() => rechecks.length === 1, 'a check of the next credential')
    expect(rechecks).toEqual(['seam_key_c'])
  })
})

describe('createConnectionRevalidator with graphql-ws sockets', () => {
  /** A real WebSocket server on an ephemeral port and a client of it; the server's side is watched. */
  async function connect(): Promise<{ server: WebSocket; client: WebSocket; stop: () => Promise<void> }> {
    const wss = new WebSocketServer({ port: 0 })
    await new Promise((resolve) => wss.once('listening', resolve))
    const { port } = wss.address() as AddressInfo
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve))
    const client = new WebSocket(`ws://127.0.0.1:${port}`)
    const server = await accepted
    await new Promise((resolve) => client.once('open', resolve))
    const stop = () => new Promise<void>((resolve) => wss.close(() => resolve()))
    return { server, client, stop }
  }

  /** The client closes; resolves once the server's side said so (after the re-validator heard). */
  const closeFromClient = async (socket: { server: WebSocket; client: WebSocket }) => {
    const closed = new Promise((resolve) => socket.server.once('close', resolve))
    socket.client.close()
    await closed
  }

  const opened: Array<{ stop: () => Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.stop()))
  })
  const open = async () => {
    const socket = await connect()
    opened.push(socket)
    return socket
  }

  it('holds a client session while one of its sockets is open, and lets go once the last closed', async () => {
    const { revalidator } = setup(async (token) => apiKey(token))
    const [s1, s2] = [await open(), await open()]
    revalidator.watchSocket(session('cs_a'), s1.server)
    revalidator.watchSocket(session('cs_a'), s2.server)
    expect(revalidator.holds('cs_a')).toBe(true)
    await closeFromClient(s1)
    expect(revalidator.holds('cs_a')).toBe(true)
    await closeFromClient(s2)
    expect(revalidator.holds('cs_a')).toBe(false)
  })

  it('does not watch a socket that closed while its credential was looked up', async () => {
    const { revalidator } = setup(async (token) => apiKey(token))
    const socket = await open()
    await closeFromClient(socket)
    revalidator.watchSocket(session('cs_a'), socket.server)
    expect(revalidator.holds('cs_a')).toBe(false)
  })
})
