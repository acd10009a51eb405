import type { Device } from '@seamapi/types/connect'
import { GraphQLError } from 'graphql'
import { mayReadDevice } from '../auth/visibility.js'
import { badUserInput, notFound } from '../contract/errors.js'
import type { AuthenticatedContext } from './context.js'
import { checkId } from './inputs.js'

/**
 * The wall in front of every action (SPEC §4, §12): the device `deviceId`, read with the request's
 * own loaders (as the caller, and once per request however many fields ask), when the caller may
 * see it; otherwise the very NOT_FOUND a device that does not exist gets, byte for byte.
 *
 * Every resolver that acts on a device calls this BEFORE anything is sent upstream: Seam's fake
 * executes actions for any token (a client session token unlocks another user's door), and the
 * device loader does not filter by ownership (the Device type does, on reads only).
 */
export async function deviceToActOn(
  ctx: AuthenticatedContext,
  deviceId: string,
  /** The argument that carried the id, for the message of an id no device can have. */
  argument = 'deviceId',
): Promise<Device> {
  checkId(argument, deviceId)
  const device = await ctx.loaders.deviceById.load(deviceId)
  if (!mayReadDevice(ctx.principal, device)) throw notFound('Device', deviceId)
  return device
}

/** Seam's capability flags an action needs (they supersede `capabilities_supported`). */
export type CapabilityFlag = 'can_remotely_lock' | 'can_remotely_unlock' | 'can_program_online_access_codes'

const WHAT: Record<CapabilityFlag, [string, string]> = {
  can_remotely_lock: ['cannot be locked remotely', 'canRemotelyLock'],
  can_remotely_unlock: ['cannot be unlocked remotely', 'canRemotelyUnlock'],
  can_program_online_access_codes: ['cannot be given access codes', 'canProgramOnlineAccessCodes'],
}

/**
 * Refuses an action the device does not support (a thermostat asked to lock), with BAD_USER_INPUT
 * naming the device, the mutation and the flag to read first. Only ever called on a device the
 * caller may see: a device that is not theirs never gets this far.
 */
export function requireCapability(device: Device, flag: CapabilityFlag, mutation: string): void {
  if ((device as Partial<Record<CapabilityFlag, boolean>>)[flag] === true) return
  const [why, field] = WHAT[flag]
  throw badUserInput(
    `Device ${JSON.stringify(device.device_id)} ${why}: ${mutation} needs a device whose ${field} is true`,
  )
}

/**
 * Runs one device action (a mutation) and counts it for the metrics: `started` once Seam took it,
 * or the public code of the error that stopped it (NOT_FOUND for a device that is not the
 * caller's, BAD_USER_INPUT, an upstream code, …).
 */
export async function countAction<T>(
  ctx: Pick<AuthenticatedContext, 'observeAction'>,
  action: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    const result = await run()
    ctx.observeAction(action, 'started')
    return result
  } catch (error) {
    const code = error instanceof GraphQLError ? error.extensions.code : undefined
    ctx.observeAction(action, typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR')
    throw error
  }
}
