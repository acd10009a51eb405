import type { Device } from '@seamapi/types/connect'
import DataLoader from 'dataloader'
import type { Principal } from '../auth/principal.js'
import { mayReachConnectedAccount, mayReadDevice } from '../auth/visibility.js'
import { notFound } from '../contract/errors.js'
import type { SeamClient } from '../upstream/client.js'
import { isPlausibleId } from './ids.js'

/**
 * Devices by id, per request: all ids of one tick in one `/devices/list {device_ids}` call
 * (following pages). An id Seam does not return is a NOT_FOUND error.
 *
 * A device Seam returns for someone else (an upstream that over-shares) is returned too: whether
 * the caller may see it is the Device type's own rule (`ownsDevice`), which answers it with the
 * very NOT_FOUND a missing id gets. One wall of the gateway's own on this path, not two, so that a
 * broken one shows in the tests. `node` checks {@link mayReadDevice} itself, to fail by the node
 * id that was sent; so must anything that acts on a device or reads it outside the schema.
 */
export function createDeviceByIdLoader(seam: SeamClient, observeBatch: (size: number) => void = () => {}) {
  return new DataLoader<string, Device>(async (ids) => {
    observeBatch(ids.length)
    const asked = ids.filter(isPlausibleId)
    const devices =
      asked.length === 0 ? [] : await seam.all('/devices/list', 'devices', { device_ids: asked })
    const byId = new Map(devices.map((d) => [d.device_id, d]))
    return ids.map((id) => byId.get(id) ?? notFound('Device', id))
  })
}

/**
 * Every device of each connected account, per request: all accounts of one tick in one
 * `/devices/list {connected_account_ids}` call, following pages. Accounts the principal may not
 * see get an empty list (their existence is not revealed).
 */
export function createDevicesByConnectedAccountIdLoader(
  seam: SeamClient,
  principal: Principal,
  observeBatch: (size: number) => void = () => {},
) {
  return new DataLoader<string, Device[]>(async (accountIds) => {
    observeBatch(accountIds.length)
    const visible = accountIds.filter((id) => isPlausibleId(id) && mayReachConnectedAccount(principal, id))
    const devices =
      visible.length === 0
        ? []
        : await seam.all('/devices/list', 'devices', { connected_account_ids: [...new Set(visible)] })
    const byAccount = new Map<string, Device[]>()
    for (const device of devices) {
      if (!mayReadDevice(principal, device) || device.connected_account_id === undefined) continue
      const list = byAccount.get(device.connected_account_id) ?? []
      list.push(device)
      byAccount.set(device.connected_account_id, list)
    }
    return accountIds.map((id) => byAccount.get(id) ?? [])
  })
}
