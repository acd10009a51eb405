import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'
import { METRICS_CONTENT_TYPE, metricsText } from './metrics.js'

/** A listener of its own that serves `GET /metrics` and nothing else. */
export interface MetricsServer {
  /** `http://host:port/metrics` */
  url: string
  close(): Promise<void>
}

/**
 * Starts the metrics listener on `METRICS_HOST:METRICS_PORT` (loopback by default), so that the
 * figures never reach the public port.
 * @throws naming METRICS_PORT when the port cannot be bound (in use, not permitted)
 */
export async function startMetricsServer(options: {
  registry: Registry
  host: string
  port: number
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('Not found: this listener serves GET /metrics only\n')
      return
    }
    metricsText(options.registry).then(
      (text) => {
        res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('The metrics could not be collected\n')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `METRICS_PORT ${options.port} on ${options.host} cannot be used for the metrics listener (${error.code ?? error.message}); set METRICS_PORT to a free port (0 picks one)`,
        ),
      ),
    )
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const shown = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
