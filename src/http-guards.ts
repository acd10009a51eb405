import type { IncomingMessage, ServerResponse } from 'node:http'

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

export function distinctValues(req: IncomingMessage, name: string): number {
  return new Set(req.headersDistinct[name] ?? []).size
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] })
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
