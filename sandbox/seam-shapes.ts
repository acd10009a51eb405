import type { Database } from '@seamapi/fake-seam-connect'
import type { ClientSession, SeamEvent } from '@seamapi/types/connect'
import { customerKeyOf, type FakeClientSession, type FakeEvent } from './fake-store.js'

/** Seam's `client_session.deleted` event, the body of its webhook delivery. */
export type ClientSessionDeletedEvent = Extract<SeamEvent, { event_type: 'client_session.deleted' }>

/**
 * Projects a stored client session onto Seam's `client_session` shape.
 *
 * Built field by field rather than by deleting keys, so the fake's private fields (`api_key_id`,
 * `publishable_key`, `revoked_at`, and whatever a later version adds) can never leak. `device_count`
 * counts the devices of the session's connected accounts, as the fake's own `/client_sessions/get` does;
 * `customer_key` is there when the session has one.
 */
export function toSeamClientSession(session: FakeClientSession, devices: Database['devices']): ClientSession {
  const deviceCount = devices.filter(
    (device) =>
      device.connected_account_id !== undefined &&
      session.connected_account_ids.includes(device.connected_account_id),
  ).length
  // Seam's current field is the single `user_identity_id`; `user_identity_ids` is its deprecated array
  // form, which the fake stores. The first id stands for the single one.
  const userIdentityId = session.user_identity_ids[0]
  const customerKey = customerKeyOf(session)
  return {
    client_session_id: session.client_session_id,
    workspace_id: session.workspace_id,
    created_at: session.created_at,
    expires_at: session.expires_at,
    token: session.token,
    user_identifier_key: session.user_identifier_key ?? null,
    device_count: deviceCount,
    connected_account_ids: [...session.connected_account_ids],
    connect_webview_ids: [...session.connect_webview_ids],
    user_identity_ids: [...session.user_identity_ids],
    ...(userIdentityId === undefined ? {} : { user_identity_id: userIdentityId }),
    ...(customerKey === undefined ? {} : { customer_key: customerKey }),
  }
}

/** The body of Seam's answer with one session (`/create`, `/get_or_create`, `/get`, `/grant_access`). */
export function clientSessionAnswer(
  session: FakeClientSession,
  devices: Database['devices'],
): { client_session: ClientSession; ok: true } {
  return { client_session: toSeamClientSession(session, devices), ok: true }
}

/**
 * Projects a stored `client_session.deleted` event onto Seam's event shape, dropping the fake's
 * `event_description`.
 *
 * @throws if the stored event is not a `client_session.deleted` event with a `client_session_id`
 */
export function toSeamClientSessionDeletedEvent(event: FakeEvent): ClientSessionDeletedEvent {
  const clientSessionId: unknown = event.client_session_id
  if (event.event_type !== 'client_session.deleted' || typeof clientSessionId !== 'string') {
    throw new Error(
      `Expected a client_session.deleted event with a client_session_id, got ${event.event_type} with ${typeof clientSessionId} client_session_id`,
    )
  }
  return {
    event_id: event.event_id,
    event_type: 'client_session.deleted',
    client_session_id: clientSessionId,
    workspace_id: event.workspace_id,
    created_at: event.created_at,
    occurred_at: event.occurred_at,
  }
}
