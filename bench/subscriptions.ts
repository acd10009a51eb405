/**
 * Benchmark 4 — graphql-ws subscriptions on one gateway (SPEC §11: 50,000 idle subscriptions at
 * ≤ 4 KiB of RSS each; a workspace broadcast reaches all 50,000 in under 500 ms and all 10,000 in
 * under 150 ms; a targeted deletion reaches its one subscriber among 10,000 in p99 < 20 ms).
 *
 * The gateway runs in a child process with `--expose-gc` on the fast upstream (any `seam_cst_<id>`
 * token is the live session `<id>` there, and any id can be deleted). The clients (real graphql-ws
 * clients on `ws`) run here, in the parent. Deliveries are timed from sending the
 * `deleteClientSession` mutation (HTTP) to the subscriber's `next`.
 *
 * - Control: client-session sockets alone, each subscribed to its own end; sessions deleted one at
 *   a time. What a targeted delivery costs with nobody else listening.
 * - Phase 1: workspace sockets holding subscriptions filtered by a distinct `clientSessionId`, plus
 *   client-session sockets subscribed to their own end: 10,000 subscriptions. Heap is read inside
 *   the gateway after full collections before the sockets, after them, and after the subscriptions;
 *   then sessions of both kinds are deleted one at a time; then every client leaves and the heap and
 *   subscriptions left behind are read.
 * - Phase 2, on a fresh gateway: 10,000 unfiltered workspace subscriptions; one session is deleted
 *   and every subscriber's arrival is timed.
 * - Phase 3, on another fresh gateway: 250 workspace sockets × 200 unfiltered subscriptions; RSS
 *   and heap per subscription, then broadcasts to all 50,000 timed to the last arrival, with
 *   lightweight protocol clients (`lib/fanout.ts`) so that the gateway is what is timed.
 */
import { randomBytes } from 'node:crypto'
import { type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import type { GatewayInfo, HeapAnswer } from './children/gateway.js'
import { type Child, startChild } from './lib/child.js'
import { compileTree, removeTree } from './lib/compile.js'
import { Fanout } from './lib/fanout.js'
import { bearer, expectData, readMetric, waitUntil } from './lib/http.js'
import { subscriptionGatewayEnv } from './lib/production.js'
import { CLIENT_SESSION_DELETED, DELETE_CLIENT_SESSION } from './lib/queries.js'
import { type Section, table } from './lib/report.js'
import { int, kib, mib, ms, type Summary, summarize } from './lib/stats.js'
import { sendSeamWebhook } from './lib/webhook.js'
import { disposeAll, nextEvent, openSockets, type Socket, type Subscription, subscribe } from './lib/ws.js'

const API_KEY = 'seam_apikey1_token'
const WORKSPACE_ID = 'seed_workspace_1'
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`
const SUBSCRIPTIONS = 10_000
/** Client-session sockets of phase 1, one subscription each (their own end). */
const SESSION_SOCKETS = 300
/** Workspace sockets; the other subscriptions are spread over them. */
const WORKSPACE_SOCKETS = 200
const CONTROL_RUNS = 100
const OWN_RUNS = 200
/** Sessions among the 10,000 ended by Seam's webhook instead of the mutation. */
const OWN_WEBHOOK_RUNS = 100
const FILTERED_RUNS = 100
/** No sequence of deletions may take longer than this; it then stops with the samples it has. */
const SEQUENCE_BUDGET_MS = 60_000
const BROADCASTS = 3
const EVENT_TIMEOUT_MS = 10_000
const BROADCAST_TIMEOUT_MS = 60_000
/** How long after the last socket closed the gateway is given to release their subscriptions. */
const RELEASE_WAIT_MS = 2000

/** Phase 3: 250 workspace sockets × 200 unfiltered subscriptions. */
const LARGE_SOCKETS = 250
const LARGE_PER_SOCKET = 200
const LARGE_SUBSCRIPTIONS = LARGE_SOCKETS * LARGE_PER_SOCKET
const LARGE_BROADCASTS = 3

const TARGET_HEAP_BYTES = 8 * 1024
const TARGET_TARGETED_P99_MS = 20
const TARGET_BROADCAST_LAST_MS = 150
const TARGET_LARGE_RSS_BYTES = 4 * 1024
const TARGET_LARGE_BROADCAST_LAST_MS = 500

/** CPU time between two `process.cpuUsage()` readings, in ms. */
const cpuMsSince = (before: NodeJS.CpuUsage, after: NodeJS.CpuUsage) =>
  (after.user - before.user + after.system - before.system) / 1000

/** Runs benchmark 4 and returns its section. */
export async function runSubscriptions(): Promise<Section> {
  const children: Array<Child<unknown>> = []
  const fanouts: Fanout[] = []
  let sockets: Socket[] = []
  // The gateway as production runs it: plain JavaScript on node, not under tsx's loader (whose
  // per-function name helpers alone add half a KiB to every subscription's closures).
  const root = compileTree('subscriptions')
  try {
    const upstream = await startChild<FastUpstreamInfo>('fast-upstream', { root })
    children.push(upstream)
    const startGateway = async () => {
      const child = await startChild<GatewayInfo>('gateway', {
        root,
        nodeFlags: ['--expose-gc'],
        env: subscriptionGatewayEnv(upstream.info.url, WEBHOOK_SECRET, 1000),
      })
      children.push(child)
      return child
    }
    let gateway = await startGateway()
    let url = gateway.info.url
    let metricsUrl = gateway.info.metricsUrl
    const heap = async () => (await gateway.request<HeapAnswer>('heap')).heapUsed
    const openSubscriptions = () => readMetric(metricsUrl, 'gateway_open_subscriptions')
    const waitForSubscriptions = (count: number) =>
      waitUntil(
        async () => (await openSubscriptions()) === count,
        `${count} open subscriptions on the gateway`,
        60_000,
        100,
      )
    const deleteSession = async (clientSessionId: string) => {
      await expectData(url, DELETE_CLIENT_SESSION, bearer(API_KEY), { clientSessionId })
    }
    // Seam's own report of a deletion: a Svix-signed `client_session.deleted` webhook, which reaches
    // the event path with no upstream call.
    const deleteByWebhook = (clientSessionId: string) =>
      sendSeamWebhook(url, WEBHOOK_SECRET, {
        event_type: 'client_session.deleted',
        workspace_id: WORKSPACE_ID,
        client_session_id: clientSessionId,
      })
    /**
     * One workspace subscription and one event on a fresh gateway, as phase 1's warm-up, so that
     * what is built lazily (and the mutation's first run) is neither in its baseline nor timed.
     */
    const warmUp = async (clientSessionId: string) => {
      const warm = await openSockets(url, 1, () => ({ authorization: `Bearer ${API_KEY}` }))
      const warmSubscription = subscribe(warm[0]!, CLIENT_SESSION_DELETED)
      await waitForSubscriptions(1)
      const arrival = nextEvent(warmSubscription, EVENT_TIMEOUT_MS)
      await deleteSession(clientSessionId)
      await arrival
      await disposeAll(warm)
      await waitForSubscriptions(0)
    }
    const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const started = performance.now()
      const result = await work()
      return [result, performance.now() - started]
    }

    /**
     * Deletes sessions one at a time and times each delivery (and, for a session's own socket, its
     * 4403 close), within {@link SEQUENCE_BUDGET_MS}.
     */
    const deleteInTurn = async (
      targets: Array<{ clientSessionId: string; subscription: Subscription; socket?: Socket }>,
      end: (clientSessionId: string) => Promise<void> = deleteSession,
    ) => {
      const deliveries: number[] = []
      const closes: number[] = []
      const deadline = performance.now() + SEQUENCE_BUDGET_MS
      for (const { clientSessionId, subscription, socket } of targets) {
        if (performance.now() > deadline) break
        const arrival = nextEvent(subscription, EVENT_TIMEOUT_MS)
        const sent = performance.now()
        await end(clientSessionId)
        deliveries.push((await arrival) - sent)
        if (socket !== undefined) {
          const close = await socket.closed
          if (close.code !== 4403) {
            throw new Error(`Expected the ended session's socket to close with 4403, got ${close.code}`)
          }
          closes.push(close.at - sent)
        }
      }
      return { deliveries: summarize(deliveries), closes: summarize(closes) }
    }

    // Warm-up: every code path the measured phases use runs once, so that the baseline heap already
    // holds what is built lazily (schema caches, compiled code) and no subscription is charged for it.
    {
      const warm = await openSockets(url, 2, (i) =>
        i === 0 ? { authorization: `Bearer ${API_KEY}` } : { clientSessionToken: tokenOfSession('warm-up') },
      )
      const filtered = subscribe(warm[0]!, CLIENT_SESSION_DELETED, { clientSessionId: 'warm-up' })
      const own = subscribe(warm[1]!, CLIENT_SESSION_DELETED)
      await waitForSubscriptions(2)
      const arrivals = [nextEvent(filtered, EVENT_TIMEOUT_MS), nextEvent(own, EVENT_TIMEOUT_MS)]
      await deleteSession('warm-up')
      await Promise.all([...arrivals, warm[1]!.closed])
      await disposeAll(warm)
    }
    // A closed socket releases its subscriptions at once: the warm-up leaves nothing behind.
    await waitForSubscriptions(0)
    const baseline = 0

    // Control: targeted deliveries with nobody else subscribed, ended through the mutation and
    // through Seam's webhook.
    const controlIds = Array.from({ length: 2 * CONTROL_RUNS }, (_, i) => `bench-control-${i}`)
    const controlSockets = await openSockets(url, 2 * CONTROL_RUNS, (i) => ({
      clientSessionToken: tokenOfSession(controlIds[i]!),
    }))
    sockets.push(...controlSockets)
    const controlSubscriptions = controlSockets.map((socket) => subscribe(socket, CLIENT_SESSION_DELETED))
    await waitForSubscriptions(baseline + 2 * CONTROL_RUNS)
    const controlTargets = controlIds.map((clientSessionId, i) => ({
      clientSessionId,
      subscription: controlSubscriptions[i]!,
      socket: controlSockets[i]!,
    }))
    const control = await deleteInTurn(controlTargets.slice(0, CONTROL_RUNS))
    const controlWebhook = await deleteInTurn(controlTargets.slice(CONTROL_RUNS), deleteByWebhook)
    await disposeAll(sockets)
    sockets = []
    await waitForSubscriptions(baseline)

    // Phase 1: 10,000 idle subscriptions.
    const heapBefore = await heap()
    const [, openMs] = await timed(async () => {
      sockets.push(
        ...(await openSockets(url, WORKSPACE_SOCKETS, () => ({ authorization: `Bearer ${API_KEY}` }))),
      )
    })
    const workspaceSockets = sockets.slice()
    const sessionIds = Array.from({ length: SESSION_SOCKETS }, (_, i) => `bench-own-${i}`)
    const sessionSockets = await openSockets(url, SESSION_SOCKETS, (i) => ({
      clientSessionToken: tokenOfSession(sessionIds[i]!),
    }))
    sockets.push(...sessionSockets)
    const heapSockets = await heap()

    const filteredCount = SUBSCRIPTIONS - SESSION_SOCKETS
    const filtered: Array<{ clientSessionId: string; subscription: Subscription }> = []
    const [ownSubscriptions, subscribeMs] = await timed(async () => {
      for (let i = 0; i < filteredCount; i++) {
        const clientSessionId = `bench-filtered-${i}`
        const socket = workspaceSockets[i % WORKSPACE_SOCKETS]!
        filtered.push({
          clientSessionId,
          subscription: subscribe(socket, CLIENT_SESSION_DELETED, { clientSessionId }),
        })
      }
      const own = sessionSockets.map((socket) => subscribe(socket, CLIENT_SESSION_DELETED))
      await waitForSubscriptions(baseline + SUBSCRIPTIONS)
      return own
    })
    const heapSubscribed = await heap()
    const { rss } = await gateway.request<HeapAnswer>('heap')
    const perSubscription = (heapSubscribed - heapSockets) / SUBSCRIPTIONS
    const perSubscriptionWithSockets = (heapSubscribed - heapBefore) / SUBSCRIPTIONS
    const perSocket = (heapSockets - heapBefore) / (WORKSPACE_SOCKETS + SESSION_SOCKETS)

    // Targeted deletions among the 10,000: a client session's own subscriber (its socket then
    // closes), ended through the mutation and then by Seam's webhook; then sessions watched by one
    // filtered workspace subscription.
    const ownTargets = sessionIds.map((clientSessionId, i) => ({
      clientSessionId,
      subscription: ownSubscriptions[i]!,
      socket: sessionSockets[i]!,
    }))
    const own = await deleteInTurn(ownTargets.slice(0, OWN_RUNS))
    const ownWebhook = await deleteInTurn(
      ownTargets.slice(OWN_RUNS, OWN_RUNS + OWN_WEBHOOK_RUNS),
      deleteByWebhook,
    )
    const stride = Math.floor(filtered.length / FILTERED_RUNS)
    const filteredRun = await deleteInTurn(
      Array.from({ length: FILTERED_RUNS }, (_, i) => filtered[i * stride]!),
    )

    // All clients leave; what the gateway still holds a while later is what it failed to release.
    await disposeAll(sockets)
    sockets = []
    await waitUntil(
      async () => (await readMetric(metricsUrl, 'gateway_open_sockets')) === 0,
      'every socket closed',
      30_000,
    )
    await new Promise((resolve) => setTimeout(resolve, RELEASE_WAIT_MS))
    const leftOpen = (await openSubscriptions()) - baseline
    const heapAfterClose = await heap()

    // Phase 2, on a fresh gateway (a clean heap and clean timings): one event
    // for 10,000 workspace subscribers.
    await gateway.stop()
    gateway = await startGateway()
    url = gateway.info.url
    metricsUrl = gateway.info.metricsUrl
    await warmUp('bench-broadcast-warm-up')
    const broadcastSockets = await openSockets(url, WORKSPACE_SOCKETS, () => ({
      authorization: `Bearer ${API_KEY}`,
    }))
    sockets.push(...broadcastSockets)
    const subscribers = Array.from({ length: SUBSCRIPTIONS }, (_, i) =>
      subscribe(broadcastSockets[i % WORKSPACE_SOCKETS]!, CLIENT_SESSION_DELETED),
    )
    await waitForSubscriptions(SUBSCRIPTIONS)
    const broadcastLatencies: number[] = []
    const lastArrivals: number[] = []
    // The clients' own CPU time while they wait: were they, rather than the gateway, the bottleneck?
    const clientCpuBefore = process.cpuUsage()
    const gatewayCpuBefore = await gateway.request<NodeJS.CpuUsage>('cpu')
    for (let b = 0; b < BROADCASTS; b++) {
      const arrivals = subscribers.map((subscription) => nextEvent(subscription, BROADCAST_TIMEOUT_MS))
      const sent = performance.now()
      await deleteSession(`bench-broadcast-${b}`)
      const times = (await Promise.all(arrivals)).map((at) => at - sent)
      broadcastLatencies.push(...times)
      lastArrivals.push(Math.max(...times))
    }
    const gatewayCpuMs = cpuMsSince(gatewayCpuBefore, await gateway.request<NodeJS.CpuUsage>('cpu'))
    const clientCpu = process.cpuUsage(clientCpuBefore)
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000
    const broadcastErrors = subscribers.reduce((n, s) => n + s.errors.length, 0)
    await disposeAll(sockets)
    sockets = []

    // Phase 3, on a fresh gateway: 50,000 idle subscriptions, their RSS, and broadcasts to all.
    await gateway.stop()
    gateway = await startGateway()
    url = gateway.info.url
    metricsUrl = gateway.info.metricsUrl
    await warmUp('bench-large-warm-up')
    const large = new Fanout()
    fanouts.push(large)
    const memoryBefore = await gateway.request<HeapAnswer>('heap')
    await large.open(url, LARGE_SOCKETS, () => ({ authorization: `Bearer ${API_KEY}` }))
    const memorySockets = await gateway.request<HeapAnswer>('heap')
    const [, largeSubscribeMs] = await timed(async () => {
      large.subscribe(CLIENT_SESSION_DELETED, LARGE_PER_SOCKET, () => ({}))
      await waitForSubscriptions(LARGE_SUBSCRIPTIONS)
    })
    const memorySubscribed = await gateway.request<HeapAnswer>('heap')
    const largeRssPerSubscription = (memorySubscribed.rss - memorySockets.rss) / LARGE_SUBSCRIPTIONS
    const largeRssWithSockets = (memorySubscribed.rss - memoryBefore.rss) / LARGE_SUBSCRIPTIONS
    const largeHeapPerSubscription =
      (memorySubscribed.heapUsed - memorySockets.heapUsed) / LARGE_SUBSCRIPTIONS
    const largeHeapWithSockets = (memorySubscribed.heapUsed - memoryBefore.heapUsed) / LARGE_SUBSCRIPTIONS
    const largeLatencies: number[] = []
    const largeLastArrivals: number[] = []
    const largeClientCpuBefore = process.cpuUsage()
    const largeGatewayCpuBefore = await gateway.request<NodeJS.CpuUsage>('cpu')
    for (let b = 0; b < LARGE_BROADCASTS; b++) {
      const arrivals = large.expect(LARGE_SUBSCRIPTIONS, BROADCAST_TIMEOUT_MS)
      const sent = performance.now()
      await deleteSession(`bench-large-broadcast-${b}`)
      let last = 0
      for (const at of await arrivals) {
        largeLatencies.push(at - sent)
        last = Math.max(last, at - sent)
      }
      largeLastArrivals.push(last)
    }
    const largeGatewayCpu = await gateway.request<NodeJS.CpuUsage>('cpu')
    const largeClientCpu = process.cpuUsage(largeClientCpuBefore)
    const largeClientCpuMs = (largeClientCpu.user + largeClientCpu.system) / 1000
    const largeGatewayCpuMs = cpuMsSince(largeGatewayCpuBefore, largeGatewayCpu)
    const largeErrors = large.errors
    await large.close()
    const largeBroadcast = summarize(largeLatencies)
    const worst = (values: number[]) => Math.max(...values)

    const broadcast = summarize(broadcastLatencies)
    const heapTable = table(
      ['phase 1', 'value'],
      [
        ['subscriptions open', int(SUBSCRIPTIONS)],
        [
          'sockets',
          `${int(WORKSPACE_SOCKETS + SESSION_SOCKETS)}: ${WORKSPACE_SOCKETS} workspace (~${Math.round(filteredCount / WORKSPACE_SOCKETS)} filtered subscriptions each), ${SESSION_SOCKETS} client session (1 each)`,
        ],
        ['heap used before the sockets', mib(heapBefore)],
        ['heap used with the sockets, before subscribing', mib(heapSockets)],
        [`heap used with ${int(SUBSCRIPTIONS)} subscriptions`, mib(heapSubscribed)],
        [`RSS with ${int(SUBSCRIPTIONS)} subscriptions`, mib(rss)],
        ['**heap per idle subscription**', kib(perSubscription)],
        ["heap per idle subscription, with the sockets' share", kib(perSubscriptionWithSockets)],
        ['heap per socket (no subscription yet)', kib(perSocket)],
        [`opening ${WORKSPACE_SOCKETS} workspace sockets`, ms(openMs)],
        [`subscribing ${int(SUBSCRIPTIONS)} (until the gateway counts them all)`, ms(subscribeMs)],
        [`subscriptions still open ${RELEASE_WAIT_MS / 1000} s after every client left`, int(leftOpen)],
        [`heap used ${RELEASE_WAIT_MS / 1000} s after every client left`, mib(heapAfterClose)],
      ],
    )
    const row = (name: string, summary: Summary) => [
      name,
      int(summary.n),
      ms(summary.p50),
      ms(summary.p99),
      ms(summary.max),
    ]
    const latencyTable = table(
      ['delivery, timed from sending the deletion', 'n', 'p50', 'p99', 'max'],
      [
        row(
          `control (${2 * CONTROL_RUNS} client session sockets, nothing else): own subscriber`,
          control.deliveries,
        ),
        row('  …its socket closed with 4403', control.closes),
        row('control, ended by a signed Seam webhook instead: own subscriber', controlWebhook.deliveries),
        row('  …its socket closed with 4403', controlWebhook.closes),
        row(`among ${int(SUBSCRIPTIONS)}: a client session's own subscriber`, own.deliveries),
        row('  …its socket closed with 4403', own.closes),
        row(
          `among ${int(SUBSCRIPTIONS)}, ended by a signed Seam webhook: own subscriber`,
          ownWebhook.deliveries,
        ),
        row('  …its socket closed with 4403', ownWebhook.closes),
        row(
          `among ${int(SUBSCRIPTIONS)}: a workspace subscriber filtered by clientSessionId`,
          filteredRun.deliveries,
        ),
        row(
          `broadcast: every one of ${int(SUBSCRIPTIONS)} workspace subscribers (${BROADCASTS} events)`,
          broadcast,
        ),
        row(
          `broadcast: every one of ${int(LARGE_SUBSCRIPTIONS)} workspace subscribers (${LARGE_BROADCASTS} events)`,
          largeBroadcast,
        ),
      ],
    )
    const largeTable = table(
      [`phase 3: ${int(LARGE_SUBSCRIPTIONS)} idle subscriptions`, 'value'],
      [
        [
          'sockets',
          `${LARGE_SOCKETS} workspace, ${LARGE_PER_SOCKET} unfiltered \`clientSessionDeleted\` subscriptions each`,
        ],
        ['RSS before the sockets', mib(memoryBefore.rss)],
        ['RSS with the sockets, before subscribing', mib(memorySockets.rss)],
        [`RSS with ${int(LARGE_SUBSCRIPTIONS)} subscriptions`, mib(memorySubscribed.rss)],
        ['**RSS per idle subscription**', kib(largeRssPerSubscription)],
        ["RSS per idle subscription, with the sockets' share", kib(largeRssWithSockets)],
        [
          'heap used before the sockets / with them / with the subscriptions',
          [memoryBefore, memorySockets, memorySubscribed].map((m) => mib(m.heapUsed)).join(' / '),
        ],
        ['heap per idle subscription', kib(largeHeapPerSubscription)],
        ["heap per idle subscription, with the sockets' share", kib(largeHeapWithSockets)],
        [`subscribing ${int(LARGE_SUBSCRIPTIONS)} (until the gateway counts them all)`, ms(largeSubscribeMs)],
        [
          `broadcast to ${int(LARGE_SUBSCRIPTIONS)}: last arrival of each event`,
          largeLastArrivals.map((t) => ms(t)).join(', '),
        ],
        [
          `CPU over the ${LARGE_BROADCASTS} broadcasts: gateway / clients`,
          `${ms(largeGatewayCpuMs)} / ${ms(largeClientCpuMs)}`,
        ],
      ],
    )
    return {
      title: '4. Subscriptions',
      summary:
        `${int(SUBSCRIPTIONS)} (phase 3: ${int(LARGE_SUBSCRIPTIONS)}) concurrent graphql-ws subscriptions to \`clientSessionDeleted\` on one gateway ` +
        '(child process, compiled, fast upstream, `MAX_SUBSCRIPTIONS_PER_SOCKET=1000`, `RATE_LIMIT_PER_MINUTE=0`, ' +
        '`RATE_LIMIT_PER_ADDRESS_PER_MINUTE=0`, `MAX_CONNECTIONS_PER_PRINCIPAL=0`, ' +
        '`MAX_CONNECTIONS_PER_ADDRESS=0`); ' +
        'heap read inside the gateway after full garbage collections; deliveries timed by the clients.',
      tables: [heapTable, latencyTable, largeTable],
      notes: [
        'Deletions are sequential, each awaited before the next, while the other subscriptions stay open; ' +
          `a sequence stops after ${SEQUENCE_BUDGET_MS / 1000} s with the samples it has (see n).`,
        `Broadcast: ${BROADCASTS} deletions, each awaited by ${int(SUBSCRIPTIONS)} unfiltered subscriptions over ` +
          `${WORKSPACE_SOCKETS} sockets; the last subscriber got each event after ` +
          `${lastArrivals.map((t) => ms(t)).join(', ')}; ${broadcastErrors} subscription errors. The clients ` +
          `(this process) used ${ms(clientCpuMs)} of CPU over the ${BROADCASTS} broadcasts and the gateway ${ms(gatewayCpuMs)}, against ` +
          `${ms(lastArrivals.reduce((a, t) => a + t, 0))} until their last arrivals.`,
        'Times include the mutation itself (two fast upstream calls: `/client_sessions/get`, ' +
          "`/client_sessions/delete`) and the clients' own parsing, all in one process; the webhook row " +
          'is timed from sending the signed delivery to `/webhooks/seam` (no upstream call).',
        'Phase 2 runs on a fresh gateway process, so that its heap and timings start clean (after one ' +
          'subscription and one event, as the warm-up of phase 1).',
        `Phase 3, on another fresh gateway: ${LARGE_SOCKETS} workspace sockets × ${LARGE_PER_SOCKET} unfiltered ` +
          'subscriptions, the audience of a workspace broadcast (filtered subscriptions, one topic each, ' +
          "are phase 1's heap figure). RSS and heap are read inside the gateway after full collections, " +
          'before the sockets, with them, and with the subscriptions. The clients are plain `ws` sockets ' +
          'speaking graphql-transport-ws (no graphql-ws client, no promise or timer per subscription), so ' +
          `that a broadcast times the gateway; ${largeErrors} subscription errors.`,
      ],
      targets: [
        {
          target: `< ${TARGET_HEAP_BYTES / 1024} KiB of heap per idle subscription`,
          measured: `${kib(perSubscription)} (${kib(perSubscriptionWithSockets)} with the sockets' share)`,
          met: perSubscriptionWithSockets < TARGET_HEAP_BYTES,
          before: '4.65 KiB (9.3–10.1 KiB RSS)',
        },
        {
          target: `targeted deletion among ${int(SUBSCRIPTIONS)} through \`deleteClientSession\`: p99 < ${TARGET_TARGETED_P99_MS} ms`,
          measured:
            `own session subscriber ${ms(own.deliveries.p99)}; filtered workspace subscriber ` +
            `${ms(filteredRun.deliveries.p99)} (both include the mutation's two upstream calls; ` +
            `control with nothing else subscribed: ${ms(control.deliveries.p99)})`,
          met: Math.max(own.deliveries.p99, filteredRun.deliveries.p99) < TARGET_TARGETED_P99_MS,
          before: '22.6 ms (control 23.2 ms)',
        },
        {
          target: `targeted deletion among ${int(SUBSCRIPTIONS)} reported by Seam's webhook: p99 < ${TARGET_TARGETED_P99_MS} ms`,
          measured: `own session subscriber ${ms(ownWebhook.deliveries.p99)} (control: ${ms(controlWebhook.deliveries.p99)})`,
          met: ownWebhook.deliveries.p99 < TARGET_TARGETED_P99_MS,
          before: '9.1 ms',
        },
        {
          target: `workspace broadcast to ${int(SUBSCRIPTIONS)}: last arrival < ${TARGET_BROADCAST_LAST_MS} ms`,
          measured: `${lastArrivals.map((t) => ms(t)).join(', ')} (p99 ${ms(broadcast.p99)})`,
          met: worst(lastArrivals) < TARGET_BROADCAST_LAST_MS,
          before: '119–272 ms',
        },
        {
          target: `RSS per idle subscription at ${int(LARGE_SUBSCRIPTIONS)}: ≤ ${TARGET_LARGE_RSS_BYTES / 1024} KiB`,
          measured: `${kib(largeRssPerSubscription)} (${kib(largeRssWithSockets)} with the sockets' share)`,
          met: largeRssPerSubscription <= TARGET_LARGE_RSS_BYTES,
          before: '6.65 KiB',
        },
        {
          target: `workspace broadcast to ${int(LARGE_SUBSCRIPTIONS)}: last arrival < ${TARGET_LARGE_BROADCAST_LAST_MS} ms`,
          measured: `${largeLastArrivals.map((t) => ms(t)).join(', ')} (p99 ${ms(largeBroadcast.p99)})`,
          met: worst(largeLastArrivals) < TARGET_LARGE_BROADCAST_LAST_MS,
          before: '653–760 ms',
        },
      ],
    }
  } finally {
    await disposeAll(sockets).catch(() => {})
    await Promise.all(fanouts.map((fanout) => fanout.close()))
    await Promise.all(children.map((child) => child.stop()))
    removeTree(root)
  }
}
