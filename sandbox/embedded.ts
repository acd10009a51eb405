/**
 * The sandbox as the upstream of `npm start` (no `SEAM_ENDPOINT`) and of the tests: started before the
 * gateway is built, so that the gateway is configured exactly as it is in production, with a Seam URL,
 * a workspace API key and a webhook secret, and never learns that its Seam is a stand-in.
 *
 * `src/main.ts` loads this module with a dynamic `import()` in sandbox mode only; nothing else under
 * `src/` imports the sandbox, so a production process never loads `@seamapi/fake-seam-connect`.
 */
import { randomBytes } from 'node:crypto'
import type { Config } from '../src/config.js'
import type { SandboxLog } from './http.js'
import { createSandbox, type Sandbox } from './sandbox.js'

/** The query GraphiQL opens with in sandbox mode. */
export const EXAMPLE_QUERY = `# Press run: the demo client session token
# is already in the Headers pane below.
query MyDevices {
  viewer {
    kind
    clientSession {
      userIdentifierKey
      devices {
        nodes {
          deviceId
          displayName
          deviceType
          locked
          online
        }
      }
    }
  }
}

# Live device state: open a new tab (+), paste the line
# below without its #, press run, then lock or unlock
# august_device_1 (the web example, or unlockDoor here).
# subscription { deviceEvents { eventType deviceId device { locked online } } }
`

/** What a newcomer needs to try the sandbox: printed in the banner, opened in GraphiQL. */
export interface SandboxDemo {
  /** The seeded workspace API key. */
  apiKey: string
  /** A fresh client session of John's connected account, made at start. */
  clientSessionToken: string
  clientSessionId: string
  exampleQuery: string
}

/** Options of {@link startEmbeddedSandbox}. */
export interface EmbeddedSandboxOptions {
  /** Where the sandbox reports webhook delivery failures. @default no-op */
  log?: SandboxLog
}

/** A started sandbox, and what the gateway in front of it is given. */
export interface EmbeddedSandbox {
  readonly sandbox: Sandbox
  /** The configuration with the sandbox as Seam: its URL, its API key, and a webhook secret. */
  readonly config: Config
  readonly demo: SandboxDemo
  /** GraphiQL's opening state: the example query, and the demo token in the headers pane. */
  readonly graphiql: { defaultQuery: string; headers: string }
  /** How the banner names the upstream. */
  readonly upstream: string
  /**
   * Sends the sandbox's webhooks, signed with the configured secret, to the gateway's own
   * `/webhooks/seam` (call it once the gateway listens), so that the production webhook path runs in
   * the sandbox too.
   */
  deliverWebhooksTo(gatewayUrl: string): void
  /** The banner lines that show the demo credentials and a first request to the gateway at `gatewayUrl`. */
  bannerLines(gatewayUrl: string): string[]
  /** Stops the sandbox. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts the sandbox on a free loopback port, then makes a demo client session for John's connected
 * account through the sandbox's own API, as a backend would at Seam.
 *
 * Lifecycle: one per gateway process (or test gateway); stop it after the gateway.
 *
 * @param config the gateway's configuration; a `SEAM_WEBHOOK_SECRET` in it is kept, otherwise one is
 *   generated
 */
export async function startEmbeddedSandbox(
  config: Config,
  options: EmbeddedSandboxOptions = {},
): Promise<EmbeddedSandbox> {
  const sandbox = await createSandbox({
    port: 0,
    actionCompletionDelayMs: config.sandboxActionDelayMs,
    ...(options.log ? { log: options.log } : {}),
  })
  let demo: SandboxDemo
  try {
    demo = await createDemo(sandbox)
  } catch (error) {
    await sandbox.stop()
    throw error
  }
  const webhookSecret = config.seamWebhookSecret ?? `whsec_${randomBytes(24).toString('base64')}`
  return {
    sandbox,
    config: {
      ...config,
      seamEndpoint: sandbox.url,
      seamApiKey: sandbox.apiKey,
      seamWebhookSecret: webhookSecret,
    },
    demo,
    graphiql: {
      defaultQuery: demo.exampleQuery,
      headers: JSON.stringify({ authorization: `Bearer ${demo.clientSessionToken}` }, null, 2),
    },
    upstream: `embedded Seam sandbox at ${sandbox.url} (no Seam account, no network)`,
    deliverWebhooksTo: (gatewayUrl) =>
      sandbox.registerEmbeddedWebhook(`${gatewayUrl}/webhooks/seam`, webhookSecret),
    bannerLines: (gatewayUrl) => [
      '',
      `  Sandbox API key (workspace):   ${demo.apiKey}`,
      `  Demo client session token:     ${demo.clientSessionToken}`,
      '',
      '  Try it:',
      `    curl -s ${gatewayUrl}/graphql -H 'content-type: application/json' \\`,
      `      -H 'authorization: Bearer ${demo.clientSessionToken}' \\`,
      `      -d '{"query":"{ viewer { kind clientSession { devices { nodes { deviceId displayName } } } } }"}'`,
      '',
      '  GraphiQL opens with this query and the demo token in its headers: press run.',
    ],
    stop: () => sandbox.stop(),
  }
}

/** A fresh demo session for John's connected account, so that GraphiQL shows data at first run. */
async function createDemo(sandbox: Sandbox): Promise<SandboxDemo> {
  const response = await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
    body: JSON.stringify({
      user_identifier_key: `demo-user-${randomBytes(3).toString('hex')}`,
      connected_account_ids: [sandbox.seed.john_connected_account_id],
    }),
    signal: AbortSignal.timeout(5000),
  })
  const body = (await response.json()) as { client_session?: { token?: string; client_session_id?: string } }
  const session = body.client_session
  if (!response.ok || session?.token === undefined || session.client_session_id === undefined) {
    throw new Error(`Expected the sandbox to create the demo client session, got ${response.status}`)
  }
  return {
    apiKey: sandbox.apiKey,
    clientSessionToken: session.token,
    clientSessionId: session.client_session_id,
    exampleQuery: EXAMPLE_QUERY,
  }
}
