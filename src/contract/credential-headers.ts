/**
 * The request headers that carry a credential (SPEC §2), lower case as Node and Fetch give them.
 * The one list: the credential reader, the CSRF guard, CORS, the duplicate-credential guard and the
 * log redaction all derive from it, so a header added here is read, allowed, guarded and redacted.
 */

/** `Authorization: Bearer <API key | client session token>`. */
export const AUTHORIZATION_HEADER = 'authorization'

/** A client session token on its own; Seam's SDK sends the first, some clients the second. */
export const CLIENT_SESSION_TOKEN_HEADERS = ['client-session-token', 'seam-client-session-token'] as const

/** A publishable key, from a browser that signs a user in. */
export const PUBLISHABLE_KEY_HEADER = 'seam-publishable-key'

/** Every header that carries a credential. */
export const CREDENTIAL_HEADERS = [
  AUTHORIZATION_HEADER,
  ...CLIENT_SESSION_TOKEN_HEADERS,
  PUBLISHABLE_KEY_HEADER,
] as const

/**
 * Not a credential: the user a publishable key signs in, sent with it. A browser sends it
 * cross-origin, so CORS allows it; it is no secret, so logs keep it.
 */
export const USER_IDENTIFIER_KEY_HEADER = 'seam-user-identifier-key'
