import { GraphQLError } from 'graphql'
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga'
import { UpstreamError } from '../upstream/upstream-error.js'
import type { ErrorCode, RequestErrorCode } from './error-codes.js'

/**
 * How errors leave the gateway, on every transport: what is masked, which code each one carries,
 * and what a socket drops of the hints meant for HTTP.
 */

/** The code of a request-level error (no resolver threw it), from the HTTP status Yoga gave it. */
function requestErrorCode(error: GraphQLError): ErrorCode | RequestErrorCode {
  const status = (error.extensions?.http as { status?: number } | undefined)?.status
  if (status === 401) return 'UNAUTHENTICATED'
  if (status === 403) return 'FORBIDDEN'
  if (status === 429) return 'RATE_LIMITED'
  if (status !== undefined && status !== 400) return 'BAD_REQUEST'
  return error.message.startsWith('Variable ') ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED'
}

/**
 * The error mask of every transport: expected errors keep their message and code, upstream
 * failures become their contract code (with Seam's request id), and everything else is masked as
 * `INTERNAL_SERVER_ERROR` so that no stack, URL or credential reaches a client.
 *
 * An expected error is returned as the very same object (Yoga logs every error the mask
 * replaces, at error level: only real failures should be).
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error
  if (original instanceof UpstreamError) {
    return createGraphQLError(original.message, {
      nodes: error instanceof GraphQLError ? error.nodes : undefined,
      path: error instanceof GraphQLError ? error.path : undefined,
      originalError: original,
      extensions: {
        code: original.code,
        ...(original.details.requestId ? { requestId: original.details.requestId } : {}),
        ...(original.code === 'UNAUTHENTICATED' ? { http: { status: 401 } } : {}),
      },
    })
  }
  if (error instanceof GraphQLError) {
    // A coded error, possibly located by graphql-js around the one a resolver threw (it shares
    // the thrown error's extensions).
    if (typeof error.extensions?.code === 'string') return error
    if (error.originalError === undefined || error.originalError instanceof GraphQLError) {
      // Request-level errors (parse, validation and the abuse limits, variable coercion, Yoga's
      // own request errors) describe the caller's request: they keep their message and get a
      // code; validation-class ones answer 400 under application/graphql-response+json, as the
      // GraphQL-over-HTTP spec asks, and 200 under application/json.
      const extensions = error.extensions as Record<string, unknown>
      extensions.code = requestErrorCode(error)
      extensions.http ??= { spec: true, status: 400 }
      return error
    }
  }
  const masked = yogaMaskError(error, message, isDev) as Error
  if (masked instanceof GraphQLError && masked.extensions?.code === undefined) {
    return createGraphQLError(masked.message, {
      nodes: masked.nodes,
      path: masked.path,
      extensions: { ...masked.extensions, code: 'INTERNAL_SERVER_ERROR' },
    })
  }
  return masked
}

/**
 * An error as it leaves a graphql-ws socket: without the `http` hints (status, headers) it carries
 * for Yoga's HTTP responses, which mean nothing on a socket.
 */
export function forSocket(error: GraphQLError): GraphQLError {
  if (error.extensions?.http === undefined) return error
  const { http: _http, ...extensions } = error.extensions
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  })
}

/** Parses a socket's operation; a syntax error gets the `GRAPHQL_PARSE_FAILED` code HTTP gives it. */
export function parseOrExplain<T>(parse: (source: string) => T, source: string): T {
  try {
    return parse(source)
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === undefined) {
      ;(error.extensions as Record<string, unknown>).code = 'GRAPHQL_PARSE_FAILED' satisfies RequestErrorCode
    }
    throw error
  }
}

/**
 * The body of an error answered before GraphQL runs (a refused request, an oversized body, the
 * metrics token), in the shape every GraphQL response has: `{ errors: [{ message, extensions }] }`.
 */
export const errorBody = (code: ErrorCode, message: string): string =>
  JSON.stringify({ errors: [{ message, extensions: { code } }] })
