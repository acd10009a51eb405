import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'

/** A GraphQL response as the tests read it. */
export interface GraphQLResponse<TData> {
  data?: TData | null
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>
}

/** POSTs a typed operation to `${url}/graphql`; resolves with the status, the parsed body and its text. */
export async function execute<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLResponse<TData>; text: string }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
  })
  const text = await response.text()
  return { status: response.status, body: JSON.parse(text) as GraphQLResponse<TData>, text }
}

/**
 * A nullable field the test expects to hold a value (a root list or connection is null when Seam
 * failed), narrowed; fails the test naming the field when it is null or absent.
 */
export function present<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined)
    throw new Error(`Expected ${field} to hold a value, got ${value}`)
  return value
}
