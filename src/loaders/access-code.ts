import type { AccessCode, Device } from '@seamapi/types/connect'
import DataLoader from 'dataloader'
import { notFound } from '../contract/errors.js'
import type { SeamClient } from '../upstream/client.js'
import { foundOrNone, isPlausibleId, loadedOrMissing } from './ids.js'

/** An access code and the device it opens, read together. */
export interface AccessCodeOfDevice {
  accessCode: AccessCode
  device: Device
}

/**
 * Access codes by id, per request, each with its device: one id → one `/access_codes/get`, several
 * → one `/access_codes/list {access_code_ids}`; then their devices, in one batch of `deviceById`
 * (as the caller). A code whose device the caller's credential cannot read is NOT_FOUND, as a code
 * that does not exist.
 *
 * Seam's fake answers `/access_codes/get` for any code of any workspace, to any token. Whether the
 * caller may see a code it did return is the AccessCode type's own rule (`ownsAccessCode`: its
 * device must be the caller's), which answers with the very NOT_FOUND a missing code gets; so must
 * anything that acts on a code check `mayReadAccessCode` itself before it sends anything upstream.
 */
export function createAccessCodeByIdLoader(
  seam: SeamClient,
  deviceById: DataLoader<string, Device>,
  observeBatch: (size: number) => void = () => {},
) {
  return new DataLoader<string, AccessCodeOfDevice>(async (keys) => {
    observeBatch(keys.length)
    const ids = keys.filter(isPlausibleId)
    let codes: AccessCode[] = []
    if (ids.length === 1 && ids[0] !== undefined) {
      codes = await foundOrNone(
        seam.call('/access_codes/get', { access_code_id: ids[0] }).then((response) => response.access_code),
      )
    } else if (ids.length > 1) {
      codes = (
        await foundOrNone(
          seam.call('/access_codes/list', { access_code_ids: ids }).then((response) => response.access_codes),
        )
      ).flat()
    }
    const byId = new Map(codes.map((code) => [code.access_code_id, code]))
    const devices = await loadedOrMissing(
      deviceById,
      keys.map((id) => byId.get(id)?.device_id),
    )
    return keys.map((id, i) => {
      const accessCode = byId.get(id)
      const device = devices[i]
      return accessCode === undefined || device === undefined
        ? notFound('AccessCode', id)
        : { accessCode, device }
    })
  })
}
