/**
 * What one upstream call costs the caller's CPU, by HTTP client: the gateway's own upstream module
 * (`src/upstream/client.ts`: `node:http` with a keep-alive agent, with its breaker and retries),
 * `@seamapi/http` as shipped, `@seamapi/http` on axios' `http` adapter, Node's global `fetch`
 * (undici), and `node:http` with a keep-alive agent. Each makes the gateway's `/devices/list` call
 * of the CPU benchmark against the fast upstream, in this process only, so that its CPU time is the
 * client's alone.
 */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { SeamHttp } from '@seamapi/http/connect'
import { createUpstream } from '../../src/upstream/client.js'
import { serveParent } from '../lib/child.js'

/** The clients compared, in table order. */
export const UPSTREAM_CLIENTS = [
  'gateway upstream module (src/upstream)',
  '@seamapi/http as shipped (axios, fetch adapter)',
  '@seamapi/http on axios http adapter',
  'global fetch (undici)',
  'node:http, keep-alive agent',
] as const

/** One of {@link UPSTREAM_CLIENTS}. */
export type UpstreamClientKind = (typeof UPSTREAM_CLIENTS)[number]

/** What `run` measured. */
export interface UpstreamClientRun {
  calls: number
  cpuMicros: number
  wallMs: number
}

// The call of the scoped query: the devices of the canned session's connected accounts.
const BODY = {
  connected_account_ids: (
    JSON.parse(readFileSync(new URL('../fixtures/seam-responses.json', import.meta.url), 'utf8')) as {
      '/client_sessions/get': { client_session: { connected_account_ids: string[] } }
    }
  )['/client_sessions/get'].client_session.connected_account_ids,
}

function makeCall(kind: UpstreamClientKind, endpoint: string, token: string): () => Promise<unknown> {
  const url = `${endpoint}/devices/list`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  switch (kind) {
    case 'gateway upstream module (src/upstream)': {
      const upstream = createUpstream({ endpoint })
      const credential = { kind: 'clientSessionToken' as const, token }
      // A client per call, as the gateway makes one per request.
      return () => upstream.as(credential).all('/devices/list', 'devices', BODY)
    }
    case '@seamapi/http as shipped (axios, fetch adapter)': {
      const seam = SeamHttp.fromClientSessionToken(token, { endpoint, axiosRetryOptions: { retries: 0 } })
      return () => seam.devices.list(BODY)
    }
    case '@seamapi/http on axios http adapter': {
      const seam = SeamHttp.fromClientSessionToken(token, {
        endpoint,
        axiosRetryOptions: { retries: 0 },
        axiosOptions: { adapter: 'http' },
      })
      return () => seam.devices.list(BODY)
    }
    case 'global fetch (undici)':
      return async () => {
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(BODY) })
        return response.json()
      }
    case 'node:http, keep-alive agent': {
      const agent = new Agent({ keepAlive: true })
      return () =>
        new Promise((resolve, reject) => {
          const req = request(url, { method: 'POST', headers, agent }, (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
            res.on('error', reject)
          })
          req.on('error', reject)
          req.end(JSON.stringify(BODY))
        })
    }
  }
}

await serveParent(async () => ({
  info: {},
  handlers: {
    run: async (args: {
      kind: UpstreamClientKind
      endpoint: string
      token: string
      calls: number
      warmupCalls: number
      concurrency: number
    }): Promise<UpstreamClientRun> => {
      const call = makeCall(args.kind, args.endpoint, args.token)
      // Warm-up: connections, and enough calls for the JIT to settle (the first client measured
      // would otherwise pay for it).
      for (let i = 0; i < args.warmupCalls; i++) await call()
      let left = args.calls
      const worker = async () => {
        while (left-- > 0) await call()
      }
      const cpuBefore = process.cpuUsage()
      const started = performance.now()
      await Promise.all(Array.from({ length: args.concurrency }, worker))
      const wallMs = performance.now() - started
      const cpu = process.cpuUsage(cpuBefore)
      return { calls: args.calls, cpuMicros: cpu.user + cpu.system, wallMs }
    },
  },
  dispose: async () => {},
}))
