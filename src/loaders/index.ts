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
 * Each is made on first use: most operations use one or two of them, many none.
 */
export class Loaders {
  private clientSessions: ReturnType<typeof createClientSessionByIdLoader> | undefined
  private connectedAccounts: ReturnType<typeof createConnectedAccountByIdLoader> | undefined
  private devices: ReturnType<typeof createDeviceByIdLoader> | undefined
  private devicesOfAccounts: ReturnType<typeof createDevicesByConnectedAccountIdLoader> | undefined
  private actionAttempts: ReturnType<typeof createActionAttemptByIdLoader> | undefined
  private accessCodes: ReturnType<typeof createAccessCodeByIdLoader> | undefined

  constructor(
    private readonly seam: SeamClient,
    private readonly principal: Principal,
    private readonly records: LoaderRecords,
    /** Told the size of every batch (metrics). */
    private readonly observeBatch: (entity: string, size: number) => void = () => {},
  ) {}

  get clientSessionById() {
    this.clientSessions ??= createClientSessionByIdLoader(this.seam, this.principal, (n) =>
      this.observeBatch('clientSession', n),
    )
    return this.clientSessions
  }

  get connectedAccountById() {
    this.connectedAccounts ??= createConnectedAccountByIdLoader(this.seam, this.principal, (n) =>
      this.observeBatch('connectedAccount', n),
    )
    return this.connectedAccounts
  }

  get deviceById() {
    this.devices ??= createDeviceByIdLoader(this.seam, (n) => this.observeBatch('device', n))
    return this.devices
  }

  get devicesByConnectedAccountId() {
    this.devicesOfAccounts ??= createDevicesByConnectedAccountIdLoader(this.seam, this.principal, (n) =>
      this.observeBatch('devicesOfConnectedAccount', n),
    )
    return this.devicesOfAccounts
  }

  get actionAttemptById() {
    this.actionAttempts ??= createActionAttemptByIdLoader(
      this.seam,
      this.principal,
      this.deviceById,
      this.records.actionAttemptDevices,
      (n) => this.observeBatch('actionAttempt', n),
    )
    return this.actionAttempts
  }

  get accessCodeById() {
    this.accessCodes ??= createAccessCodeByIdLoader(this.seam, this.deviceById, (n) =>
      this.observeBatch('accessCode', n),
    )
    return this.accessCodes
  }
}

/** The loaders of one request, on `seam` for `principal`. */
export const createLoaders = (
  seam: SeamClient,
  principal: Principal,
  observeBatch: ((entity: string, size: number) => void) | undefined,
  records: LoaderRecords,
): Loaders => new Loaders(seam, principal, records, observeBatch)
