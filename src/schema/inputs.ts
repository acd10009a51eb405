import { badUserInput } from '../contract/errors.js'
import { isPlausibleId } from '../loaders/ids.js'

/**
 * Caps on what a caller sends to a mutation. Each is checked before anything is read or sent, and
 * refused with BAD_USER_INPUT naming the argument, what it must be and what arrived (by its size,
 * never echoed: it is hostile).
 */

/** The longest name of a device or an access code. */
export const MAX_NAME_LENGTH = 200
/** Seam's access codes: 4 to 9 digits (its `code` schema). */
const ACCESS_CODE = /^\d{4,9}$/
/** Seam's custom metadata: at most 50 pairs, keys of at most 40 characters, strings of at most 500. */
export const MAX_METADATA_PAIRS = 50
export const MAX_METADATA_KEY_LENGTH = 40
export const MAX_METADATA_STRING_LENGTH = 500

// Control characters (C0, DEL, C1) have no place in a name a person reads.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

const got = (value: string) => (value.length > 40 ? `${value.length} characters` : JSON.stringify(value))

/** Refuses an id that no Seam object can have: 1 to 128 visible ASCII characters. */
export function checkId(argument: string, id: string): void {
  if (!isPlausibleId(id)) {
    throw badUserInput(
      `${argument} must be 1 to 128 visible ASCII characters, got ${
        id.length > 128 || id.length === 0 ? `${id.length} characters` : 'other characters'
      }`,
    )
  }
}

/** Refuses a name that is empty, longer than {@link MAX_NAME_LENGTH} or holds control characters. */
export function checkName(argument: string, name: string | null | undefined): void {
  if (name == null) return
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH || CONTROL.test(name)) {
    throw badUserInput(
      `${argument} must be 1 to ${MAX_NAME_LENGTH} characters, not blank, without control characters, got ${
        name.length > MAX_NAME_LENGTH
          ? `${name.length} characters`
          : CONTROL.test(name)
            ? 'control characters'
            : 'a blank name'
      }`,
    )
  }
}

/** Refuses an access code that is not 4 to 9 digits, as Seam's schema does. */
export function checkAccessCode(argument: string, code: string | null | undefined): void {
  if (code == null) return
  if (!ACCESS_CODE.test(code)) {
    throw badUserInput(`${argument} must be 4 to 9 digits, got ${got(code)}`)
  }
}

/**
 * Refuses custom metadata Seam would not store: an object of at most {@link MAX_METADATA_PAIRS}
 * pairs, keys of 1 to {@link MAX_METADATA_KEY_LENGTH} characters, values strings of at most
 * {@link MAX_METADATA_STRING_LENGTH} characters, booleans or null (Seam's `custom_metadata` schema
 * and its documented limits).
 */
export function checkCustomMetadata(
  argument: string,
  metadata: unknown,
): Record<string, string | boolean | null> | undefined {
  if (metadata == null) return undefined
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw badUserInput(
      `${argument} must be an object of strings, booleans or nulls, got ${Array.isArray(metadata) ? 'an array' : typeof metadata}`,
    )
  }
  const entries = Object.entries(metadata)
  if (entries.length > MAX_METADATA_PAIRS) {
    throw badUserInput(`${argument} may hold at most ${MAX_METADATA_PAIRS} keys, got ${entries.length}`)
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH) {
      throw badUserInput(
        `${argument} keys must be 1 to ${MAX_METADATA_KEY_LENGTH} characters, got a key of ${key.length}`,
      )
    }
    const fits =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'string' && value.length <= MAX_METADATA_STRING_LENGTH)
    if (!fits) {
      throw badUserInput(
        `${argument}.${JSON.stringify(key)} must be a string of at most ${MAX_METADATA_STRING_LENGTH} characters, a boolean or null, got ${
          typeof value === 'string'
            ? `${value.length} characters`
            : Array.isArray(value)
              ? 'an array'
              : value === null
                ? 'null'
                : typeof value
        }`,
      )
    }
  }
  return metadata as Record<string, string | boolean | null>
}

/**
 * Refuses a time window Seam would refuse: `startsAt` and `endsAt` go together, and `endsAt` lies
 * after `startsAt` and in the future.
 *
 * @param now the current time in ms @default Date.now()
 */
export function checkTimeWindow(
  input: { startsAt?: Date | null; endsAt?: Date | null },
  now: number = Date.now(),
): void {
  const { startsAt, endsAt } = input
  if ((startsAt == null) !== (endsAt == null)) {
    throw badUserInput(
      `input.startsAt and input.endsAt go together: give both or neither, got only ${startsAt == null ? 'endsAt' : 'startsAt'}`,
    )
  }
  if (startsAt == null || endsAt == null) return
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw badUserInput(
      `input.endsAt must be after input.startsAt, got ${endsAt.toISOString()} for ${startsAt.toISOString()}`,
    )
  }
  if (endsAt.getTime() <= now) {
    throw badUserInput(`input.endsAt must be in the future, got ${endsAt.toISOString()}`)
  }
}
