import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import { type App, createApp } from '../src/app.js'
import {
  ActionAttemptDocument,
  DeviceStateDocument,
  LockDoorDocument,
  UnlockDoorDocument,
  UpdateDeviceDocument,
} from './generated/graphql.js'
import { execute } from './helpers/execute.js'
import { SEAM_DOWN, startFaultyUpstream } from './helpers/faulty-upstream.js'
import { bearer, testConfig } from './helpers/gateway.js'
import {
  HONEST,
  type HonestAndOverSharing,
  startHonestAndOverSharing,
  UPSTREAMS,
  WORKSPACE_1_KEY,
  WORKSPACE_2_KEY,
  withoutId,
  writesSent,
} from './helpers/honest-and-over-sharing.js'

/**
 * Device actions behind the token wall (SPEC §4, §12): lockDoor, unlockDoor, updateDevice and
 * actionAttempt. A client session acts only on the devices of its own connected accounts, a
 * workspace API key on its workspace's; someone else's device answers exactly as a missing one,
 * and nothing is sent to Seam's action route for it.
 *
 * Seam's fake executes actions for any token (john's client session token unlocks jane's door),
 * so the gateway's own check is the only wall here. Everything runs twice: through the honest
 * sandbox and through the over-sharing upstream (which also hands the device itself to anyone),
 * each behind a counting proxy; a refusal through the over-sharing upstream must be byte for byte
 * the honest one's.
 */

/** John's own lock, Jane's lock, John's thermostat, and an id nothing has. */
const OWN = 'august_device_1'
const FOREIGN = 'schlage_device_id'
const THERMOSTAT = 'ecobee_device_1'
const MISSING = 'device_missing'

let setup: HonestAndOverSharing
let john: Record<string, string>
let jane: Record<string, string>
const gateways = () => setup.gateways
const proxies = () => setup.proxies

/** A device as the sandbox's store holds it now. */
const stored = (deviceId: string) => {
  const device = getFakeStore(setup.sandbox.fake)
    .getState()
    .devices.find((d) => d.device_id === deviceId)
  if (device === undefined) throw new Error(`Expected ${deviceId} in the store`)
  return {
    locked: (device.properties as { locked?: boolean }).locked,
    displayName: device.display_name,
    name: (device.properties as { name?: string }).name,
    customMetadata: device.custom_metadata,
  }
}

beforeAll(async () => {
  setup = await startHonestAndOverSharing('device-actions-cursor-secret-shared-by-both')
  ;({ john, jane } = setup)
})

afterAll(async () => {
  await setup?.stop()
})

describe.each(UPSTREAMS)('through the %s', (upstream) => {
  const url = () => gateways()[upstream].url
  const proxy = () => proxies()[upstream]
  /** Through the over-sharing upstream, also byte for byte the honest gateway's answer. */
  const refused = <TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers: Record<string, string>,
  ) => setup.refused(upstream, document, variables, headers)

  const notFound = (field: string, entity: string, id: string) => ({
    errors: [
      {
        message: `${entity} "${id}" was not found`,
        locations: [{ line: 2, column: 3 }],
        path: [field],
        extensions: { code: 'NOT_FOUND' },
      },
    ],
    data: null,
  })

  describe("a client session cannot act on someone else's device", () => {
    const cases = [
      ['lockDoor', (id: string) => refused(LockDoorDocument, { deviceId: id }, john)],
      ['unlockDoor', (id: string) => refused(UnlockDoorDocument, { deviceId: id }, john)],
      [
        'updateDevice',
        (id: string) =>
          refused(
            UpdateDeviceDocument,
            { input: { deviceId: id, name: 'Pwned', customMetadata: { a: 'b' } } },
            john,
          ),
      ],
    ] as const

    it.each(cases)(
      '%s: answers exactly as for a missing device, and sends nothing to Seam',
      async (field, run) => {
        const before = stored(FOREIGN)
        const theirs = await run(FOREIGN)
        const nowhere = await run(MISSING)
        expect(theirs.sent).toEqual([])
        expect(nowhere.sent).toEqual([])
        expect(nowhere.status).toBe(200)
        expect(nowhere.body).toEqual(notFound(field, 'Device', MISSING))
        expect(theirs.status).toBe(nowhere.status)
        expect(withoutId(theirs.text, FOREIGN)).toBe(withoutId(nowhere.text, MISSING))
        expect(stored(FOREIGN)).toEqual(before)
      },
    )

    it("another workspace cannot act on this one's devices either", async () => {
      const before = stored(FOREIGN)
      const theirs = await refused(UnlockDoorDocument, { deviceId: FOREIGN }, bearer(WORKSPACE_2_KEY))
      const nowhere = await refused(UnlockDoorDocument, { deviceId: MISSING }, bearer(WORKSPACE_2_KEY))
      expect(theirs.sent).toEqual([])
      expect(withoutId(theirs.text, FOREIGN)).toBe(withoutId(nowhere.text, MISSING))
      expect(nowhere.body).toEqual(notFound('unlockDoor', 'Device', MISSING))
      expect(stored(FOREIGN)).toEqual(before)
    })
  })

  describe('acting on its own devices', () => {
    it('john locks and unlocks his own lock, and it reads back locked, then unlocked', async () => {
      proxy().reset()
      const locked = await execute(url(), LockDoorDocument, { deviceId: OWN }, john)
      expect(locked.body.errors).toBeUndefined()
      const attempt = locked.body.data!.lockDoor.actionAttempt
      expect(attempt).toEqual({
        id: Buffer.from(`ActionAttempt:${attempt.actionAttemptId}`).toString('base64'),
        actionAttemptId: expect.any(String),
        actionType: 'LOCK_DOOR',
        status: 'PENDING',
        error: null,
        // Read again after the action, not the device as it was before.
        device: { deviceId: OWN, locked: true },
      })
      // The wall's read, the action sent once, the device read again for the payload.
      expect(proxy().counts()).toMatchObject({ '/devices/list': 2, '/locks/lock_door': 1 })
      expect(writesSent(proxy())).toEqual(['/locks/lock_door'])
      expect(stored(OWN).locked).toBe(true)
      const read = await execute(url(), DeviceStateDocument, { deviceId: OWN }, john)
      expect(read.body.data?.device).toMatchObject({ deviceId: OWN, locked: true, canRemotelyLock: true })

      const unlocked = await execute(url(), UnlockDoorDocument, { deviceId: OWN }, john)
      expect(unlocked.body.errors).toBeUndefined()
      expect(unlocked.body.data!.unlockDoor.actionAttempt).toMatchObject({
        actionType: 'UNLOCK_DOOR',
        device: { deviceId: OWN, locked: false },
      })
      expect(stored(OWN).locked).toBe(false)
      const again = await execute(url(), DeviceStateDocument, { deviceId: OWN }, john)
      expect(again.body.data?.device).toMatchObject({ deviceId: OWN, locked: false })

      // The attempt is followed to its end.
      const id = unlocked.body.data!.unlockDoor.actionAttempt.actionAttemptId
      const followed = await execute(url(), ActionAttemptDocument, { actionAttemptId: id }, john)
      expect(followed.body).toEqual({
        data: {
          actionAttempt: {
            id: Buffer.from(`ActionAttempt:${id}`).toString('base64'),
            actionAttemptId: id,
            actionType: 'UNLOCK_DOOR',
            status: 'SUCCESS',
            error: null,
            device: { deviceId: OWN, locked: false },
          },
        },
      })
    })

    it('john renames his own lock and sets its metadata; it reads back so', async () => {
      const name = `Front door ${upstream}`
      const { body } = await execute(
        url(),
        UpdateDeviceDocument,
        { input: { deviceId: OWN, name, customMetadata: { unit: '4B', managed_by_app: true } } },
        john,
      )
      expect(body).toEqual({
        data: {
          updateDevice: {
            device: {
              deviceId: OWN,
              displayName: name,
              customMetadata: { unit: '4B', managed_by_app: true },
            },
          },
        },
      })
      const read = await execute(url(), DeviceStateDocument, { deviceId: OWN }, john)
      expect(read.body.data?.device).toMatchObject({
        displayName: name,
        customMetadata: { unit: '4B', managed_by_app: true },
      })
      expect(stored(OWN)).toMatchObject({ displayName: name, name })
    })

    it('a workspace API key acts on any device of its workspace', async () => {
      const workspace = bearer(WORKSPACE_1_KEY)
      for (const deviceId of [OWN, FOREIGN]) {
        const locked = await execute(url(), LockDoorDocument, { deviceId }, workspace)
        expect(locked.body.errors).toBeUndefined()
        expect(locked.body.data!.lockDoor.actionAttempt.device).toEqual({ deviceId, locked: true })
        const unlocked = await execute(url(), UnlockDoorDocument, { deviceId }, workspace)
        expect(unlocked.body.data!.unlockDoor.actionAttempt.device).toEqual({ deviceId, locked: false })
      }
      const renamed = await execute(
        url(),
        UpdateDeviceDocument,
        { input: { deviceId: FOREIGN, name: `Bathroom ${upstream}` } },
        workspace,
      )
      expect(renamed.body.data?.updateDevice.device.displayName).toBe(`Bathroom ${upstream}`)
    })
  })

  describe('actionAttempt', () => {
    it("answers an attempt on someone else's device exactly as a missing one, and never asks Seam for it", async () => {
      const { body } = await execute(url(), LockDoorDocument, { deviceId: OWN }, john)
      const id = body.data!.lockDoor.actionAttempt.actionAttemptId
      for (const [caller, headers] of [
        ['jane', jane],
        ['another workspace', bearer(WORKSPACE_2_KEY)],
      ] as const) {
        const theirs = await refused(ActionAttemptDocument, { actionAttemptId: id }, headers)
        expect({ caller, asked: proxy().counts()['/action_attempts/get'] ?? 0 }).toEqual({ caller, asked: 0 })
        const nowhere = await refused(
          ActionAttemptDocument,
          { actionAttemptId: 'action_attempt_missing' },
          headers,
        )
        expect(nowhere.body).toEqual({
          data: { actionAttempt: null },
          errors: [
            {
              message: 'ActionAttempt "action_attempt_missing" was not found',
              locations: [{ line: 2, column: 3 }],
              path: ['actionAttempt'],
              extensions: { code: 'NOT_FOUND' },
            },
          ],
        })
        expect(withoutId(theirs.text, id)).toBe(withoutId(nowhere.text, 'action_attempt_missing'))
      }
      // Its owner, and its workspace, read it.
      for (const headers of [john, bearer(WORKSPACE_1_KEY)]) {
        const read = await execute(url(), ActionAttemptDocument, { actionAttemptId: id }, headers)
        expect(read.body.data?.actionAttempt).toMatchObject({ actionAttemptId: id, status: 'SUCCESS' })
      }
    })

    it('an attempt made with Seam directly, which the gateway did not start, is not found', async () => {
      const direct = await fetch(`${setup.sandbox.url}/locks/lock_door`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(WORKSPACE_1_KEY) },
        body: JSON.stringify({ device_id: OWN }),
      })
      const { action_attempt } = (await direct.json()) as { action_attempt: { action_attempt_id: string } }
      proxy().reset()
      const { body } = await execute(
        url(),
        ActionAttemptDocument,
        { actionAttemptId: action_attempt.action_attempt_id },
        bearer(WORKSPACE_1_KEY),
      )
      expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND')
      expect(proxy().counts()['/action_attempts/get']).toBeUndefined()
    })
  })
})

describe('who may act at all', () => {
  const url = () => gateways()[HONEST].url
  const proxy = () => proxies()[HONEST]

  it('a publishable key may not act: FORBIDDEN, and nothing is sent to Seam', async () => {
    const publishable = { 'seam-publishable-key': 'seam_pk1_token', 'seam-user-identifier-key': 'someone' }
    proxy().reset()
    for (const [field, run] of [
      ['lockDoor', () => execute(url(), LockDoorDocument, { deviceId: OWN }, publishable)],
      ['unlockDoor', () => execute(url(), UnlockDoorDocument, { deviceId: OWN }, publishable)],
      [
        'updateDevice',
        () => execute(url(), UpdateDeviceDocument, { input: { deviceId: OWN, name: 'x' } }, publishable),
      ],
      [
        'actionAttempt',
        () => execute(url(), ActionAttemptDocument, { actionAttemptId: 'action_attempt1' }, publishable),
      ],
    ] as const) {
      const { status, body } = await run()
      expect({ field, status, errors: body.errors }).toEqual({
        field,
        status: 200,
        errors: [
          {
            message: 'This field is not available to a publishable key',
            locations: [{ line: 2, column: 3 }],
            path: [field],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      })
    }
    expect(proxy().total()).toBe(0)
  })

  it('without a credential: 401 UNAUTHENTICATED, and nothing is sent to Seam', async () => {
    proxy().reset()
    const { status, body } = await execute(url(), LockDoorDocument, { deviceId: OWN }, {})
    expect(status).toBe(401)
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(proxy().total()).toBe(0)
  })
})

describe('what the device supports, and hostile input', () => {
  const url = () => gateways()[HONEST].url
  const proxy = () => proxies()[HONEST]
  const badInput = (field: string, message: string) => ({
    errors: [
      { message, locations: [{ line: 2, column: 3 }], path: [field], extensions: { code: 'BAD_USER_INPUT' } },
    ],
    data: null,
  })

  it('lockDoor and unlockDoor on a thermostat are BAD_USER_INPUT, and nothing is sent to Seam', async () => {
    proxy().reset()
    const lock = await execute(url(), LockDoorDocument, { deviceId: THERMOSTAT }, john)
    expect(lock.body).toEqual(
      badInput(
        'lockDoor',
        'Device "ecobee_device_1" cannot be locked remotely: lockDoor needs a device whose canRemotelyLock is true',
      ),
    )
    const unlock = await execute(url(), UnlockDoorDocument, { deviceId: THERMOSTAT }, john)
    expect(unlock.body).toEqual(
      badInput(
        'unlockDoor',
        'Device "ecobee_device_1" cannot be unlocked remotely: unlockDoor needs a device whose canRemotelyUnlock is true',
      ),
    )
    expect(writesSent(proxy())).toEqual([])
  })

  it("a thermostat that is not the caller's is NOT_FOUND, not BAD_USER_INPUT: the wall comes first", async () => {
    const { body } = await execute(url(), LockDoorDocument, { deviceId: THERMOSTAT }, jane)
    expect(body.errors?.[0]).toMatchObject({
      message: 'Device "ecobee_device_1" was not found',
      extensions: { code: 'NOT_FOUND' },
    })
  })

  it.each([
    [
      'an over-long device id',
      () => execute(url(), LockDoorDocument, { deviceId: 'x'.repeat(10_000) }, john),
      badInput('lockDoor', 'deviceId must be 1 to 128 visible ASCII characters, got 10000 characters'),
    ],
    [
      'a device id with spaces',
      () => execute(url(), UnlockDoorDocument, { deviceId: 'august device 1' }, john),
      badInput('unlockDoor', 'deviceId must be 1 to 128 visible ASCII characters, got other characters'),
    ],
    [
      'an over-long name',
      () =>
        execute(url(), UpdateDeviceDocument, { input: { deviceId: OWN, name: 'n'.repeat(10_000) } }, john),
      badInput(
        'updateDevice',
        'input.name must be 1 to 200 characters, not blank, without control characters, got 10000 characters',
      ),
    ],
    [
      'a blank name',
      () => execute(url(), UpdateDeviceDocument, { input: { deviceId: OWN, name: '   ' } }, john),
      badInput(
        'updateDevice',
        'input.name must be 1 to 200 characters, not blank, without control characters, got a blank name',
      ),
    ],
    [
      'a name with a newline',
      () => execute(url(), UpdateDeviceDocument, { input: { deviceId: OWN, name: 'Front\nDoor' } }, john),
      badInput(
        'updateDevice',
        'input.name must be 1 to 200 characters, not blank, without control characters, got control characters',
      ),
    ],
    [
      'nothing to change',
      () => execute(url(), UpdateDeviceDocument, { input: { deviceId: OWN } }, john),
      badInput('updateDevice', 'input needs name or customMetadata, got neither'),
    ],
    [
      'metadata with 51 keys',
      () =>
        execute(
          url(),
          UpdateDeviceDocument,
          {
            input: {
              deviceId: OWN,
              customMetadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
            },
          },
          john,
        ),
      badInput('updateDevice', 'input.customMetadata may hold at most 50 keys, got 51'),
    ],
    [
      'metadata with an over-long key',
      () =>
        execute(
          url(),
          UpdateDeviceDocument,
          { input: { deviceId: OWN, customMetadata: { ['k'.repeat(41)]: 'v' } } },
          john,
        ),
      badInput('updateDevice', 'input.customMetadata keys must be 1 to 40 characters, got a key of 41'),
    ],
    [
      'metadata with a nested object',
      () =>
        execute(
          url(),
          UpdateDeviceDocument,
          { input: { deviceId: OWN, customMetadata: { a: { b: 1 } } } },
          john,
        ),
      badInput(
        'updateDevice',
        'input.customMetadata."a" must be a string of at most 500 characters, a boolean or null, got object',
      ),
    ],
    [
      'metadata with an over-long value',
      () =>
        execute(
          url(),
          UpdateDeviceDocument,
          { input: { deviceId: OWN, customMetadata: { a: 'v'.repeat(501) } } },
          john,
        ),
      badInput(
        'updateDevice',
        'input.customMetadata."a" must be a string of at most 500 characters, a boolean or null, got 501 characters',
      ),
    ],
    [
      'metadata that is a list',
      () => execute(url(), UpdateDeviceDocument, { input: { deviceId: OWN, customMetadata: ['a'] } }, john),
      badInput(
        'updateDevice',
        'input.customMetadata must be an object of strings, booleans or nulls, got an array',
      ),
    ],
  ] as const)('%s is BAD_USER_INPUT, before anything is read or sent', async (_case, run, expected) => {
    const before = stored(OWN)
    proxy().reset()
    const { status, body } = await run()
    expect({ status, body }).toEqual({ status: 200, body: expected })
    expect(proxy().total()).toBe(0)
    expect(stored(OWN)).toEqual(before)
  })
})

describe('an action is a write: sent once, never retried, never shared', () => {
  let faulty: Awaited<ReturnType<typeof startFaultyUpstream>>
  let gateway: App
  let url: string
  beforeAll(async () => {
    faulty = await startFaultyUpstream(setup.sandbox.url)
    gateway = createApp(testConfig({ SEAM_ENDPOINT: faulty.url, RATE_LIMIT_PER_MINUTE: '0' }))
    url = await gateway.start()
  })
  afterEach(() => faulty.reset())
  afterAll(async () => {
    await gateway?.stop()
    await faulty?.close()
  })

  it('a lockDoor that Seam fails with a 503 is sent once and fails', async () => {
    faulty.failNext('/locks/lock_door', SEAM_DOWN)
    const { body } = await execute(url, LockDoorDocument, { deviceId: OWN }, bearer(WORKSPACE_1_KEY))
    expect(body).toEqual({
      errors: [
        {
          message: 'Seam is unavailable',
          locations: [{ line: 2, column: 3 }],
          path: ['lockDoor'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ],
      data: null,
    })
    expect(faulty.count('/locks/lock_door')).toBe(1)
  })

  it('two identical actions in one operation are two calls: a write is never shared with one in flight', async () => {
    const twice = parse(`
      mutation Twice($deviceId: ID!) {
        a: unlockDoor(deviceId: $deviceId) { actionAttempt { actionAttemptId } }
        b: unlockDoor(deviceId: $deviceId) { actionAttempt { actionAttemptId } }
      }
    `) as TypedDocumentNode<
      {
        a: { actionAttempt: { actionAttemptId: string } }
        b: { actionAttempt: { actionAttemptId: string } }
      },
      { deviceId: string }
    >
    const { body } = await execute(url, twice, { deviceId: OWN }, bearer(WORKSPACE_1_KEY))
    expect(body.errors).toBeUndefined()
    expect(body.data!.a.actionAttempt.actionAttemptId).not.toBe(body.data!.b.actionAttempt.actionAttemptId)
    expect(faulty.count('/locks/unlock_door')).toBe(2)
    // Each wall reads the device afresh: the action before it changed it.
    expect(faulty.count('/devices/list')).toBe(2)
  })
})
