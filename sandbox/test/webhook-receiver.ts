import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the receiver got: the raw body (what signatures cover) and the headers. */
export interface ReceivedWebhook {
  readonly rawBody: string
  /** Headers as `SeamWebhook.verify` takes them: lower-case names, one string each. */
  readonly headers: Record<string, string>
  /** Status the receiver answered with. */
  readonly status: number
}

/** A real HTTP server on 127.0.0.1 that records webhook deliveries. */
export interface WebhookReceiver {
  /** URL to register, such as http://127.0.0.1:41234/webhooks/seam */
  readonly url: string
  /** Every delivery so far, in arrival order. */
  readonly received: readonly ReceivedWebhook[]
  /** Resolves with the deliveries once there are at least `count`; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedWebhook[]>
  close(): Promise<void>
}

/** Options of {@link createWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /**
   * Statuses to answer the first deliveries with, in order; once used up every delivery gets 200.
   * @default []
   */
  statuses?: readonly number[]
}

/**
 * Starts a webhook receiver on a free port of 127.0.0.1.
 *
 * Lifecycle: one per test; always `close()` it (in `afterEach`), even when the test fails.
 */
export async function createWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const statuses = [...(options.statuses ?? [])]
  const received: ReceivedWebhook[] = []
  const waiters = new Set<() => void>()

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const status = statuses.shift() ?? 200
      received.push({
        rawBody: Buffer.concat(chunks).toString('utf8'),
        headers: flattenHeaders(req.headers),
        status,
      })
      res.statusCode = status
      res.end()
      for (const wake of waiters) wake()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/webhooks/seam`,
    received,

    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (received.length < count) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve([...received])
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(`Expected ${count} webhook deliveries within ${timeoutMs} ms, got ${received.length}`),
          )
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },

    async close() {
      const closed = once(server, 'close')
      server.close()
      server.closeAllConnections()
      await closed
    },
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
