import WebSocket from 'ws'
import { graphqlWsUrl } from './ws.js'

/**
 * The client side of a broadcast to tens of thousands of subscriptions: plain `ws` sockets that
 * speak the graphql-transport-ws protocol themselves (connection_init, subscribe, next, error,
 * complete), with no graphql-ws client per socket and no promise or timer per subscription.
 * Arrivals are recorded in one preallocated array, so that what the clients cost per event is a
 * frame, a `JSON.parse` and a store: the gateway, not its clients, is what a broadcast times.
 *
 * Every `next` must carry `data` and no `errors`; anything else counts as an error.
 */
export class Fanout {
  readonly #sockets: WebSocket[] = []
  #arrivals = new Float64Array(0)
  #arrived = 0
  #expected = 0
  #done: (() => void) | undefined
  /** `error` messages, `next` messages with errors or without data, and unexpected `complete`s. */
  errors = 0

  /** Opens `count` sockets, `batch` at a time, each acknowledged by the server. */
  async open(
    baseUrl: string,
    count: number,
    paramsOf: (index: number) => Record<string, unknown>,
    batch = 50,
  ): Promise<void> {
    for (let start = 0; start < count; start += batch) {
      const size = Math.min(batch, count - start)
      await Promise.all(Array.from({ length: size }, (_, i) => this.#openOne(baseUrl, paramsOf(start + i))))
    }
  }

  #openOne(baseUrl: string, payload: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(graphqlWsUrl(baseUrl), 'graphql-transport-ws', {
        perMessageDeflate: false,
      })
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })))
      socket.once('close', (code, reason) =>
        reject(new Error(`Expected connection_ack, got a close ${code} ${reason}`)),
      )
      socket.once('error', reject)
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as {
          type: string
          payload?: { data?: unknown; errors?: unknown }
        }
        switch (message.type) {
          case 'connection_ack':
            this.#sockets.push(socket)
            resolve()
            return
          case 'next':
            if (message.payload?.data == null || message.payload.errors !== undefined) this.errors++
            else this.#arrive()
            return
          case 'ping':
            socket.send('{"type":"pong"}')
            return
          case 'pong':
            return
          default:
            this.errors++
        }
      })
    })
  }

  /** Starts `perSocket` subscriptions of `query` on every socket (ids `0`…`perSocket − 1`). */
  subscribe(query: string, perSocket: number, variablesOf: (socket: number, index: number) => unknown): void {
    this.#sockets.forEach((socket, s) => {
      for (let i = 0; i < perSocket; i++) {
        socket.send(
          JSON.stringify({
            id: String(i),
            type: 'subscribe',
            payload: { query, variables: variablesOf(s, i) },
          }),
        )
      }
    })
  }

  /**
   * Resolves with the `performance.now()` of each of the next `expected` `next` messages, or
   * rejects after `timeoutMs` with how many arrived.
   */
  expect(expected: number, timeoutMs: number): Promise<Float64Array> {
    this.#arrivals = new Float64Array(expected)
    this.#arrived = 0
    this.#expected = expected
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#done = undefined
        reject(new Error(`Expected ${expected} events within ${timeoutMs} ms, got ${this.#arrived}`))
      }, timeoutMs)
      this.#done = () => {
        clearTimeout(timer)
        this.#done = undefined
        resolve(this.#arrivals)
      }
    })
  }

  #arrive(): void {
    if (this.#arrived >= this.#expected) {
      // More events than subscriptions: a duplicate delivery.
      this.errors++
      return
    }
    this.#arrivals[this.#arrived++] = performance.now()
    if (this.#arrived === this.#expected) this.#done?.()
  }

  /** Closes every socket with 1000 and waits until they are closed. */
  async close(): Promise<void> {
    await Promise.all(
      this.#sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve()
            socket.removeAllListeners('close')
            socket.once('close', () => resolve())
            socket.close(1000)
          }),
      ),
    )
    this.#sockets.length = 0
  }
}
