import SchemaBuilder from '@pothos/core'
import ComplexityPlugin from '@pothos/plugin-complexity'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth'
import type { ClientSession, ConnectedAccount, Device } from '@seamapi/types/connect'
import { DateTimeResolver, JSONResolver } from 'graphql-scalars'
import { ownershipRules } from '../auth/visibility.js'
import { type EntityName, forbidden, notFound, unauthenticated } from '../contract/errors.js'
import type { AccessCodeOfDevice } from '../loaders/access-code.js'
import type { ActionAttemptOfDevice } from '../loaders/action-attempt.js'
import type {
  AuthenticatedContext,
  ClientSessionContext,
  GatewayContext,
  PublishableKeyContext,
  WorkspaceContext,
} from './context.js'
import { fieldCost, PER_CONNECTION_ITEM } from './cost.js'

/**
 * The one SchemaBuilder. Configuration only: the types live in their own files.
 *
 * Scopes: `authenticated`, `workspace`, `clientSession`, `publishableKey` say who may call a field;
 * `ownsClientSession`, `ownsConnectedAccount`, `ownsDevice`, `ownsAccessCode`, `ownsActionAttempt` are the type-level
 * rules that check every object against the principal however it was reached, so that an upstream
 * that over-shares still leaks nothing.
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext
  AuthScopes: {
    authenticated: boolean
    workspace: boolean
    clientSession: boolean
    publishableKey: boolean
    ownsClientSession: ClientSession
    ownsConnectedAccount: ConnectedAccount
    ownsDevice: Device
    ownsAccessCode: AccessCodeOfDevice
    ownsActionAttempt: ActionAttemptOfDevice
  }
  AuthContexts: {
    authenticated: AuthenticatedContext
    workspace: WorkspaceContext
    clientSession: ClientSessionContext
    publishableKey: PublishableKeyContext
  }
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    JSON: { Input: unknown; Output: unknown }
    ID: { Input: string; Output: string }
  }
  DefaultFieldNullability: false
}>({
  defaultFieldNullability: false,
  plugins: [
    // First: every field and every Node type is checked against the principal before it resolves.
    ScopeAuthPlugin,
    // Global ids, the Node interface, and Relay connections over Seam's page cursors.
    RelayPlugin,
    // The cost of every field, read by useCostLimit before an operation runs (cost.ts).
    ComplexityPlugin,
  ],
  complexity: {
    fieldComplexity: fieldCost,
    // The limit is checked before execution, with the request's variables (useCostLimit), not in
    // the first root resolver: a refused operation runs nothing and has no `data`.
    disabled: true,
  },
  scopeAuth: {
    // Type-level rules run once per object (not once per field), so a foreign object fails as a
    // whole, with exactly the one error a missing object gets.
    runScopesOnType: true,
    authorizeOnSubscribe: true,
    authScopes: ({ principal, issuedSessionIds }) => ({
      authenticated: principal.kind === 'workspace' || principal.kind === 'clientSession',
      workspace: principal.kind === 'workspace',
      clientSession: principal.kind === 'clientSession',
      publishableKey: principal.kind === 'publishableKey',
      // ownsClientSession, ownsConnectedAccount, ownsDevice, ownsAccessCode, ownsActionAttempt: the
      // visibility rules (auth/visibility.ts).
      ...ownershipRules(principal, issuedSessionIds),
    }),
    unauthorizedError: (_parent, { principal }, _info, result) => {
      // A failed ownership rule (possibly wrapped in $any/$all) reads exactly like a missing object.
      const owned = findOwnershipFailure(result.failure)
      if (owned !== undefined) {
        const [entity, idOf] = OWNERSHIP_SCOPES[owned.scope as OwnershipScope]
        return notFound(entity, idOf(owned.parameter as never) ?? '')
      }
      if (principal.kind === 'anonymous') {
        return unauthenticated(
          'A credential is required: send Authorization: Bearer <API key or client session token>',
        )
      }
      return forbidden(`This field is not available to a ${describe(principal.kind)}`)
    },
  },
  relay: {
    // `node` and `nodes` are defined in node.ts so that a malformed, foreign or missing id all
    // answer the same NOT_FOUND.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: { complexity: PER_CONNECTION_ITEM },
    edgesFieldOptions: { complexity: PER_CONNECTION_ITEM },
  },
})

/** Each ownership rule, the entity a failure names, and where that entity's id is. */
const OWNERSHIP_SCOPES = {
  ownsClientSession: ['ClientSession', (session: ClientSession) => session.client_session_id],
  ownsConnectedAccount: ['ConnectedAccount', (account: ConnectedAccount) => account.connected_account_id],
  ownsDevice: ['Device', (device: Device) => device.device_id],
  ownsAccessCode: ['AccessCode', ({ accessCode }: AccessCodeOfDevice) => accessCode.access_code_id],
  ownsActionAttempt: [
    'ActionAttempt',
    ({ actionAttempt }: ActionAttemptOfDevice) => actionAttempt.action_attempt_id,
  ],
} as const satisfies Record<string, readonly [EntityName, (value: never) => string | undefined]>
type OwnershipScope = keyof typeof OWNERSHIP_SCOPES

function findOwnershipFailure(failure: AuthFailure): { scope: string; parameter: unknown } | undefined {
  if (failure.kind === AuthScopeFailureType.AuthScope && Object.hasOwn(OWNERSHIP_SCOPES, failure.scope))
    return failure
  if (
    failure.kind === AuthScopeFailureType.AnyAuthScopes ||
    failure.kind === AuthScopeFailureType.AllAuthScopes
  ) {
    for (const inner of failure.failures) {
      const found = findOwnershipFailure(inner)
      if (found !== undefined) return found
    }
  }
  return undefined
}

const describe = (kind: string) =>
  kind === 'clientSession'
    ? 'client session token'
    : kind === 'publishableKey'
      ? 'publishable key'
      : 'workspace API key'

builder.addScalarType('DateTime', DateTimeResolver)
builder.addScalarType('JSON', JSONResolver)
