import type { Principal } from '../auth/principal.js'
import type { SeamClient } from '../upstream/client.js'
import { createClientSessionByIdLoader } from './client-session.js'
import { createConnectedAccountByIdLoader } from './connected-account.js'
import { createDeviceByIdLoader, createDevicesByConnectedAccountIdLoader } from './device.js'

/**
 * The DataLoaders of one request (or one subscription event). Never shared across requests, so
 * never across principals: each is built on a client that calls Seam with this caller's credential.
 */
export function createLoaders(
  seam: SeamClient,
  principal: Principal,
  /** Told the size of every batch (metrics). */
  observeBatch: (entity: string, size: number) => void = () => {},
) {
  return {
    clientSessionById: createClientSessionByIdLoader(seam, principal, (n) =>
      observeBatch('clientSession', n),
    ),
    connectedAccountById: createConnectedAccountByIdLoader(seam, principal, (n) =>
      observeBatch('connectedAccount', n),
    ),
    deviceById: createDeviceByIdLoader(seam, (n) => observeBatch('device', n)),
    devicesByConnectedAccountId: createDevicesByConnectedAccountIdLoader(seam, principal, (n) =>
      observeBatch('devicesOfConnectedAccount', n),
    ),
  }
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>
