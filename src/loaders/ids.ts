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

/** True for the NOT_FOUND error a loader gives for an id it has nothing for. */
export const isNotFound = (error: unknown): boolean =>
  error instanceof Error && (error as { extensions?: { code?: unknown } }).extensions?.code === 'NOT_FOUND'

/**
 * Loads `ids` (skipping the undefined ones) in one batch: each value, or undefined where there was
 * none (or no id). Any other failure (Seam unavailable) propagates.
 */
export async function loadedOrMissing<T>(
  loader: { loadMany(keys: readonly string[]): Promise<Array<T | Error>> },
  ids: ReadonlyArray<string | undefined>,
): Promise<Array<T | undefined>> {
  const wanted = ids.filter((id): id is string => id !== undefined)
  const loaded = wanted.length === 0 ? [] : await loader.loadMany(wanted)
  const byId = new Map<string, T>()
  wanted.forEach((id, i) => {
    const value = loaded[i]
    if (value instanceof Error) {
      if (!isNotFound(value)) throw value
    } else if (value !== undefined) byId.set(id, value)
  })
  return ids.map((id) => (id === undefined ? undefined : byId.get(id)))
}
