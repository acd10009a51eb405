import { readFileSync } from 'node:fs'
import { createGraphQLError } from 'graphql-yoga'
import { ConfigError } from '../config.js'
import { persistedError } from '../contract/errors.js'

/**
 * The allow-list of `PERSISTED_OPERATIONS_FILE`: when set, only the operations it lists run, on
 * every transport. Loaded once at start. Per process.
 */
export interface PersistedOperations {
  /** The document listed under `id`, or `null`. */
  get(id: string): string | null
  /**
   * A socket's operation under the allow-list: graphql-ws always carries `query`, so the document
   * is taken from the list by id when one is given, and otherwise must be one of the listed texts.
   * @throws the `PersistedQueryOnly` error that HTTP answers with, for anything else
   */
  socketQuery(params: { query: string; extensions?: Record<string, unknown> | null }): string
}

/**
 * Reads the allow-list; `undefined` when no file is configured (any operation runs).
 * @throws ConfigError naming PERSISTED_OPERATIONS_FILE when the file cannot be read or is not a map
 *   from id to document
 */
export function loadPersistedOperations(path: string | undefined): PersistedOperations | undefined {
  if (path === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(
      `PERSISTED_OPERATIONS_FILE must be a readable JSON file, got ${JSON.stringify(path)}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('PERSISTED_OPERATIONS_FILE must hold a JSON object from operation id to document')
  }
  const operations = new Map<string, string>()
  for (const [id, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') {
      throw new ConfigError(`PERSISTED_OPERATIONS_FILE: the operation ${JSON.stringify(id)} must be a string`)
    }
    operations.set(id, document)
  }
  const listedTexts = new Set(operations.values())
  return {
    get: (id) => operations.get(id) ?? null,
    socketQuery(params) {
      const id = operationIdOf({ extensions: params.extensions ?? undefined })
      const listed = id === null ? undefined : operations.get(id)
      if (listed !== undefined) return listed
      if (id === null && listedTexts.has(params.query)) return params.query
      throw createGraphQLError(
        'PersistedQueryOnly',
        persistedError('PersistedQueryOnly', 'CANNOT_SEND_PQ_ID_AND_BODY'),
      )
    },
  }
}

/** The operation id a request names: the GraphQL-over-HTTP `documentId`, or Apollo's `persistedQuery`. */
export function operationIdOf(params: {
  documentId?: unknown
  extensions?: Record<string, unknown> | undefined
}) {
  if (typeof params.documentId === 'string') return params.documentId
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null
}
