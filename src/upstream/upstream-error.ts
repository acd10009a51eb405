import type { ErrorCode } from '../contract/error-codes.js'

/**
 * A failed Seam call, already classified. It carries nothing a client must not see: no URL, no
 * credential, no upstream stack; `seamType` is Seam's error `type` for logs and for callers that
 * need to tell `*_not_found` apart.
 */
export class UpstreamError extends Error {
  override name = 'UpstreamError'
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly details: {
      /** The Seam route, such as `/devices/list`. */
      route: string
      /** HTTP status from Seam, when there was a response. */
      status?: number | undefined
      /** Seam's `seam-request-id`, when there was one. */
      requestId?: string | undefined
      /** Seam's error `type`, such as `device_not_found`. */
      seamType?: string | undefined
      /** Seam's `Retry-After`, in ms, when it sent one. */
      retryAfterMs?: number | undefined
    },
  ) {
    super(message)
  }
}

/** Status label for metrics: the HTTP status, or why there was none. */
export const statusLabel = (error: unknown): string => {
  if (error instanceof UpstreamError) {
    if (error.details.seamType === 'aborted') return 'aborted'
    if (error.details.status !== undefined) return String(error.details.status)
    return error.code === 'UPSTREAM_TIMEOUT' ? 'timeout' : 'network'
  }
  return 'error'
}

/** Seam's error body: `{ error: { type, message, ... } }`. */
interface SeamErrorBody {
  error: { type: string; message: string }
}

const isSeamErrorBody = (body: unknown): body is SeamErrorBody => {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false
  const { error } = body as { error: unknown }
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

/**
 * Classifies a Seam answer with a non-2xx status into an {@link UpstreamError}, the way
 * `@seamapi/http` classifies it (its `SeamHttpApiError` family).
 *
 * 401 → UNAUTHENTICATED, 403 → FORBIDDEN, 404 or `*_not_found` → NOT_FOUND, `invalid_input` and
 * other 4xx → BAD_USER_INPUT with Seam's own message, 429 → RATE_LIMITED, 5xx → UPSTREAM_UNAVAILABLE.
 * `body` is the parsed JSON body, or `undefined` when Seam's answer was not JSON.
 */
export function fromSeamResponse(
  route: string,
  status: number,
  body: unknown,
  requestId: string | undefined,
): UpstreamError {
  if (status === 401) {
    return new UpstreamError('The credential was not accepted', 'UNAUTHENTICATED', {
      route,
      status,
      requestId,
      seamType: 'unauthorized',
    })
  }
  if (isSeamErrorBody(body)) {
    const { type, message } = body.error
    const details = { route, status, requestId, seamType: type }
    if (type === 'invalid_input') return new UpstreamError(message, 'BAD_USER_INPUT', details)
    if (status === 404 || type.endsWith('_not_found'))
      return new UpstreamError('Not found', 'NOT_FOUND', details)
    if (status === 403) return new UpstreamError('Seam refused this operation', 'FORBIDDEN', details)
    if (status === 429) return new UpstreamError(RATE_LIMITED_MESSAGE, 'RATE_LIMITED', details)
    if (status >= 500) return new UpstreamError(UNAVAILABLE_MESSAGE, 'UPSTREAM_UNAVAILABLE', details)
    return new UpstreamError(message, 'BAD_USER_INPUT', details)
  }
  const details = { route, status, requestId }
  if (status === 404) return new UpstreamError('Not found', 'NOT_FOUND', details)
  if (status === 429) return new UpstreamError(RATE_LIMITED_MESSAGE, 'RATE_LIMITED', details)
  if (status >= 400 && status < 500) {
    return new UpstreamError(`Seam rejected the request with status ${status}`, 'BAD_USER_INPUT', details)
  }
  return new UpstreamError(UNAVAILABLE_MESSAGE, 'UPSTREAM_UNAVAILABLE', details)
}

/** Why a call got no answer from Seam. */
export type CallFailure = 'timeout' | 'aborted' | 'network'

/**
 * Classifies a call that got no usable answer: the timeout → UPSTREAM_TIMEOUT, the caller going
 * away → an `aborted` error nobody reads (never retried, never counted by the circuit breaker),
 * anything else (refused, reset, unparsable body) → UPSTREAM_UNAVAILABLE.
 */
export function fromCallFailure(failure: CallFailure, route: string, timeoutMs: number): UpstreamError {
  if (failure === 'timeout') {
    return new UpstreamError(`Seam did not answer within ${timeoutMs} ms`, 'UPSTREAM_TIMEOUT', { route })
  }
  if (failure === 'aborted') {
    return new UpstreamError('The request was abandoned by its client', 'INTERNAL_SERVER_ERROR', {
      route,
      seamType: 'aborted',
    })
  }
  return new UpstreamError(UNAVAILABLE_MESSAGE, 'UPSTREAM_UNAVAILABLE', { route })
}

const UNAVAILABLE_MESSAGE = 'Seam is unavailable'
const RATE_LIMITED_MESSAGE = 'Seam rate limit reached; retry later'
