/**
 * `npm run sandbox`: runs the embedded Seam sandbox alone, so several gateway instances can share it as
 * their upstream (`SEAM_ENDPOINT=<its URL> SEAM_API_KEY=seam_apikey1_token`), as they would share Seam.
 *
 * Environment: `SANDBOX_PORT` (default 4010, an integer from 0 to 65535) and `SANDBOX_HOST` (default
 * 127.0.0.1). Stops cleanly on SIGINT and SIGTERM.
 */
import process from 'node:process'
import { createSandbox } from './sandbox.js'

/** Default port of `npm run sandbox`. */
const DEFAULT_PORT = 4010

/**
 * Parses `SANDBOX_PORT`.
 *
 * @returns the port, or an error message naming the variable and the value that arrived
 */
function parseSandboxPort(raw: string | undefined): number | string {
  if (raw === undefined || raw === '') return DEFAULT_PORT
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return `SANDBOX_PORT must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`
  }
  return port
}

async function main(): Promise<void> {
  const port = parseSandboxPort(process.env.SANDBOX_PORT)
  if (typeof port === 'string') {
    process.stderr.write(`${port}\n`)
    process.exit(1)
  }
  const host = process.env.SANDBOX_HOST || '127.0.0.1'

  const sandbox = await createSandbox({
    port,
    host,
    log: (message, fields) => {
      process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...fields })}\n`)
    },
  })

  const workspace = sandbox.fake.database.workspaces.find(
    (candidate) => candidate.workspace_id === sandbox.seed.seed_workspace_1,
  )
  process.stdout.write(
    [
      `Seam sandbox listening on ${sandbox.url}`,
      `  API key:         ${sandbox.apiKey}`,
      `  Publishable key: ${workspace?.publishable_key ?? sandbox.seed.seam_pk1_token}`,
      `  Try: curl -H 'Authorization: Bearer ${sandbox.apiKey}' ${sandbox.url}/devices/list`,
      '',
    ].join('\n'),
  )

  // Stop on the first signal; a second one while stopping exits at once.
  let stopping = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1)
    stopping = true
    process.stdout.write(`Received ${signal}, stopping the sandbox\n`)
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `Failed to stop the sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
        )
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Failed to start the sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
