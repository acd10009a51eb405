import { GraphQLError } from 'graphql'
import { createGraphQLError, type Plugin, maskError as yogaMaskError } from 'graphql-yoga'
import { UpstreamError } from '../upstream/errors.js'

/**
 * The error mask of every transport: expected errors keep their message and code, upstream
 * failures become their contract code (with Seam's request id), and everything else is masked as
 * `INTERNAL_SERVER_ERROR` so that no stack, URL or credential reaches a client.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error
  if (original instanceof UpstreamError) {
    return createGraphQLError(original.message, {
      nodes: error instanceof GraphQLError ? error.nodes : undefined,
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: {
        code: original.code,
        ...(original.details.requestId ? { requestId: original.details.requestId } : {}),
        ...(original.code === 'UNAUTHENTICATED' ? { http: { status: 401 } } : {}),
      },
    })
  }
  if (original instanceof GraphQLError && typeof original.extensions?.code === 'string') {
    if (original === error) return original
    return createGraphQLError(original.message, {
      nodes: (error as GraphQLError).nodes,
      path: (error as GraphQLError).path,
      extensions: original.extensions,
    })
  }
  if (error instanceof GraphQLError && error.originalError === undefined) {
    // Parse and validation errors (the abuse limits among them) describe the caller's document:
    // they keep their message and say what they are.
    return createGraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions },
    })
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

/** Counts every error a result carries by its `extensions.code` (metrics), on every transport. */
export function useErrorCodeMetrics(count: (code: string) => void): Plugin {
  const countResult = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => {
    for (const error of result.errors ?? []) count(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))
  }
  return {
    onResultProcess({ result }) {
      for (const item of Array.isArray(result) ? result : [result]) {
        if (item !== null && typeof item === 'object' && 'errors' in item) countResult(item as never)
      }
    },
  }
}
