import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sleep } from './clients.js'

/** An answer a test scripts for an upstream request: an HTTP response, or no answer at all. */
export type Fault = { status: number; headers?: Record<string, string>; body?: string } | 'hang'

/** Seam being down: a 503 with Seam's error body. */
export const SEAM_DOWN: Fault = {
  status: 503,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { type: 'service_unavailable', message: 'Seam is down' } }),
}

/**
 * A hand-made upstream for what the sandbox cannot do (answer late, rate-limit, fail once, hang):
 * it stands between the gateway and a real sandbox, forwards every request unchanged (optionally
 * late), and answers scripted faults instead where a test asks for them. It records every route
 * it is asked for, and every request whose connection the gateway closed before an answer came.
 */
export async function startFaultyUpstream(target: string) {
  const scripted = new Map<string, Fault[]>()
  const always = new Map<string, Fault>()
  let everything: Fault | undefined
  let delayMs = 0
  const requests: string[] = []
  const abandoned: Array<{ path: string; at: number }> = []

  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
        headers[name] = value
      }
    }
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method ?? 'POST',
      headers,
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    })
    const payload = Buffer.from(await answer.arrayBuffer())
    const out: Record<string, string> = {}
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
        out[name] = value
    })
    if (delayMs > 0) await sleep(delayMs)
    res.writeHead(answer.status, { ...out, 'content-length': String(payload.length) })
    res.end(payload)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const route = (req.url ?? '/').split('?')[0]!
      requests.push(route)
      res.once('close', () => {
        if (!res.writableFinished) abandoned.push({ path: route, at: performance.now() })
      })
      const fault = scripted.get(route)?.shift() ?? always.get(route) ?? everything
      if (fault === 'hang') return // Never answers; close() ends the connection.
      if (fault !== undefined) {
        res.writeHead(fault.status, fault.headers ?? {})
        res.end(fault.body ?? '')
        return
      }
      forward(req, res, Buffer.concat(chunks)).catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    /** Routes asked for, in order. */
    requests,
    /** Requests whose connection closed before an answer came, with when. */
    abandoned,
    /** Requests of `route` so far. */
    count: (route: string) => requests.filter((requested) => requested === route).length,
    /** The next requests of `route` get these answers, one each; later ones go through again. */
    failNext(route: string, ...faults: Fault[]) {
      scripted.set(route, [...(scripted.get(route) ?? []), ...faults])
    },
    /** Every request of `route` gets this answer until `reset`. */
    failAlways(route: string, fault: Fault) {
      always.set(route, fault)
    },
    /** Every request of any route gets this answer; `undefined` forwards again. */
    failEverything(fault: Fault | undefined) {
      everything = fault
    },
    /** Forwarded answers wait this long first. */
    delay(ms: number) {
      delayMs = ms
    },
    /** Forgets every fault, the delay and what was recorded. */
    reset() {
      scripted.clear()
      always.clear()
      everything = undefined
      delayMs = 0
      requests.length = 0
      abandoned.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
