import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Tracer } from '@opentelemetry/api'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { CREDENTIAL_HEADERS } from '../contract/credential-headers.js'
import { REQUEST_ID_HEADER } from '../observability/logger.js'
import { traceRequest } from '../observability/tracing.js'
import { corsRefusal, distinctValues, originAllowed, readCappedBody, sendError } from './guards.js'

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  config: Pick<Config, 'host' | 'port' | 'corsOrigins' | 'shutdownGraceMs'> & {
    limits: Pick<Config['limits'], 'maxBodyBytes'>
  }
  logger: Logger
  /** Serves a request that passed the guards, its body already read (Yoga). */
  handle: (req: IncomingMessage & { body?: Buffer }, res: ServerResponse) => unknown
  /**
   * Attaches what else the server carries (the graphql-ws server), once the port is ours; returns
   * what closes it, which runs first on close.
   */
  attach?: (server: Server) => { close(): Promise<void> }
  /** A server span per request, continuing the caller's W3C `traceparent`, when tracing is on. */
  tracer?: Tracer | undefined
}

/** A listening server. */
export interface HttpServer {
  /** Base URL such as `http://127.0.0.1:4000` (loopback for a wildcard host). */
  readonly url: string
  /**
   * Closes what `attach` attached, stops accepting at once, closes idle connections, lets requests
   * in flight finish, and cuts whatever is left (SSE streams never finish by themselves) once
   * `shutdownGraceMs` has passed. Idempotent.
   */
  close(): Promise<void>
}

/**
 * The gateway's one public `node:http` server: every request gets a request id (a sane incoming
 * `x-request-id` is kept), set on the request for whatever logs its failures and sent back; one
 * line is logged when it finishes; and the guards run before Yoga sees it: one credential per
 * request, CORS preflights from allowed origins only, a body no larger than MAX_BODY_BYTES. Per
 * process.
 *
 * @throws when the port cannot be bound
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { config, logger, handle } = options
  const { maxBodyBytes } = config.limits
  let closing: Promise<void> | undefined

  const { tracer } = options
  const server = createServer((req, res) =>
    tracer === undefined ? serve(req, res) : traceRequest(tracer, req, res, () => serve(req, res)),
  )
  function serve(req: IncomingMessage, res: ServerResponse): void {
    const incoming = req.headers[REQUEST_ID_HEADER]
    const requestId =
      typeof incoming === 'string' && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID()
    // What reads the request from here on reads its id there (the error logs, the webhook route).
    req.headers[REQUEST_ID_HEADER] = requestId
    res.setHeader(REQUEST_ID_HEADER, requestId)
    const started = performance.now()
    res.once('finish', () => {
      // Never the query string or headers: they may carry credentials.
      logger.info(
        {
          requestId,
          method: req.method,
          path: (req.url ?? '/').split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      )
      // While closing, a connection whose last request finished is closed rather than kept alive:
      // close() waits for in-flight requests, not for clients to drop idle connections.
      if (closing !== undefined) setImmediate(() => server.closeIdleConnections())
    })
    // One credential per request, checked on the raw lines: Node keeps only the first of repeated
    // Authorization lines, and joins other repeated headers into one value that would be refused
    // as malformed rather than as two credentials.
    if (CREDENTIAL_HEADERS.some((name) => distinctValues(req, name) > 1)) {
      sendError(
        res,
        401,
        'UNAUTHENTICATED',
        'The request carries two different credentials; send exactly one',
      )
      return
    }
    // A browser asks before a cross-origin call; an origin that may not call is told so plainly.
    if (
      req.method === 'OPTIONS' &&
      !originAllowed(req.headers.origin, req.headers.host, config.corsOrigins)
    ) {
      sendError(res, 403, 'FORBIDDEN', corsRefusal(req.headers.origin))
      return
    }
    readCappedBody(req, maxBodyBytes).then(
      (body) => {
        // Yoga takes an already-read body as it is (whatwg-node reads `req.body` when present).
        if (body !== undefined) (req as IncomingMessage & { body?: Buffer }).body = body
        handle(req, res)
      },
      () =>
        sendError(res, 413, 'BAD_USER_INPUT', `Request body is larger than ${maxBodyBytes} bytes`, {
          connection: 'close',
        }),
    )
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const attached = options.attach?.(server)
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`

  return {
    url,
    close() {
      closing ??= (async () => {
        await attached?.close()
        await new Promise<void>((resolve) => {
          const cut = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs)
          server.close(() => {
            clearTimeout(cut)
            resolve()
          })
          server.closeIdleConnections()
        })
      })()
      return closing
    },
  }
}
