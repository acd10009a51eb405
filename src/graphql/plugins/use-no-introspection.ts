import { NoSchemaIntrospectionCustomRule } from 'graphql'
import type { Plugin } from 'graphql-yoga'

/**
 * Refuses introspection (`INTROSPECTION=false`, the default in production) on every transport:
 * HTTP, SSE and graphql-ws alike, with graphql-js's own rule and message. (Yoga's
 * `useDisableIntrospection` marks requests as they are parsed from HTTP, so an operation that
 * came over a socket, or that Yoga's HTTP layer did not parse, was not refused.)
 */
export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule)
    },
  }
}
