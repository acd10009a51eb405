import type { FakeStore } from './fake-store.js'
import {
  describeValue,
  isJson,
  jsonObjectOrNone,
  queryToValues,
  readRawBody,
  replayRequest,
  type SandboxInterceptor,
  type SandboxLog,
  sendRouteFailure,
  whenFakeAccepts,
} from './http.js'
import { invalidInput } from './params.js'

/** What the device update route needs from the sandbox. */
export interface DeviceUpdateRouteOptions {
  /** The fake's store, where the name and the metadata the fake drops are written. */
  readonly store: FakeStore
  /** Where a request that fails unexpectedly is reported. */
  readonly log: SandboxLog
}

/** Seam's documented limits on custom metadata. */
const MAX_PAIRS = 50
const MAX_KEY_LENGTH = 40
const MAX_STRING_LENGTH = 500

/** What the fake leaves out of an update, to apply once it has accepted it. */
interface Change {
  /** A new name (null: back to the provider's name); absent: unchanged. */
  name?: string | null
  /** Keys to set, and (null) to remove. */
  customMetadata?: Readonly<Record<string, string | boolean | null>>
}

/**
 * `/devices/update` as Seam answers it. The fake authenticates the caller, finds the device in the
 * caller's workspace, refuses an unmanaged one and writes the new name into `properties.name`, but
 * keeps `display_name` (Seam's name of the device, the `nickname` when one was set) and drops
 * `custom_metadata`. The sandbox hands every request to the fake and, in the moment the fake
 * answers 200 and before the answer leaves, applies what it left out: `nickname` and `display_name`,
 * and the metadata merged into the device's own (a null value removes its key). So a device read
 * right after a rename has the new name, as at Seam.
 *
 * Like the fake, it does not scope the update to a client session's accounts: the gateway's own wall
 * is what stops a foreign rename (README: "What it deliberately does not model").
 */
export function createDeviceUpdateRoute(options: DeviceUpdateRouteOptions): Map<string, SandboxInterceptor> {
  const { store, log } = options
  const interceptor: SandboxInterceptor = {
    async intercept(req, res, query, fake) {
      try {
        if (req.method !== 'POST' && req.method !== 'PATCH') return fake(req, res)
        const body = await readRawBody(req)
        // An empty body means the query string alone, as for the fake.
        const bodyValues = body.length === 0 ? {} : isJson(req) ? jsonObjectOrNone(body) : undefined
        // A body the fake cannot read is the fake's to refuse, in its own words.
        if (bodyValues === undefined) return fake(replayRequest(req, body), res)
        const params = { ...queryToValues(query), ...bodyValues }
        const change = readChange(params)
        const deviceId = params.device_id
        if (change !== undefined && typeof deviceId === 'string') {
          whenFakeAccepts(res, () => applyChange(store, deviceId, change))
        }
        fake(replayRequest(req, body), res)
      } catch (error) {
        sendRouteFailure(req, res, error, log)
      }
    },
  }
  return new Map([['/devices/update', interceptor]])
}

/**
 * The name and metadata of an update, or undefined when it changes neither.
 *
 * @throws {SeamApiError} 400 `invalid_input` for metadata Seam would refuse
 */
function readChange(params: Readonly<Record<string, unknown>>): Change | undefined {
  const change: Change = {}
  const properties = params.properties
  const name =
    params.name !== undefined
      ? params.name
      : typeof properties === 'object' && properties !== null
        ? (properties as { name?: unknown }).name
        : undefined
  // Any other kind of name is the fake's to refuse.
  if (name === null || typeof name === 'string') change.name = name
  if (params.custom_metadata !== undefined) change.customMetadata = readMetadata(params.custom_metadata)
  return change.name === undefined && change.customMetadata === undefined ? undefined : change
}

function readMetadata(value: unknown): Record<string, string | boolean | null> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidInput(`Invalid custom_metadata: expected an object, got ${describeValue(value)}`)
  }
  const entries = Object.entries(value)
  if (entries.length > MAX_PAIRS) {
    throw invalidInput(`Invalid custom_metadata: expected at most ${MAX_PAIRS} keys, got ${entries.length}`)
  }
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw invalidInput(
        `Invalid custom_metadata: expected keys of 1 to ${MAX_KEY_LENGTH} characters, got one of ${key.length}`,
      )
    }
    const fits =
      item === null ||
      typeof item === 'boolean' ||
      (typeof item === 'string' && item.length <= MAX_STRING_LENGTH)
    if (!fits) {
      throw invalidInput(
        `Invalid custom_metadata.${key}: expected a string of at most ${MAX_STRING_LENGTH} characters or a boolean, got ${
          typeof item === 'string' ? `${item.length} characters` : describeValue(item)
        }`,
      )
    }
  }
  return value as Record<string, string | boolean | null>
}

/** Writes the change into the device, replacing it (the store's objects are frozen). */
function applyChange(store: FakeStore, deviceId: string, change: Change): void {
  const state = store.getState()
  store.setState({
    devices: state.devices.map((device) => {
      if (device.device_id !== deviceId) return device
      const next: Record<string, unknown> = { ...device }
      if (change.name !== undefined) {
        if (change.name === null) {
          delete next.nickname
          const appearance = (device.properties as { appearance?: { name?: unknown } }).appearance
          if (typeof appearance?.name === 'string') next.display_name = appearance.name
        } else {
          next.nickname = change.name
          next.display_name = change.name
        }
      }
      if (change.customMetadata !== undefined) {
        const metadata: Record<string, unknown> = { ...(device.custom_metadata ?? {}) }
        for (const [key, value] of Object.entries(change.customMetadata)) {
          if (value === null) delete metadata[key]
          else metadata[key] = value
        }
        next.custom_metadata = metadata
      }
      return next as typeof device
    }),
  })
}
