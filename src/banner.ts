/** What the start banner shows. */
export interface BannerInfo {
  /** The gateway's base URL. */
  url: string
  /** Where `/metrics` is served. */
  metricsUrl: string
  /** True when `/metrics` is on the public port, behind METRICS_TOKEN. */
  metricsBehindToken: boolean
  /** Where the gateway's Seam is: its URL, or what stands in for it. */
  upstream: string
  /** Lines that follow the upstream's (such as demo credentials and a first request). */
  extra?: string[]
}

/** The start banner: where to go, and what to try first. */
export function banner(info: BannerInfo): string {
  const { url } = info
  const lines = [
    '',
    `Seam GraphQL Gateway listening on ${url}`,
    `  GraphiQL:  ${url}/graphql`,
    `  Upstream:  ${info.upstream}`,
    ...(info.extra ?? []),
  ]
  // The metrics listener is loopback-only by default; behind METRICS_TOKEN they share the public port.
  const metrics = info.metricsBehindToken
    ? `${info.metricsUrl} (Authorization: Bearer <METRICS_TOKEN>)`
    : info.metricsUrl
  lines.push('', `  Health: ${url}/health   Ready: ${url}/ready   Metrics: ${metrics}`, '')
  return `${lines.join('\n')}\n`
}
