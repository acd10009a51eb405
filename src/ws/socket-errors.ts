import { GraphQLError } from 'graphql'

/** What graphql-ws needs from the envelop pipeline, and how errors leave a socket. */

export type EnvelopedRoot = { execute: (args: unknown) => never; subscribe: (args: unknown) => never }

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

export function parseOrExplain<T>(parse: (source: string) => T, source: string): T {
  try {
    return parse(source)
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === undefined) {
      ;(error.extensions as Record<string, unknown>).code = 'GRAPHQL_PARSE_FAILED'
    }
    throw error
  }
}
