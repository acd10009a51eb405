import type { Gateway } from './gateway.js'

/** The start banner: where to go, and in sandbox mode, what to paste. */
export function banner(gateway: Gateway, url: string): string {
  const lines = ['', `Seam GraphQL Gateway listening on ${url}`, `  GraphiQL:  ${url}/graphql`]
  const demo = gateway.demo
  if (demo !== undefined) {
    lines.push(
      `  Upstream:  embedded Seam sandbox at ${gateway.config.seamEndpoint} (no Seam account, no network)`,
      '',
      `  Sandbox API key (workspace):   ${demo.apiKey}`,
      `  Demo client session token:     ${demo.clientSessionToken}`,
      '',
      '  Try it:',
      `    curl -s ${url}/graphql -H 'content-type: application/json' \\`,
      `      -H 'authorization: Bearer ${demo.clientSessionToken}' \\`,
      `      -d '{"query":"{ viewer { kind clientSession { devices { nodes { deviceId displayName } } } } }"}'`,
      '',
      '  GraphiQL opens with this query and the demo token in its headers: press run.',
    )
  } else {
    lines.push(`  Upstream:  ${gateway.config.seamEndpoint}`)
  }
  // The metrics listener is loopback-only by default; behind METRICS_TOKEN they share the public port.
  const metrics =
    gateway.config.metricsToken === undefined
      ? gateway.metricsUrl
      : `${gateway.metricsUrl} (Authorization: Bearer <METRICS_TOKEN>)`
  lines.push('', `  Health: ${url}/health   Ready: ${url}/ready   Metrics: ${metrics}`, '')
  return `${lines.join('\n')}\n`
}
