/**
 * Benchmark 6 — device events among 10,000 subscriptions (SPEC §12: a device event reaches its
 * subscribers in p99 < 20 ms from the webhook).
 *
 * The gateway runs in a child process on the fast upstream, where a session `acct-<n>` has one
 * connected account of its own, `bench_account_<n>`, with one lock, `bench_device_<n>`. 500
 * client-session sockets each hold 20 `deviceEvents` subscriptions (10,000 in all), every one
 * selecting the device as it is now (read fresh with the subscriber's own token). Then, one at a
 * time, a Svix-signed `lock.unlocked` webhook for one session's lock is sent to `/webhooks/seam`,
 * and each of that session's 20 subscribers is timed from sending the webhook to its `next`; the
 * other 9,980 must hear nothing.
 */
import { randomBytes } from 'node:crypto'
import { benchDevice, type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import type { GatewayInfo } from './children/gateway.js'
import { type Child, startChild } from './lib/child.js'
import { compileTree, removeTree } from './lib/compile.js'
import { readMetric, waitUntil } from './lib/http.js'
import { subscriptionGatewayEnv } from './lib/production.js'
import { type Section, table } from './lib/report.js'
import { int, ms, summarize } from './lib/stats.js'
import { sendSeamWebhook } from './lib/webhook.js'
import { disposeAll, nextEvent, openSockets, type Socket, type Subscription, subscribe } from './lib/ws.js'

const WORKSPACE_ID = 'seed_workspace_1'
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`
const SOCKETS = 500
const PER_SOCKET = 20
const SUBSCRIPTIONS = SOCKETS * PER_SOCKET
const RUNS = 200
const WARMUP_RUNS = 20
const EVENT_TIMEOUT_MS = 10_000
const TARGET_P99_MS = 20

const DEVICE_EVENTS = `subscription { deviceEvents { eventType deviceId device { deviceId locked } } }`

/** Runs benchmark 6 and returns its section. */
export async function runDeviceEvents(): Promise<Section> {
  const children: Array<Child<unknown>> = []
  let sockets: Socket[] = []
  // Compiled, as production runs it (tsx's loader adds memory and time of its own).
  const root = compileTree('device-events')
  try {
    const upstream = await startChild<FastUpstreamInfo>('fast-upstream', { root })
    children.push(upstream)
    const gateway = await startChild<GatewayInfo>('gateway', {
      root,
      env: subscriptionGatewayEnv(upstream.info.url, WEBHOOK_SECRET, 100),
    })
    children.push(gateway)
    const { url, metricsUrl } = gateway.info

    sockets = await openSockets(url, SOCKETS, (n) => ({ clientSessionToken: tokenOfSession(`acct-${n}`) }))
    const subscriptions: Subscription[][] = sockets.map((socket) =>
      Array.from({ length: PER_SOCKET }, () => subscribe(socket, DEVICE_EVENTS)),
    )
    await waitUntil(
      async () => (await readMetric(metricsUrl, 'gateway_open_subscriptions')) === SUBSCRIPTIONS,
      `${SUBSCRIPTIONS} open subscriptions on the gateway`,
      60_000,
      100,
    )

    const unlockedByWebhook = (n: number) =>
      sendSeamWebhook(url, WEBHOOK_SECRET, {
        event_type: 'lock.unlocked',
        workspace_id: WORKSPACE_ID,
        device_id: benchDevice(n),
        connected_account_id: `bench_account_${n}`,
      })

    // Warm-up: every path (webhook, routing, the fresh device read) a few times, on a socket of
    // its own, so that the timed runs meet compiled code.
    for (let warm = 0; warm < WARMUP_RUNS; warm++) {
      await Promise.all([
        ...subscriptions[SOCKETS - 1]!.map((s) => nextEvent(s, EVENT_TIMEOUT_MS)),
        unlockedByWebhook(SOCKETS - 1),
      ])
    }

    const arrivals: number[] = []
    const lasts: number[] = []
    const stride = Math.floor((SOCKETS - 1) / RUNS) || 1
    for (let run = 0; run < RUNS; run++) {
      const n = (run * stride) % (SOCKETS - 1)
      const pending = subscriptions[n]!.map((s) => nextEvent(s, EVENT_TIMEOUT_MS))
      const sent = performance.now()
      await unlockedByWebhook(n)
      const times = (await Promise.all(pending)).map((at) => at - sent)
      arrivals.push(...times)
      lasts.push(Math.max(...times))
    }
    // Every subscriber heard exactly its own lock's events: the warm-up, and one per run of its socket.
    const heard = new Map<number, number>()
    for (let run = 0; run < RUNS; run++) {
      const n = (run * stride) % (SOCKETS - 1)
      heard.set(n, (heard.get(n) ?? 0) + 1)
    }
    heard.set(SOCKETS - 1, WARMUP_RUNS)
    let misdelivered = 0
    subscriptions.forEach((own, n) => {
      for (const s of own) if (s.arrivals.length !== (heard.get(n) ?? 0)) misdelivered++
    })
    const errors = subscriptions.flat().reduce((count, s) => count + s.errors.length, 0)
    const summary = summarize(arrivals)
    const last = summarize(lasts)
    await disposeAll(sockets)
    sockets = []

    return {
      title: '6. Device events',
      summary:
        `${int(SUBSCRIPTIONS)} \`deviceEvents\` subscriptions (${SOCKETS} client-session sockets × ${PER_SOCKET}, ` +
        'each session with a connected account and a lock of its own) on one gateway (child process, fast ' +
        'upstream); one signed `lock.unlocked` webhook at a time, each subscriber timed from sending it.',
      tables: [
        table(
          ['delivery, timed from sending the webhook', 'n', 'p50', 'p99', 'max'],
          [
            [
              `each of the ${PER_SOCKET} subscribers of the lock's session`,
              int(summary.n),
              ms(summary.p50),
              ms(summary.p99),
              ms(summary.max),
            ],
            [`the last of the ${PER_SOCKET}`, int(last.n), ms(last.p50), ms(last.p99), ms(last.max)],
          ],
        ),
      ],
      notes: [
        `Each event selects \`device { deviceId locked }\`: read fresh with the session's own token, once for ` +
          `the ${PER_SOCKET} subscriptions of a socket (one execution per audience), one fast-upstream call.`,
        `Subscribers that heard another number of events than their own lock's: ${int(misdelivered)}; ` +
          `subscription errors: ${int(errors)}.`,
      ],
      targets: [
        {
          target: `a device event reaches its subscribers among ${int(SUBSCRIPTIONS)}: p99 < ${TARGET_P99_MS} ms from the webhook`,
          measured: `${ms(summary.p99)} (last of the ${PER_SOCKET}: ${ms(last.p99)}); ${int(misdelivered)} misdelivered`,
          met: summary.p99 < TARGET_P99_MS && misdelivered === 0 && errors === 0,
        },
      ],
    }
  } finally {
    await disposeAll(sockets).catch(() => {})
    await Promise.all(children.map((child) => child.stop()))
    removeTree(root)
  }
}
