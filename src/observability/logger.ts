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

/** Lines are written once this many bytes of them wait... */
const BATCH_BYTES = 4096
/** ...or once the oldest has waited this long. */
const BATCH_MS = 100

let stdout: ReturnType<typeof pino.destination> | undefined
/**
 * Standard output, written in batches: one write for every few KiB of lines rather than one per
 * line (a line per request would cost a system call per request). A line waits at most
 * {@link BATCH_MS}; whatever waits is written before the process exits. On the main thread, as
 * pino's own default: lines never interleave with other writes to stdout (the start banner). Per
 * process, shared by every logger of {@link createLogger}.
 */
function batchedStdout(): ReturnType<typeof pino.destination> {
  if (stdout !== undefined) return stdout
  const destination = pino.destination({ dest: 1, sync: true, minLength: BATCH_BYTES })
  setInterval(() => destination.flush(), BATCH_MS).unref()
  process.once('exit', () => destination.flushSync())
  stdout = destination
  return destination
}

/** The gateway's JSON logger on stdout: credentials redacted, request ids mixed in. */
export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'seam-graphql-gateway' },
      mixin: () => requestContext.getStore() ?? {},
    },
    batchedStdout(),
  )
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
