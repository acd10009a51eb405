import type { Device } from '@seamapi/types/connect'
import { mayFilterByUserIdentifierKey, mayReachConnectedAccount, mayReadDevice } from '../auth/visibility.js'
import { badUserInput } from '../contract/errors.js'
import { isPlausibleId } from '../loaders/ids.js'
import { countAction, deviceToActOn } from './acting.js'
import { builder } from './builder.js'
import { ConnectedAccountRef } from './connected-account.js'
import { checkCustomMetadata, checkId, checkName } from './inputs.js'
import { checkListLength, connectionFromSeam, MAX_FIRST } from './pagination.js'

/** A Seam device (lock, thermostat, sensor, …). */
export const DeviceRef = builder.objectRef<Device>('Device')

builder.node(DeviceRef, {
  description: 'A device connected to Seam: a smart lock, thermostat, noise sensor, …',
  id: { resolve: (device) => device.device_id },
  isTypeOf: (value) =>
    typeof value === 'object' && value !== null && 'device_id' in value && 'device_type' in value,
  authScopes: (device) => ({ ownsDevice: device }),
  fields: (t) => ({
    deviceId: t.exposeID('device_id', { description: 'Seam id of the device.' }),
    deviceType: t.exposeString('device_type', { description: 'Seam device type, such as `august_lock`.' }),
    displayName: t.exposeString('display_name', { description: 'Name to show for the device.' }),
    workspaceId: t.exposeID('workspace_id', { description: 'Workspace the device belongs to.' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the device was added to Seam.',
      resolve: (d) => d.created_at,
    }),
    isManaged: t.exposeBoolean('is_managed', { description: 'Whether Seam manages the device.' }),
    capabilitiesSupported: t.stringList({
      description: 'Capabilities such as `lock`, `access_code`, `thermostat`.',
      resolve: (d) => [...d.capabilities_supported],
    }),
    online: t.boolean({
      nullable: true,
      description: 'Whether the device is online, when Seam knows.',
      resolve: (d) => d.properties.online ?? null,
    }),
    locked: t.boolean({
      nullable: true,
      description: 'Whether a lock is locked; null for devices that are not locks.',
      resolve: (d) => (d.properties as { locked?: boolean }).locked ?? null,
    }),
    batteryLevel: t.float({
      nullable: true,
      description: 'Battery level from 0 to 1, when the device reports one.',
      resolve: (d) => d.properties.battery?.level ?? d.properties.battery_level ?? null,
    }),
    manufacturer: t.string({
      nullable: true,
      description: 'Manufacturer, such as `august`.',
      resolve: (d) => (d.properties as { manufacturer?: string }).manufacturer ?? null,
    }),
    properties: t.field({
      type: 'JSON',
      nullable: true,
      description: 'All device properties as Seam returns them.',
      resolve: (d) => d.properties,
    }),
    customMetadata: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Your custom metadata.',
      resolve: (d) => d.custom_metadata ?? null,
    }),
    canRemotelyLock: t.boolean({
      nullable: true,
      description: 'Whether lockDoor can lock it; null when Seam does not say.',
      resolve: (d) => d.can_remotely_lock ?? null,
    }),
    canRemotelyUnlock: t.boolean({
      nullable: true,
      description: 'Whether unlockDoor can unlock it; null when Seam does not say.',
      resolve: (d) => d.can_remotely_unlock ?? null,
    }),
    canProgramOnlineAccessCodes: t.boolean({
      nullable: true,
      description: 'Whether createAccessCode can give it access codes; null when Seam does not say.',
      resolve: (d) => d.can_program_online_access_codes ?? null,
    }),
    // Only a workspace or a client session reaches a device (every entry point is closed to the others).
    connectedAccount: t.withAuth({ authenticated: true }).field({
      type: ConnectedAccountRef,
      nullable: true,
      description: 'The connected account the device belongs to.',
      resolve: (d, _args, { loaders }) =>
        d.connected_account_id === undefined
          ? null
          : loaders.connectedAccountById.load(d.connected_account_id),
    }),
  }),
})

/** A page of devices. */
export const DeviceConnection = builder.connectionObject(
  { type: DeviceRef, name: 'DeviceConnection', description: 'A page of devices.' },
  { name: 'DeviceEdge', description: 'A device and its cursor.' },
)

builder.queryFields((t) => ({
  device: t.withAuth({ authenticated: true }).field({
    type: DeviceRef,
    nullable: true,
    description: 'One device by its Seam id; NOT_FOUND when it does not exist or is not yours.',
    args: { deviceId: t.arg.id({ required: true }) },
    resolve: (_root, { deviceId }, { loaders }) => loaders.deviceById.load(deviceId),
  }),
  devices: t.withAuth({ authenticated: true }).field({
    type: DeviceConnection,
    // Null with its error when Seam fails, so that the other root fields keep their data.
    nullable: true,
    description:
      'Devices the caller may see, newest first as Seam lists them. A client session sees only the devices of its connected accounts, whatever the filters. Null, with the error, when Seam cannot list them.',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 200. @default 50' }),
      after: t.arg.string({ description: 'Cursor of the last edge already seen.' }),
      connectedAccountId: t.arg.id({ description: 'Only devices of this connected account.' }),
      deviceIds: t.arg.idList({ description: 'Only these devices (at most 200).' }),
      deviceTypes: t.arg.stringList({
        description: 'Only these device types, such as `august_lock` (at most 200).',
      }),
      search: t.arg.string({ description: 'Free-text search over names and ids.' }),
      userIdentifierKey: t.arg.string({
        description: 'Only devices of the client session with this user identifier key.',
      }),
    },
    resolve: async (_root, args, { principal, seam, cursors }) => {
      const { first, after, ...filters } = args
      const cursorsOfQuery = cursors.bind('devices', filters, principal)
      checkListLength('deviceIds', filters.deviceIds, MAX_FIRST)
      checkListLength('deviceTypes', filters.deviceTypes, MAX_FIRST)
      const deviceIds = filters.deviceIds?.filter(isPlausibleId)
      // A filter that can match nothing answers an empty page without asking Seam: an account
      // that is not the session's, ids that no Seam object can have (an empty `device_ids`
      // would mean "no filter" upstream), or a user identifier key that is not the session's
      // own (it answers exactly as a key that exists nowhere: no oracle of other users' keys).
      const matchesNothing =
        (filters.connectedAccountId != null &&
          (!isPlausibleId(filters.connectedAccountId) ||
            !mayReachConnectedAccount(principal, filters.connectedAccountId))) ||
        (deviceIds !== undefined && deviceIds.length === 0) ||
        !mayFilterByUserIdentifierKey(principal, filters.userIdentifierKey)
      if (matchesNothing) {
        return connectionFromSeam({ first, after }, cursorsOfQuery, async () => ({
          items: [],
          nextPageCursor: null,
        }))
      }
      const body = {
        ...(filters.connectedAccountId != null ? { connected_account_id: filters.connectedAccountId } : {}),
        ...(deviceIds !== undefined ? { device_ids: deviceIds } : {}),
        ...(filters.deviceTypes != null ? { device_types: filters.deviceTypes as never } : {}),
        ...(filters.search != null ? { search: filters.search } : {}),
        ...(filters.userIdentifierKey != null ? { user_identifier_key: filters.userIdentifierKey } : {}),
      }
      return connectionFromSeam(
        { first, after },
        cursorsOfQuery,
        (pageCursor, limit) =>
          seam.page('/devices/list', 'devices', {
            ...body,
            limit,
            ...(pageCursor ? { page_cursor: pageCursor } : {}),
          }),
        (device) => mayReadDevice(principal, device),
      )
    },
  }),
}))

/** The device a mutation changed, read again from Seam. */
const DevicePayload = builder.objectRef<{ deviceId: string }>('DevicePayload').implement({
  description: 'The device a mutation changed, as Seam reports it after the change.',
  fields: (t) => ({
    device: t.withAuth({ authenticated: true }).field({
      type: DeviceRef,
      description: 'The device, read again after the change.',
      resolve: ({ deviceId }, _args, { loaders }) => loaders.deviceById.load(deviceId),
    }),
  }),
})

const UpdateDeviceInput = builder.inputType('UpdateDeviceInput', {
  description: 'What to change on a device: its name, its custom metadata, or both.',
  fields: (t) => ({
    deviceId: t.id({ required: true, description: 'Seam id of the device.' }),
    name: t.string({ description: 'The new name: 1 to 200 characters, without control characters.' }),
    customMetadata: t.field({
      type: 'JSON',
      description:
        'Custom metadata to store on the device: at most 50 keys of at most 40 characters, each a string of at most 500 characters, a boolean or null.',
    }),
  }),
})

builder.mutationFields((t) => ({
  updateDevice: t.withAuth({ authenticated: true }).field({
    type: DevicePayload,
    description:
      'Renames a device, or sets its custom metadata. A workspace API key may change any device of its workspace; a client session token only the devices of its own connected accounts (NOT_FOUND otherwise, exactly as for a device that does not exist, and nothing is sent to Seam).',
    args: { input: t.arg({ type: UpdateDeviceInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      countAction(ctx, 'updateDevice', async () => {
        // What the caller sent is checked before anything is read or sent.
        checkId('input.deviceId', input.deviceId)
        checkName('input.name', input.name)
        const customMetadata = checkCustomMetadata('input.customMetadata', input.customMetadata)
        if (input.name == null && customMetadata === undefined)
          throw badUserInput('input needs name or customMetadata, got neither')
        const device = await deviceToActOn(ctx, input.deviceId, 'input.deviceId')
        await ctx.seam.call('/devices/update', {
          device_id: device.device_id,
          ...(input.name != null ? { name: input.name } : {}),
          ...(customMetadata !== undefined ? { custom_metadata: customMetadata } : {}),
        })
        // Read again when the payload is resolved: Seam's answer to an update carries no device.
        ctx.loaders.deviceById.clear(device.device_id)
        return { deviceId: device.device_id }
      }),
  }),
}))
