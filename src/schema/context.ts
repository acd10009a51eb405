import type { ClientSession } from '@seamapi/types/connect'
import type { ActionAttemptDevices } from '../auth/action-attempt-devices.js'
import type {
  ClientSessionPrincipal,
  Principal,
  PublishableKeyPrincipal,
  WorkspacePrincipal,
} from '../auth/principal.js'
import type { DeviceEvents } from '../events/device-events.js'
import type { SessionEvents } from '../events/session-events.js'
import type { Loaders } from '../loaders/index.js'
import type { SeamClient } from '../upstream/client.js'
import type { SessionSocket } from '../ws/socket-registry.js'
import type { CursorSigner } from './pagination.js'

/**
 * What every resolver gets. Built per request (and per subscription event) by `graphql/context.ts`:
 * the principal, a Seam client with the caller's own credential, and fresh loaders.
 */
export interface GatewayContext {
  principal: Principal
  /** `null` for anonymous callers: they reach no upstream. */
  seam: SeamClient | null
  loaders: Loaders | null
  /**
   * Loaders that read as `session`, with that session's own token: what a publishable key (which
   * reads nothing itself) may read of the session its getOrCreateClientSession just returned to
   * it, token included. `null` for every other principal: they read with their own credential.
   */
  loadersAsSession: ((session: ClientSession) => Loaders) | null
  /** Signs and checks page cursors (`CURSOR_SECRET`, or a secret of this process). */
  cursors: CursorSigner
  events: SessionEvents
  /** Device events and action attempt updates: what `deviceEvents` and `actionAttemptUpdated` stream. */
  deviceEvents: DeviceEvents
  /** Counts one device action by mutation name: `started`, or the code of the error that stopped it. */
  observeAction: (action: string, outcome: string) => void
  /** Which device each action attempt the gateway started acts on: recorded by the actions. */
  actionAttemptDevices: ActionAttemptDevices
  /** Sessions this request's own mutations created: their caller may read them, token included. */
  issuedSessionIds: Set<string>
  /**
   * Publishable keys only: spends this operation's one sign-in (`getOrCreateClientSession`),
   * against the key's shared ceiling; refuses a second one in the same operation.
   */
  signIn: (() => Promise<void>) | null
  /** The graphql-ws socket of a client session, when the operation came over one. */
  socket?: SessionSocket | undefined
}

/** Context of a field behind `authScopes: { workspace: true }`. */
export type WorkspaceContext = GatewayContext & {
  principal: WorkspacePrincipal
  seam: SeamClient
  loaders: Loaders
}
/** Context of a field behind `authScopes: { clientSession: true }`. */
export type ClientSessionContext = GatewayContext & {
  principal: ClientSessionPrincipal
  seam: SeamClient
  loaders: Loaders
}
/** Context of a field behind `authScopes: { publishableKey: true }`. */
export type PublishableKeyContext = GatewayContext & { principal: PublishableKeyPrincipal; seam: SeamClient }
/** Context of a field behind `authScopes: { authenticated: true }`. */
export type AuthenticatedContext = GatewayContext & {
  principal: WorkspacePrincipal | ClientSessionPrincipal
  seam: SeamClient
  loaders: Loaders
}
