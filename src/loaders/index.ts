import type { ActionAttemptDevices } from '../auth/action-attempt-devices.js'
import type { Principal } from '../auth/principal.js'
import type { SeamClient } from '../upstream/client.js'
import { createAccessCodeByIdLoader } from './access-code.js'
import { createActionAttemptByIdLoader } from './action-attempt.js'
import { createClientSessionByIdLoader } from './client-session.js'
import { createConnectedAccountByIdLoader } from './connected-account.js'
import { createDeviceByIdLoader, createDevicesByConnectedAccountIdLoader } from './device.js'

/** What the loaders read besides Seam: the gateway's own records. Per process. */
export interface LoaderRecords {
  /** Which device each action attempt the gateway started acts on. */
  actionAttemptDevices: ActionAttemptDevices
}

/**
 * The DataLoaders of one request (or one subscription event). Never shared across requests, so
 * never across principals: each is built on a client that calls Seam with this caller's credential.
 */
export function createLoaders(
  seam: SeamClient,
  principal: Principal,
  /** Told the size of every batch (metrics). */
  observeBatch: (entity: string, size: number) => void,
  records: LoaderRecords,
) {
  const deviceById = createDeviceByIdLoader(seam, (n) => observeBatch('device', n))
  return {
    clientSessionById: createClientSessionByIdLoader(seam, principal, (n) =>
      observeBatch('clientSession', n),
    ),
    connectedAccountById: createConnectedAccountByIdLoader(seam, principal, (n) =>
      observeBatch('connectedAccount', n),
    ),
    deviceById,
    devicesByConnectedAccountId: createDevicesByConnectedAccountIdLoader(seam, principal, (n) =>
      observeBatch('devicesOfConnectedAccount', n),
    ),
    actionAttemptById: createActionAttemptByIdLoader(
      seam,
      principal,
      deviceById,
      records.actionAttemptDevices,
      (n) => observeBatch('actionAttempt', n),
    ),
    accessCodeById: createAccessCodeByIdLoader(seam, deviceById, (n) => observeBatch('accessCode', n)),
  }
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>
