import { type App, createApp } from './app.js'
import { banner } from './banner.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './observability/logger.js'

/**
 * The only file that listens, and the only one that knows the sandbox exists:
 * config → (sandbox mode? start the sandbox first) → app → start → banner; SIGTERM/SIGINT → stop.
 */
async function main() {
  const config = configOrExit(() => loadConfig())
  const logger = createLogger(config.logLevel)

  // Sandbox mode (no SEAM_ENDPOINT): the sandbox starts first and the app is configured with it as
  // its Seam. It is loaded here and only here, so that production never loads Seam's fake.
  const sandbox =
    config.sandbox && config.seamEndpoint === undefined
      ? await (await import('../sandbox/embedded.js')).startEmbeddedSandbox(config, {
          log: (message, fields) => logger.warn(fields ?? {}, message),
        })
      : undefined

  const app: App = configOrExit(() =>
    createApp(sandbox?.config ?? config, { logger, ...(sandbox && { graphiql: sandbox.graphiql }) }),
  )
  const url = await app.start()
  // Listening: a signal from now on stops gracefully. The handlers are in place before the banner,
  // which is what an operator (or a test) waits for before it may send one.
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping: finishing in-flight requests, closing sockets')
    await app.stop()
    await sandbox?.stop()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))

  sandbox?.deliverWebhooksTo(url)
  process.stdout.write(
    banner({
      url,
      metricsUrl: app.metricsUrl,
      metricsBehindToken: config.metricsToken !== undefined,
      upstream: sandbox?.upstream ?? String(config.seamEndpoint),
      ...(sandbox && { extra: sandbox.bannerLines(url) }),
    }),
  )
}

/** Runs `build`; a configuration value that cannot be used ends the process with its message. */
function configOrExit<T>(build: () => T): T {
  try {
    return build()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The gateway could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
