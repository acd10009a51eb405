import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A proxy between the gateway and the sandbox that counts the requests on the wire, by path. */
export interface CountingProxy {
  url: string
  /** Requests seen per path since the last reset, e.g. `{ '/devices/list': 1 }`. */
  counts(): Record<string, number>
  /** The W3C `traceparent` each request since the last reset carried, by path, in order. */
  traceparents(): Array<{ path: string; traceparent: string | undefined }>
  /** Total requests since the last reset, optionally excluding some paths. */
  total(except?: string[]): number
  reset(): void
  stop(): Promise<void>
}

/** Starts a counting proxy on port 0 in front of `target` (an http URL). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target)
  let counts: Record<string, number> = {}
  let traceparents: Array<{ path: string; traceparent: string | undefined }> = []
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    counts[path] = (counts[path] ?? 0) + 1
    const traceparent = req.headers.traceparent
    traceparents.push({ path, traceparent: typeof traceparent === 'string' ? traceparent : undefined })
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    traceparents: () => [...traceparents],
    total: (except = []) =>
      Object.entries(counts).reduce((n, [path, c]) => (except.includes(path) ? n : n + c), 0),
    reset: () => {
      counts = {}
      traceparents = []
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
