import { banner } from './banner.js'
import { ConfigError, loadConfig } from './config.js'
import { createGateway, type Gateway } from './gateway.js'

/**
 * The only file that listens: config → gateway → start; SIGTERM/SIGINT → graceful stop.
 */
async function main() {
  let gateway: Gateway
  try {
    gateway = createGateway(loadConfig())
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  const url = await gateway.start()
  process.stdout.write(banner(gateway, url))

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    gateway.logger.info({ signal }, 'stopping: finishing in-flight requests, closing sockets')
    await gateway.stop()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The gateway could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
