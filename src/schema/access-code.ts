import type { ActionAttempt } from '@seamapi/types/connect'
import { mayReadAccessCode } from '../auth/visibility.js'
import { badUserInput, notFound } from '../contract/errors.js'
import type { AccessCodeOfDevice } from '../loaders/access-code.js'
import type { ActionAttemptOfDevice } from '../loaders/action-attempt.js'
import { countAction, deviceToActOn, requireCapability } from './acting.js'
import { ActionAttemptRef, startedOn } from './action-attempt.js'
import { builder } from './builder.js'
import type { AuthenticatedContext } from './context.js'
import { DeviceRef } from './device.js'
import { checkAccessCode, checkId, checkName, checkTimeWindow } from './inputs.js'
import { connectionFromSeam } from './pagination.js'

/** A PIN code programmed on a device, read with that device. */
export const AccessCodeRef = builder.objectRef<AccessCodeOfDevice>('AccessCode')

builder.node(AccessCodeRef, {
  description: 'A PIN code programmed on a lock (or a keypad), ongoing or for a time window.',
  id: { resolve: ({ accessCode }) => accessCode.access_code_id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'accessCode' in value,
  // Yours when its device is: a code on someone else's device fails as a missing one does.
  authScopes: (code) => ({ ownsAccessCode: code }),
  fields: (t) => ({
    accessCodeId: t.id({
      description: 'Seam id of the access code.',
      resolve: ({ accessCode }) => accessCode.access_code_id,
    }),
    deviceId: t.id({
      description: 'Seam id of the device the code is on.',
      resolve: ({ accessCode }) => accessCode.device_id,
    }),
    name: t.string({
      nullable: true,
      description: 'Name of the code, as set on Seam.',
      resolve: ({ accessCode }) => accessCode.name ?? null,
    }),
    code: t.string({
      nullable: true,
      description: 'The PIN itself; null while Seam waits for the device to assign one.',
      resolve: ({ accessCode }) => accessCode.code ?? null,
    }),
    type: t.string({
      description: '`ongoing`, or `time_bound` (active from startsAt to endsAt).',
      resolve: ({ accessCode }) => accessCode.type,
    }),
    status: t.string({
      description: 'Where the code is: `setting`, `set`, `unset`, `removing` or `unknown`.',
      resolve: ({ accessCode }) => accessCode.status,
    }),
    startsAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a time-bound code starts to work.',
      resolve: ({ accessCode }) => (accessCode as { starts_at?: string | null }).starts_at ?? null,
    }),
    endsAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a time-bound code stops working.',
      resolve: ({ accessCode }) => (accessCode as { ends_at?: string | null }).ends_at ?? null,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the code was created on Seam.',
      resolve: ({ accessCode }) => accessCode.created_at,
    }),
    device: t.field({
      type: DeviceRef,
      nullable: true,
      description: 'The device the code is on.',
      resolve: ({ device }) => device,
    }),
  }),
})

/** A page of access codes. */
export const AccessCodeConnection = builder.connectionObject(
  { type: AccessCodeRef, name: 'AccessCodeConnection', description: 'A page of access codes.' },
  { name: 'AccessCodeEdge', description: 'An access code and its cursor.' },
)

builder.objectField(DeviceRef, 'accessCodes', (t) =>
  t.withAuth({ authenticated: true }).field({
    type: AccessCodeConnection,
    description:
      "The device's access codes. Each device's list is one call to Seam: the query cost counts its page size per device.",
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 200. @default 50' }),
      after: t.arg.string({ description: 'Cursor of the last edge already seen.' }),
    },
    // The device has passed its own rule (ownsDevice) before its fields resolve.
    resolve: (device, args, { seam, principal, cursors }) =>
      connectionFromSeam(
        args,
        cursors.bind('Device.accessCodes', device.device_id, principal),
        async (pageCursor, limit) => {
          const page = await seam.page('/access_codes/list', 'access_codes', {
            device_id: device.device_id,
            limit,
            ...(pageCursor ? { page_cursor: pageCursor } : {}),
          })
          return { ...page, items: page.items.map((accessCode) => ({ accessCode, device })) }
        },
        // Only this device's codes: Seam's fake answers every code it holds, whatever the device.
        ({ accessCode }) => mayReadAccessCode(principal, accessCode, device),
      ),
  }),
)

builder.queryFields((t) => ({
  accessCode: t.withAuth({ authenticated: true }).field({
    type: AccessCodeRef,
    nullable: true,
    description:
      'One access code by its Seam id; NOT_FOUND when it does not exist or its device is not yours.',
    args: { accessCodeId: t.arg.id({ required: true }) },
    resolve: (_root, { accessCodeId }, { loaders }) => loaders.accessCodeById.load(accessCodeId),
  }),
}))

/**
 * The code `accessCodeId` with its device, when the caller may see that device; otherwise the very
 * NOT_FOUND a code that does not exist gets. Every mutation of a code calls this before anything
 * is sent upstream: Seam's fake reads and changes any code for any token.
 */
async function accessCodeToActOn(
  ctx: AuthenticatedContext,
  accessCodeId: string,
): Promise<AccessCodeOfDevice> {
  checkId('accessCodeId', accessCodeId)
  const found = await ctx.loaders.accessCodeById.load(accessCodeId)
  if (!mayReadAccessCode(ctx.principal, found.accessCode, found.device))
    throw notFound('AccessCode', accessCodeId)
  return found
}

/** What Seam's create and update take of a code: only what was given. */
const toSeamCode = (input: {
  code?: string | null
  name?: string | null
  startsAt?: Date | null
  endsAt?: Date | null
}) => ({
  ...(input.code != null ? { code: input.code } : {}),
  ...(input.name != null ? { name: input.name } : {}),
  ...(input.startsAt != null ? { starts_at: input.startsAt.toISOString() } : {}),
  ...(input.endsAt != null ? { ends_at: input.endsAt.toISOString() } : {}),
})

/** The input of createAccessCode and updateAccessCode, checked before anything is read or sent. */
function checkCodeInput(input: {
  code?: string | null
  name?: string | null
  startsAt?: Date | null
  endsAt?: Date | null
}): void {
  checkAccessCode('input.code', input.code)
  checkName('input.name', input.name)
  checkTimeWindow(input)
}

/** The access code a mutation created or changed, and the action attempt that carries it to the device. */
const AccessCodePayload = builder
  .objectRef<{
    accessCode: AccessCodeOfDevice | (() => Promise<AccessCodeOfDevice>)
    actionAttempt: ActionAttemptOfDevice | null
  }>('AccessCodePayload')
  .implement({
    description: 'The access code a mutation created or changed.',
    fields: (t) => ({
      accessCode: t.field({
        type: AccessCodeRef,
        description: 'The code, as Seam reports it after the change.',
        resolve: ({ accessCode }) => (typeof accessCode === 'function' ? accessCode() : accessCode),
      }),
      actionAttempt: t.field({
        type: ActionAttemptRef,
        nullable: true,
        description: 'The attempt that programs the change on the device, when Seam reports one.',
        resolve: ({ actionAttempt }) => actionAttempt,
      }),
    }),
  })

const AccessCodeDeletedPayload = builder
  .objectRef<{ accessCodeId: string; actionAttempt: ActionAttemptOfDevice | null }>(
    'AccessCodeDeletedPayload',
  )
  .implement({
    description: 'The access code a mutation deleted.',
    fields: (t) => ({
      accessCodeId: t.exposeID('accessCodeId', { description: 'Seam id of the deleted code.' }),
      actionAttempt: t.field({
        type: ActionAttemptRef,
        nullable: true,
        description: 'The attempt that removes the code from the device, when Seam reports one.',
        resolve: ({ actionAttempt }) => actionAttempt,
      }),
    }),
  })

const CreateAccessCodeInput = builder.inputType('CreateAccessCodeInput', {
  description: 'A new access code on a device: ongoing, or for a time window (startsAt and endsAt together).',
  fields: (t) => ({
    deviceId: t.id({ required: true, description: 'Seam id of the device.' }),
    code: t.string({ description: 'The PIN: 4 to 9 digits. @default Seam picks one' }),
    name: t.string({ description: 'Name of the code: 1 to 200 characters, without control characters.' }),
    startsAt: t.field({ type: 'DateTime', description: 'When the code starts to work (with endsAt).' }),
    endsAt: t.field({
      type: 'DateTime',
      description: 'When the code stops working: after startsAt, in the future.',
    }),
  }),
})

const UpdateAccessCodeInput = builder.inputType('UpdateAccessCodeInput', {
  description:
    'What to change on an access code: its PIN, its name, its time window (startsAt and endsAt together).',
  fields: (t) => ({
    accessCodeId: t.id({ required: true, description: 'Seam id of the access code.' }),
    code: t.string({ description: 'The new PIN: 4 to 9 digits.' }),
    name: t.string({ description: 'The new name: 1 to 200 characters, without control characters.' }),
    startsAt: t.field({ type: 'DateTime', description: 'When the code starts to work (with endsAt).' }),
    endsAt: t.field({
      type: 'DateTime',
      description: 'When the code stops working: after startsAt, in the future.',
    }),
  }),
})

const RULES =
  'A workspace API key may do it on any device of its workspace; a client session token only on the devices of its own connected accounts (NOT_FOUND otherwise, exactly as for one that does not exist, and nothing is sent to Seam).'

builder.mutationFields((t) => ({
  createAccessCode: t.withAuth({ authenticated: true }).field({
    type: AccessCodePayload,
    description: `Creates an access code on a device. ${RULES} BAD_USER_INPUT for a device that cannot be given access codes.`,
    args: { input: t.arg({ type: CreateAccessCodeInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      countAction(ctx, 'createAccessCode', async () => {
        checkId('input.deviceId', input.deviceId)
        checkCodeInput(input)
        const device = await deviceToActOn(ctx, input.deviceId, 'input.deviceId')
        requireCapability(device, 'can_program_online_access_codes', 'createAccessCode')
        const created = await ctx.seam.call('/access_codes/create', {
          device_id: device.device_id,
          ...toSeamCode(input),
        })
        // Seam answers the attempt that programs the code; its fake answers the code alone.
        const attempt: ActionAttempt | undefined = created.action_attempt
        return {
          accessCode: { accessCode: created.access_code, device },
          actionAttempt: attempt === undefined ? null : await startedOn(ctx, attempt, device),
        }
      }),
  }),
  updateAccessCode: t.withAuth({ authenticated: true }).field({
    type: AccessCodePayload,
    description: `Changes an access code's PIN, name or time window. ${RULES}`,
    args: { input: t.arg({ type: UpdateAccessCodeInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      countAction(ctx, 'updateAccessCode', async () => {
        checkId('input.accessCodeId', input.accessCodeId)
        checkCodeInput(input)
        if (input.code == null && input.name == null && input.startsAt == null)
          throw badUserInput('input needs code, name, or startsAt and endsAt, got none of them')
        const { accessCode, device } = await accessCodeToActOn(ctx, input.accessCodeId)
        const { action_attempt } = await ctx.seam.call('/access_codes/update', {
          access_code_id: accessCode.access_code_id,
          device_id: device.device_id,
          ...toSeamCode(input),
        })
        // Read again when the payload is resolved: Seam's answer to an update carries no code.
        ctx.loaders.accessCodeById.clear(accessCode.access_code_id)
        return {
          accessCode: () => ctx.loaders.accessCodeById.load(accessCode.access_code_id),
          actionAttempt: await startedOn(ctx, action_attempt, device),
        }
      }),
  }),
  deleteAccessCode: t.withAuth({ authenticated: true }).field({
    type: AccessCodeDeletedPayload,
    description: `Deletes an access code, and removes it from its device. ${RULES}`,
    args: { accessCodeId: t.arg.id({ required: true }) },
    resolve: (_root, { accessCodeId }, ctx) =>
      countAction(ctx, 'deleteAccessCode', async () => {
        const { accessCode, device } = await accessCodeToActOn(ctx, accessCodeId)
        const { action_attempt } = await ctx.seam.call('/access_codes/delete', {
          access_code_id: accessCode.access_code_id,
          device_id: device.device_id,
        })
        ctx.loaders.accessCodeById.clear(accessCode.access_code_id)
        return {
          accessCodeId: accessCode.access_code_id,
          actionAttempt: await startedOn(ctx, action_attempt, device),
        }
      }),
  }),
}))
