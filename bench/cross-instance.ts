/**
 * Benchmark 5 — a session ended on one instance closes its socket on another, through Redis
 * (SPEC §11: p99 < 100 ms).
 *
 * A redis-server of this run's own on a free port (the tests' helper), the fast upstream, and two
 * gateway processes A and B sharing both. Each session has one socket on A, subscribed to its own
 * end. Sessions are deleted one at a time through B's `deleteClientSession` mutation; the time runs
 * from sending it to the socket on A receiving the event, and to it closing with 4403. The same run
 * with the deletion sent to A itself is the baseline of the ratio.
 */
import { randomBytes } from 'node:crypto'
import { startTestRedis, type TestRedis } from '../test/helpers/redis.js'
import { type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import type { GatewayInfo } from './children/gateway.js'
import { type Child, startChild } from './lib/child.js'
import { bearer, expectData, readMetric, waitUntil } from './lib/http.js'
import { CLIENT_SESSION_DELETED, DELETE_CLIENT_SESSION } from './lib/queries.js'
import { type Section, table } from './lib/report.js'
import { int, ms, ratio, type Summary, summarize } from './lib/stats.js'
import { disposeAll, nextEvent, openSockets, type Socket, subscribe } from './lib/ws.js'

const API_KEY = 'seam_apikey1_token'
const SESSIONS = 100
const EVENT_TIMEOUT_MS = 10_000
const TARGET_P99_MS = 100

/** Runs benchmark 5 and returns its section. */
export async function runCrossInstance(): Promise<Section> {
  const children: Array<Child<unknown>> = []
  let redis: TestRedis | undefined
  let sockets: Socket[] = []
  try {
    redis = await startTestRedis()
    const upstream = await startChild<FastUpstreamInfo>('fast-upstream')
    children.push(upstream)
    const env = {
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      SEAM_ENDPOINT: upstream.info.url,
      REDIS_URL: redis.url,
      // Both instances sign page cursors alike, as instances behind one balancer must.
      CURSOR_SECRET: randomBytes(32).toString('base64'),
      REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}:`,
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
      SHUTDOWN_GRACE_MS: '1000',
    }
    const [a, b] = await Promise.all([
      startChild<GatewayInfo>('gateway', { env }),
      startChild<GatewayInfo>('gateway', { env }),
    ])
    children.push(a, b)
    for (const instance of [a, b]) {
      await waitUntil(
        async () =>
          ((await (await fetch(`${instance.info.url}/ready`)).json()) as { redis?: boolean }).redis === true,
        `${instance.info.url} to report Redis ready`,
        10_000,
        50,
      )
    }

    /** Opens one socket per session on A, deletes each session through `via`, times each. */
    const measure = async (prefix: string, via: string) => {
      const ids = Array.from({ length: SESSIONS }, (_, i) => `${prefix}-${i}`)
      const open = await openSockets(a.info.url, SESSIONS, (i) => ({
        clientSessionToken: tokenOfSession(ids[i]!),
      }))
      sockets = open
      const subscriptions = open.map((socket) => subscribe(socket, CLIENT_SESSION_DELETED))
      await waitUntil(
        async () => (await readMetric(a.info.metricsUrl, 'gateway_open_subscriptions')) === SESSIONS,
        `${SESSIONS} subscriptions on A`,
        30_000,
        50,
      )
      const events: number[] = []
      const closes: number[] = []
      for (let i = 0; i < SESSIONS; i++) {
        const arrival = nextEvent(subscriptions[i]!, EVENT_TIMEOUT_MS)
        const sent = performance.now()
        await expectData(via, DELETE_CLIENT_SESSION, bearer(API_KEY), { clientSessionId: ids[i]! })
        events.push((await arrival) - sent)
        const close = await open[i]!.closed
        if (close.code !== 4403)
          throw new Error(`Expected a 4403 close on A, got ${close.code} ${close.reason}`)
        closes.push(close.at - sent)
      }
      await disposeAll(open)
      sockets = []
      return { events: summarize(events), closes: summarize(closes) }
    }

    // Same instance first (it also warms both paths up), then across instances.
    await measure('bench-warm', b.info.url)
    const same = await measure('bench-same', a.info.url)
    const cross = await measure('bench-cross', b.info.url)

    const row = (name: string, summary: Summary, baseline?: Summary) => [
      name,
      int(summary.n),
      ms(summary.p50),
      ms(summary.p99),
      ms(summary.max),
      baseline === undefined ? '' : ratio(summary.p50 / baseline.p50),
    ]
    const results = table(
      ['deleted through', 'n', 'p50', 'p99', 'max', 'p50 × same instance'],
      [
        row('A itself: event on A', same.events),
        row('A itself: 4403 close on A', same.closes),
        row('B, through Redis: event on A', cross.events, same.events),
        row('B, through Redis: 4403 close on A', cross.closes, same.closes),
      ],
    )
    return {
      title: '5. Cross-instance close through Redis',
      summary:
        `Two gateway processes sharing a redis-server started for the run and the fast upstream; ${SESSIONS} ` +
        'sessions, each with one socket on A subscribed to its own end, deleted one at a time; timed from ' +
        'sending `deleteClientSession` to the socket on A.',
      tables: [results],
      notes: [
        `A first round of ${SESSIONS} deletions through B warmed both instances up and is not counted.`,
        'Times include the mutation (two fast upstream calls) and, through B, the Redis claim and publish.',
      ],
      targets: [
        {
          target: `session ended on B closes its socket on A: p99 < ${TARGET_P99_MS} ms`,
          measured: `${ms(cross.closes.p99)} (p50 ${ms(cross.closes.p50)})`,
          met: cross.closes.p99 < TARGET_P99_MS,
        },
      ],
    }
  } finally {
    await disposeAll(sockets).catch(() => {})
    await Promise.all(children.map((child) => child.stop()))
    await redis?.stop()
  }
}
