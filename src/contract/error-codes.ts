/**
 * Every `extensions.code` a client can meet, in one place. The gateway's own errors carry one of
 * {@link ERROR_CODES} (SPEC §3); a request that never ran carries one of
 * {@link REQUEST_ERROR_CODES}, which Yoga, graphql-js and the persisted-operations plugin define.
 */

/** The error codes of the public contract (SPEC §3). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
] as const

/** A code of the public contract, carried in `extensions.code`. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** The codes of requests refused before execution: unparsable, invalid, or not on the allow-list. */
export const REQUEST_ERROR_CODES = [
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'CANNOT_SEND_PQ_ID_AND_BODY',
  'PERSISTED_QUERY_ID_REQUIRED',
] as const

/** A code of a request refused before execution. */
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number]

/** Every code the gateway gives an error; anything else reached it from a caller or a bug. */
export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set([...ERROR_CODES, ...REQUEST_ERROR_CODES])
