/**
 * Benchmark 2 — CPU per request and idle RSS (SPEC §11: the scoped query at ≤ 0.7× the CPU per
 * request of the GraphQL Mesh peer and ≤ 2.5× a bare Yoga `{ __typename }`; `viewer { kind }` at
 * ≤ 1.5× bare Yoga; idle RSS in production mode at most Mesh's).
 *
 * Child processes: the fast upstream (canned Seam JSON), the gateway on it, the Mesh peer on it
 * (Seam's OpenAPI through `@omnigraph/openapi` + Yoga) and a bare Yoga server; autocannon runs here,
 * in the parent. Every server runs as production runs it: compiled to JavaScript on plain `node`
 * (`lib/compile.ts`), `NODE_ENV=production`; the gateway with its default log level (its lines go
 * to /dev/null) and its rate limits counting (at a ceiling the load never reaches). Every load gets
 * the same connections for the same time, in alternating rounds so that a drift of the machine
 * affects all alike. Each server's CPU time is read from inside its process (`process.cpuUsage()`)
 * around its measured windows.
 *
 * Two gateway loads split its cost: the scoped query (one upstream call per request) and
 * `viewer { kind }` (the same credential, no upstream call). A last table prices one upstream call
 * by HTTP client.
 *
 * `npx tsx bench/cpu.ts` runs the first table and the RSS alone (a minute), for a quick look.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { BareYogaInfo } from './children/bare-yoga.js'
import { type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import type { GatewayInfo } from './children/gateway.js'
import type { MeshInfo } from './children/mesh.js'
import { UPSTREAM_CLIENTS, type UpstreamClientRun } from './children/upstream-client.js'
import { type Child, startChild } from './lib/child.js'
import { compileTree, removeTree } from './lib/compile.js'
import { bearer, expectData, graphqlRequest } from './lib/http.js'
import { cannon, type LoadResult, paced } from './lib/load.js'
import { PRODUCTION_ENV, productionGatewayEnv } from './lib/production.js'
import { MESH_DEVICES, SCOPED_DEVICES } from './lib/queries.js'
import { renderSection, type Section, table } from './lib/report.js'
import { int, mib, ms, ratio } from './lib/stats.js'

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
/** How long a server sits idle after its first answers before its RSS is read. */
const IDLE_MS = 2000

/** SPEC §11's ceilings on CPU per request. */
const SCOPED_PER_MESH = 0.7
const SCOPED_PER_BARE = 2.5
const KIND_PER_BARE = 1.5

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

/** Options of {@link runCpu}. */
export interface CpuOptions {
  /** Only the CPU table and idle RSS: no fixed-rate latency, no HTTP clients. @default false */
  quick?: boolean
  /** Measured rounds per load. @default 2 */
  rounds?: number
  /** Seconds per measured round. @default 4 */
  roundSeconds?: number
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
export async function runCpu(options: CpuOptions = {}): Promise<Section> {
  const rounds = options.rounds ?? ROUNDS
  const roundSeconds = options.roundSeconds ?? ROUND_SECONDS
  const children: Array<Child<unknown>> = []
  let stopSink: (() => Promise<void>) | undefined
  const root = compileTree('cpu')
  try {
    const upstream = await startChild<FastUpstreamInfo>('fast-upstream', { root })
    children.push(upstream)
    // Where the traced gateway exports its spans (OTLP/HTTP): takes every batch, answers 200.
    const sink = await startOtlpSink()
    stopSink = sink.stop
    const [gateway, traced, mesh, bare] = await Promise.all([
      startChild<GatewayInfo>('gateway', { root, quiet: true, env: productionGatewayEnv(upstream.info.url) }),
      startChild<GatewayInfo>('traced-gateway', {
        root,
        quiet: true,
        env: {
          ...productionGatewayEnv(upstream.info.url),
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
          OTEL_SERVICE_NAME: 'bench-gateway',
        },
      }),
      startChild<MeshInfo>('mesh', { root, env: { ...PRODUCTION_ENV, SEAM_ENDPOINT: upstream.info.url } }),
      startChild<BareYogaInfo>('bare-yoga', { root, env: PRODUCTION_ENV }),
    ])
    children.push(gateway, traced, mesh, bare)

    const token = tokenOfSession('bench-cpu')
    const scoped = await expectData<{
      viewer: { clientSession: { devices: { nodes: unknown[] } } }
    }>(gateway.info.url, SCOPED_DEVICES, bearer(token))
    const deviceCount = scoped.viewer.clientSession.devices.nodes.length
    const meshed = await expectData<{ devicesListGet: { devices: unknown[] } }>(
      mesh.info.url,
      MESH_DEVICES,
      bearer(token),
    )
    if (meshed.devicesListGet.devices.length !== deviceCount) {
      throw new Error(
        `Expected Mesh to list the gateway's ${deviceCount} devices, got ${meshed.devicesListGet.devices.length}`,
      )
    }
    await expectData(gateway.info.url, VIEWER_KIND, bearer(token))
    await expectData(traced.info.url, SCOPED_DEVICES, bearer(token))
    await expectData(bare.info.url, '{ __typename }')

    // Idle RSS: each server started and answered its first requests, then left alone.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
    const [gatewayRss, meshRss, bareRss] = await Promise.all([
      gateway.request<number>('rss'),
      mesh.request<number>('rss'),
      bare.request<number>('rss'),
    ])

    const gatewayScoped: Load = {
      name: 'gateway, scoped query',
      query: SCOPED_DEVICES,
      server: gateway,
      url: gateway.info.url,
      headers: bearer(token),
    }
    const gatewayTraced: Load = {
      name: 'gateway, scoped query, tracing on (OTLP export)',
      query: SCOPED_DEVICES,
      server: traced,
      url: traced.info.url,
      headers: bearer(token),
    }
    const gatewayNoUpstream: Load = {
      name: 'gateway, `viewer { kind }`',
      query: VIEWER_KIND,
      server: gateway,
      url: gateway.info.url,
      headers: bearer(token),
    }
    const meshDevices: Load = {
      name: 'GraphQL Mesh from Seam OpenAPI, devices list',
      query: MESH_DEVICES,
      server: mesh,
      url: mesh.info.url,
      headers: bearer(token),
    }
    const bareYoga: Load = {
      name: 'bare Yoga',
      query: '{ __typename }',
      server: bare,
      url: bare.info.url,
      headers: {},
    }
    const loads = [gatewayScoped, gatewayTraced, gatewayNoUpstream, meshDevices, bareYoga]

    // Warm-up: JIT, connection pools, the principal cache.
    for (const load of loads) await run(load, WARMUP_SECONDS)

    const windows = new Map<Load, Array<{ result: LoadResult; cpuMicros: number }>>(loads.map((l) => [l, []]))
    let upstreamMicros = 0
    let upstreamCalls = 0
    for (let round = 0; round < rounds; round++) {
      for (const load of loads) {
        const [before, upstreamBefore] = await Promise.all([
          load.server.request<CpuUsage>('cpu'),
          upstream.request<CpuUsage>('cpu'),
        ])
        const result = await run(load, roundSeconds)
        const [after, upstreamAfter] = await Promise.all([
          load.server.request<CpuUsage>('cpu'),
          upstream.request<CpuUsage>('cpu'),
        ])
        windows.get(load)!.push({ result, cpuMicros: cpuMicros(before, after) })
        if (load === gatewayScoped) {
          upstreamMicros += cpuMicros(upstreamBefore, upstreamAfter)
          upstreamCalls += result.ok
        }
      }
    }
    const measured = new Map<Load, Measured>(
      loads.map((load) => {
        const list = windows.get(load)!
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
    const cpuOf = (load: Load) => measured.get(load)!.cpuMicrosPerRequest
    const scopedPerMesh = cpuOf(gatewayScoped) / cpuOf(meshDevices)
    const scopedPerBare = cpuOf(gatewayScoped) / cpuOf(bareYoga)
    const kindPerBare = cpuOf(gatewayNoUpstream) / cpuOf(bareYoga)

    const throughput = table(
      ['load', 'query', 'requests/s', 'CPU per request', 'CPU × bare Yoga', 'CPU × Mesh', 'failed'],
      loads.map((load) => {
        const m = measured.get(load)!
        return [
          load.name,
          load === gatewayScoped || load === gatewayTraced
            ? `viewer.clientSession.devices (${deviceCount} devices)`
            : load === meshDevices
              ? `devicesListGet (${deviceCount} devices)`
              : `\`${load.query}\``,
          int(m.requestsPerSecond),
          `${int(m.cpuMicrosPerRequest)} µs`,
          ratio(m.cpuMicrosPerRequest / cpuOf(bareYoga)),
          ratio(m.cpuMicrosPerRequest / cpuOf(meshDevices)),
          int(m.failed),
        ]
      }),
    )
    const memory = table(
      ['server (production mode)', 'idle RSS', '× Mesh'],
      (
        [
          ['this gateway', gatewayRss],
          ['GraphQL Mesh from Seam OpenAPI', meshRss],
          ['bare Yoga', bareRss],
        ] as const
      ).map(([name, rss]) => [name, mib(rss), ratio(rss / meshRss)]),
    )

    const tables = [throughput, memory]
    const notes = [
      'Each server runs in its own process, compiled to JavaScript on plain `node` with ' +
        '`NODE_ENV=production`; autocannon runs in the parent, so on 2 cores it takes CPU from the ' +
        "servers alike. CPU per request is the server process's own user+system time divided by the " +
        'requests it answered.',
      `Each scoped request made one upstream call (\`/devices/list\`; the principal is cached), and so ` +
        `did each Mesh request; the fast upstream spent ${int(upstreamMicros / upstreamCalls)} µs of CPU ` +
        'per call, on the same 2 cores.',
      'The gateway runs with its defaults but for the rate limits, counted at their highest settings ' +
        '(1,000,000 a minute) so that no round reaches them, and its log lines (one per request at the ' +
        'default `info`) written to /dev/null.',
      `Idle RSS: each server ${IDLE_MS / 1000} s after it started and answered its first requests, ` +
        'before any load.',
    ]
    if (!options.quick) {
      const g = measured.get(gatewayScoped)!
      // Latency at one fixed moderate rate, the same for the scoped query and bare Yoga.
      const rate = Math.max(20, Math.round((g.requestsPerSecond * FIXED_RATE_SHARE) / 10) * 10)
      const gatewayAtRate = await runAtRate(gatewayScoped, FIXED_RATE_SECONDS, rate)
      const bareAtRate = await runAtRate(bareYoga, FIXED_RATE_SECONDS, rate)

      // One upstream call, priced by HTTP client, each in a fresh process of its own (so that none
      // pays for warming up code the others share, such as axios and undici).
      const clientRuns: Array<[string, UpstreamClientRun]> = []
      for (const kind of UPSTREAM_CLIENTS) {
        const client = await startChild<Record<string, never>>('upstream-client', { root })
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
      tables.push(
        table(
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
        ),
        table(
          [
            'HTTP client (one `/devices/list` call)',
            'CPU per call',
            '× the cheapest',
            'calls/s (10 in flight)',
          ],
          clientRuns.map(([kind, r]) => [
            kind,
            `${int(r.cpuMicros / r.calls)} µs`,
            ratio(r.cpuMicros / r.calls / fastest),
            int(r.calls / (r.wallMs / 1000)),
          ]),
        ),
      )
      notes.push(
        'The HTTP client table runs each client alone in a fresh process of its own against the fast ' +
          'upstream: its CPU per call is what one upstream call adds to a gateway request.',
      )
    }
    return {
      title: '2. CPU per request',
      summary:
        `autocannon (${CONNECTIONS} connections, ${rounds} alternating rounds of ${roundSeconds} s per load ` +
        `after ${WARMUP_SECONDS} s of warm-up each) against the gateway and the GraphQL Mesh peer on a fast ` +
        'local upstream, and against a bare Yoga server; idle RSS of each' +
        (options.quick
          ? '.'
          : '; then the scoped query and bare Yoga at one fixed moderate rate, evenly paced ' +
            `(${Math.round(FIXED_RATE_SHARE * 100)}% of the gateway's maximum) for ${FIXED_RATE_SECONDS} s; then ` +
            `${CLIENT_CALLS} upstream calls per HTTP client (after ${CLIENT_WARMUP_CALLS} warm-up calls).`),
      tables,
      notes,
      targets: [
        {
          target: `scoped devices query ≤ ${SCOPED_PER_MESH}× the CPU per request of the Mesh peer`,
          measured: `${ratio(scopedPerMesh)} (${int(cpuOf(gatewayScoped))} vs ${int(cpuOf(meshDevices))} µs)`,
          met: scopedPerMesh <= SCOPED_PER_MESH,
          before: '1.5–2.6× (1,484–2,409 vs 908–987 µs; Mesh then on the sandbox only)',
        },
        {
          target: `scoped devices query ≤ ${SCOPED_PER_BARE}× the CPU per request of bare Yoga`,
          measured: `${ratio(scopedPerBare)} (${int(cpuOf(gatewayScoped))} vs ${int(cpuOf(bareYoga))} µs)`,
          met: scopedPerBare <= SCOPED_PER_BARE,
          before: '5.8–6.0× (bare Yoga 254–402 µs)',
        },
        {
          target: `\`viewer { kind }\` ≤ ${KIND_PER_BARE}× the CPU per request of bare Yoga`,
          measured: `${ratio(kindPerBare)} (${int(cpuOf(gatewayNoUpstream))} vs ${int(cpuOf(bareYoga))} µs)`,
          met: kindPerBare <= KIND_PER_BARE,
          before: '1.5–2.3× (577–619 µs)',
        },
        {
          target: 'tracing on: its cost per request, shown (tracing off builds no tracer: no span code runs)',
          measured: `+${int(cpuOf(gatewayTraced) - cpuOf(gatewayScoped))} µs per scoped request (${ratio(cpuOf(gatewayTraced) / cpuOf(gatewayScoped))} of tracing off)`,
          met: true,
        },
        {
          target: 'idle RSS in production mode at most the Mesh peer’s',
          measured: `${mib(gatewayRss)} vs ${mib(meshRss)}`,
          met: gatewayRss <= meshRss,
          before: '140.5–144.9 MiB (the sandbox loaded in production)',
        },
      ],
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()))
    await stopSink?.()
    removeTree(root)
  }
}

/**
 * An OTLP/HTTP receiver that takes every export and answers 200, counting requests and bytes: the
 * traced gateway exports to it, so that the cost of tracing on includes serialising and sending.
 */
async function startOtlpSink(): Promise<{ url: string; exports: () => number; stop: () => Promise<void> }> {
  let exports = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      exports++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => exports,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// `npx tsx bench/cpu.ts [rounds] [seconds]`: the CPU table and idle RSS alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [rounds, seconds] = process.argv.slice(2).map(Number)
  runCpu({ quick: true, rounds: rounds || undefined, roundSeconds: seconds || undefined }).then(
    (section) => {
      process.stdout.write(`${renderSection(section)}\n`)
      for (const t of section.targets)
        process.stdout.write(`- ${t.met ? 'met' : 'NOT met'}: ${t.target}: ${t.measured}\n`)
      process.exit()
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exit(1)
    },
  )
}
