import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Rewrites one JSON answer of Seam: gets the parsed answer and the request's params, returns the answer to send. */
export type Rewrite = (answer: Record<string, unknown>, params: Record<string, unknown>) => unknown

/** A running {@link startTamperingUpstream}. */
export interface TamperingUpstream {
  /** Base URL to give the gateway as SEAM_ENDPOINT. */
  url: string
  /** From now on, every successful JSON answer of `route` goes through `rewrite` first. */
  rewrite(route: string, rewrite: Rewrite): void
  /** Answers pass unchanged again. */
  reset(): void
  close(): Promise<void>
}

/**
 * A Seam that says what a test makes it say, for tests only: a proxy in front of a real sandbox
 * that hands the successful JSON answers of chosen routes to a rewrite (an object labelled with
 * another workspace, Seam's documented shape without a field the fake adds, a session that answers
 * for another token), so that the gateway's own checks of what Seam returns are the only wall.
 * Every other answer, refusals and errors included, is the sandbox's own.
 *
 * Lifecycle: one per test file, in front of that file's sandbox; `close()` in `afterAll`.
 */
export async function startTamperingUpstream(target: string): Promise<TamperingUpstream> {
  const rewrites = new Map<string, Rewrite>()

  const answer = async (req: IncomingMessage, path: string, body: Buffer) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
        headers[name] = value
      }
    }
    const method = req.method ?? 'POST'
    const response = await fetch(`${target}${req.url}`, {
      method,
      headers,
      ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: new Uint8Array(body) } : {}),
    })
    const out: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      if (
        !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(
          name,
        )
      )
        out[name] = value
    })
    let payload = Buffer.from(await response.arrayBuffer())
    const rewrite = rewrites.get(path)
    if (rewrite !== undefined && response.status === 200) {
      const params = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {}
      const rewritten = rewrite(JSON.parse(payload.toString('utf8')) as Record<string, unknown>, params)
      payload = Buffer.from(JSON.stringify(rewritten))
    }
    return { status: response.status, headers: out, payload }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!
      answer(req, path, Buffer.concat(chunks))
        .then(({ status, headers, payload }) => {
          res.writeHead(status, { ...headers, 'content-length': String(payload.length) })
          res.end(payload)
        })
        .catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    rewrite: (route, rewrite) => {
      rewrites.set(route, rewrite)
    },
    reset: () => rewrites.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
