import { GraphQLError } from 'graphql'
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga'
import { UpstreamError } from '../upstream/errors.js'

/** The code of a request-level error (no resolver threw it), from the HTTP status Yoga gave it. */
function requestErrorCode(error: GraphQLError): string {
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
