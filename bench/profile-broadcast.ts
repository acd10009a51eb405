/**
 * Where a workspace broadcast's CPU goes: `npx tsx bench/profile-broadcast.ts [broadcasts] [folder]`.
 *
 * Benchmark 4's phase 3 (the gateway compiled, on the fast upstream; 250 workspace sockets × 200
 * unfiltered `clientSessionDeleted` subscriptions of lightweight clients), then one unmeasured
 * broadcast, then `broadcasts` more (default 5) under V8's profiler. Prints each broadcast's last
 * arrival, the gateway's CPU per broadcast and per delivery, and what the sampled time went to, per
 * delivery, by file or package and by function. The profile is kept and its path printed. `folder`
 * holds another copy of the gateway's `src/` (and `sandbox/`) to profile instead of this one's
 * (`git archive <commit> src sandbox test/helpers package.json | tar -x -C <folder>`).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastUpstreamInfo } from './children/fast-upstream.js'
import type { GatewayInfo } from './children/gateway.js'
import { REPO_ROOT, startChild } from './lib/child.js'
import { compileTree, removeTree } from './lib/compile.js'
import { type CpuProfile, formatSummary, summarizeProfile } from './lib/cpuprofile.js'
import { Fanout } from './lib/fanout.js'
import { bearer, expectData, readMetric, waitUntil } from './lib/http.js'
import { subscriptionGatewayEnv } from './lib/production.js'
import { CLIENT_SESSION_DELETED, DELETE_CLIENT_SESSION } from './lib/queries.js'
import { int, ms } from './lib/stats.js'

const API_KEY = 'seam_apikey1_token'
const SOCKETS = 250
const PER_SOCKET = 200
const SUBSCRIPTIONS = SOCKETS * PER_SOCKET
const INTERVAL_MICROS = 100
const ROWS = 35

async function main(): Promise<void> {
  const broadcasts = Number(process.argv[2] ?? 5)
  const root = compileTree('profile-broadcast', process.argv[3] ?? REPO_ROOT)
  const upstream = await startChild<FastUpstreamInfo>('fast-upstream', { root })
  const gateway = await startChild<GatewayInfo>('gateway', {
    root,
    // GATEWAY_NODE_FLAGS='--trace-gc' (and quiet off) shows each collection.
    nodeFlags: process.env.GATEWAY_NODE_FLAGS?.split(' ').filter(Boolean) ?? [],
    quiet: process.env.GATEWAY_NODE_FLAGS === undefined,
    env: subscriptionGatewayEnv(upstream.info.url, `whsec_${randomBytes(24).toString('base64')}`, 1000),
  })
  const fanout = new Fanout()
  try {
    const { url, metricsUrl } = gateway.info
    await fanout.open(url, SOCKETS, () => ({ authorization: `Bearer ${API_KEY}` }))
    fanout.subscribe(CLIENT_SESSION_DELETED, PER_SOCKET, () => ({}))
    await waitUntil(
      async () => (await readMetric(metricsUrl, 'gateway_open_subscriptions')) === SUBSCRIPTIONS,
      `${SUBSCRIPTIONS} open subscriptions`,
      120_000,
      100,
    )
    const broadcast = async (b: number) => {
      const arrivals = fanout.expect(SUBSCRIPTIONS, 60_000)
      const sent = performance.now()
      await expectData(url, DELETE_CLIENT_SESSION, bearer(API_KEY), { clientSessionId: `profile-${b}` })
      let last = 0
      for (const at of await arrivals) last = Math.max(last, at - sent)
      return last
    }
    await broadcast(-1)
    const dir = path.join(os.tmpdir(), 'seam-gw-profiles')
    mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `broadcast-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
    const before = await gateway.request<NodeJS.CpuUsage>('cpu')
    await gateway.request('profile-start', INTERVAL_MICROS)
    const lasts: number[] = []
    for (let b = 0; b < broadcasts; b++) lasts.push(await broadcast(b))
    await gateway.request('profile-stop', file)
    const after = await gateway.request<NodeJS.CpuUsage>('cpu')
    const cpuMs = (after.user - before.user + after.system - before.system) / 1000
    const deliveries = broadcasts * SUBSCRIPTIONS
    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, root)
    const per = (micros: number) => ((micros / deliveries) * 1000).toFixed(0).padStart(7)
    process.stdout.write(
      [
        `${broadcasts} broadcasts to ${int(SUBSCRIPTIONS)}: last arrivals ${lasts.map((t) => ms(t)).join(', ')}`,
        `gateway CPU ${ms(cpuMs / broadcasts)} per broadcast, ${((cpuMs * 1000) / deliveries).toFixed(2)} µs per delivery ` +
          `(profiled ${ms(summary.busyMicros / 1000 / broadcasts)} busy per broadcast)`,
        '',
        ...formatSummary(summary, { unit: 'ns per delivery', per, rows: ROWS, file }),
      ].join('\n'),
    )
  } finally {
    await fanout.close().catch(() => undefined)
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
