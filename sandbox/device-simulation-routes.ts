import { authenticateApiKey } from './api-key-auth.js'
import type { FakeStore } from './fake-store.js'
import { readRequestParams, type SandboxRoute, SeamApiError } from './http.js'
import { invalidInput, ParamReader } from './params.js'

/** What the device simulation routes need from the sandbox. */
export interface DeviceSimulationRoutesOptions {
  /** The fake's store: the routes change its devices and record events in it. */
  readonly store: FakeStore
}

/** Below this battery level, a change also records `device.low_battery`, as Seam does. */
export const LOW_BATTERY_LEVEL = 0.2

/**
 * What a sandbox needs to show live device state, which the fake does not simulate:
 *
 * - `POST /devices/simulate/connect` and `/devices/simulate/disconnect` `{ device_id }` (Seam's own
 *   sandbox routes): the device goes online or offline and `device.connected` /
 *   `device.disconnected` is recorded. An offline lock fails its lock and unlock attempts.
 * - `POST /_sandbox/simulate_battery_level` `{ device_id, battery_level }` (0 to 1): the battery
 *   changes and `device.battery_status_changed` is recorded, with `device.low_battery` too below
 *   {@link LOW_BATTERY_LEVEL}.
 *
 * Each is API-key only, on a device of the key's workspace (another workspace's device is 404
 * `device_not_found`, like a missing one). The events are delivered as signed webhooks like every
 * device event (`device-events.ts`).
 *
 * Lifecycle: created once per sandbox; holds no state of its own.
 */
export function createDeviceSimulationRoutes({
  store,
}: DeviceSimulationRoutesOptions): Map<string, SandboxRoute> {
  /** The device named by the request, of the key's workspace. */
  const deviceOf = async (
    req: Parameters<SandboxRoute['handle']>[0],
    query: URLSearchParams,
    names: string[],
  ) => {
    const { workspaceId } = authenticateApiKey(req, store)
    const values = await readRequestParams(req, query)
    const params = new ParamReader(values, ['device_id', ...names])
    const deviceId = params.requiredString('device_id')
    const device = store
      .getState()
      .devices.find((candidate) => candidate.device_id === deviceId && candidate.workspace_id === workspaceId)
    if (device === undefined) throw new SeamApiError(404, 'device_not_found', 'Device not found')
    return { device, values: values.values }
  }

  const record = (
    device: { device_id: string; workspace_id: string; connected_account_id?: string | undefined },
    eventType: string,
    extra: Record<string, unknown> = {},
  ) =>
    store.getState().addEvent({
      event_type: eventType,
      workspace_id: device.workspace_id,
      device_id: device.device_id,
      connected_account_id: device.connected_account_id,
      ...extra,
    } as never)

  const connection = (online: boolean): SandboxRoute => ({
    methods: ['POST'],
    async handle(req, query) {
      const { device } = await deviceOf(req, query, [])
      store.getState().updateDevice({ device_id: device.device_id, properties: { online } } as never)
      record(device, online ? 'device.connected' : 'device.disconnected')
      return { ok: true }
    },
  })

  const battery: SandboxRoute = {
    methods: ['POST'],
    async handle(req, query) {
      const { device, values } = await deviceOf(req, query, ['battery_level'])
      const raw = values.battery_level
      const level = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : Number.NaN
      if (raw === '' || !Number.isFinite(level) || level < 0 || level > 1) {
        throw invalidInput(`Invalid battery_level: expected a number from 0 to 1, got ${JSON.stringify(raw)}`)
      }
      const status = level < LOW_BATTERY_LEVEL ? 'low' : level < 0.6 ? 'good' : 'full'
      store.getState().updateDevice({
        device_id: device.device_id,
        properties: { battery_level: level, battery: { level, status } },
      } as never)
      record(device, 'device.battery_status_changed', { battery_level: level, battery_status: status })
      if (level < LOW_BATTERY_LEVEL) record(device, 'device.low_battery', { battery_level: level })
      return { ok: true }
    },
  }

  return new Map([
    ['/devices/simulate/connect', connection(true)],
    ['/devices/simulate/disconnect', connection(false)],
    ['/_sandbox/simulate_battery_level', battery],
  ])
}
