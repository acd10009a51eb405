import { Agent, request as httpRequest } from 'node:http'
import autocannon from 'autocannon'
import { type Summary, summarize } from './stats.js'

/** What one load run measured. */
export interface LoadResult {
  /** 2xx responses per second over the run. */
  requestsPerSecond: number
  /** 2xx responses. */
  ok: number
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  failed: number
  /** Latency of every response, in ms. */
  latency: Summary
}

/** Options of {@link cannon}. */
export interface CannonOptions {
  /** Full URL, such as `http://127.0.0.1:4000/graphql`. */
  url: string
  request: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string }
  connections: number
  durationSeconds: number
}

/**
 * Runs autocannon in this process against `url`, as fast as the server answers, and resolves with
 * throughput and latency. Every response's latency is recorded (autocannon's own histogram rounds to
 * whole milliseconds). For latency at a given rate, see {@link paced}.
 */
export async function cannon(options: CannonOptions): Promise<LoadResult> {
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.request.method,
        headers: options.request.headers,
        ...(options.request.body === undefined ? {} : { body: options.request.body }),
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    )
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime)
    })
  })
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    latency: summarize(latencies),
  }
}

/** Options of {@link paced}. */
export interface PacedOptions {
  /** Full URL, such as `http://127.0.0.1:4000/graphql`. */
  url: string
  request: { method: 'POST'; headers: Record<string, string>; body: string }
  /** Requests per second, evenly spaced. */
  rate: number
  durationSeconds: number
}

/**
 * An open-loop load at an even pace: request `i` leaves at `start + i / rate` whether or not the
 * earlier ones were answered (keep-alive connections, as many as needed). autocannon's
 * `overallRate` releases each second's quota as a burst over all its connections, so its latencies
 * at a "moderate rate" are those of a burst; these are those of a steady stream.
 */
export async function paced(options: PacedOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 })
  const target = new URL(options.url)
  const latencies: number[] = []
  let failed = 0
  const one = () =>
    new Promise<void>((resolve) => {
      const begin = performance.now()
      const req = httpRequest(
        target,
        { method: options.request.method, headers: options.request.headers, agent },
        (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - begin)
            else failed++
            resolve()
          })
        },
      )
      req.on('error', () => {
        failed++
        resolve()
      })
      req.end(options.request.body)
    })
  const total = Math.round(options.rate * options.durationSeconds)
  const interval = 1000 / options.rate
  const started = performance.now()
  const inFlight: Array<Promise<void>> = []
  for (let i = 0; i < total; i++) {
    const wait = started + i * interval - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    inFlight.push(one())
  }
  await Promise.all(inFlight)
  const elapsedSeconds = (performance.now() - started) / 1000
  agent.destroy()
  return {
    requestsPerSecond: latencies.length / elapsedSeconds,
    ok: latencies.length,
    failed,
    latency: summarize(latencies),
  }
}

/**
 * Runs `operation` with `concurrency` workers back to back for `durationMs` (the load of a client
 * that composes its own screens), and resolves with throughput and latency like {@link cannon}.
 */
export async function loop(
  operation: () => Promise<void>,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const latencies: number[] = []
  let failed = 0
  const started = performance.now()
  const deadline = started + durationMs
  const worker = async () => {
    while (performance.now() < deadline) {
      const begin = performance.now()
      try {
        await operation()
        latencies.push(performance.now() - begin)
      } catch {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsedSeconds = (performance.now() - started) / 1000
  return {
    requestsPerSecond: latencies.length / elapsedSeconds,
    ok: latencies.length,
    failed,
    latency: summarize(latencies),
  }
}

/** Latencies of `runs` sequential calls of `operation`, in ms. */
export async function sequential(operation: () => Promise<void>, runs: number): Promise<Summary> {
  const latencies: number[] = []
  for (let i = 0; i < runs; i++) {
    const begin = performance.now()
    await operation()
    latencies.push(performance.now() - begin)
  }
  return summarize(latencies)
}
