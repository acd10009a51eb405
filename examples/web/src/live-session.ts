import { Client, type CombinedError, fetchExchange, subscriptionExchange } from '@urql/core'
import { createClient as createWsClient } from 'graphql-ws/client'
import {
  AttemptOutcomeDocument,
  type ClientSessionEndReason,
  DeviceChangesDocument,
  LockDeviceDocument,
  SessionEndedDocument,
  SignedInDevicesDocument,
  type SignedInDevicesQuery,
  UnlockDeviceDocument,
} from './generated/graphql.js'

/** The signed-in user's session, as the `SignedInDevices` query returns it. */
export type SignedInSession = NonNullable<SignedInDevicesQuery['viewer']['clientSession']>

/** One device on the signed-in user's screen. */
export type Device = SignedInSession['devices']['nodes'][number]

/** A lock action on its way: shown at once (optimistic), confirmed or rolled back by its pushed outcome. */
export interface PendingAction {
  /** What the lock will be once the action succeeds. */
  locked: boolean
}

/** A device as the screen shows it: its last known state, an action in flight, the last action's failure. */
export interface DeviceView {
  device: Device
  pending: PendingAction | undefined
  failure: string | undefined
}

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
  | { kind: 'signed-in'; session: SignedInSession; devices: DeviceView[]; live: boolean }
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
  /**
   * Locks an unlocked lock, or unlocks a locked one. The screen shows the new state at once, then
   * the pushed outcome confirms it (SUCCESS) or rolls it back with the reason (ERROR). Ignored
   * while an action on the same device is in flight.
   */
  toggleLock(deviceId: string): void
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
  // Per device: in flight, or the last failure. Device state itself is in `session`.
  const pending = new Map<string, PendingAction>()
  const failures = new Map<string, string>()
  let live = false
  let signedOut = false
  const subscriptions: Array<{ unsubscribe(): void }> = []

  const report = (state: LiveSessionState) => {
    if (!signedOut) onChange(state)
  }
  const reportSignedIn = () => {
    if (session === undefined) return
    const devices = session.devices.nodes.map((device) => {
      const action = pending.get(device.deviceId)
      return {
        // Optimistic: an action in flight shows as done.
        device: action === undefined ? device : { ...device, locked: action.locked },
        pending: action,
        failure: failures.get(device.deviceId),
      }
    })
    report({ kind: 'signed-in', session, devices, live })
  }
  /** A device's new state, pushed by `deviceEvents`. */
  const updateDevice = (device: Device) => {
    if (session === undefined) return
    const nodes = session.devices.nodes.map((node) => (node.deviceId === device.deviceId ? device : node))
    session = { ...session, devices: { ...session.devices, nodes } }
    reportSignedIn()
  }
  // The first cause wins: the event is followed by the 4403 close, and the user may press the button.
  const signOut = (cause: SignOutCause) => {
    if (signedOut) return
    onChange({ kind: 'signed-out', cause })
    signedOut = true
    for (const subscription of subscriptions) subscription.unsubscribe()
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
    subscriptions.push(
      client.subscription(SessionEndedDocument, {}).subscribe((event) => {
        const ended = event.data?.clientSessionDeleted
        if (ended !== undefined) {
          signOut({ kind: 'event', reason: ended.reason, occurredAt: ended.occurredAt })
        }
      }),
      // Live state: whoever changed a device (this screen, another one, the lock itself).
      client.subscription(DeviceChangesDocument, {}).subscribe((event) => {
        const device = event.data?.deviceEvents.device
        if (device !== null && device !== undefined) updateDevice(device)
      }),
    )
  }
  void load()

  /** The action's outcome, pushed; the subscription ends after it. */
  const followOutcome = (deviceId: string, actionAttemptId: string) => {
    const outcome = client.subscription(AttemptOutcomeDocument, { actionAttemptId }).subscribe((event) => {
      const attempt = event.data?.actionAttemptUpdated
      const failed = attempt?.status === 'ERROR' ? (attempt.error?.message ?? 'The action failed') : undefined
      if (attempt === undefined && event.error === undefined) return
      const action = pending.get(deviceId)
      pending.delete(deviceId)
      if (failed !== undefined || event.error !== undefined) {
        // Rolled back: the device shows its last known state again, with the reason.
        failures.set(deviceId, failed ?? event.error?.message ?? 'The action failed')
      } else if (action !== undefined && session !== undefined) {
        const device = session.devices.nodes.find((node) => node.deviceId === deviceId)
        if (device !== undefined) updateDevice({ ...device, locked: action.locked })
      }
      reportSignedIn()
      outcome.unsubscribe()
    })
    subscriptions.push(outcome)
  }

  const toggleLock = async (deviceId: string) => {
    const device = session?.devices.nodes.find((node) => node.deviceId === deviceId)
    if (device === undefined || pending.has(deviceId) || signedOut) return
    const locking = device.locked !== true
    pending.set(deviceId, { locked: locking })
    failures.delete(deviceId)
    reportSignedIn()
    const result = locking
      ? await client.mutation(LockDeviceDocument, { deviceId }).toPromise()
      : await client.mutation(UnlockDeviceDocument, { deviceId }).toPromise()
    const attempt =
      result.data === undefined
        ? undefined
        : 'lockDoor' in result.data
          ? result.data.lockDoor.actionAttempt
          : result.data.unlockDoor.actionAttempt
    if (attempt === undefined) {
      pending.delete(deviceId)
      failures.set(
        deviceId,
        result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? 'The action failed',
      )
      reportSignedIn()
      return
    }
    followOutcome(deviceId, attempt.actionAttemptId)
  }

  return {
    signOut: () => signOut({ kind: 'user' }),
    toggleLock: (deviceId) => void toggleLock(deviceId),
  }
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
