import { UpstreamError } from '../upstream/upstream-error.js'

/**
 * True for a string that can be a Seam id: 1 to 128 visible ASCII characters. Anything else
 * (empty, huge, whitespace, control characters) names nothing that exists, so it never reaches
 * Seam: it answers NOT_FOUND at once, and a caller cannot make Seam fail on the gateway's behalf.
 */
export const isPlausibleId = (id: string): boolean => /^[\x21-\x7e]{1,128}$/.test(id)

/**
 * The one object a get-by-id returned, or none when Seam says it is not there: `*_not_found`, or
 * `invalid_input` for an id it cannot parse, which means the same. Other failures propagate.
 */
export async function foundOrNone<T>(get: Promise<T>): Promise<T[]> {
  try {
    return [await get]
  } catch (error) {
    if (error instanceof UpstreamError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT'))
      return []
    throw error
  }
}
