import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorCode } from '../contract/error-codes.js'
import { errorBody } from '../contract/error-shaping.js'

/** Guards on raw HTTP requests, before Yoga sees them: body size, repeated credentials, origins. */

export function readCappedBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS')
    return Promise.resolve(undefined)
  const declared = Number(req.headers['content-length'] ?? 0)
  if (Number.isFinite(declared) && declared > max) {
    req.resume()
    return Promise.reject(new Error('too large'))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.removeAllListeners('data')
        req.resume()
        reject(new Error('too large'))
        return
      }
      chunks.push(chunk)
    })
    req.once('end', () => resolve(size === 0 ? undefined : Buffer.concat(chunks)))
    req.once('error', reject)
  })
}

/** How many different values the header `name` (lower case) has: 0, 1, or 2 for two or more. */
export function distinctValues(req: IncomingMessage, name: string): number {
  // From rawHeaders: `req.headersDistinct` would build arrays for every header of every request.
  const raw = req.rawHeaders
  let first: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const header = raw[i]
    const value = raw[i + 1]
    if (value === undefined || header?.length !== name.length || header.toLowerCase() !== name) continue
    if (first === undefined) first = value
    else if (value !== first) return 2
  }
  return first === undefined ? 0 : 1
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = errorBody(code, message)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  })
  res.end(body)
}

export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[],
): boolean {
  if (origin === undefined || allowed.includes('*') || allowed.includes(origin)) return true
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/** The message of a refused CORS preflight: which origin arrived, and where the allowed ones are set. */
export function corsRefusal(origin: string | undefined): string {
  const shown = JSON.stringify((origin ?? '').slice(0, 200))
  return `The origin ${shown} may not call this gateway: CORS_ORIGINS lists the origins that may`
}
