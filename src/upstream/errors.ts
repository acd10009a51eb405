import {
  isSeamHttpApiError,
  isSeamHttpInvalidInputError,
  isSeamHttpUnauthorizedError,
} from '@seamapi/http/connect'
import { isAxiosError, isCancel } from 'axios'

/** The error codes of the public contract (SPEC §3), carried in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'INTERNAL_SERVER_ERROR'

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

/**
 * Classifies whatever `@seamapi/http` (axios underneath) threw into an {@link UpstreamError}.
 *
 * 401 → UNAUTHENTICATED, 403 → FORBIDDEN, 404 or `*_not_found` → NOT_FOUND, `invalid_input` and
 * other 4xx → BAD_USER_INPUT with Seam's own message, 429 → RATE_LIMITED, 5xx and network errors →
 * UPSTREAM_UNAVAILABLE, timeouts → UPSTREAM_TIMEOUT.
 */
export function toUpstreamError(error: unknown, route: string, timeoutMs: number): UpstreamError {
  if (error instanceof UpstreamError) return error
  if (isCancel(error)) {
    // The caller went away and the call was abandoned: nobody reads this, and it says nothing
    // about Seam's health (never retried, never counted by the circuit breaker).
    return new UpstreamError('The request was abandoned by its client', 'INTERNAL_SERVER_ERROR', {
      route,
      seamType: 'aborted',
    })
  }
  if (isSeamHttpUnauthorizedError(error)) {
    return new UpstreamError('The credential was not accepted', 'UNAUTHENTICATED', {
      route,
      status: 401,
      requestId: error.requestId || undefined,
      seamType: 'unauthorized',
    })
  }
  if (isSeamHttpApiError(error)) {
    const details = {
      route,
      status: error.statusCode,
      requestId: error.requestId || undefined,
      seamType: error.code,
    }
    if (isSeamHttpInvalidInputError(error)) return new UpstreamError(error.message, 'BAD_USER_INPUT', details)
    if (error.statusCode === 404 || error.code.endsWith('_not_found')) {
      return new UpstreamError('Not found', 'NOT_FOUND', details)
    }
    if (error.statusCode === 403)
      return new UpstreamError('Seam refused this operation', 'FORBIDDEN', details)
    if (error.statusCode === 429)
      return new UpstreamError('Seam rate limit reached; retry later', 'RATE_LIMITED', details)
    if (error.statusCode >= 500)
      return new UpstreamError('Seam is unavailable', 'UPSTREAM_UNAVAILABLE', details)
    return new UpstreamError(error.message, 'BAD_USER_INPUT', details)
  }
  if (isAxiosError(error)) {
    const status = error.response?.status
    const requestId = headerValue(error.response?.headers?.['seam-request-id'])
    const details = { route, status, requestId }
    if (status === 401)
      return new UpstreamError('The credential was not accepted', 'UNAUTHENTICATED', details)
    if (status === 404) return new UpstreamError('Not found', 'NOT_FOUND', details)
    if (status === 429)
      return new UpstreamError('Seam rate limit reached; retry later', 'RATE_LIMITED', details)
    if (status !== undefined && status >= 400 && status < 500) {
      return new UpstreamError(`Seam rejected the request with status ${status}`, 'BAD_USER_INPUT', details)
    }
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
      return new UpstreamError(`Seam did not answer within ${timeoutMs} ms`, 'UPSTREAM_TIMEOUT', details)
    }
    return new UpstreamError('Seam is unavailable', 'UPSTREAM_UNAVAILABLE', details)
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new UpstreamError(`Seam did not answer within ${timeoutMs} ms`, 'UPSTREAM_TIMEOUT', { route })
  }
  return new UpstreamError('Seam is unavailable', 'UPSTREAM_UNAVAILABLE', { route })
}

const headerValue = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined
