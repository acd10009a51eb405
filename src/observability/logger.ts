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
 * The header that carries a request's id: the HTTP server sets it on every request (keeping a sane
 * incoming one) before anything reads it, and answers with it.
 */
export const REQUEST_ID_HEADER = 'x-request-id'

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

/** The gateway's JSON logger on stdout: credentials redacted. */
export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'seam-graphql-gateway' },
    },
    batchedStdout(),
  )
}

/**
 * One failure as a structured line: by name, code and message, never a stack or a query. A failed
 * upstream call is a warning (Seam's fault, not ours), with its route and status; anything else is
 * logged at `level`. With the id of the request it failed, when known.
 */
export function logFailure(
  logger: Logger,
  level: 'debug' | 'info' | 'warn' | 'error',
  error: unknown,
  requestId?: string,
): void {
  const original = (error as GraphQLError).originalError ?? error
  const upstream = original instanceof UpstreamError ? original : undefined
  logger[upstream ? 'warn' : level](
    {
      ...(requestId === undefined ? {} : { requestId }),
      err:
        original instanceof Error
          ? { name: original.name, message: original.message }
          : { name: typeof original, message: String(original) },
      ...(upstream
        ? { code: upstream.code, route: upstream.details.route, status: upstream.details.status }
        : {}),
    },
    upstream ? 'upstream call failed' : 'unexpected error',
  )
}

/**
 * Yoga's log calls, as structured lines ({@link logFailure} for errors). `skip` names the errors
 * whose line is written elsewhere, with their request's id (`graphql/plugins/use-error-logs.ts`).
 */
export function yogaLogger(logger: Logger, skip: (error: Error) => boolean = () => false) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error)
      if (error === undefined) return logger[level](args.map(String).join(' '))
      if (!skip(error)) logFailure(logger, level, error)
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
