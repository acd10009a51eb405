/**
 * Benchmark 2 — CPU per request (SPEC §11: ≥ 0.6× the requests per second of a bare Yoga server).
 *
 * Child processes: the fast upstream (canned Seam JSON), the gateway on it, and a bare Yoga server;
 * autocannon runs here, in the parent. Every load gets the same connections for the same time, in
 * alternating rounds so that a drift of the machine affects all alike. Each server's CPU time is
 * read from inside its process (`process.cpuUsage()`) around its measured windows.
 *
 * Two gateway loads split its cost: the scoped query (one upstream call per request) and
 * `viewer { kind }` (the same credential, no upstream call). A last table prices one upstream call
 * by HTTP client, since that call is most of the difference (SPEC §5 asks for this measurement
 * before keeping or replacing `@seamapi/http`).
 */
import type { BareYogaInfo } from './children/bare-yoga.js'
import { type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import type { GatewayInfo } from './children/gateway.js'
import { UPSTREAM_CLIENTS, type UpstreamClientRun } from './children/upstream-client.js'
import { type Child, startChild } from './lib/child.js'
import { bearer, expectData, graphqlRequest } from './lib/http.js'
import { cannon, type LoadResult, paced } from './lib/load.js'
import { SCOPED_DEVICES } from './lib/queries.js'
import { type Section, table } from './lib/report.js'
import { int, ms, ratio } from './lib/stats.js'

const CONNECTIONS = 10
const WARMUP_SECONDS = 3
/** Measured windows per load, alternating between the loads. */
const ROUNDS = 2
const ROUND_SECONDS = 4
const FIXED_RATE_SECONDS = 6
/** The fixed moderate rate is this share of the gateway's measured maximum. */
const FIXED_RATE_SHARE = 0.25
const CLIENT_CALLS = 1500
const CLIENT_WARMUP_CALLS = 1000
const TARGET_RATIO = 0.6

const VIEWER_KIND = 'query ViewerKind { viewer { kind } }'

type CpuUsage = NodeJS.CpuUsage

const cpuMicros = (before: CpuUsage, after: CpuUsage) =>
  after.user - before.user + (after.system - before.system)

/** One autocannon load against one server process. */
interface Load {
  name: string
  query: string
  server: Child<unknown>
  url: string
  headers: Record<string, string>
}

/** A load's rounds added up. */
interface Measured {
  requestsPerSecond: number
  ok: number
  failed: number
  cpuMicrosPerRequest: number
}

const run = (load: Load, durationSeconds: number): Promise<LoadResult> =>
  cannon({
    url: `${load.url}/graphql`,
    request: graphqlRequest(load.query, load.headers),
    connections: CONNECTIONS,
    durationSeconds,
  })

const runAtRate = (load: Load, durationSeconds: number, rate: number): Promise<LoadResult> =>
  paced({
    url: `${load.url}/graphql`,
    request: graphqlRequest(load.query, load.headers),
    rate,
    durationSeconds,
  })

/** Runs benchmark 2 and returns its section. */
export async function runCpu(): Promise<Section> {
  const children: Array<Child<unknown>> = []
  try {
    const [upstream, bare] = await Promise.all([
      startChild<FastUpstreamInfo>('fast-upstream'),
      startChild<BareYogaInfo>('bare-yoga'),
    ])
    children.push(upstream, bare)
    const gateway = await startChild<GatewayInfo>('gateway', {
      env: {
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
        SEAM_ENDPOINT: upstream.info.url,
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
        SHUTDOWN_GRACE_MS: '1000',
      },
    })
    children.push(gateway)

    const token = tokenOfSession('bench-cpu')
    const scoped = await expectData<{
      viewer: { clientSession: { devices: { nodes: unknown[] } } }
    }>(gateway.info.url, SCOPED_DEVICES, bearer(token))
    const deviceCount = scoped.viewer.clientSession.devices.nodes.length
    await expectData(gateway.info.url, VIEWER_KIND, bearer(token))
    await expectData(bare.info.url, '{ __typename }')

    const gatewayScoped: Load = {
      name: 'gateway, scoped query',
      query: SCOPED_DEVICES,
      server: gateway,
      url: gateway.info.url,
      headers: bearer(token),
    }
    const gatewayNoUpstream: Load = {
      name: 'gateway, `viewer { kind }`',
      query: VIEWER_KIND,
      server: gateway,
      url: gateway.info.url,
      headers: bearer(token),
    }
    const bareYoga: Load = {
      name: 'bare Yoga',
      query: '{ __typename }',
      server: bare,
      url: bare.info.url,
      headers: {},
    }
    const loads = [gatewayScoped, gatewayNoUpstream, bareYoga]

    // Warm-up: JIT, connection pools, the principal cache.
    for (const load of loads) await run(load, WARMUP_SECONDS)

    const rounds = new Map<Load, Array<{ result: LoadResult; cpuMicros: number }>>(loads.map((l) => [l, []]))
    let upstreamMicros = 0
    let upstreamCalls = 0
    for (let round = 0; round < ROUNDS; round++) {
      for (const load of loads) {
        const [before, upstreamBefore] = await Promise.all([
          load.server.request<CpuUsage>('cpu'),
          upstream.request<CpuUsage>('cpu'),
        ])
        const result = await run(load, ROUND_SECONDS)
        const [after, upstreamAfter] = await Promise.all([
          load.server.request<CpuUsage>('cpu'),
          upstream.request<CpuUsage>('cpu'),
        ])
        rounds.get(load)!.push({ result, cpuMicros: cpuMicros(before, after) })
        if (load === gatewayScoped) {
          upstreamMicros += cpuMicros(upstreamBefore, upstreamAfter)
          upstreamCalls += result.ok
        }
      }
    }
    const measured = new Map<Load, Measured>(
      loads.map((load) => {
        const list = rounds.get(load)!
        const ok = list.reduce((n, r) => n + r.result.ok, 0)
        return [
          load,
          {
            requestsPerSecond: list.reduce((n, r) => n + r.result.requestsPerSecond, 0) / list.length,
            ok,
            failed: list.reduce((n, r) => n + r.result.failed, 0),
            cpuMicrosPerRequest: list.reduce((n, r) => n + r.cpuMicros, 0) / ok,
          },
        ]
      }),
    )
    const g = measured.get(gatewayScoped)!
    const b = measured.get(bareYoga)!
    const throughputRatio = g.requestsPerSecond / b.requestsPerSecond

    // Latency at one fixed moderate rate, the same for the scoped query and bare Yoga.
    const rate = Math.max(20, Math.round((g.requestsPerSecond * FIXED_RATE_SHARE) / 10) * 10)
    const gatewayAtRate = await runAtRate(gatewayScoped, FIXED_RATE_SECONDS, rate)
    const bareAtRate = await runAtRate(bareYoga, FIXED_RATE_SECONDS, rate)

    // One upstream call, priced by HTTP client, each in a fresh process of its own (so that none
    // pays for warming up code the others share, such as axios and undici).
    const clientRuns: Array<[string, UpstreamClientRun]> = []
    for (const kind of UPSTREAM_CLIENTS) {
      const client = await startChild<Record<string, never>>('upstream-client')
      children.push(client)
      clientRuns.push([
        kind,
        await client.request<UpstreamClientRun>('run', {
          kind,
          endpoint: upstream.info.url,
          token,
          calls: CLIENT_CALLS,
          warmupCalls: CLIENT_WARMUP_CALLS,
          concurrency: CONNECTIONS,
        }),
      ])
      await client.stop()
    }
    const fastest = Math.min(...clientRuns.map(([, r]) => r.cpuMicros / r.calls))

    const throughput = table(
      ['load', 'query', 'requests/s', '× bare Yoga', 'CPU per request', 'failed'],
      loads.map((load) => {
        const m = measured.get(load)!
        return [
          load.name,
          load === gatewayScoped
            ? `viewer.clientSession.devices (${deviceCount} devices)`
            : `\`${load.query}\``,
          int(m.requestsPerSecond),
          ratio(m.requestsPerSecond / b.requestsPerSecond),
          `${int(m.cpuMicrosPerRequest)} µs`,
          int(m.failed),
        ]
      }),
    )
    const latency = table(
      ['load', 'fixed rate', 'p50', 'p99', 'max', 'failed'],
      [
        [gatewayScoped.name, gatewayAtRate],
        [bareYoga.name, bareAtRate],
      ].map(([name, result]) => {
        const r = result as LoadResult
        return [
          name as string,
          `${rate} req/s`,
          ms(r.latency.p50),
          ms(r.latency.p99),
          ms(r.latency.max),
          int(r.failed),
        ]
      }),
    )
    const clients = table(
      ['HTTP client (one `/devices/list` call)', 'CPU per call', '× node:http', 'calls/s (10 in flight)'],
      clientRuns.map(([kind, r]) => [
        kind,
        `${int(r.cpuMicros / r.calls)} µs`,
        ratio(r.cpuMicros / r.calls / fastest),
        int(r.calls / (r.wallMs / 1000)),
      ]),
    )
    return {
      title: '2. CPU per request',
      summary:
        `autocannon (${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s per load ` +
        `after ${WARMUP_SECONDS} s of warm-up each) against the gateway on a fast local upstream and against ` +
        'a bare Yoga server; then the scoped query and bare Yoga at one fixed moderate rate, evenly paced ' +
        `(${Math.round(FIXED_RATE_SHARE * 100)}% of the gateway's maximum) for ${FIXED_RATE_SECONDS} s; then ` +
        `${CLIENT_CALLS} upstream calls per HTTP client (after ${CLIENT_WARMUP_CALLS} warm-up calls).`,
      tables: [throughput, latency, clients],
      notes: [
        'Each server runs in its own process; autocannon runs in the parent, so on 2 cores it takes CPU ' +
          "from the servers alike. CPU per request is the server process's own user+system time divided " +
          'by the requests it answered.',
        `Each scoped request made one upstream call (\`/devices/list\`; the principal is cached); the fast ` +
          `upstream spent ${int(upstreamMicros / upstreamCalls)} µs of CPU per call, on the same 2 cores.`,
        'The last table runs each client alone in a fresh process of its own against the fast upstream: ' +
          'its CPU per call is what one upstream call adds to a gateway request.',
      ],
      targets: [
        {
          target: `gateway scoped query ≥ ${TARGET_RATIO}× the requests/s of bare Yoga`,
          measured: `${ratio(throughputRatio)} (${int(g.requestsPerSecond)} vs ${int(b.requestsPerSecond)} req/s)`,
          met: throughputRatio >= TARGET_RATIO,
        },
      ],
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()))
  }
}
