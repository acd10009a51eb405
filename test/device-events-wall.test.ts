import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ActionAttemptUpdatedDocument,
  DeviceEventsDocument,
  UnlockDoorDocument,
} from './generated/graphql.js'
import { execute } from './helpers/execute.js'
import { bearer } from './helpers/gateway.js'
import {
  type HonestAndOverSharing,
  startHonestAndOverSharing,
  UPSTREAMS,
  WORKSPACE_1_KEY,
  WORKSPACE_2_KEY,
  withoutId,
} from './helpers/honest-and-over-sharing.js'

/**
 * The wall in front of device events (SPEC §12): a `deviceEvents` subscription naming someone
 * else's device, and an `actionAttemptUpdated` subscription to an attempt on someone else's
 * device, answer exactly as for ones that do not exist. Run through the honest sandbox and through
 * the over-sharing upstream, which hands any device to anyone: the gateway's own check is what
 * refuses, and both answer byte for byte the same.
 */

const FOREIGN = 'schlage_device_id'
const MISSING = 'device_missing'
const MISSING_ATTEMPT = 'action_attempt_missing'

let setup: HonestAndOverSharing

beforeAll(async () => {
  setup = await startHonestAndOverSharing('device-events-wall-cursor-secret-shared-by-both')
})

afterAll(async () => {
  await setup?.stop()
})

const notFound = (field: string, entity: string, id: string) => ({
  errors: [
    {
      message: `${entity} "${id}" was not found`,
      locations: [{ line: 2, column: 3 }],
      path: [field],
      extensions: { code: 'NOT_FOUND' },
    },
  ],
})

describe.each(UPSTREAMS)('through the %s', (upstream) => {
  it("refuses john a deviceEvents subscription to jane's lock exactly as one to a missing device", async () => {
    const theirs = await setup.refused(upstream, DeviceEventsDocument, { deviceIds: [FOREIGN] }, setup.john)
    const nowhere = await setup.refused(upstream, DeviceEventsDocument, { deviceIds: [MISSING] }, setup.john)
    expect(nowhere.body).toMatchObject(notFound('deviceEvents', 'Device', MISSING))
    expect(theirs.status).toBe(nowhere.status)
    expect(withoutId(theirs.text, FOREIGN)).toBe(withoutId(nowhere.text, MISSING))
    expect([theirs.sent, nowhere.sent]).toEqual([[], []])
  })

  it("refuses another workspace's key a deviceEvents subscription to this one's lock", async () => {
    const theirs = await setup.refused(
      upstream,
      DeviceEventsDocument,
      { deviceIds: [FOREIGN] },
      bearer(WORKSPACE_2_KEY),
    )
    const nowhere = await setup.refused(
      upstream,
      DeviceEventsDocument,
      { deviceIds: [MISSING] },
      bearer(WORKSPACE_2_KEY),
    )
    expect(nowhere.body).toMatchObject(notFound('deviceEvents', 'Device', MISSING))
    expect(withoutId(theirs.text, FOREIGN)).toBe(withoutId(nowhere.text, MISSING))
  })

  it("refuses john the outcome of an attempt on jane's lock exactly as a missing attempt", async () => {
    const started = await execute(
      setup.gateways[upstream].url,
      UnlockDoorDocument,
      { deviceId: FOREIGN },
      bearer(WORKSPACE_1_KEY),
    )
    const { actionAttemptId } = started.body.data!.unlockDoor.actionAttempt
    const theirs = await setup.refused(
      upstream,
      ActionAttemptUpdatedDocument,
      { actionAttemptId },
      setup.john,
    )
    const nowhere = await setup.refused(
      upstream,
      ActionAttemptUpdatedDocument,
      { actionAttemptId: MISSING_ATTEMPT },
      setup.john,
    )
    expect(nowhere.body).toMatchObject(notFound('actionAttemptUpdated', 'ActionAttempt', MISSING_ATTEMPT))
    expect(withoutId(theirs.text, actionAttemptId)).toBe(withoutId(nowhere.text, MISSING_ATTEMPT))
    // Seam was never asked about the attempt: the gateway knew whose device it acts on.
    expect(theirs.sent).toEqual([])
  })
})
