import { type App, createApp } from './app.js'
import { banner } from './banner.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './observability/logger.js'
import { startTracing, tracingFromEnv } from './observability/tracing.js'

/**
 * The only file that listens, and the only one that knows the sandbox exists:
 * config → (OTEL_* set? start tracing) → (sandbox mode? start the sandbox first) → app → start →
 * banner; SIGTERM/SIGINT → stop (and flush the spans).
 */
async function main() {
  const config = configOrExit(() => loadConfig())
  const logger = createLogger(config.logLevel)

  // Tracing only when the standard OTEL_* variables ask for it: the SDK is not even loaded otherwise.
  const tracingConfig = tracingFromEnv(process.env)
  const tracing = tracingConfig === undefined ? undefined : await startTracing(tracingConfig)

  // Sandbox mode (no SEAM_ENDPOINT): the sandbox starts first and the app is configured with it as
  // its Seam. It is loaded here and only here, so that production never loads Seam's fake.
  const sandbox =
    config.sandbox && config.seamEndpoint === undefined
      ? await (await import('../sandbox/embedded.js')).startEmbeddedSandbox(config, {
          log: (message, fields) => logger.warn(fields ?? {}, message),
        })
      : undefined

  const app: App = configOrExit(() =>
    createApp(sandbox?.config ?? config, {
      logger,
      ...(sandbox && { graphiql: sandbox.graphiql }),
      ...(tracing && { tracer: tracing.tracer }),
    }),
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
    await tracing?.shutdown()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))

  sandbox?.deliverWebhooksTo(url)
  if (tracing !== undefined)
    logger.info({ serviceName: tracingConfig?.serviceName }, 'tracing on: OTLP export')
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
