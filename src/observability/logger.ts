import { AsyncLocalStorage } from 'node:async_hooks'
import type { GraphQLError } from 'graphql'
import { type Logger, pino } from 'pino'
import type { LogLevel } from '../config.js'
import { CREDENTIAL_HEADERS } from '../contract/credential-headers.js'
import { UpstreamError } from '../upstream/upstream-error.js'

/** Credentials and secrets never reach a log line. */
export const REDACTED_PATHS = [
  ...CREDENTIAL_HEADERS.map((name) => `req.headers["${name}"]`),
  'token',
  'apiKey',
  'connectionParams',
]

/**
 * The request being handled, per async context: the HTTP server runs each request inside it, and
 * every line a logger of {@link createLogger} writes meanwhile carries the request's id. Per process.
 */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>()

/** The gateway's JSON logger on stdout: credentials redacted, request ids mixed in. Per process. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'seam-graphql-gateway' },
    mixin: () => requestContext.getStore() ?? {},
  })
}

/**
 * Yoga's log calls, as structured lines: errors by name, code and message, never a stack or a query.
 * A failed upstream call is a warning (Seam's fault, not ours), with its route and status.
 */
export function yogaLogger(logger: Logger) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error)
      if (error === undefined) return logger[level](args.map(String).join(' '))
      const original = (error as GraphQLError).originalError ?? error
      const upstream = original instanceof UpstreamError ? original : undefined
      logger[upstream ? 'warn' : level](
        {
          err: { name: original.name, message: original.message },
          ...(upstream
            ? { code: upstream.code, route: upstream.details.route, status: upstream.details.status }
            : {}),
        },
        upstream ? 'upstream call failed' : 'unexpected error',
      )
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
