import type { ConnectedAccount } from '@seamapi/types/connect'
import DataLoader from 'dataloader'
import type { Principal } from '../auth/principal.js'
import { mayReachConnectedAccount, mayReadConnectedAccount } from '../auth/visibility.js'
import { notFound } from '../contract/errors.js'
import type { SeamClient } from '../upstream/client.js'
import { foundOrNone, isPlausibleId } from './ids.js'

/**
 * Connected accounts by id, per request, with the cheapest correct call: one id → one
 * `/connected_accounts/get`; several → one `/connected_accounts/list` (every page), which is what
 * a client session token is scoped to anyway. Whatever Seam returns is checked against the
 * principal again: Seam's fake answers `/connected_accounts/get` for any account.
 */
export function createConnectedAccountByIdLoader(
  seam: SeamClient,
  principal: Principal,
  observeBatch: (size: number) => void = () => {},
) {
  return new DataLoader<string, ConnectedAccount>(async (keys) => {
    observeBatch(keys.length)
    const ids = keys.filter(isPlausibleId)
    let accounts: ConnectedAccount[]
    if (principal.kind === 'clientSession') {
      const own = ids.filter((id) => mayReachConnectedAccount(principal, id))
      accounts = own.length === 0 ? [] : await seam.all('/connected_accounts/list', 'connected_accounts', {})
    } else if (ids.length === 0) {
      accounts = []
    } else if (ids.length === 1 && ids[0] !== undefined) {
      accounts = await foundOrNone(
        seam
          .call('/connected_accounts/get', { connected_account_id: ids[0] })
          .then((response) => response.connected_account),
      )
    } else {
      accounts = await seam.all('/connected_accounts/list', 'connected_accounts', {})
    }
    const byId = new Map(
      accounts.filter((a) => mayReadConnectedAccount(principal, a)).map((a) => [a.connected_account_id, a]),
    )
    return keys.map((id) => byId.get(id) ?? notFound('ConnectedAccount', id))
  })
}
