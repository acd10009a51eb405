import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One held request: known when it reached the upstream, answered when the test says so. */
export interface Hold {
  /** Resolves once the held request has reached the upstream (and its answer has been made). */
  readonly arrived: Promise<void>
  /** Sends the held answer. */
  release(): void
}

/** A proxy in front of a sandbox whose answers to chosen requests wait for the test. */
export interface HeldUpstream {
  url: string
  /**
   * Holds the answer to the next request of `route`: the request is forwarded as soon as it comes
   * (so the answer is the one Seam gives at that moment), and the answer waits until `release`.
   */
  hold(route: string): Hold
  /** Requests of `route` so far. */
  count(route: string): number
  /** Releases every held answer and stops. */
  close(): Promise<void>
}

const HOP_BY_HOP = ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })

/**
 * Starts a {@link HeldUpstream} on port 0 in front of `target` (an http URL). Lifecycle: one per
 * test file or test; always `close()` it.
 */
export async function startHeldUpstream(target: string): Promise<HeldUpstream> {
  const holds = new Map<string, Array<{ arrive: () => void; released: Promise<void> }>>()
  const releases = new Set<() => void>()
  const counts = new Map<string, number>()

  const server = createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0]!
    counts.set(route, (counts.get(route) ?? 0) + 1)
    const hold = holds.get(route)?.shift()
    void (async () => {
      const body = await readBody(req)
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !HOP_BY_HOP.includes(name)) headers[name] = value
      }
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method ?? 'POST',
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      })
      const payload = Buffer.from(await answer.arrayBuffer())
      const out: Record<string, string> = {}
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.includes(name) && name !== 'content-encoding') out[name] = value
      })
      if (hold !== undefined) {
        hold.arrive()
        await hold.released
      }
      res.writeHead(answer.status, { ...out, 'content-length': String(payload.length) })
      res.end(payload)
    })().catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    hold(route) {
      let arrive!: () => void
      let release!: () => void
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve
      })
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      releases.add(release)
      holds.set(route, [...(holds.get(route) ?? []), { arrive, released }])
      return { arrived, release }
    },
    count: (route) => counts.get(route) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of releases) release()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
