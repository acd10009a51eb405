import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Webhook } from 'svix'

/** Where to deliver an event, and the `whsec_…` secret to sign it with. */
export interface WebhookTarget {
  readonly url: string
  readonly secret: string
}

/** An event to deliver; the body of the delivery is exactly this object as JSON. */
export interface DeliverableEvent {
  readonly event_id: string
  readonly event_type: string
}

/** Options of {@link createWebhookDelivery}. */
export interface WebhookDeliveryOptions {
  /** Told about each delivery that failed for good. @default no-op */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void
  /**
   * Waits before the 2nd, 3rd, … attempt; one attempt more than there are delays.
   * @default [100, 500]
   */
  readonly retryDelaysMs?: readonly number[]
  /** Time limit of each attempt, from request to response headers. @default 5000 */
  readonly timeoutMs?: number
}

/** Delivers events as Svix-signed webhooks, as Seam does. */
export interface WebhookDelivery {
  /**
   * Starts delivering `event` to every target and returns at once; nothing waits for the receivers.
   * Failures are retried, then logged; they never throw.
   */
  deliver(event: DeliverableEvent, targets: readonly WebhookTarget[]): void
  /** Resolves once every delivery started so far has settled (succeeded or given up). */
  drain(): Promise<void>
  /** Aborts every delivery in flight and its retries, and waits for them to settle. Idempotent. */
  close(): Promise<void>
}

/**
 * Creates the sandbox's webhook sender.
 *
 * Each event gets one Svix message id (`svix-id`, `msg_…`), shared by all its targets and all retries,
 * as Svix does, so a receiver can dedupe on it. Each attempt is signed afresh with the current time
 * (`svix-timestamp`), because receivers reject timestamps more than five minutes old. An attempt fails on
 * a network error, a timeout or any non-2xx status (redirects are not followed, as Svix does not).
 *
 * Lifecycle: one per sandbox; `close` on sandbox stop.
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions = {}): WebhookDelivery {
  const log = options.log ?? (() => {})
  const retryDelaysMs = options.retryDelaysMs ?? [100, 500]
  const timeoutMs = options.timeoutMs ?? 5000
  const stopping = new AbortController()
  const inFlight = new Set<Promise<void>>()

  async function deliverToTarget(
    event: DeliverableEvent,
    messageId: string,
    target: WebhookTarget,
  ): Promise<void> {
    const payload = JSON.stringify(event)
    let signer: Webhook
    try {
      signer = new Webhook(target.secret)
    } catch (error) {
      // Not retryable: the secret itself is unusable (e.g. a webhook stored without a whsec_ secret).
      log('Webhook delivery failed: the secret is not a usable whsec_ secret', {
        url: target.url,
        event_id: event.event_id,
        event_type: event.event_type,
        svix_id: messageId,
        error: errorMessage(error),
      })
      return
    }

    const attempts = retryDelaysMs.length + 1
    let lastError = ''
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (stopping.signal.aborted) return
      try {
        await attemptDelivery(target.url, signer, messageId, payload)
        return
      } catch (error) {
        if (stopping.signal.aborted) return
        lastError = errorMessage(error)
      }
      const delay = retryDelaysMs[attempt - 1]
      if (delay === undefined) break
      try {
        await sleep(delay, undefined, { signal: stopping.signal })
      } catch {
        return // stopped while waiting to retry
      }
    }
    log(`Webhook delivery failed after ${attempts} attempts, giving up`, {
      url: target.url,
      event_id: event.event_id,
      event_type: event.event_type,
      svix_id: messageId,
      error: lastError,
    })
  }

  async function attemptDelivery(
    url: string,
    signer: Webhook,
    messageId: string,
    payload: string,
  ): Promise<void> {
    const timestamp = new Date()
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'svix-id': messageId,
        'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'svix-signature': signer.sign(messageId, timestamp, payload),
      },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
    })
    // The body is of no interest; cancel it so the connection is released.
    await response.body?.cancel()
    if (response.status < 200 || response.status > 299) {
      throw new Error(`Expected a 2xx response, got ${response.status}`)
    }
  }

  function track(delivery: Promise<void>): void {
    inFlight.add(delivery)
    void delivery.finally(() => inFlight.delete(delivery))
  }

  return {
    deliver(event, targets) {
      if (stopping.signal.aborted || targets.length === 0) return
      const messageId = `msg_${randomBytes(16).toString('hex')}`
      for (const target of targets) {
        // deliverToTarget catches everything it expects; this catch only guards against a bug turning
        // into an unhandled rejection that would take the process down.
        track(
          deliverToTarget(event, messageId, target).catch((error: unknown) => {
            log('Webhook delivery failed unexpectedly', { url: target.url, error: errorMessage(error) })
          }),
        )
      }
    },

    async drain() {
      await Promise.all([...inFlight])
    },

    async close() {
      stopping.abort()
      await Promise.all([...inFlight])
    },
  }
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // fetch reports network failures as "fetch failed" with the reason (ECONNREFUSED, …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}
