/**
 * Reading a gateway's `/metrics`, which is not on its public port: each test gateway serves it on a
 * metrics listener of its own (METRICS_PORT=0), or on the public port behind METRICS_TOKEN.
 */

/** Metrics URLs by public base URL, for helpers that only know a gateway's `url`. Per test file. */
const metricsUrls = new Map<string, string>()

/** Records where the gateway at `url` serves its metrics (done by the helpers that start gateways). */
export function registerMetricsUrl(gateway: { url: string; metricsUrl: string }): void {
  metricsUrls.set(gateway.url, gateway.metricsUrl)
}

/** The metrics URL of a gateway, from the gateway itself or from its public base URL. */
export function metricsUrlOf(gateway: string | { metricsUrl: string }): string {
  if (typeof gateway !== 'string') return gateway.metricsUrl
  const found = metricsUrls.get(gateway)
  if (found === undefined) {
    throw new Error(`Expected a gateway started by a test helper at ${gateway}, found none with metrics`)
  }
  return found
}

/** The Prometheus text of a gateway's metrics (asserting a 200). */
export async function readMetrics(
  gateway: string | { metricsUrl: string },
  headers: Record<string, string> = {},
): Promise<string> {
  const url = metricsUrlOf(gateway)
  const response = await fetch(url, { headers })
  if (response.status !== 200) throw new Error(`Expected 200 from ${url}, got ${response.status}`)
  return response.text()
}

/** `gateway_open_subscriptions` of a gateway: its graphql-ws and SSE subscriptions open now. */
export async function openSubscriptions(gateway: string | { metricsUrl: string }): Promise<number> {
  const found = /^gateway_open_subscriptions (\d+)$/m.exec(await readMetrics(gateway))
  if (found === null) throw new Error('Expected a gateway_open_subscriptions line in the metrics')
  return Number(found[1])
}

/**
 * Resolves once the gateway itself reports `count` open subscriptions: a subscription has reached
 * the event path (graphql-ws acknowledges sockets, not subscriptions, and SSE acknowledges nothing).
 */
export async function untilOpenSubscriptions(
  gateway: string | { metricsUrl: string },
  count: number,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (
    let found = await openSubscriptions(gateway);
    found !== count;
    found = await openSubscriptions(gateway)
  ) {
    if (Date.now() > deadline) {
      throw new Error(`Expected ${count} open subscriptions within ${timeoutMs} ms, found ${found}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
