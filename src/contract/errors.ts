import { createGraphQLError } from 'graphql-yoga'
import type { ErrorCode, RequestErrorCode } from './error-codes.js'

/**
 * The gateway's expected errors, each with its `extensions.code` (SPEC §3). Anything thrown that is
 * not one of these (or an `UpstreamError`, turned into one by the error mask in `error-shaping.ts`)
 * is masked.
 */
export const gatewayError = (code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) =>
  createGraphQLError(message, { extensions: { code, ...extensions } })

/** `UNAUTHENTICATED`, HTTP 401 on plain HTTP. `reason` only ever goes to the holder of the token. */
export const unauthenticated = (message: string, reason?: 'EXPIRED' | 'REVOKED') =>
  gatewayError('UNAUTHENTICATED', message, { ...(reason ? { reason } : {}), http: { status: 401 } })

/** `FORBIDDEN`: the caller is known but this field is not for its kind of principal. */
export const forbidden = (message: string) => gatewayError('FORBIDDEN', message)

/** `BAD_USER_INPUT` with a message that says what was expected and what arrived. */
export const badUserInput = (message: string) => gatewayError('BAD_USER_INPUT', message)

/** The entity names used in `NOT_FOUND` messages. */
export type EntityName =
  | 'AccessCode'
  | 'ActionAttempt'
  | 'ClientSession'
  | 'ConnectedAccount'
  | 'Device'
  | 'Node'

/**
 * `NOT_FOUND`, the one error for both "does not exist" and "not yours": the message depends only on
 * what the caller asked for, never on what exists, so the two cannot be told apart.
 */
export const notFound = (entity: EntityName, id: string) =>
  gatewayError(
    'NOT_FOUND',
    `${entity} ${JSON.stringify(id.length > 200 ? `${id.slice(0, 200)}…` : id)} was not found`,
  )

/**
 * An error of the persisted-operations allow-list, in the plugin's own shape: its message and code,
 * with the 400 that a response without data must carry under application/graphql-response+json
 * (GraphQL over HTTP).
 */
export const persistedError = (message: string, code: RequestErrorCode) => ({
  message,
  extensions: { code, http: { spec: true, status: 400 } },
})
