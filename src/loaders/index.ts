import type { Principal } from '../auth/principal.js'
import type { SeamClient } from '../upstream/client.js'
import { createClientSessionByIdLoader } from './client-session.js'
import { createConnectedAccountByIdLoader } from './connected-account.js'
import { createDeviceByIdLoader, createDevicesByConnectedAccountIdLoader } from './device.js'

/**
 * The DataLoaders of one request (or one subscription event). Never shared across requests, so
 * never across principals: each is built on a client that calls Seam with this caller's credential.
 */
export function createLoaders(seam: SeamClient, principal: Principal) {
  return {
    clientSessionById: createClientSessionByIdLoader(seam, principal),
    connectedAccountById: createConnectedAccountByIdLoader(seam, principal),
    deviceById: createDeviceByIdLoader(seam, principal),
    devicesByConnectedAccountId: createDevicesByConnectedAccountIdLoader(seam, principal),
  }
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>
