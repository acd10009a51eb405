/**
 * Benchmark 1 — upstream requests per canonical query (SPEC §5 budget, §11).
 *
 * The gateway (its own process) calls the sandbox through the counting proxy; each query is sent
 * once to warm the principal cache, the counts are reset, and the query is sent again. The naive
 * count is what a resolver-per-field server without batching would send, computed from the very
 * response: one call per object or list that loads.
 */
import type { GatewayInfo } from './children/gateway.js'
import type { SandboxInfo } from './children/sandbox.js'
import { type Child, startChild } from './lib/child.js'
import { bearer, expectData } from './lib/http.js'
import { CLIENT_SESSION_SCREEN, deviceLookup, WORKSPACE_DASHBOARD } from './lib/queries.js'
import { type Section, table } from './lib/report.js'
import { int } from './lib/stats.js'

interface Dashboard {
  clientSessions: Array<{ connectedAccounts: Array<{ devices: { nodes: unknown[] } }> }>
}

interface Screen {
  viewer: {
    clientSession: {
      connectedAccounts: Array<{ devices: { nodes: unknown[] } }>
      devices: { nodes: unknown[] }
    }
  }
}

/** One measured query. */
interface Row {
  name: string
  loaded: string
  cold: number
  warm: number
  naive: number
  naiveFormula: string
  byPath: Record<string, number>
}

/** Sends `query` cold (new credential) and warm, and counts the upstream requests of each. */
async function measure<TData>(
  sandbox: Child<SandboxInfo>,
  gatewayUrl: string,
  query: string,
  headers: Record<string, string>,
): Promise<{ data: TData; cold: number; warm: number; byPath: Record<string, number> }> {
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
  await sandbox.request('reset')
  await expectData<TData>(gatewayUrl, query, headers)
  const cold = total(await sandbox.request<Record<string, number>>('counts'))
  await sandbox.request('reset')
  const data = await expectData<TData>(gatewayUrl, query, headers)
  const byPath = await sandbox.request<Record<string, number>>('counts')
  return { data, cold, warm: total(byPath), byPath }
}

/** Runs benchmark 1 and returns its section. */
export async function runUpstreamRequests(): Promise<Section> {
  const children: Array<Child<unknown>> = []
  try {
    const sandbox = await startChild<SandboxInfo>('sandbox')
    children.push(sandbox)
    const gateway = await startChild<GatewayInfo>('gateway', {
      env: {
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
        SEAM_ENDPOINT: sandbox.info.proxyUrl,
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
        SHUTDOWN_GRACE_MS: '1000',
      },
    })
    children.push(gateway)
    const url = gateway.info.url
    const { apiKey, sessionTokens, deviceIds } = sandbox.info
    const rows: Row[] = []

    // A workspace's dashboard: every session, its accounts, their devices.
    const dashboard = await measure<Dashboard>(sandbox, url, WORKSPACE_DASHBOARD, bearer(apiKey))
    const sessions = dashboard.data.clientSessions
    const accounts = sessions.flatMap((s) => s.connectedAccounts)
    const dashboardDevices = accounts.flatMap((a) => a.devices.nodes).length
    rows.push({
      name: 'workspace dashboard (API key)',
      loaded: `${sessions.length} sessions, ${accounts.length} accounts, ${dashboardDevices} devices`,
      ...dashboard,
      naive: 1 + 2 * accounts.length,
      naiveFormula: `1 list + ${accounts.length} account gets + ${accounts.length} device lists`,
    })

    // A client session's screen: its accounts with their devices, and its devices with their account.
    const screen = await measure<Screen>(sandbox, url, CLIENT_SESSION_SCREEN, bearer(sessionTokens[0]!))
    const session = screen.data.viewer.clientSession
    const screenAccounts = session.connectedAccounts.length
    const screenDevices = session.devices.nodes.length
    rows.push({
      name: 'client session screen (session token)',
      loaded: `1 session, ${screenAccounts} accounts, ${screenDevices} devices (twice)`,
      ...screen,
      naive: 1 + 2 * screenAccounts + 1 + screenDevices,
      naiveFormula: `1 session get + ${screenAccounts} account gets + ${screenAccounts} device lists + 1 device list + ${screenDevices} account gets`,
    })

    // Twenty aliased device lookups.
    const lookupIds = deviceIds.slice(0, 20)
    const lookup = await measure<Record<string, unknown>>(
      sandbox,
      url,
      deviceLookup(lookupIds),
      bearer(sessionTokens[1]!),
    )
    const found = Object.values(lookup.data).filter((device) => device !== null).length
    rows.push({
      name: `${lookupIds.length}-alias device lookup (session token)`,
      loaded: `${found} devices`,
      ...lookup,
      naive: found,
      naiveFormula: `${found} device gets`,
    })

    // A lock action and its outcome: `unlockDoor`, then the attempt read once (what
    // `actionAttemptUpdated` costs at subscribe time; polling `actionAttempt` costs this every time).
    const unlock = await measure<{ unlockDoor: { actionAttempt: { actionAttemptId: string } } }>(
      sandbox,
      url,
      'mutation { unlockDoor(deviceId: "august_device_1") { actionAttempt { actionAttemptId status } } }',
      bearer(apiKey),
    )
    rows.push({
      name: 'unlockDoor (API key)',
      loaded: '1 lock, 1 action attempt',
      ...unlock,
      naive: 2,
      naiveFormula: '1 device get (the wall) + 1 unlock',
    })
    const attemptId = unlock.data.unlockDoor.actionAttempt.actionAttemptId
    const outcome = await measure<Record<string, unknown>>(
      sandbox,
      url,
      `{ actionAttempt(actionAttemptId: "${attemptId}") { status device { locked } } }`,
      bearer(apiKey),
    )
    rows.push({
      name: 'its outcome: actionAttempt, or actionAttemptUpdated at subscribe (API key)',
      loaded: '1 action attempt, its lock',
      ...outcome,
      naive: 2,
      naiveFormula: '1 attempt get + 1 device get',
    })

    const counts = table(
      ['query', 'loaded', 'gateway requests', 'naive requests', 'saved', 'first request of a credential'],
      rows.map((row) => [
        row.name,
        row.loaded,
        int(row.warm),
        int(row.naive),
        `${int(row.naive - row.warm)} (${Math.round((100 * (row.naive - row.warm)) / row.naive)}%)`,
        int(row.cold),
      ]),
    )
    const detail = table(
      ['query', 'gateway requests by path', 'naive count'],
      rows.map((row) => [
        row.name,
        Object.entries(row.byPath)
          .sort()
          .map(([path, n]) => `${path} ×${n}`)
          .join(', '),
        row.naiveFormula,
      ]),
    )
    const dashboardRow = rows[0]!
    return {
      title: '1. Upstream requests per canonical query',
      summary:
        'Requests on the wire between the gateway and the sandbox (counting proxy), for one query with a ' +
        'warm principal cache, against the naive resolver count computed from the same response.',
      tables: [counts, detail],
      notes: [
        '"first request of a credential" adds the one lookup that resolves a new credential ' +
          '(`/workspaces/get` or `/client_sessions/get`), cached for `PRINCIPAL_CACHE_TTL_MS` afterwards.',
      ],
      targets: [
        {
          target: `§5 budget: dashboard of ${sessions.length} sessions with accounts and devices in ≤ 3 requests`,
          measured: `${dashboardRow.warm} requests (naive ${dashboardRow.naive})`,
          met: dashboardRow.warm <= 3,
        },
      ],
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()))
  }
}
