import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFakeStore } from '../sandbox/fake-store.js'
import {
  AccessCodeDocument,
  AccessCodeNodeDocument,
  ActionAttemptDocument,
  CreateAccessCodeDocument,
  DeleteAccessCodeDocument,
  DeviceAccessCodesDocument,
  type DeviceAccessCodesQuery,
  UpdateAccessCodeDocument,
} from './generated/graphql.js'
import { execute } from './helpers/execute.js'
import { bearer } from './helpers/gateway.js'
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
 * Access codes behind the token wall (SPEC §4, §12): Device.accessCodes, accessCode, node, and
 * createAccessCode, updateAccessCode, deleteAccessCode. A code is the caller's when its device is;
 * someone else's code answers exactly as a missing one, and no change is sent to Seam for it.
 *
 * Seam's fake reads, changes and deletes any code for any token, and its `/access_codes/list`
 * answers every code it holds whatever the device: the gateway's own checks are the wall. As in
 * `device-actions.test.ts`, everything runs through the honest sandbox and through the
 * over-sharing upstream, byte for byte alike for every refusal.
 */

const OWN = 'august_device_1'
const OWN_2 = 'august_device_2'
const FOREIGN = 'schlage_device_id'
const THERMOSTAT = 'ecobee_device_1'

let setup: HonestAndOverSharing
let john: Record<string, string>
let jane: Record<string, string>
/** A code on Jane's lock, made by the workspace. */
let janeCode: string

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')

/** A code as the sandbox's store holds it now (undefined once deleted). */
const stored = (accessCodeId: string) => {
  const code = getFakeStore(setup.sandbox.fake)
    .getState()
    .access_codes.find((c) => c.access_code_id === accessCodeId)
  return code === undefined ? undefined : { code: code.code, name: code.name, deviceId: code.device_id }
}

beforeAll(async () => {
  setup = await startHonestAndOverSharing('access-codes-cursor-secret-shared-by-both')
  ;({ john, jane } = setup)
  const { body } = await execute(
    setup.gateways[HONEST].url,
    CreateAccessCodeDocument,
    { input: { deviceId: FOREIGN, code: '9090', name: "Jane's cleaner" } },
    bearer(WORKSPACE_1_KEY),
  )
  expect(body.errors).toBeUndefined()
  janeCode = body.data!.createAccessCode.accessCode.accessCodeId
})

afterAll(async () => {
  await setup?.stop()
})

const notFound = (field: string, entity: string, id: string, data: unknown = null) => ({
  errors: [
    {
      message: `${entity} "${id}" was not found`,
      locations: [{ line: 2, column: 3 }],
      path: [field],
      extensions: { code: 'NOT_FOUND' },
    },
  ],
  data,
})

describe.each(UPSTREAMS)('through the %s', (upstream) => {
  const url = () => setup.gateways[upstream].url
  const proxy = () => setup.proxies[upstream]
  /** Through the over-sharing upstream, also byte for byte the honest gateway's answer. */
  const refused = <TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers: Record<string, string>,
  ) => setup.refused(upstream, document, variables, headers)
  /** PINs of this upstream's run: the fake refuses a PIN a device already has. */
  const pin = (n: number) => `${upstream === HONEST ? 1 : 2}${String(n).padStart(4, '0')}`

  describe("john cannot read or change the codes of Jane's lock", () => {
    const MISSING_CODE = 'access_code_missing'
    const cases: Array<
      [
        string,
        (id: string) => ReturnType<typeof refused>,
        (id: string) => unknown,
        /** What is sent for "missing": the id, or the node id made of it. */
        (id: string) => string,
      ]
    > = [
      [
        'accessCode',
        (id) => refused(AccessCodeDocument, { accessCodeId: id }, john),
        (id) => notFound('accessCode', 'AccessCode', id, { accessCode: null }),
        (id) => id,
      ],
      [
        'node',
        (id) => refused(AccessCodeNodeDocument, { id: globalId('AccessCode', id) }, john),
        (id) => notFound('node', 'Node', globalId('AccessCode', id), { node: null }),
        (id) => globalId('AccessCode', id),
      ],
      [
        'updateAccessCode',
        (id) =>
          refused(
            UpdateAccessCodeDocument,
            { input: { accessCodeId: id, name: 'Pwned', code: '0000' } },
            john,
          ),
        (id) => notFound('updateAccessCode', 'AccessCode', id),
        (id) => id,
      ],
      [
        'deleteAccessCode',
        (id) => refused(DeleteAccessCodeDocument, { accessCodeId: id }, john),
        (id) => notFound('deleteAccessCode', 'AccessCode', id),
        (id) => id,
      ],
    ]

    it.each(cases)(
      '%s: answers exactly as for a missing code, and sends nothing to Seam',
      async (_field, run, expected, sent) => {
        const before = stored(janeCode)
        const theirs = await run(janeCode)
        const nowhere = await run(MISSING_CODE)
        expect(theirs.sent).toEqual([])
        expect(nowhere.sent).toEqual([])
        expect(nowhere.body).toEqual(expected(MISSING_CODE))
        expect(theirs.status).toBe(nowhere.status)
        expect(withoutId(theirs.text, sent(janeCode))).toBe(withoutId(nowhere.text, sent(MISSING_CODE)))
        expect(theirs.text).not.toContain('9090')
        expect(stored(janeCode)).toEqual(before)
      },
    )

    it("createAccessCode and Device.accessCodes on Jane's lock answer as for a missing device", async () => {
      const created = await refused(
        CreateAccessCodeDocument,
        { input: { deviceId: FOREIGN, code: pin(1) } },
        john,
      )
      const createdNowhere = await refused(
        CreateAccessCodeDocument,
        { input: { deviceId: 'device_missing', code: pin(1) } },
        john,
      )
      expect(created.sent).toEqual([])
      expect(createdNowhere.body).toEqual(notFound('createAccessCode', 'Device', 'device_missing'))
      expect(withoutId(created.text, FOREIGN)).toBe(withoutId(createdNowhere.text, 'device_missing'))

      const listed = await refused(DeviceAccessCodesDocument, { deviceId: FOREIGN }, john)
      const listedNowhere = await refused(DeviceAccessCodesDocument, { deviceId: 'device_missing' }, john)
      expect(listedNowhere.body).toEqual(notFound('device', 'Device', 'device_missing', { device: null }))
      expect(withoutId(listed.text, FOREIGN)).toBe(withoutId(listedNowhere.text, 'device_missing'))
      expect(listed.text).not.toContain('9090')
    })

    it("another workspace cannot read or change this one's codes either", async () => {
      const other = bearer(WORKSPACE_2_KEY)
      const theirs = await refused(
        UpdateAccessCodeDocument,
        { input: { accessCodeId: janeCode, name: 'Pwned' } },
        other,
      )
      const nowhere = await refused(
        UpdateAccessCodeDocument,
        { input: { accessCodeId: MISSING_CODE, name: 'Pwned' } },
        other,
      )
      expect(theirs.sent).toEqual([])
      expect(withoutId(theirs.text, janeCode)).toBe(withoutId(nowhere.text, MISSING_CODE))
      expect(nowhere.body).toEqual(notFound('updateAccessCode', 'AccessCode', MISSING_CODE))
    })
  })

  it('john creates, reads, changes and deletes a code on his own lock', async () => {
    proxy().reset()
    const created = await execute(
      url(),
      CreateAccessCodeDocument,
      { input: { deviceId: OWN, code: pin(2), name: 'Dog walker' } },
      john,
    )
    expect(created.body.errors).toBeUndefined()
    const code = created.body.data!.createAccessCode.accessCode
    expect(code).toEqual({
      id: globalId('AccessCode', code.accessCodeId),
      accessCodeId: expect.any(String),
      deviceId: OWN,
      name: 'Dog walker',
      code: pin(2),
      type: 'ongoing',
      status: expect.any(String),
      startsAt: null,
      endsAt: null,
      createdAt: expect.any(String),
      device: { deviceId: OWN },
    })
    expect(writesSent(proxy())).toEqual(['/access_codes/create'])
    expect(stored(code.accessCodeId)).toEqual({ code: pin(2), name: 'Dog walker', deviceId: OWN })

    const read = await execute(url(), AccessCodeDocument, { accessCodeId: code.accessCodeId }, john)
    expect(read.body).toEqual({
      data: {
        accessCode: {
          accessCodeId: code.accessCodeId,
          deviceId: OWN,
          name: 'Dog walker',
          code: pin(2),
          device: { deviceId: OWN },
        },
      },
    })
    const node = await execute(url(), AccessCodeNodeDocument, { id: code.id }, john)
    expect(node.body.data?.node).toEqual({
      id: code.id,
      __typename: 'AccessCode',
      accessCodeId: code.accessCodeId,
      code: pin(2),
    })

    const updated = await execute(
      url(),
      UpdateAccessCodeDocument,
      { input: { accessCodeId: code.accessCodeId, name: 'Dog walker (weekdays)', code: pin(3) } },
      john,
    )
    expect(updated.body.errors).toBeUndefined()
    expect(updated.body.data!.updateAccessCode).toEqual({
      accessCode: {
        accessCodeId: code.accessCodeId,
        deviceId: OWN,
        name: 'Dog walker (weekdays)',
        code: pin(3),
        type: 'ongoing',
        startsAt: null,
        endsAt: null,
      },
      actionAttempt: {
        actionAttemptId: expect.any(String),
        actionType: 'UPDATE_ACCESS_CODE',
        status: expect.any(String),
      },
    })
    // The attempt that programs it is john's to follow, and not Jane's to see.
    const attemptId = updated.body.data!.updateAccessCode.actionAttempt!.actionAttemptId
    const followed = await execute(url(), ActionAttemptDocument, { actionAttemptId: attemptId }, john)
    expect(followed.body.data?.actionAttempt).toMatchObject({
      actionType: 'UPDATE_ACCESS_CODE',
      device: { deviceId: OWN },
    })
    const hidden = await refused(ActionAttemptDocument, { actionAttemptId: attemptId }, jane)
    expect(hidden.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND')

    const deleted = await execute(url(), DeleteAccessCodeDocument, { accessCodeId: code.accessCodeId }, john)
    expect(deleted.body).toEqual({
      data: {
        deleteAccessCode: {
          accessCodeId: code.accessCodeId,
          actionAttempt: {
            actionAttemptId: expect.any(String),
            actionType: 'DELETE_ACCESS_CODE',
            status: expect.any(String),
          },
        },
      },
    })
    expect(stored(code.accessCodeId)).toBeUndefined()
    const gone = await execute(url(), AccessCodeDocument, { accessCodeId: code.accessCodeId }, john)
    expect(gone.body).toEqual(notFound('accessCode', 'AccessCode', code.accessCodeId, { accessCode: null }))
  })

  it("Device.accessCodes lists the device's own codes only, though Seam's fake answers every code it holds", async () => {
    const workspace = bearer(WORKSPACE_1_KEY)
    const made: string[] = []
    for (const n of [4, 5, 6]) {
      const { body } = await execute(
        url(),
        CreateAccessCodeDocument,
        { input: { deviceId: OWN_2, code: pin(n) } },
        workspace,
      )
      made.push(body.data!.createAccessCode.accessCode.accessCodeId)
    }
    // The fake, asked for one device's codes, answers Jane's too.
    const direct = await fetch(`${setup.sandbox.url}/access_codes/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...workspace },
      body: JSON.stringify({ device_id: OWN_2 }),
    })
    const fromFake = ((await direct.json()) as { access_codes: Array<{ access_code_id: string }> })
      .access_codes
    expect(fromFake.map((c) => c.access_code_id)).toContain(janeCode)

    for (const headers of [john, workspace]) {
      const seen: string[] = []
      let after: string | null = null
      for (let pages = 0; pages < 10; pages++) {
        const page: Awaited<ReturnType<typeof execute<DeviceAccessCodesQuery, unknown>>> = await execute(
          url(),
          DeviceAccessCodesDocument,
          { deviceId: OWN_2, first: 1, after },
          headers,
        )
        expect(page.body.errors).toBeUndefined()
        const connection = page.body.data!.device!.accessCodes
        for (const node of connection.nodes) {
          expect(node.deviceId).toBe(OWN_2)
          seen.push(node.accessCodeId)
        }
        if (!connection.pageInfo.hasNextPage) break
        after = connection.pageInfo.endCursor ?? null
      }
      expect([...seen].sort()).toEqual(
        getFakeStore(setup.sandbox.fake)
          .getState()
          .access_codes.filter((c) => c.device_id === OWN_2 && !(c as { is_backup?: boolean }).is_backup)
          .map((c) => c.access_code_id)
          .sort(),
      )
      expect(seen).toEqual(expect.arrayContaining(made))
      expect(seen).not.toContain(janeCode)
    }
  })

  it('a workspace API key manages the codes of any device of its workspace', async () => {
    const { body } = await execute(
      url(),
      UpdateAccessCodeDocument,
      { input: { accessCodeId: janeCode, name: `Jane's cleaner (${upstream})` } },
      bearer(WORKSPACE_1_KEY),
    )
    expect(body.errors).toBeUndefined()
    expect(body.data!.updateAccessCode.accessCode).toMatchObject({
      accessCodeId: janeCode,
      deviceId: FOREIGN,
      name: `Jane's cleaner (${upstream})`,
      code: '9090',
    })
  })
})

describe('time windows, capabilities, and who may act at all', () => {
  const url = () => setup.gateways[HONEST].url
  const proxy = () => setup.proxies[HONEST]

  it('a code for a time window is time_bound, from startsAt to endsAt', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString()
    const endsAt = new Date(Date.now() + 7_200_000).toISOString()
    const { body } = await execute(
      url(),
      CreateAccessCodeDocument,
      { input: { deviceId: OWN, code: '30001', name: 'Guest', startsAt, endsAt } },
      john,
    )
    expect(body.errors).toBeUndefined()
    expect(body.data!.createAccessCode.accessCode).toMatchObject({ type: 'time_bound', startsAt, endsAt })
  })

  it('createAccessCode on a thermostat is BAD_USER_INPUT, and nothing is sent to Seam', async () => {
    proxy().reset()
    const { body } = await execute(
      url(),
      CreateAccessCodeDocument,
      { input: { deviceId: THERMOSTAT, code: '4321' } },
      john,
    )
    expect(body).toEqual({
      errors: [
        {
          message:
            'Device "ecobee_device_1" cannot be given access codes: createAccessCode needs a device whose canProgramOnlineAccessCodes is true',
          locations: [{ line: 2, column: 3 }],
          path: ['createAccessCode'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
      data: null,
    })
    expect(writesSent(proxy())).toEqual([])
  })

  it('a publishable key may not read or change codes: FORBIDDEN, and nothing is sent to Seam', async () => {
    const publishable = { 'seam-publishable-key': 'seam_pk1_token', 'seam-user-identifier-key': 'someone' }
    proxy().reset()
    for (const [field, run] of [
      [
        'createAccessCode',
        () =>
          execute(url(), CreateAccessCodeDocument, { input: { deviceId: OWN, code: '5555' } }, publishable),
      ],
      [
        'updateAccessCode',
        () =>
          execute(
            url(),
            UpdateAccessCodeDocument,
            { input: { accessCodeId: janeCode, name: 'x' } },
            publishable,
          ),
      ],
      [
        'deleteAccessCode',
        () => execute(url(), DeleteAccessCodeDocument, { accessCodeId: janeCode }, publishable),
      ],
      ['accessCode', () => execute(url(), AccessCodeDocument, { accessCodeId: janeCode }, publishable)],
    ] as const) {
      const { body } = await run()
      expect({ field, errors: body.errors }).toEqual({
        field,
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
    expect(stored(janeCode)).toBeDefined()
  })

  const future = (ms: number) => new Date(Date.now() + ms).toISOString()
  it.each([
    ['a code of letters', { deviceId: OWN, code: 'abcd' }, 'input.code must be 4 to 9 digits, got "abcd"'],
    ['a code too short', { deviceId: OWN, code: '123' }, 'input.code must be 4 to 9 digits, got "123"'],
    [
      'a code too long',
      { deviceId: OWN, code: '1234567890' },
      'input.code must be 4 to 9 digits, got "1234567890"',
    ],
    [
      'a huge code',
      { deviceId: OWN, code: '1'.repeat(10_000) },
      'input.code must be 4 to 9 digits, got 10000 characters',
    ],
    [
      'a huge name',
      { deviceId: OWN, name: 'n'.repeat(10_000) },
      'input.name must be 1 to 200 characters, not blank, without control characters, got 10000 characters',
    ],
    [
      'a huge device id',
      { deviceId: 'd'.repeat(10_000) },
      'input.deviceId must be 1 to 128 visible ASCII characters, got 10000 characters',
    ],
    [
      'startsAt without endsAt',
      { deviceId: OWN, startsAt: future(60_000) },
      'input.startsAt and input.endsAt go together: give both or neither, got only startsAt',
    ],
    [
      'endsAt before startsAt',
      { deviceId: OWN, startsAt: '2099-01-02T00:00:00.000Z', endsAt: '2099-01-01T00:00:00.000Z' },
      'input.endsAt must be after input.startsAt, got 2099-01-01T00:00:00.000Z for 2099-01-02T00:00:00.000Z',
    ],
    [
      'a window in the past',
      { deviceId: OWN, startsAt: '2001-01-01T00:00:00.000Z', endsAt: '2001-01-02T00:00:00.000Z' },
      'input.endsAt must be in the future, got 2001-01-02T00:00:00.000Z',
    ],
  ] as const)(
    'createAccessCode with %s is BAD_USER_INPUT, before anything is read or sent',
    async (_case, input, message) => {
      proxy().reset()
      const { body } = await execute(url(), CreateAccessCodeDocument, { input }, john)
      expect(body).toEqual({
        errors: [
          {
            message,
            locations: [{ line: 2, column: 3 }],
            path: ['createAccessCode'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
        data: null,
      })
      expect(proxy().total()).toBe(0)
    },
  )

  it.each([
    [
      'updateAccessCode with a huge id',
      () =>
        execute(
          url(),
          UpdateAccessCodeDocument,
          { input: { accessCodeId: 'a'.repeat(10_000), name: 'x' } },
          john,
        ),
      'updateAccessCode',
      'input.accessCodeId must be 1 to 128 visible ASCII characters, got 10000 characters',
    ],
    [
      'updateAccessCode with nothing to change',
      () => execute(url(), UpdateAccessCodeDocument, { input: { accessCodeId: janeCode } }, john),
      'updateAccessCode',
      'input needs code, name, or startsAt and endsAt, got none of them',
    ],
    [
      'updateAccessCode with a code of letters',
      () =>
        execute(url(), UpdateAccessCodeDocument, { input: { accessCodeId: janeCode, code: 'open' } }, john),
      'updateAccessCode',
      'input.code must be 4 to 9 digits, got "open"',
    ],
    [
      'deleteAccessCode with a huge id',
      () => execute(url(), DeleteAccessCodeDocument, { accessCodeId: 'a'.repeat(10_000) }, john),
      'deleteAccessCode',
      'accessCodeId must be 1 to 128 visible ASCII characters, got 10000 characters',
    ],
  ] as const)('%s is BAD_USER_INPUT, before anything is read or sent', async (_case, run, field, message) => {
    proxy().reset()
    const { body } = await run()
    expect(body).toEqual({
      errors: [
        {
          message,
          locations: [{ line: 2, column: 3 }],
          path: [field],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
      data: null,
    })
    expect(proxy().total()).toBe(0)
  })
})
