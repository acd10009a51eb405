import type { AccessCode, ClientSession, ConnectedAccount, Device } from '@seamapi/types/connect'
import type { AccessCodeOfDevice } from '../loaders/access-code.js'
import type { ActionAttemptOfDevice } from '../loaders/action-attempt.js'
import type { Principal } from './principal.js'

/**
 * Visibility: may this principal see, or act on, this object? The gateway's own wall (SPEC §4),
 * applied to whatever Seam returns, so that an upstream that over-shares still leaks nothing. Pure
 * functions of the principal and the object; the loaders filter with them and the schema's
 * type-level rules (`ownsClientSession`, `ownsConnectedAccount`, `ownsDevice`) are made of them.
 */

/** True when `principal` may see `session`: its workspace's, or its own. */
export const mayReadClientSession = (principal: Principal, session: ClientSession): boolean => {
  if (principal.kind === 'workspace') return session.workspace_id === principal.workspaceId
  if (principal.kind === 'clientSession') return session.client_session_id === principal.clientSessionId
  return false
}

/**
 * True when `principal` may see the token of `session`: a workspace API key, or a caller whose own
 * mutation in this request returned the session (`issuedSessionIds`, per request).
 */
export const mayReadClientSessionToken = (
  principal: Principal,
  session: ClientSession,
  issuedSessionIds: ReadonlySet<string>,
): boolean => principal.kind === 'workspace' || issuedSessionIds.has(session.client_session_id)

/**
 * True when `principal` may reach the connected account `accountId` at all: a workspace any id (the
 * account's own workspace is checked by {@link mayReadConnectedAccount} once it is read), a client
 * session only the accounts it was granted. Lets a caller skip asking Seam about an account that
 * could not be shown anyway.
 */
export const mayReachConnectedAccount = (principal: Principal, accountId: string): boolean =>
  principal.kind === 'workspace' ||
  (principal.kind === 'clientSession' && principal.connectedAccountIds.has(accountId))

/**
 * True when `principal` may see `account`: its workspace's, or one of its session's. Seam's
 * documented account shape has no `workspace_id`; when a response carries one (the fake's does),
 * it must match.
 */
export const mayReadConnectedAccount = (principal: Principal, account: ConnectedAccount): boolean => {
  const workspaceId = (account as { workspace_id?: string }).workspace_id
  if (principal.kind === 'workspace')
    return workspaceId === undefined || workspaceId === principal.workspaceId
  if (principal.kind === 'clientSession') {
    return (
      (workspaceId === undefined || workspaceId === principal.workspaceId) &&
      principal.connectedAccountIds.has(account.connected_account_id)
    )
  }
  return false
}

/** True when `principal` may see `device`: its workspace's, or one of its session's accounts'. */
export const mayReadDevice = (principal: Principal, device: Device): boolean => {
  if (principal.kind === 'workspace') return device.workspace_id === principal.workspaceId
  if (principal.kind === 'clientSession') {
    return (
      device.workspace_id === principal.workspaceId &&
      device.connected_account_id !== undefined &&
      principal.connectedAccountIds.has(device.connected_account_id)
    )
  }
  return false
}

/**
 * True when `principal` may see `code`, read with its device `device`: a code of a device it may
 * see. Seam's access code names its device and its workspace; both must be that device's.
 */
export const mayReadAccessCode = (principal: Principal, code: AccessCode, device: Device): boolean =>
  code.device_id === device.device_id &&
  code.workspace_id === device.workspace_id &&
  mayReadDevice(principal, device)

/**
 * Whether `principal` may narrow a list by a user identifier key: a workspace by any key, a client
 * session only by its own. For a client session, any other key (a real user's included) must answer
 * exactly as a key that exists nowhere, or the answer tells which keys exist and share its accounts.
 */
export const mayFilterByUserIdentifierKey = (principal: Principal, key: string | null | undefined): boolean =>
  key == null || principal.kind !== 'clientSession' || key === principal.session.user_identifier_key

/**
 * The schema's type-level rules for one request: every ClientSession, ConnectedAccount, Device,
 * AccessCode and ActionAttempt that resolves, however it was reached, passes its rule or fails as a
 * missing object would. An access code and an action attempt are the caller's when their device
 * is (read with them, so the rules stay pure). A
 * publishable key may read the session its own getOrCreateClientSession returned
 * (`issuedSessionIds`).
 */
export const ownershipRules = (principal: Principal, issuedSessionIds: ReadonlySet<string>) => ({
  ownsClientSession: (session: ClientSession) =>
    mayReadClientSession(principal, session) || issuedSessionIds.has(session.client_session_id),
  ownsConnectedAccount: (account: ConnectedAccount) => mayReadConnectedAccount(principal, account),
  ownsDevice: (device: Device) => mayReadDevice(principal, device),
  ownsAccessCode: ({ accessCode, device }: AccessCodeOfDevice) =>
    mayReadAccessCode(principal, accessCode, device),
  ownsActionAttempt: ({ device }: ActionAttemptOfDevice) => mayReadDevice(principal, device),
})
