import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations'
import type { Plugin } from 'graphql-yoga'
import { persistedError } from '../../contract/errors.js'
import { operationIdOf, type PersistedOperations } from '../persisted-operations.js'

/** Options of {@link usePersistedOperationsOnly}. */
export interface PersistedOperationsOnlyOptions {
  /** The allow-list (`PERSISTED_OPERATIONS_FILE`). */
  operations: PersistedOperations
}

/**
 * Over HTTP and SSE, only the operations of the allow-list run, named by id; any other document is
 * refused before it is parsed. (graphql-ws sockets apply the same list in `onSubscribe`.)
 */
export function usePersistedOperationsOnly({ operations }: PersistedOperationsOnlyOptions): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id: string) => operations.get(id),
    allowArbitraryOperations: false,
    // The GraphQL-over-HTTP `documentId`, or Apollo's `extensions.persistedQuery`.
    extractPersistedOperationId: (params) =>
      operationIdOf(params as { documentId?: unknown; extensions?: Record<string, unknown> }),
    // The plugin's own messages and codes, with the 400 that a response without data must carry
    // under application/graphql-response+json (GraphQL over HTTP).
    customErrors: {
      notFound: persistedError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_IN_LIST'),
      persistedQueryOnly: persistedError('PersistedQueryOnly', 'CANNOT_SEND_PQ_ID_AND_BODY'),
      keyNotFound: persistedError('PersistedQueryKeyNotFound', 'PERSISTED_QUERY_ID_REQUIRED'),
    },
  })
}
