import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'
import { type SandboxDemo, startEmbeddedSandbox } from '../../sandbox/embedded.js'
import type { Sandbox } from '../../sandbox/sandbox.js'
import { type App, createApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/config.js'
import { registerMetricsUrl } from './metrics.js'

/** The CURSOR_SECRET of test gateways that share Redis (instances behind one balancer share one). */
export const TEST_CURSOR_SECRET = 'test-cursor-secret-shared-by-every-instance'

/** A gateway running on the embedded sandbox, on port 0, with helpers to call it. */
export interface TestGateway {
  gateway: App
  /** The embedded sandbox (unless `env` set SEAM_ENDPOINT). */
  sandbox: Sandbox | undefined
  /** The demo credentials made at start (unless `env` set SEAM_ENDPOINT). */
  demo: SandboxDemo | undefined
  url: string
  /** The sandbox's workspace 1 API key. */
  apiKey: string
  /** The demo client session token made at start (John's connected account). */
  demoToken: string
  /** POSTs a typed operation to /graphql; resolves with the HTTP status and parsed body. */
  execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<{
    status: number
    body: {
      data?: TData | null
      errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>
    }
    text: string
  }>
  stop(): Promise<void>
}

/**
 * The configuration of a test gateway: free ports for the gateway and its metrics listener (unless
 * `env` sets METRICS_TOKEN), no logs, a short shutdown grace, and the shared test cursor secret
 * when `env` runs several instances on Redis. `env` overrides any of them.
 */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    PORT: '0',
    ...(env.METRICS_TOKEN === undefined ? { METRICS_PORT: '0' } : {}),
    LOG_LEVEL: 'silent',
    SHUTDOWN_GRACE_MS: '1000',
    // Lock actions complete at once unless a test asks for a delay.
    SANDBOX_ACTION_DELAY_MS: '0',
    // Several instances must share a cursor secret; tests that run them share this one.
    ...(env.REDIS_URL !== undefined && env.CURSOR_SECRET === undefined
      ? { CURSOR_SECRET: TEST_CURSOR_SECRET }
      : {}),
    ...env,
  })
}

/**
 * Starts a gateway in sandbox mode on a free port, with {@link testConfig}'s defaults; `env`
 * overrides configuration variables. The sandbox starts first, as `src/main.ts` starts it (unless
 * `env` sets SEAM_ENDPOINT), and stops after the gateway.
 * Callers must `await stop()` (in `afterAll`/`afterEach`), even when the test fails.
 */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const config = testConfig(env)
  const embedded = config.sandbox ? await startEmbeddedSandbox(config) : undefined
  let gateway: App | undefined
  let url: string
  try {
    gateway = createApp(embedded?.config ?? config, embedded && { graphiql: embedded.graphiql })
    url = await gateway.start()
    embedded?.deliverWebhooksTo(url)
  } catch (error) {
    await gateway?.stop()
    await embedded?.stop()
    throw error
  }
  registerMetricsUrl(gateway)
  const app = gateway
  return {
    gateway,
    sandbox: embedded?.sandbox,
    demo: embedded?.demo,
    url,
    apiKey: embedded?.demo.apiKey ?? 'seam_apikey1_token',
    demoToken: embedded?.demo.clientSessionToken ?? '',
    async execute(document, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...headers,
        },
        body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
      })
      const text = await response.text()
      return { status: response.status, body: JSON.parse(text), text }
    },
    async stop() {
      await app.stop()
      await embedded?.stop()
    },
  }
}

/** `Authorization: Bearer <token>` */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
