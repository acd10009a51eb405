import { Client, type Dispatcher } from 'undici'
import type { Abandonment } from './client.js'
import { type CallFailure, fromCallFailure, UpstreamError } from './upstream-error.js'

/** Seam's answer to one POST, whatever its status. */
export interface Answer {
  status: number
  /** Seam's `seam-request-id`, when it sent one. */
  requestId: string | undefined
  /** Seam's `Retry-After`, as sent. */
  retryAfter: string | undefined
  text: string
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** Seam base URL, such as `https://connect.getseam.com` (a path prefix is kept). */
  endpoint: string
  /** Longest a call may take from start to its last byte, in ms. */
  timeoutMs: number
  /** Largest answer read; a bigger one fails as UPSTREAM_UNAVAILABLE. */
  maxResponseBytes: number
}

/** POSTs to Seam over kept-alive connections. Per process. */
export interface Transport {
  /**
   * POSTs `payload` to `route` and resolves with Seam's answer, whatever its status; rejects with
   * an {@link UpstreamError} when there is none (network, timeout, `signal` aborted).
   */
  post(route: string, headers: Record<string, string>, payload: string, signal?: Abandonment): Promise<Answer>
  /** Closes the kept-alive connections once the calls in flight are done. */
  close(): Promise<void>
}

/** A header value Node or undici would refuse to send (a control character such as CR or LF). */
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/

/** True when every value of `headers` can be sent as it is. */
export const sendable = (headers: Record<string, string>): boolean =>
  Object.values(headers).every((value) => !UNSENDABLE.test(value))

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

/**
 * One call in flight: undici's dispatch handler, which gets the answer's status, headers and body
 * chunks as they arrive (no response object, no body stream), and settles the call's promise once.
 * A class, not closures: one object per call.
 */
class Call implements Dispatcher.DispatchHandler {
  private chunks: Buffer[] = []
  private size = 0
  private status = 0
  private requestId: string | undefined
  private retryAfter: string | undefined
  private controller: Dispatcher.DispatchController | undefined
  private settled = false
  /** Why the call was stopped, when it was (the timer, the caller, an answer too large). */
  private stopped: CallFailure | undefined
  private readonly timer: NodeJS.Timeout
  private readonly onAbort: (() => void) | undefined

  constructor(
    private readonly route: string,
    private readonly connections: Connections,
    private readonly client: Client,
    private readonly options: TransportOptions,
    private readonly signal: Abandonment | undefined,
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: UpstreamError) => void,
  ) {
    this.timer = setTimeout(() => this.stop('timeout'), options.timeoutMs)
    if (signal !== undefined) {
      this.onAbort = () => this.stop('aborted')
      signal.addEventListener('abort', this.onAbort, { once: true })
    }
  }

  /** Abandons the call for `why`: the request is aborted, the promise rejected at once. */
  stop(why: CallFailure): void {
    if (this.settled) return
    this.stopped = why
    this.controller?.abort(new Error(why))
    this.fail()
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.stopped !== undefined) controller.abort(new Error(this.stopped))
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx answers come first, each its own start: the last start is the answer.
    this.status = statusCode
    this.requestId = first(headers['seam-request-id'])
    this.retryAfter = first(headers['retry-after'])
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length
    if (this.size > this.options.maxResponseBytes) this.stop('network')
    else this.chunks.push(chunk)
  }

  onResponseEnd(): void {
    if (this.settled) return
    this.done()
    const { chunks } = this
    this.resolve({
      status: this.status,
      requestId: this.requestId,
      retryAfter: this.retryAfter,
      text:
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
    })
  }

  onResponseError(): void {
    this.fail()
  }

  private fail(): void {
    if (this.settled) return
    this.done()
    this.reject(fromCallFailure(this.stopped ?? 'network', this.route, this.options.timeoutMs))
  }

  private done(): void {
    this.settled = true
    clearTimeout(this.timer)
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort)
    // Its answer read, or its request given up: the connection takes the next call (undici opens
    // it again if it was closed meanwhile).
    this.connections.release(this.client)
  }
}

/** Idle connections kept at most; more, after a burst, are closed. */
const MAX_IDLE = 256

/**
 * Connections to one origin, one call at a time each, the most recently used first (the one
 * least likely to have been closed while idle): undici's `Pool` keeps a spare connection open
 * beside a busy one, so that sequential calls would use two.
 */
class Connections {
  private readonly idle: Client[] = []
  private readonly all = new Set<Client>()
  private closed = false

  constructor(private readonly origin: string) {}

  acquire(): Client {
    const client = this.idle.pop()
    if (client !== undefined) return client
    const opened = new Client(this.origin)
    this.all.add(opened)
    return opened
  }

  release(client: Client): void {
    if (this.closed) return
    if (this.idle.length < MAX_IDLE) this.idle.push(client)
    else {
      this.all.delete(client)
      void client.close()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.idle.length = 0
    await Promise.all([...this.all].map((client) => client.close()))
    this.all.clear()
  }
}

/**
 * Creates the transport: kept-alive undici connections to the endpoint's origin (as many as there
 * are calls in flight), each call dispatched with its own timeout and the caller's abort signal.
 */
export function createTransport(options: TransportOptions): Transport {
  const base = new URL(options.endpoint)
  const basePath = base.pathname.replace(/\/+$/, '')
  const connections = new Connections(base.origin)
  return {
    post(route, headers, payload, signal) {
      return new Promise<Answer>((resolve, reject) => {
        if (signal?.aborted) {
          reject(fromCallFailure('aborted', route, options.timeoutMs))
          return
        }
        if (!sendable(headers)) {
          // Only the credential varies, and Seam would never accept one with a control character.
          // No call is made, and Seam's health is not in question.
          reject(new UpstreamError('The credential was not accepted', 'UNAUTHENTICATED', { route }))
          return
        }
        const client = connections.acquire()
        client.dispatch(
          { path: basePath + route, method: 'POST', headers, body: payload },
          new Call(route, connections, client, options, signal, resolve, reject),
        )
      })
    },
    close: () => connections.close(),
  }
}
