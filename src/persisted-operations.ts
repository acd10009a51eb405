import { readFileSync } from 'node:fs'
import { ConfigError } from './config.js'

export function loadPersistedOperations(path: string | undefined): Map<string, string> | undefined {
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
  return operations
}

export function operationIdOf(params: {
  documentId?: unknown
  extensions?: Record<string, unknown> | undefined
}) {
  if (typeof params.documentId === 'string') return params.documentId
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null
}
