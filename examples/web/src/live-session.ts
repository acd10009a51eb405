import { Client, type CombinedError, fetchExchange, subscriptionExchange } from '@urql/core'
import { createClient as createWsClient } from 'graphql-ws/client'
import {
  type ClientSessionEndReason,
  SessionEndedDocument,
  SignedInDevicesDocument,
  type SignedInDevicesQuery,
} from './generated/graphql.js'

/** The signed-in user's session, as the `SignedInDevices` query returns it. */
export type SignedInSession = NonNullable<SignedInDevicesQuery['viewer']['clientSession']>

/** One device on the signed-in user's screen. */
export type Device = SignedInSession['devices']['nodes'][number]

/** Why the screen is signed out. */
export type SignOutCause =
  /** The gateway pushed `clientSessionDeleted` for this session: deleted, revoked or expired. */
  | { kind: 'event'; reason: ClientSessionEndReason; occurredAt: string }
  /** The gateway closed the socket with 4403 Forbidden: the session ended, whether or not its event arrived. */
  | { kind: 'socket-closed'; code: number; reason: string }
  /** The gateway refused the token when the screen asked for the devices (`UNAUTHENTICATED`). */
  | { kind: 'refused'; message: string }
  /** The user pressed "Sign out". */
  | { kind: 'user' }

/** What the screen shows; {@link startLiveSession} reports every change. */
export type LiveSessionState =
  | { kind: 'loading' }
  /** `live` is true while the subscription's socket is acknowledged. */
  | { kind: 'signed-in'; session: SignedInSession; live: boolean }
  | { kind: 'signed-out'; cause: SignOutCause }
  /** Not a sign-out: the gateway could not be reached, or answered something this screen cannot show. */
  | { kind: 'error'; message: string }

/** Where and as whom to sign in. */
export interface LiveSessionOptions {
  /** Base URL of the gateway, such as `http://127.0.0.1:4000`; its endpoint is `/graphql` there. */
  gatewayUrl: string
  /** A client session token (`seam_cst…`). */
  token: string
  /** Called with every new state, first with `loading`. */
  onChange: (state: LiveSessionState) => void
}

/** A running session screen. */
export interface LiveSession {
  /** Signs out on the user's request: closes the socket and reports `signed-out` (`user`). Idempotent. */
  signOut(): void
}

/** graphql-ws's close code for "Forbidden": the gateway uses it when a session ends or is refused. */
const FORBIDDEN = 4403

/**
 * Signs in with a client session token: loads the user's devices over HTTP, then holds a
 * `clientSessionDeleted` subscription over graphql-ws, and signs out live when the session ends.
 *
 * Lifecycle: one urql client and one graphql-ws client per sign-in; both are disposed when the screen
 * signs out, for whichever reason comes first: the session's event, the socket closed with 4403 (the
 * gateway closes a session's sockets right after its event, and refuses an ended session's token at
 * `connection_init`, so this catches an event that never arrived too), or the user.
 */
export function startLiveSession({ gatewayUrl, token, onChange }: LiveSessionOptions): LiveSession {
  const httpEndpoint = new URL('/graphql', gatewayUrl)
  const wsEndpoint = new URL(httpEndpoint)
  wsEndpoint.protocol = httpEndpoint.protocol === 'https:' ? 'wss:' : 'ws:'

  let session: SignedInSession | undefined
  let live = false
  let signedOut = false
  let subscription: { unsubscribe(): void } | undefined

  const report = (state: LiveSessionState) => {
    if (!signedOut) onChange(state)
  }
  const reportSignedIn = () => {
    if (session !== undefined) report({ kind: 'signed-in', session, live })
  }
  // The first cause wins: the event is followed by the 4403 close, and the user may press the button.
  const signOut = (cause: SignOutCause) => {
    if (signedOut) return
    onChange({ kind: 'signed-out', cause })
    signedOut = true
    subscription?.unsubscribe()
    void ws.dispose()
  }

  // The socket: authenticated once, at connection_init, with the same token as the HTTP requests.
  const ws = createWsClient({
    url: wsEndpoint.href,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 5,
    // An ended session is closed with 4403 and stays ended: reconnecting cannot help.
    shouldRetry: (event) => !isCloseEvent(event, FORBIDDEN),
    on: {
      connected: () => {
        live = true
        reportSignedIn()
      },
      closed: (event) => {
        live = false
        if (isCloseEvent(event, FORBIDDEN)) {
          signOut({ kind: 'socket-closed', code: event.code, reason: event.reason })
        } else {
          reportSignedIn()
        }
      },
    },
  })

  // Queries over HTTP with the token as a bearer credential; subscriptions through the socket above.
  const client = new Client({
    url: httpEndpoint.href,
    preferGetMethod: false,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    exchanges: [
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
      fetchExchange,
    ],
  })

  const load = async () => {
    report({ kind: 'loading' })
    const result = await client
      .query(SignedInDevicesDocument, {}, { requestPolicy: 'network-only' })
      .toPromise()
    if (result.error !== undefined) {
      if (isUnauthenticated(result.error)) {
        signOut({
          kind: 'refused',
          message: result.error.graphQLErrors[0]?.message ?? 'The gateway refused this token',
        })
      } else {
        report({ kind: 'error', message: describeError(result.error, httpEndpoint) })
        void ws.dispose()
      }
      return
    }
    const signedIn = result.data?.viewer.clientSession
    if (signedIn === null || signedIn === undefined) {
      report({
        kind: 'error',
        message:
          'This screen needs a client session token (seam_cst…); the gateway took this one for a workspace.',
      })
      void ws.dispose()
      return
    }
    session = signedIn
    reportSignedIn()

    // Subscribed after the devices arrived: a session deleted in between is refused at connection_init
    // with 4403, which signs out too.
    subscription = client.subscription(SessionEndedDocument, {}).subscribe((event) => {
      const ended = event.data?.clientSessionDeleted
      if (ended !== undefined) {
        signOut({ kind: 'event', reason: ended.reason, occurredAt: ended.occurredAt })
      }
    })
  }
  void load()

  return { signOut: () => signOut({ kind: 'user' }) }
}

/** Whether the gateway answered `UNAUTHENTICATED` (HTTP 401): unknown, expired, revoked or deleted token. */
function isUnauthenticated(error: CombinedError): boolean {
  return (
    error.response?.status === 401 ||
    error.graphQLErrors.some((graphQLError) => graphQLError.extensions.code === 'UNAUTHENTICATED')
  )
}

/** A message a person can act on: an unreachable gateway is most often a wrong URL or a missing CORS origin. */
function describeError(error: CombinedError, endpoint: URL): string {
  if (error.networkError !== undefined && error.graphQLErrors.length === 0) {
    return (
      `Could not reach the gateway at ${endpoint.href} (${error.networkError.message}). Is it running, and ` +
      `does its CORS_ORIGINS include ${window.location.origin}?`
    )
  }
  const codes = error.graphQLErrors.map((graphQLError) => graphQLError.extensions.code ?? 'no code')
  return `The gateway answered with an error (${codes.join(', ')}): ${error.message}`
}

/** Whether `event` is a WebSocket close event with this code. */
function isCloseEvent(event: unknown, code: number): event is CloseEvent {
  return typeof event === 'object' && event !== null && 'code' in event && event.code === code
}
