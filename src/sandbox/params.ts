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
   *   filter (`client_session_ids`) fails loudly instead of silently matching everything
   * @throws {SeamApiError} 400 `invalid_input` on an unknown param
   */
  constructor(params: RequestParams, accepted: readonly string[]) {
    this.#params = params
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

  /** Returns a boolean param (`true`/`false` in a query string), or undefined when absent. */
  optionalBoolean(name: string): boolean | undefined {
    const value = this.#params.values[name]
    if (value === undefined) return undefined
    if (typeof value === 'boolean') return value
    if (this.#params.source === 'query' && (value === 'true' || value === 'false')) return value === 'true'
    throw invalidInput(`Invalid ${name}: expected a boolean, got ${describeValue(value)}`)
  }
}

/** A 400 `invalid_input` error, Seam's type for params that fail validation. */
export function invalidInput(message: string): SeamApiError {
  return new SeamApiError(400, 'invalid_input', message)
}
