/**
 * Benchmark 3 — the gateway against the alternatives a user would pick, on the same upstream and
 * data (SPEC §11: fewer upstream calls and higher throughput).
 *
 * One client session screen (the session's accounts with their devices, and its devices with their
 * account), three ways, all through the counting proxy in front of the sandbox:
 *
 * - composed on the client with `@seamapi/http` (session, accounts, then devices per account);
 * - a GraphQL Mesh gateway generated from Seam's OpenAPI (one request with three root fields; it has
 *   no links between types, so the client groups devices by account itself);
 * - this gateway (one query).
 *
 * All three must produce the same accounts and devices before anything is measured.
 */
import { SeamHttp } from '@seamapi/http/connect'
import type { GatewayInfo } from './children/gateway.js'
import type { MeshInfo } from './children/mesh.js'
import type { SandboxInfo } from './children/sandbox.js'
import { type Child, startChild } from './lib/child.js'
import { bearer, expectData, graphqlRequest } from './lib/http.js'
import { cannon, type LoadResult, loop, sequential } from './lib/load.js'
import { CLIENT_SESSION_SCREEN, MESH_CLIENT_SESSION_SCREEN } from './lib/queries.js'
import { describeError, type Section, table } from './lib/report.js'
import { int, mib, ms, ratio, type Summary } from './lib/stats.js'

const SEQUENTIAL_RUNS = 30
const CONCURRENCY = 8
const LOAD_SECONDS = 8
/** Each way runs this long under load before it is measured (JIT, connection pools, caches). */
const WARMUP_MS = 3000

/** A screen's content, comparable across the three ways: account id → sorted device ids. */
type ScreenContent = Record<string, string[]>

interface GatewayScreen {
  viewer: {
    clientSession: {
      connectedAccounts: Array<{
        connectedAccountId: string
        devices: { nodes: Array<{ deviceId: string }> }
      }>
      devices: { nodes: Array<{ deviceId: string; connectedAccount: { connectedAccountId: string } | null }> }
    }
  }
}

interface MeshScreen {
  clientSessionsGetGet: { client_session: { connected_account_ids: string[] } }
  connectedAccountsListGet: { connected_accounts: Array<{ connected_account_id: string }> }
  devicesListGet: { devices: Array<{ device_id: string; connected_account_id: string }> }
}

const sortedContent = (content: ScreenContent): string =>
  JSON.stringify(
    Object.keys(content)
      .sort()
      .map((account) => [account, [...content[account]!].sort()]),
  )

function gatewayContent(screen: GatewayScreen): ScreenContent {
  const session = screen.viewer.clientSession
  const content: ScreenContent = {}
  for (const account of session.connectedAccounts) {
    content[account.connectedAccountId] = account.devices.nodes.map((d) => d.deviceId)
  }
  return content
}

function groupDevices(
  accountIds: readonly string[],
  devices: ReadonlyArray<{ device_id: string; connected_account_id?: string | undefined }>,
): ScreenContent {
  const content: ScreenContent = Object.fromEntries(accountIds.map((id) => [id, [] as string[]]))
  for (const device of devices) {
    if (device.connected_account_id !== undefined)
      content[device.connected_account_id]?.push(device.device_id)
  }
  return content
}

/** One way of getting the screen, as measured. */
interface Peer {
  name: string
  requestsPerScreen: number | undefined
  byPath: Record<string, number>
  latency: Summary | undefined
  load: LoadResult | undefined
  requestsPerScreenUnderLoad: number | undefined
  /** CPU time per screen during the load, of the process that composed it (server or client). */
  cpuPerScreen: number | undefined
  /** CPU time per screen during the load, of the sandbox process (proxy included). */
  sandboxCpuPerScreen: number | undefined
  rss: number | undefined
  error?: string
}

type CpuUsage = NodeJS.CpuUsage

const cpuMicros = (before: CpuUsage, after: CpuUsage) =>
  after.user - before.user + (after.system - before.system)

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

/** Runs benchmark 3 and returns its section. */
export async function runPeers(): Promise<Section> {
  const children: Array<Child<unknown>> = []
  try {
    const sandbox = await startChild<SandboxInfo>('sandbox')
    children.push(sandbox)
    const { proxyUrl } = sandbox.info
    const token = sandbox.info.sessionTokens[0]!
    const gateway = await startChild<GatewayInfo>('gateway', {
      env: {
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
        SEAM_ENDPOINT: proxyUrl,
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
        SHUTDOWN_GRACE_MS: '1000',
      },
    })
    children.push(gateway)

    /** Counts the upstream requests of one call of `operation`. */
    const countOne = async (operation: () => Promise<unknown>) => {
      await sandbox.request('reset')
      await operation()
      const byPath = await sandbox.request<Record<string, number>>('counts')
      return { byPath, requests: total(byPath) }
    }
    /**
     * Runs a load and counts, per screen, the upstream requests it caused and the CPU time of the
     * process that composed the screens (`cpu`) and of the sandbox.
     */
    const countLoad = async (load: () => Promise<LoadResult>, cpu: () => Promise<CpuUsage>) => {
      await sandbox.request('reset')
      const [before, sandboxBefore] = await Promise.all([cpu(), sandbox.request<CpuUsage>('cpu')])
      const result = await load()
      const [after, sandboxAfter] = await Promise.all([cpu(), sandbox.request<CpuUsage>('cpu')])
      const requests = total(await sandbox.request<Record<string, number>>('counts'))
      const screens = Math.max(1, result.ok)
      return {
        result,
        perScreen: requests / screens,
        cpuPerScreen: cpuMicros(before, after) / screens,
        sandboxCpuPerScreen: cpuMicros(sandboxBefore, sandboxAfter) / screens,
      }
    }

    // Client-side composition with the official SDK, as a front end without a gateway would do it.
    const seam = SeamHttp.fromClientSessionToken(token, { endpoint: proxyUrl })
    const composeOnClient = async (): Promise<ScreenContent> => {
      const [session, accounts] = await Promise.all([
        seam.clientSessions.get(),
        seam.connectedAccounts.list(),
      ])
      const perAccount = await Promise.all(
        session.connected_account_ids.map((id) => seam.devices.list({ connected_account_id: id })),
      )
      return groupDevices(
        accounts.map((a) => a.connected_account_id),
        perAccount.flat(),
      )
    }
    const gatewayScreen = async (): Promise<ScreenContent> =>
      gatewayContent(await expectData<GatewayScreen>(gateway.info.url, CLIENT_SESSION_SCREEN, bearer(token)))

    const expected = sortedContent(await gatewayScreen())
    const composed = sortedContent(await composeOnClient())
    if (composed !== expected) {
      throw new Error(`Expected the composed screen to equal the gateway's ${expected}, got ${composed}`)
    }

    const peers: Peer[] = []
    /**
     * Measures one way of getting the screen, after a warm-up under the same load: the upstream
     * requests of one screen, sequential latency, then `load` with the CPU read by `cpu`.
     */
    const measure = async (
      name: string,
      screen: () => Promise<unknown>,
      load: () => Promise<LoadResult>,
      cpu: () => Promise<CpuUsage>,
      rss: () => Promise<number | undefined>,
    ): Promise<Peer> => {
      await loop(async () => void (await screen()), CONCURRENCY, WARMUP_MS)
      const one = await countOne(screen)
      const latency = await sequential(async () => void (await screen()), SEQUENTIAL_RUNS)
      const loaded = await countLoad(load, cpu)
      return {
        name,
        requestsPerScreen: one.requests,
        byPath: one.byPath,
        latency,
        load: loaded.result,
        requestsPerScreenUnderLoad: loaded.perScreen,
        cpuPerScreen: loaded.cpuPerScreen,
        sandboxCpuPerScreen: loaded.sandboxCpuPerScreen,
        rss: await rss(),
      }
    }
    /** autocannon posting `query` to a GraphQL server at `url`. */
    const cannonAt = (url: string, query: string) => () =>
      cannon({
        url: `${url}/graphql`,
        request: graphqlRequest(query, bearer(token)),
        connections: CONCURRENCY,
        durationSeconds: LOAD_SECONDS,
      })

    // 1. Composition on the client.
    peers.push(
      await measure(
        'client composition with @seamapi/http',
        composeOnClient,
        () => loop(async () => void (await composeOnClient()), CONCURRENCY, LOAD_SECONDS * 1000),
        async () => process.cpuUsage(),
        async () => undefined,
      ),
    )

    // 2. GraphQL Mesh generated from Seam's OpenAPI.
    const MESH = 'GraphQL Mesh from Seam OpenAPI (@omnigraph/openapi + Yoga)'
    let meshBuildMs: number | undefined
    try {
      const mesh = await startChild<MeshInfo>('mesh', {
        env: { SEAM_ENDPOINT: proxyUrl },
        readyTimeoutMs: 120_000,
      })
      children.push(mesh)
      meshBuildMs = mesh.info.buildMs
      const meshScreen = async (): Promise<ScreenContent> => {
        const data = await expectData<MeshScreen>(mesh.info.url, MESH_CLIENT_SESSION_SCREEN, bearer(token))
        return groupDevices(
          data.connectedAccountsListGet.connected_accounts.map((a) => a.connected_account_id),
          data.devicesListGet.devices,
        )
      }
      const meshed = sortedContent(await meshScreen())
      if (meshed !== expected) {
        throw new Error(`Expected the Mesh screen to equal the gateway's ${expected}, got ${meshed}`)
      }
      peers.push(
        await measure(
          MESH,
          meshScreen,
          cannonAt(mesh.info.url, MESH_CLIENT_SESSION_SCREEN),
          () => mesh.request<CpuUsage>('cpu'),
          () => mesh.request<number>('rss'),
        ),
      )
    } catch (error) {
      peers.push({
        name: MESH,
        requestsPerScreen: undefined,
        byPath: {},
        latency: undefined,
        load: undefined,
        requestsPerScreenUnderLoad: undefined,
        cpuPerScreen: undefined,
        sandboxCpuPerScreen: undefined,
        rss: undefined,
        error: describeError(error),
      })
    }

    // 3. This gateway (its principal cache is warm from the equality check above).
    peers.push(
      await measure(
        'this gateway',
        gatewayScreen,
        cannonAt(gateway.info.url, CLIENT_SESSION_SCREEN),
        () => gateway.request<CpuUsage>('cpu'),
        () => gateway.request<number>('rss'),
      ),
    )

    const ours = peers[peers.length - 1]!
    const notMeasured = 'not measured'
    const results = table(
      [
        'way',
        'upstream requests per screen',
        'under load',
        'latency p50 (sequential)',
        'p99',
        'screens/s',
        '× this gateway',
        'failed',
        'CPU per screen: composing process',
        'CPU per screen: sandbox',
        'RSS after load',
      ],
      peers.map((peer) => [
        peer.name,
        peer.requestsPerScreen === undefined ? notMeasured : int(peer.requestsPerScreen),
        peer.requestsPerScreenUnderLoad === undefined
          ? notMeasured
          : peer.requestsPerScreenUnderLoad.toFixed(2),
        peer.latency === undefined ? notMeasured : ms(peer.latency.p50),
        peer.latency === undefined ? notMeasured : ms(peer.latency.p99),
        peer.load === undefined ? notMeasured : int(peer.load.requestsPerSecond),
        peer.load === undefined
          ? notMeasured
          : ratio(peer.load.requestsPerSecond / ours.load!.requestsPerSecond),
        peer.load === undefined ? notMeasured : int(peer.load.failed),
        peer.cpuPerScreen === undefined ? notMeasured : `${int(peer.cpuPerScreen)} µs`,
        peer.sandboxCpuPerScreen === undefined ? notMeasured : `${int(peer.sandboxCpuPerScreen)} µs`,
        peer.rss === undefined
          ? peer.error === undefined
            ? 'n/a (in the client)'
            : notMeasured
          : mib(peer.rss),
      ]),
    )
    const paths = table(
      ['way', 'upstream requests of one screen, by path'],
      peers.map((peer) => [
        peer.name,
        peer.requestsPerScreen === undefined
          ? notMeasured
          : Object.entries(peer.byPath)
              .sort()
              .map(([path, n]) => `${path} ×${n}`)
              .join(', '),
      ]),
    )
    const others = peers.slice(0, -1).filter((peer) => peer.load !== undefined)
    const meshPeer = peers[1]!
    return {
      title: '3. Peers on the same upstream and data',
      summary:
        "One client session's screen (2 connected accounts, 20 devices) from the sandbox through the counting " +
        `proxy: upstream requests of one screen and per screen under load, latency over ${SEQUENTIAL_RUNS} ` +
        `sequential screens, and screens per second with ${CONCURRENCY} in flight for ${LOAD_SECONDS} s; each ` +
        `way first runs ${WARMUP_MS / 1000} s under the same load unmeasured.`,
      tables: [results, paths],
      notes: [
        'All processes share 2 cores: the sandbox (with the counting proxy), the server under test, and ' +
          'the load generator (for the client composition, the client itself). "CPU per screen" says where ' +
          'each way spends: the composing process is the gateway or the Mesh process, or for the client ' +
          'composition the client process.',
        'The gateway serves the session from its principal cache (resolved once, then cached for ' +
          '`PRINCIPAL_CACHE_TTL_MS`); the client composition and Mesh ask for it on every screen.',
        'Mesh gets one request with three root fields (session, accounts, all devices); grouping devices by ' +
          'account is left to the client. Only fields valid under its generated UUID scalars are selected.',
        ...(meshBuildMs === undefined
          ? []
          : [`Mesh built its schema from the OpenAPI document in ${ms(meshBuildMs)}.`]),
        ...(meshPeer.error === undefined ? [] : [`GraphQL Mesh was not measured: ${meshPeer.error}`]),
      ],
      targets: [
        {
          target: 'fewer upstream calls per screen than client composition and Mesh',
          measured: peers
            .map((p) => `${p.name.split(' (')[0]}: ${p.requestsPerScreen ?? notMeasured}`)
            .join('; '),
          met:
            meshPeer.error !== undefined
              ? undefined
              : peers.slice(0, -1).every((p) => (p.requestsPerScreen ?? 0) > ours.requestsPerScreen!),
        },
        {
          target: 'higher throughput than client composition and Mesh',
          measured: peers
            .map(
              (p) =>
                `${p.name.split(' (')[0]}: ${p.load === undefined ? notMeasured : `${int(p.load.requestsPerSecond)}/s`}`,
            )
            .join('; '),
          met:
            meshPeer.error !== undefined
              ? undefined
              : others.every((p) => p.load!.requestsPerSecond < ours.load!.requestsPerSecond),
        },
      ],
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()))
  }
}
