import type { ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { Logger } from 'pino'
import { maskError } from '../../contract/error-shaping.js'
import { logFailure, REQUEST_ID_HEADER, yogaLogger } from '../../observability/logger.js'
import { MappedIterator } from '../iterators.js'

/**
 * Every error the mask replaces is logged with the id of the request it failed.
 *
 * Yoga logs such an error where it masks it, which knows nothing of the request; and carrying the
 * request through every asynchronous step of the process (an `AsyncLocalStorage`) costs a hook on
 * every promise the process makes, requests or not. So here the mask remembers what it replaced,
 * Yoga's own line for it is skipped, and the line is written as the result leaves with its
 * request (each event of an SSE stream as it is sent), whose `x-request-id` the HTTP server set.
 * An error Yoga logs that the mask did not replace is logged as ever, without a request id.
 * Per app.
 */
export function createErrorLogs(logger: Logger) {
  // A masked error → the error it replaced, until its result leaves.
  const replaced = new WeakMap<object, unknown>()
  // The errors whose line the result writes.
  const deferred = new WeakSet<object>()

  // The request's id is read only when there is a line to write: most results carry no error.
  const logResult = (result: unknown, request: Request) => {
    const errors = (result as ExecutionResult | null)?.errors
    if (errors === undefined) return
    for (const error of errors) {
      const original = replaced.get(error)
      if (original === undefined) continue
      replaced.delete(error)
      logFailure(logger, 'error', original, request.headers.get(REQUEST_ID_HEADER) ?? undefined)
    }
  }

  class LoggedEvents extends MappedIterator<unknown, unknown> {
    constructor(
      source: AsyncIterable<unknown>,
      readonly request: Request,
    ) {
      super(source)
    }

    protected map(item: unknown): unknown {
      logResult(item, this.request)
      return item
    }
  }

  const plugin: Plugin = {
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) setResult(new LoggedEvents(result, request) as typeof result)
      else if (Array.isArray(result)) for (const item of result) logResult(item, request)
      else logResult(result, request)
    },
  }

  return {
    /** Yoga's `maskedErrors.maskError`. */
    maskError(error: unknown, message: string, isDev?: boolean): Error {
      const masked = maskError(error, message, isDev)
      if (masked !== error && typeof error === 'object' && error !== null) {
        replaced.set(masked, error)
        deferred.add(error)
      }
      return masked
    },
    /** Yoga's `logging`. */
    logging: yogaLogger(logger, (error) => deferred.has(error)),
    plugin,
  }
}
