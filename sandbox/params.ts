import { describeValue, type RequestParams, SeamApiError } from './http.js'

/**
 * Validates the params of one request against the names a route accepts. Every failure is a 400
 * `invalid_input` that names the param, what was expected and what arrived.
 *
 * Lifecycle: one per request.
 */
export class ParamReader {
  readonly #params: RequestParams

  /**
   * @param params the request's params, from `readRequestParams`
   * @param accepted every param name the route accepts; any other name is rejected, so that a typo in a
   *   filter (`client_session_ids`) fails loudly instead of silently matching everything. Omitted only
   *   by routes that hand the params they do not read to the fake, which validates those itself.
   * @throws {SeamApiError} 400 `invalid_input` on an unknown param
   */
  constructor(params: RequestParams, accepted?: readonly string[]) {
    this.#params = params
    if (accepted === undefined) return
    const unknown = Object.keys(params.values).filter((name) => !accepted.includes(name))
    if (unknown.length > 0) {
      const noun = unknown.length === 1 ? 'param' : 'params'
      throw invalidInput(`Unexpected ${noun} ${unknown.join(', ')}: expected only ${accepted.join(', ')}`)
    }
  }

  /** Returns a non-empty string param, or undefined when it is absent. */
  optionalString(name: string): string | undefined {
    const value = this.#params.values[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string' || value === '') {
      throw invalidInput(`Invalid ${name}: expected a non-empty string, got ${describeValue(value)}`)
    }
    return value
  }

  /** Returns a non-empty string param that must be present. */
  requiredString(name: string): string {
    const value = this.optionalString(name)
    if (value === undefined) throw invalidInput(`Invalid ${name}: expected a non-empty string, got nothing`)
    return value
  }

  /**
   * Returns an array of non-empty strings, or undefined when absent. From a query string a single value
   * counts as a one-element array (`?ids=a`), repeated keys as several (`?ids=a&ids=b`).
   */
  optionalStringArray(name: string): string[] | undefined {
    const raw = this.#params.values[name]
    if (raw === undefined) return undefined
    const value = this.#params.source === 'query' && typeof raw === 'string' ? [raw] : raw
    if (!Array.isArray(value)) {
      throw invalidInput(`Invalid ${name}: expected an array of strings, got ${describeValue(value)}`)
    }
    value.forEach((item: unknown, index) => {
      if (typeof item !== 'string' || item === '') {
        throw invalidInput(
          `Invalid ${name}[${index}]: expected a non-empty string, got ${describeValue(item)}`,
        )
      }
    })
    return value as string[]
  }

  /**
   * Returns an ISO 8601 date-time param that lies in the future, normalized to UTC
   * (`2031-01-02T03:04:05.000Z`), or undefined when it is absent.
   *
   * @param now the current time in ms, to compare with @default Date.now()
   */
  optionalFutureDateTime(name: string, now: number = Date.now()): string | undefined {
    const value = this.#params.values[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') {
      throw invalidInput(
        `Invalid ${name}: expected an ISO 8601 date-time string, got ${describeValue(value)}`,
      )
    }
    const time = ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN
    if (Number.isNaN(time)) {
      throw invalidInput(
        `Invalid ${name}: expected an ISO 8601 date-time such as 2030-01-01T00:00:00.000Z, got ${JSON.stringify(value)}`,
      )
    }
    if (time <= now) {
      throw invalidInput(
        `Invalid ${name}: expected a time in the future, got ${new Date(time).toISOString()}`,
      )
    }
    return new Date(time).toISOString()
  }

  /** Returns a positive integer param (digits in a query string), or undefined when it is absent. */
  optionalPositiveInteger(name: string): number | undefined {
    const raw = this.#params.values[name]
    if (raw === undefined) return undefined
    const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      const got = typeof value === 'number' ? String(value) : describeValue(value)
      throw invalidInput(`Invalid ${name}: expected a positive integer, got ${got}`)
    }
    return value
  }

  /** Returns a boolean param (`true`/`false` in a query string), or undefined when absent. */
  optionalBoolean(name: string): boolean | undefined {
    const value = this.#params.values[name]
    if (value === undefined) return undefined
    if (typeof value === 'boolean') return value
    if (this.#params.source === 'query' && (value === 'true' || value === 'false')) return value === 'true'
    throw invalidInput(`Invalid ${name}: expected a boolean, got ${describeValue(value)}`)
  }
}

/** An ISO 8601 date-time with a time zone (`Z` or an offset), the form of Seam's `date-time` params. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/

/** A 400 `invalid_input` error, Seam's type for params that fail validation. */
export function invalidInput(message: string): SeamApiError {
  return new SeamApiError(400, 'invalid_input', message)
}
