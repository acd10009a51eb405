import type { IncomingMessage } from 'node:http'
import type { Database } from '@seamapi/fake-seam-connect'

/** The kinds of credential Seam tells apart by prefix (the same prefixes `@seamapi/http` uses). */
export type CredentialKind =
  | 'api key'
  | 'client session token'
  | 'publishable key'
  | 'personal access token'
  | 'console session token'

/**
 * Classifies a bearer token by Seam's prefixes. Anything without a known prefix may be an API key; the
 * store lookup decides.
 */
export function credentialKind(token: string): CredentialKind {
  if (token.startsWith('seam_cst')) return 'client session token'
  if (token.startsWith('seam_pk')) return 'publishable key'
  if (token.startsWith('seam_at')) return 'personal access token'
  if (token.startsWith('ey')) return 'console session token'
  return 'api key'
}

/** Request headers that carry a credential, the only ones the sandbox passes on when it calls the fake. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'client-session-token',
  'seam-client-session-token',
  'seam-workspace',
  'seam-publishable-key',
]

/** A request header's value; undefined when absent or repeated (Node gives repeats as an array). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return typeof value === 'string' ? value : undefined
}

/** The request's credential headers, to call the fake as the request's own caller. */
export function credentialHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const name of CREDENTIAL_HEADERS) {
    const value = headerValue(req, name)
    if (value !== undefined) headers[name] = value
  }
  return headers
}

/** The token of an `Authorization: Bearer <token>` header; undefined without one or for another form. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = headerValue(req, 'authorization')
  if (header === undefined) return undefined
  return /^Bearer +(\S+)\s*$/i.exec(header)?.[1]
}

/**
 * The client session token of a request, read as the fake reads it: the `seam-client-session-token` or
 * `client-session-token` header, else an `Authorization: Bearer seam_cst…` token.
 */
export function clientSessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers['seam-client-session-token'] ?? req.headers['client-session-token']
  // As the fake reads it: of a repeated header, the first.
  const fromHeader = Array.isArray(header) ? header[0] : header
  if (fromHeader !== undefined) return fromHeader
  const bearer = bearerToken(req)
  return bearer !== undefined && credentialKind(bearer) === 'client session token' ? bearer : undefined
}

/**
 * Whether a request authenticates with an API key: a bearer token of no other kind, and no client
 * session token header beside it. Whether the key exists is for `authenticateApiKey` to say.
 */
export function usesApiKey(req: IncomingMessage): boolean {
  const token = bearerToken(req)
  return token !== undefined && credentialKind(token) === 'api key' && clientSessionToken(req) === undefined
}

/**
 * Whether a request authenticates with a publishable key: a `seam-publishable-key` header and no
 * Authorization header (the fake refuses the two together, so such a request stays with it).
 */
export function usesPublishableKey(req: IncomingMessage): boolean {
  return req.headers.authorization === undefined && headerValue(req, 'seam-publishable-key') !== undefined
}

/**
 * The workspace a request's credential belongs to, found in the store the way the fake's auth finds it:
 * a client session token's session, a personal access token's or console session's `seam-workspace`
 * header, an API key's key. Undefined when the store knows no such credential.
 *
 * Only for requests the fake has already authenticated: it says which workspace, not whether the
 * credential is valid (a revoked token still has a workspace here).
 */
export function workspaceOfCredential(req: IncomingMessage, state: Database): string | undefined {
  const sessionToken = clientSessionToken(req)
  if (sessionToken !== undefined) {
    return state.client_sessions.find((session) => session.token === sessionToken)?.workspace_id
  }
  const token = bearerToken(req)
  if (token === undefined) return undefined
  const kind = credentialKind(token)
  if (kind === 'personal access token' || kind === 'console session token') {
    const header = headerValue(req, 'seam-workspace')
    return header !== '' ? header : undefined
  }
  if (kind !== 'api key') return undefined
  return state.api_keys.find((key) => key.token === token)?.workspace_id
}
