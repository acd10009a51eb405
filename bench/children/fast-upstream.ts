/**
 * A fast local upstream for the benchmarks: a bare `node:http` server answering canned Seam-shaped
 * JSON (copied from the sandbox, see `bench/fixtures/seam-responses.json`) in microseconds, so that
 * what a benchmark measures is the gateway, not Seam or its fake. A benchmark fixture, not a test
 * mock: it checks nothing beyond what the gateway needs to get a correct answer.
 *
 * Client sessions are made up from their token: `seam_cst_<id>` is the session `<id>`, so any number
 * of distinct sessions exist without a store. Every session reaches the two canned connected
 * accounts and their devices; any id can be deleted.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serveParent } from '../lib/child.js'

/** What the fast upstream reports once listening. */
export interface FastUpstreamInfo {
  url: string
}

/** A session id's token on this upstream, and back. */
export const tokenOfSession = (clientSessionId: string): string => `seam_cst_${clientSessionId}`
const sessionOfToken = (token: string): string => token.slice('seam_cst_'.length)

interface Canned {
  '/workspaces/get': { workspace: Record<string, unknown> }
  '/client_sessions/get': { client_session: Record<string, unknown> }
  '/connected_accounts/list': { connected_accounts: unknown[]; pagination: unknown }
  '/devices/list': {
    devices: Array<{ device_id: string; connected_account_id: string }>
    pagination: unknown
  }
}

const canned = JSON.parse(
  readFileSync(new URL('../fixtures/seam-responses.json', import.meta.url), 'utf8'),
) as Canned

// Serialized once: the common answers cost a write, not a JSON.stringify.
const WORKSPACE = JSON.stringify(canned['/workspaces/get'])
const ACCOUNTS = JSON.stringify(canned['/connected_accounts/list'])
const DELETED = JSON.stringify({ ok: true })
const devicesAnswers = new Map<string, string>()

/**
 * The bench account and device of a session id `acct-<n>` (device events: one account of its own
 * per session, with one lock): `bench_account_<n>`, `bench_device_<n>`.
 */
export const benchAccount = (n: number): string => `bench_account_${n}`
export const benchDevice = (n: number): string => `bench_device_${n}`
const ACCOUNT_SESSION = /^acct-(\d+)$/
const BENCH_DEVICE = /^bench_device_(\d+)$/
const BENCH_ACCOUNT = /^bench_account_(\d+)$/

/** A lock of a bench account, shaped like the first canned device. */
const benchLock = (n: number) => ({
  ...canned['/devices/list'].devices[0],
  device_id: benchDevice(n),
  connected_account_id: benchAccount(n),
})

function session(clientSessionId: string): string {
  const account = ACCOUNT_SESSION.exec(clientSessionId)?.[1]
  return JSON.stringify({
    client_session: {
      ...canned['/client_sessions/get'].client_session,
      ...(account === undefined ? {} : { connected_account_ids: [benchAccount(Number(account))] }),
      client_session_id: clientSessionId,
      token: tokenOfSession(clientSessionId),
      user_identifier_key: `user-${clientSessionId}`,
      // Always a day ahead, whenever the fixture was captured.
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    },
    ok: true,
  })
}

function devices(body: { connected_account_ids?: string[]; device_ids?: string[] }): string {
  const key = JSON.stringify([body.connected_account_ids ?? null, body.device_ids ?? null])
  let answer = devicesAnswers.get(key)
  if (answer === undefined) {
    const accounts = body.connected_account_ids === undefined ? null : new Set(body.connected_account_ids)
    const ids = body.device_ids === undefined ? null : new Set(body.device_ids)
    // The bench locks named by id or by account, then the canned devices.
    const bench = new Set<number>()
    for (const id of ids ?? []) if (BENCH_DEVICE.test(id)) bench.add(Number(BENCH_DEVICE.exec(id)![1]))
    for (const id of accounts ?? []) if (BENCH_ACCOUNT.test(id)) bench.add(Number(BENCH_ACCOUNT.exec(id)![1]))
    answer = JSON.stringify({
      devices: [
        ...[...bench].map(benchLock),
        ...canned['/devices/list'].devices.filter(
          (device) =>
            (accounts === null || accounts.has(device.connected_account_id)) &&
            (ids === null || ids.has(device.device_id)),
        ),
      ],
      pagination: canned['/devices/list'].pagination,
      ok: true,
    })
    devicesAnswers.set(key, answer)
  }
  return answer
}

function send(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
  res.end(json)
}

function seamError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, JSON.stringify({ error: { type, message }, ok: false }))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  if (chunks.length === 0) return {}
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  if (path === '/health') return send(res, 200, DELETED)
  if (token === undefined || !token.startsWith('seam_')) {
    return seamError(res, 401, 'unauthorized', 'Expected a Bearer credential, got none')
  }
  const clientSession = token.startsWith('seam_cst_')
  const body = await readJson(req)
  switch (path) {
    case '/workspaces/get':
      return send(res, 200, WORKSPACE)
    case '/client_sessions/get': {
      const id = clientSession ? sessionOfToken(token) : body.client_session_id
      if (typeof id !== 'string') return seamError(res, 400, 'invalid_input', 'client_session_id is required')
      return send(res, 200, session(id))
    }
    case '/client_sessions/delete':
      return send(res, 200, DELETED)
    case '/connected_accounts/list':
      return send(res, 200, ACCOUNTS)
    case '/devices/list':
      return send(res, 200, devices(body as Parameters<typeof devices>[0]))
    default:
      return seamError(res, 404, 'not_found', `The fast upstream does not serve ${path}`)
  }
}

await serveParent<FastUpstreamInfo>(async () => {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      seamError(res, 500, 'internal_server_error', error instanceof Error ? error.message : String(error)),
    )
  })
  // Keep-alive connections from the gateway outlive the benchmark's 5 s default idle timeout.
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    info: { url: `http://127.0.0.1:${port}` },
    handlers: { cpu: () => process.cpuUsage() },
    dispose: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
})
