import { type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api'
import { SeamWebhook, SeamWebhookVerificationError } from '@seamapi/webhook'
import type { Logger } from 'pino'
import { REQUEST_ID_HEADER } from '../observability/logger.js'
import { inSpan } from '../observability/tracing.js'
import type { SessionEndedInput } from './session-events.js'

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /** The `whsec_…` secret of the webhook (`SEAM_WEBHOOK_SECRET`); without it every delivery gets a 503. */
  secret: string | undefined
  /** Runs the event path for a `client_session.deleted` event. */
  onSessionDeleted: (event: SessionEndedInput) => Promise<unknown>
  /** Runs the event path for any other event (device events and action attempts; others are dropped there). */
  onOtherEvent: (event: Record<string, unknown>) => Promise<unknown>
  /** Counts a delivery dropped as a repeat of an earlier `svix-id`. */
  onDuplicate: () => void
  logger: Logger
  /**
   * Claims a `svix-id` across all instances for Svix's retry horizon (about 3 days); resolves
   * false for a repeat.
   */
  claim: (svixId: string) => Promise<boolean>
  /**
   * A span per delivery (`seam.webhook`: its outcome, its event type once verified), the parent of
   * what the event causes (claims and publishes in Redis). @default no tracing
   */
  tracer?: Tracer | undefined
}

/**
 * `POST /webhooks/seam`: Seam's Svix-signed webhooks, verified with `@seamapi/webhook` over the raw
 * body. A bad or missing signature, or a timestamp more than 5 minutes off, is a 4xx with no side
 * effect; a repeated `svix-id` is a 2xx processed once, whichever instance it reaches. Per process.
 */
export function createWebhookHandler(options: WebhookHandlerOptions) {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

  const { tracer } = options
  const handle = async (request: Request, span: Span | undefined): Promise<Response> => {
    if (request.method !== 'POST') {
      const response = json(405, { ok: false, error: 'POST a Seam webhook delivery here' })
      response.headers.set('allow', 'POST')
      return response
    }
    const { secret } = options
    if (secret === undefined) return json(503, { ok: false, error: 'SEAM_WEBHOOK_SECRET is not configured' })

    const svixId = request.headers.get('svix-id')
    const svixTimestamp = request.headers.get('svix-timestamp')
    const svixSignature = request.headers.get('svix-signature')
    if (svixId === null || svixTimestamp === null || svixSignature === null) {
      const missing =
        svixId === null ? 'svix-id' : svixTimestamp === null ? 'svix-timestamp' : 'svix-signature'
      return json(400, { ok: false, error: `Missing ${missing} header` })
    }
    const headers = { 'svix-id': svixId, 'svix-timestamp': svixTimestamp, 'svix-signature': svixSignature }
    const body = await request.text()
    let event: ReturnType<SeamWebhook['verify']>
    try {
      event = new SeamWebhook(secret).verify(body, headers)
    } catch (error) {
      const reason = error instanceof SeamWebhookVerificationError ? error.message : 'unverifiable payload'
      options.logger.warn(
        { requestId: request.headers.get(REQUEST_ID_HEADER) ?? undefined, svixId, reason },
        'webhook rejected',
      )
      span?.setAttribute('seam.webhook.outcome', 'rejected')
      span?.setStatus({ code: SpanStatusCode.ERROR })
      return json(401, { ok: false, error: `Webhook signature not verified: ${reason}` })
    }

    // Only verified values, from Seam's fixed set of event types, are recorded.
    span?.setAttribute('seam.event_type', event.event_type)
    // Claimed only once verified: a rejected delivery does not use up its id.
    if (!(await options.claim(svixId))) {
      span?.setAttribute('seam.webhook.outcome', 'duplicate')
      options.onDuplicate()
      return json(200, { ok: true, duplicate: true })
    }

    if (event.event_type === 'client_session.deleted') {
      await options.onSessionDeleted({
        eventId: event.event_id,
        clientSessionId: event.client_session_id,
        workspaceId: event.workspace_id,
        occurredAt: event.occurred_at,
        reason: 'DELETED',
        source: 'webhook',
      })
    } else {
      await options.onOtherEvent(event as unknown as Record<string, unknown>)
    }
    span?.setAttribute('seam.webhook.outcome', 'processed')
    return json(200, { ok: true })
  }
  return (request: Request): Promise<Response> =>
    tracer === undefined
      ? handle(request, undefined)
      : inSpan(tracer, 'seam.webhook', {}, (span) => handle(request, span))
}
