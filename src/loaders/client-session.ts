import type { ClientSession } from '@seamapi/types/connect'
import DataLoader from 'dataloader'
import type { Principal } from '../auth/principal.js'
import { mayReadClientSession } from '../auth/visibility.js'
import { notFound } from '../contract/errors.js'
import type { SeamClient } from '../upstream/client.js'
import { foundOrNone, isPlausibleId } from './ids.js'

/**
 * Client sessions by id, per request. A client session reads only itself (the session its
 * principal was resolved from). A workspace reads one id with `/client_sessions/get` and several with one
 * `/client_sessions/list` (not paginated). Results are checked against the principal again:
 * Seam's fake answers `/client_sessions/get` across workspaces.
 */
export function createClientSessionByIdLoader(
  seam: SeamClient,
  principal: Principal,
  observeBatch: (size: number) => void = () => {},
) {
  return new DataLoader<string, ClientSession>(async (keys) => {
    observeBatch(keys.length)
    const ids = keys.filter(isPlausibleId)
    let sessions: ClientSession[] = []
    if (principal.kind === 'clientSession') {
      // The principal was resolved from `/client_sessions/get` with this very token, at most
      // PRINCIPAL_CACHE_TTL_MS ago and never past a deletion event: no second call is needed.
      if (ids.includes(principal.clientSessionId)) sessions = [principal.session]
    } else if (principal.kind === 'workspace' && ids.length > 0) {
      if (ids.length === 1 && ids[0] !== undefined) {
        sessions = await foundOrNone(
          seam
            .call('/client_sessions/get', { client_session_id: ids[0] })
            .then((response) => response.client_session),
        )
      } else {
        sessions = (await seam.call('/client_sessions/list', {})).client_sessions
      }
    }
    const byId = new Map(
      sessions.filter((s) => mayReadClientSession(principal, s)).map((s) => [s.client_session_id, s]),
    )
    return keys.map((id) => byId.get(id) ?? notFound('ClientSession', id))
  })
}
