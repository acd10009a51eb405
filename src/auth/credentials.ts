import {
  AUTHORIZATION_HEADER,
  CLIENT_SESSION_TOKEN_HEADERS,
  PUBLISHABLE_KEY_HEADER,
  USER_IDENTIFIER_KEY_HEADER,
} from '../contract/credential-headers.js'
import type { UpstreamCredential } from '../upstream/client.js'

/** What a request's headers (or a socket's connection params) carry. */
export type CredentialRead =
  | { kind: 'none' }
  /** Present but unusable; `message` says why and never repeats the credential. */
  | { kind: 'refused'; message: string }
  | { kind: 'credential'; credential: UpstreamCredential; userIdentifierKey?: string | undefined }

const REFUSED_PERSONAL =
  'Personal access tokens and console sessions are not accepted; use a workspace API key or a client session token'

/**
 * Classifies one bearer token by Seam's prefixes (the same rules as `@seamapi/http`).
 */
function classifyBearer(token: string): CredentialRead {
  if (token.startsWith('seam_cst'))
    return { kind: 'credential', credential: { kind: 'clientSessionToken', token } }
  if (token.startsWith('seam_pk')) {
    return {
      kind: 'refused',
      message: 'A publishable key goes in the seam-publishable-key header, with seam-user-identifier-key',
    }
  }
  if (token.startsWith('seam_at') || token.startsWith('ey'))
    return { kind: 'refused', message: REFUSED_PERSONAL }
  if (token.startsWith('seam_') && token.length > 'seam_'.length) {
    return { kind: 'credential', credential: { kind: 'apiKey', token } }
  }
  return {
    kind: 'refused',
    message: 'The bearer token is not a Seam API key (seam_…) or client session token (seam_cst…)',
  }
}

const VALID_TOKEN = /^[\x21-\x7e]{1,512}$/

/**
 * Reads the credential of an HTTP request (or SSE stream).
 *
 * Accepted: `Authorization: Bearer <API key | client session token>`, `client-session-token` or
 * `seam-client-session-token: <client session token>`, and `seam-publishable-key` (+ optional
 * `seam-user-identifier-key`). Two different credentials in one request are refused.
 */
export function readCredentialFromHeaders(headers: Headers): CredentialRead {
  const authorization = headers.get(AUTHORIZATION_HEADER)
  const sessionHeaders = CLIENT_SESSION_TOKEN_HEADERS.map((name) => headers.get(name))
  const publishableKey = headers.get(PUBLISHABLE_KEY_HEADER)

  const found: CredentialRead[] = []
  if (authorization !== null) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]
    if (token === undefined || !VALID_TOKEN.test(token)) {
      return { kind: 'refused', message: 'The Authorization header must be "Bearer <token>"' }
    }
    found.push(classifyBearer(token))
  }
  for (const sessionHeader of sessionHeaders) {
    if (sessionHeader === null) continue
    if (!sessionHeader.startsWith('seam_cst') || !VALID_TOKEN.test(sessionHeader)) {
      return {
        kind: 'refused',
        message: 'The client-session-token header must hold a client session token (seam_cst…)',
      }
    }
    found.push({ kind: 'credential', credential: { kind: 'clientSessionToken', token: sessionHeader } })
  }
  if (publishableKey !== null) {
    if (!publishableKey.startsWith('seam_pk') || !VALID_TOKEN.test(publishableKey)) {
      return {
        kind: 'refused',
        message: 'The seam-publishable-key header must hold a publishable key (seam_pk…)',
      }
    }
    const userIdentifierKey = headers.get(USER_IDENTIFIER_KEY_HEADER) ?? undefined
    found.push({
      kind: 'credential',
      credential: { kind: 'publishableKey', key: publishableKey },
      userIdentifierKey,
    })
  }
  return combine(found)
}

/**
 * Reads the credential of a graphql-ws socket from its `connection_init` payload:
 * `{ authorization: "Bearer …" }` or `{ clientSessionToken: "seam_cst…" }`.
 */
export function readCredentialFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): CredentialRead {
  const authorization = params?.authorization ?? params?.Authorization
  const clientSessionToken = params?.clientSessionToken
  if (authorization !== undefined && typeof authorization !== 'string') {
    return { kind: 'refused', message: 'connectionParams.authorization must be a string' }
  }
  if (clientSessionToken !== undefined && typeof clientSessionToken !== 'string') {
    return { kind: 'refused', message: 'connectionParams.clientSessionToken must be a string' }
  }
  try {
    // Headers refuses values no HTTP header could carry (CR/LF, NUL): so is the credential.
    const headers = new Headers()
    if (authorization !== undefined) headers.set(AUTHORIZATION_HEADER, authorization)
    if (clientSessionToken !== undefined) headers.set(CLIENT_SESSION_TOKEN_HEADERS[0], clientSessionToken)
    return readCredentialFromHeaders(headers)
  } catch {
    return { kind: 'refused', message: 'The connection params hold an invalid credential' }
  }
}

function combine(found: CredentialRead[]): CredentialRead {
  const [first, ...rest] = found
  if (first === undefined) return { kind: 'none' }
  const refused = found.find((read) => read.kind === 'refused')
  if (refused !== undefined) return refused
  for (const other of rest) {
    if (JSON.stringify(other) !== JSON.stringify(first)) {
      return { kind: 'refused', message: 'The request carries two different credentials; send exactly one' }
    }
  }
  return first
}
