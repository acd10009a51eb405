/**
 * Where a server's CPU goes: `npx tsx bench/profile.ts [scoped|kind|anonymous|mesh|bare] [seconds]`.
 *
 * Starts the fast upstream and the server as benchmark 2 does (compiled, production mode, the same
 * environment): the gateway for `scoped`, `kind` and `anonymous`, the Mesh peer for `mesh` (its
 * devices list), bare Yoga for `bare`. Warms it up with the load, then samples its CPU (V8's
 * profiler, from inside the process, over the measured window only) while autocannon sends one
 * query, and prints what the time went to: self and total time by file or package and by
 * function, per request. The profile itself is kept (`.cpuprofile`, for Chrome DevTools or
 * speedscope) and its path printed.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import { startChild } from './lib/child.js'
import { compileTree, removeTree } from './lib/compile.js'
import { type CpuProfile, formatSummary, summarizeProfile } from './lib/cpuprofile.js'
import { bearer, expectData, graphqlRequest } from './lib/http.js'
import { cannon } from './lib/load.js'
import { PRODUCTION_ENV, productionGatewayEnv } from './lib/production.js'
import { MESH_DEVICES, SCOPED_DEVICES } from './lib/queries.js'
import { int } from './lib/stats.js'

const QUERIES = {
  scoped: { server: 'gateway', query: SCOPED_DEVICES, authenticated: true },
  kind: { server: 'gateway', query: 'query ViewerKind { viewer { kind } }', authenticated: true },
  anonymous: { server: 'gateway', query: '{ __typename }', authenticated: false },
  mesh: { server: 'mesh', query: MESH_DEVICES, authenticated: true },
  bare: { server: 'bare-yoga', query: '{ __typename }', authenticated: false },
} as const

const CONNECTIONS = 10
const WARMUP_SECONDS = 5
/** Sampling interval of V8's profiler, in µs. */
const INTERVAL_MICROS = 100
const ROWS = 40

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'scoped') as keyof typeof QUERIES
  const seconds = Number(process.argv[3] ?? 10)
  const chosen = QUERIES[name]
  if (chosen === undefined) throw new Error(`Expected one of ${Object.keys(QUERIES).join(', ')}, got ${name}`)
  const root = compileTree('profile')
  const upstream = await startChild<FastUpstreamInfo>('fast-upstream', { root })
  const gateway = await startChild<{ url: string }>(chosen.server, {
    root,
    quiet: true,
    env:
      chosen.server === 'gateway'
        ? productionGatewayEnv(upstream.info.url)
        : { ...PRODUCTION_ENV, SEAM_ENDPOINT: upstream.info.url },
  })
  try {
    const headers = chosen.authenticated ? bearer(tokenOfSession('bench-profile')) : {}
    await expectData(gateway.info.url, chosen.query, headers)
    const load = (durationSeconds: number) =>
      cannon({
        url: `${gateway.info.url}/graphql`,
        request: graphqlRequest(chosen.query, headers),
        connections: CONNECTIONS,
        durationSeconds,
      })
    await load(WARMUP_SECONDS)
    const dir = path.join(os.tmpdir(), 'seam-gw-profiles')
    mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
    const before = await gateway.request<NodeJS.CpuUsage>('cpu')
    await gateway.request('profile-start', INTERVAL_MICROS)
    const result = await load(seconds)
    await gateway.request('profile-stop', file)
    const after = await gateway.request<NodeJS.CpuUsage>('cpu')
    const requests = result.ok
    const cpu = after.user - before.user + (after.system - before.system)

    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, root)
    const per = (micros: number) => (micros / requests).toFixed(1).padStart(7)
    process.stdout.write(
      [
        `${name}: ${int(requests)} requests in ${seconds} s (${int(result.requestsPerSecond)}/s), ` +
          `${result.failed} failed; process CPU ${int(cpu / requests)} µs per request ` +
          `(profiled ${int(summary.busyMicros / requests)} µs busy, with the profiler's own cost)`,
        '',
        ...formatSummary(summary, { unit: 'µs per request', per, rows: ROWS, file }),
      ].join('\n'),
    )
  } finally {
    await Promise.all([gateway.stop(), upstream.stop()])
    removeTree(root)
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
