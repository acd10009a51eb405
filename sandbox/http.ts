import { IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'

/** Largest request body the sandbox's own routes read; Seam's params for them are a few hundred bytes. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * An expected failure of a sandbox route, answered with Seam's error body
 * `{"error":{"type","message"},"ok":false}` and the given status.
 */
export class SeamApiError extends Error {
  /** HTTP status code of the response. */
  readonly status: number
  /** Seam's machine-readable error type, such as `invalid_input` or `client_session_not_found`. */
  readonly type: string
  /** Extra response headers, such as `allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>

  constructor(status: number, type: string, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'SeamApiError'
    this.status = status
    this.type = type
    this.headers = headers
  }
}

/** Params of a request, with where they came from (query strings carry only strings). */
export interface RequestParams {
  readonly source: 'query' | 'body'
  readonly values: Readonly<Record<string, unknown>>
}

/** Writes a JSON response with an exact content length. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(payload))
  res.end(payload)
}

/** Writes Seam's error body for `error`. Never includes a stack trace. */
export function sendSeamError(res: ServerResponse, error: SeamApiError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
  sendJson(res, error.status, { error: { type: error.type, message: error.message }, ok: false })
}

/** Splits a request target into its path and query the way the fake does (`url.split('?')`). */
export function splitRequestTarget(target: string | undefined): { pathname: string; query: URLSearchParams } {
  const raw = target ?? '/'
  const queryStart = raw.indexOf('?')
  if (queryStart === -1) return { pathname: raw, query: new URLSearchParams() }
  return { pathname: raw.slice(0, queryStart), query: new URLSearchParams(raw.slice(queryStart + 1)) }
}

/**
 * Reads a request's params as Seam does: the query string for GET, the JSON body otherwise (falling back
 * to the query string when the body is empty, as for a bodyless DELETE).
 *
 * @throws {SeamApiError} 400 `invalid_input` when the body is not a JSON object, 413 when it is too large.
 */
export async function readRequestParams(
  req: IncomingMessage,
  query: URLSearchParams,
): Promise<RequestParams> {
  if (req.method === 'GET' || req.method === 'HEAD') return { source: 'query', values: queryToValues(query) }
  return paramsFromBody((await readRawBody(req)).toString('utf8'), query)
}

/**
 * The params of a request whose body has been read: the JSON body, or the query string when the body is
 * empty.
 *
 * @throws {SeamApiError} 400 `invalid_input` when the body is not a JSON object
 */
function paramsFromBody(text: string, query: URLSearchParams): RequestParams {
  if (text.trim() === '') return { source: 'query', values: queryToValues(query) }
  const parsed = parseJsonObject(text)
  if ('got' in parsed) {
    throw new SeamApiError(
      400,
      'invalid_input',
      `Invalid request body: expected a JSON object, got ${parsed.got}`,
    )
  }
  return { source: 'body', values: parsed.values }
}

/**
 * Parses a body that should hold a JSON object: its values, or what arrived instead (`invalid JSON`,
 * `an array`, …) for an error message that never echoes the body.
 */
export function parseJsonObject(text: string): { values: Record<string, unknown> } | { got: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { got: 'invalid JSON' }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { got: describeValue(parsed) }
  }
  return { values: parsed as Record<string, unknown> }
}

/** Whether a request's body is JSON by its content type, as the fake decides. */
export function isJson(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  return type === 'application/json' || type === 'application/ld+json'
}

/** A JSON body's object, or undefined when it is not one (left for the fake to refuse in its own words). */
export function jsonObjectOrNone(body: Buffer): Record<string, unknown> | undefined {
  const parsed = parseJsonObject(body.toString('utf8'))
  return 'values' in parsed ? parsed.values : undefined
}

/**
 * Describes a value's kind for error messages (`nothing`, `a number`, `an array`, …) without echoing it,
 * so a message never repeats a credential that was sent in the wrong place.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value === '') return 'an empty string'
  switch (typeof value) {
    case 'string':
      return 'a string'
    case 'number':
      return 'a number'
    case 'boolean':
      return 'a boolean'
    case 'object':
      return 'an object'
    default:
      return `a ${typeof value}`
  }
}

/** Repeated query keys become arrays (`?ids=a&ids=b`), single keys stay strings. */
export function queryToValues(query: URLSearchParams): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key)
    values[key] = all.length === 1 ? all[0] : all
  }
  return values
}

/**
 * Reads the whole body. Past the size cap it keeps consuming (and dropping) data instead of destroying the
 * request, so the 413 still reaches the client.
 *
 * @throws {SeamApiError} 413 `payload_too_large` past {@link MAX_BODY_BYTES}
 */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk)
        return
      }
      tooLarge = true
      chunks.length = 0
      reject(
        new SeamApiError(
          413,
          'payload_too_large',
          `Invalid request body: expected at most ${MAX_BODY_BYTES} bytes, got more`,
          // The rest of the body is dropped unread, so the connection is not reused.
          { connection: 'close' },
        ),
      )
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
    // A client that goes away mid-body emits 'close' without 'end'; settle so nothing waits forever.
    // (After 'end' this is a no-op: a settled promise ignores further calls.)
    req.on('close', () => reject(new Error('Expected the request body to end, got a closed connection')))
  })
}

/**
 * A copy of a request whose body has already been read, replaying exactly those bytes, so the fake can
 * read it as if it were the original: same method, URL, headers and socket (the fake reads the body
 * stream itself, with its own content-type rules and errors).
 */
export function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = new IncomingMessage(req.socket)
  replay.method = req.method
  replay.url = req.url
  replay.headers = req.headers
  replay.rawHeaders = req.rawHeaders
  replay.httpVersion = req.httpVersion
  replay.httpVersionMajor = req.httpVersionMajor
  replay.httpVersionMinor = req.httpVersionMinor
  // The whole body is there: without `complete`, the end of the stream would count as an aborted
  // request and destroy the socket.
  replay.complete = true
  if (body.length > 0) replay.push(body)
  replay.push(null)
  return replay
}

/**
 * An answer of the fake, or one the sandbox gives exactly as the fake would, sent as it is (status,
 * content type and body): an auth error or a validation error of the fake, or a simulated outage's
 * empty 503.
 */
export class FakeAnswer extends Error {
  readonly status: number
  readonly contentType: string | null
  readonly body: string

  constructor(status: number, contentType: string | null, body: string) {
    super(`The fake answered ${status}`)
    this.name = 'FakeAnswer'
    this.status = status
    this.contentType = contentType
    this.body = body
  }
}

/**
 * A route the sandbox serves itself instead of passing it to the fake.
 *
 * Lifecycle: created once per sandbox; `handle` runs once per request.
 */
export interface SandboxRoute {
  /** Methods Seam accepts on this path; any other method is answered 405 `method_not_allowed`. */
  readonly methods: readonly string[]
  /**
   * Handles one request and returns the JSON body of its 200 response.
   *
   * @throws {SeamApiError} for expected failures, answered with Seam's error body
   * @throws {FakeAnswer} during a simulated outage, answered 503 with an empty body
   */
  handle(req: IncomingMessage, query: URLSearchParams): Promise<unknown>
}

/**
 * A path the sandbox serves for some requests and hands to the fake, unchanged, for the rest; which one
 * is decided per request (by its credential, or by its params).
 *
 * Lifecycle: created once per sandbox; `intercept` runs once per request.
 */
export interface SandboxInterceptor {
  /**
   * Answers the request itself, or passes it to `fake` (the original request, unread, or a
   * {@link replayRequest} of it when the body had to be read to decide). Never rejects.
   */
  intercept(
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
    fake: RequestListener,
  ): Promise<void>
}

/**
 * An interceptor that serves `route` for the requests `claims` picks (by headers only, so nothing is
 * read first) and passes every other request to the fake untouched.
 */
export function interceptWhen(
  claims: (req: IncomingMessage) => boolean,
  route: SandboxRoute,
  log: SandboxLog,
): SandboxInterceptor {
  return {
    async intercept(req, res, query, fake) {
      if (claims(req)) await serveRoute(route, req, res, query, log)
      else fake(req, res)
    },
  }
}

/**
 * Runs `apply` with the parsed JSON of the fake's answer (undefined if it is not JSON) when that
 * answer ends with status 200, just before its last bytes are written: what `apply` changes in
 * the store is there before the caller can see the answer. For the routes where the sandbox adds
 * to what the fake does once the fake has accepted a request.
 *
 * Lifecycle: once per response, before the response is handed to the fake.
 */
export function whenFakeAccepts(res: ServerResponse, apply: (answer: unknown) => void): void {
  const chunks: Buffer[] = []
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk))
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk))
  }
  const write = res.write.bind(res) as (...args: unknown[]) => boolean
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk)
    return write(chunk, ...rest)
  }) as ServerResponse['write']
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') keep(args[0])
    if (res.statusCode === 200) {
      let answer: unknown
      try {
        answer = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        answer = undefined
      }
      apply(answer)
    }
    return end(...args)
  }) as ServerResponse['end']
}

/** Where the sandbox reports notable failures. */
export type SandboxLog = (message: string, fields?: Record<string, unknown>) => void

/** Runs one sandbox route and answers with its JSON or Seam's error body; never a stack trace. */
export async function serveRoute(
  route: SandboxRoute,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  log: SandboxLog,
): Promise<void> {
  try {
    const method = req.method ?? 'GET'
    if (!route.methods.includes(method)) {
      throw new SeamApiError(
        405,
        'method_not_allowed',
        `Expected ${route.methods.join(' or ')}, got ${method}`,
        { allow: route.methods.join(', ') },
      )
    }
    sendJson(res, 200, await route.handle(req, query))
  } catch (error) {
    sendRouteFailure(req, res, error, log)
  }
}

/**
 * Answers a failed sandbox route: Seam's error body for a {@link SeamApiError}, the fake's own answer for
 * a {@link FakeAnswer}, and a logged 500 for anything else.
 */
export function sendRouteFailure(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  log: SandboxLog,
): void {
  if (res.headersSent) {
    res.destroy()
  } else if (error instanceof SeamApiError) {
    sendSeamError(res, error)
  } else if (error instanceof FakeAnswer) {
    res.statusCode = error.status
    if (error.contentType !== null) res.setHeader('content-type', error.contentType)
    res.setHeader('content-length', Buffer.byteLength(error.body))
    res.end(error.body)
  } else {
    log('A sandbox route failed', {
      path: splitRequestTarget(req.url).pathname,
      error: error instanceof Error ? error.message : String(error),
    })
    sendSeamError(
      res,
      new SeamApiError(500, 'internal_server_error', 'The sandbox failed to handle the request'),
    )
  }
}
