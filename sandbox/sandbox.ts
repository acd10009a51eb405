import { randomUUID } from 'node:crypto'
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { createFake, type Fake, type Seed } from '@seamapi/fake-seam-connect'
import { createClientSessionIssueRoutes } from './client-session-issue-routes.js'
import { createClientSessionRoutes } from './client-session-routes.js'
import { watchDeviceEvents } from './device-events.js'
import { createDeviceUpdateRoute } from './device-update-route.js'
import { type FakeStore, getFakeStore } from './fake-store.js'
import { createFilteredListRoutes } from './filtered-list-routes.js'
import {
  type SandboxInterceptor,
  type SandboxLog,
  type SandboxRoute,
  SeamApiError,
  sendSeamError,
  serveRoute,
  splitRequestTarget,
} from './http.js'
import { createLockActionRoutes } from './lock-action-routes.js'
import type { ClientSessionDeletedEvent } from './seam-shapes.js'
import { createWebhookDelivery, type WebhookTarget } from './webhook-delivery.js'
import { completeWebhookCreation, takesEveryEvent } from './webhook-secrets.js'

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Port to listen on; 0 picks a free one (read it back from `url`). @default 0 */
  port?: number
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string
  /** Called with a line of text for notable things (webhook delivery failures). @default no-op */
  log?: SandboxLog
}

/** A running sandbox: Seam's official fake, plus the client session routes and webhooks it lacks. */
export interface Sandbox {
  /** Base URL such as http://127.0.0.1:4010 */
  readonly url: string
  /** The seeded workspace API key, `seam_apikey1_token`. */
  readonly apiKey: string
  /** The fake's default seed: ids of its workspaces, keys, accounts and devices. */
  readonly seed: Seed
  /** The underlying fake (tests use fake.database; `getFakeStore` gives its getState/setState). */
  readonly fake: Fake
  /** In embedded mode, also deliver every webhook event of every workspace to this URL signed with this `whsec_` secret. */
  registerEmbeddedWebhook(url: string, secret: string): void
  /** Resolves once every webhook delivery started so far has settled (tests use it). */
  drainWebhooks(): Promise<void>
  /** Stops serving, closes open connections, aborts pending webhook deliveries. Idempotent. */
  stop(): Promise<void>
}

/**
 * Spaces the seeded connected accounts and devices one millisecond apart, in seed order. The fake
 * stamps each with the clock as it seeds, and Seam lists them by `created_at`, then id: two seeded
 * in the same millisecond (a warm process seeds fast) would come in id order, two a millisecond
 * apart in seed order. Now every sandbox lists its seed alike. The stamps end where the fake's
 * ended, so anything created afterwards still lists after the seed.
 */
function orderSeed(store: FakeStore): void {
  const spaced = <T extends { created_at: string }>(items: readonly T[]): T[] => {
    const last = Math.max(...items.map((item) => Date.parse(item.created_at)))
    return items.map((item, index) => ({
      ...item,
      created_at: new Date(last - (items.length - 1 - index)).toISOString(),
    }))
  }
  const { connected_accounts, devices } = store.getState()
  store.setState({ connected_accounts: spaced(connected_accounts), devices: spaced(devices) })
}

/**
 * Starts the embedded Seam sandbox: `@seamapi/fake-seam-connect`, seeded with its default seed, behind one
 * HTTP server that adds `/client_sessions/list`, `/delete`, `/revoke`, `/grant_access`, `/health` and
 * real `whsec_` webhook secrets, and delivers `client_session.deleted` and every device event the
 * fake records (`lock.*`, `device.*`, `access_code.*`, `action_attempt.*`) as Svix-signed webhooks.
 *
 * It also serves, on the fake's own store, the requests the fake gets wrong, and only those:
 * `/client_sessions/create`, `/get_or_create` and `/get` with an API key (and the first two with a
 * publishable key), and `/devices/list` and `/connected_accounts/list` with `user_identifier_key` or
 * `search`; and it completes what the fake leaves out of `/devices/update` (the name Seam shows,
 * custom metadata) and of `/locks/lock_door` and `/unlock_door` (the events of the attempt). Every
 * other request (the fake's `/_fake/*` controls included) goes to the fake unchanged.
 *
 * Lifecycle: one fake, one store and one server per sandbox; call `stop()` when done (tests: always,
 * in `afterAll`/`afterEach`).
 *
 * @throws if the port cannot be bound, naming the host and port
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 0
  const log = options.log ?? (() => {})

  const fake = await createFake()
  const seed = await fake.seed()
  const store = getFakeStore(fake)
  orderSeed(store)
  completeWebhookCreation(store)

  const delivery = createWebhookDelivery({ log })
  let embeddedWebhook: WebhookTarget | undefined

  const deliverClientSessionDeleted = (event: ClientSessionDeletedEvent): void => {
    delivery.deliver(event, webhookTargets(store, event, embeddedWebhook))
  }
  // Lock, device, access code and action attempt events, whoever records them in the store.
  const deviceEvents = watchDeviceEvents(store, (event) =>
    delivery.deliver(event, webhookTargets(store, event, embeddedWebhook)),
  )

  const routes = new Map<string, SandboxRoute>([
    ...createClientSessionRoutes({ store, onClientSessionDeleted: deliverClientSessionDeleted }),
    ['/health', { methods: ['GET', 'HEAD'], handle: async () => ({ ok: true }) }],
  ])

  // Known once listening; the list routes build `next_page_url` with it and call the fake through it.
  let baseUrl = ''
  const interceptors = new Map<string, SandboxInterceptor>([
    ...createClientSessionIssueRoutes({ store, log }),
    ...createFilteredListRoutes({ store, log, baseUrl: () => baseUrl }),
    ...createDeviceUpdateRoute({ store, log }),
    ...createLockActionRoutes({ store, log }),
  ])

  // Set once the fake's handler is known; until then (a few ms during start) requests get a 503.
  let forwardToFake: RequestListener | undefined

  const server = createServer((req, res) => {
    // Every response carries a request id; the fake's own middleware replaces it with its id on the
    // routes it serves, and its bare 404 keeps this one.
    res.setHeader('seam-request-id', randomUUID())
    const { pathname, query } = splitRequestTarget(req.url)
    const route = routes.get(pathname)
    const interceptor = interceptors.get(pathname)
    if (route !== undefined) {
      void serveRoute(route, req, res, query, log)
    } else if (forwardToFake !== undefined) {
      if (interceptor === undefined) forwardToFake(req, res)
      else void interceptor.intercept(req, res, query, forwardToFake)
    } else {
      sendSeamError(
        res,
        new SeamApiError(503, 'service_unavailable', 'Expected a started sandbox, got one still starting'),
      )
    }
  })

  await listen(server, port, host)
  const address = server.address() as AddressInfo
  const url = `http://${formatHost(host)}:${address.port}`
  baseUrl = url

  try {
    forwardToFake = await obtainFakeHandler(fake, url, log)
  } catch (error) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    throw error
  }

  let stopped: Promise<void> | undefined
  return {
    url,
    apiKey: seed.seam_apikey1_token,
    seed,
    fake,

    registerEmbeddedWebhook(webhookUrl, secret) {
      if (!/^https?:\/\//.test(webhookUrl)) {
        throw new Error(`Expected an http(s) URL for the embedded webhook, got "${webhookUrl}"`)
      }
      if (!secret.startsWith('whsec_')) {
        throw new Error('Expected a whsec_ secret for the embedded webhook, got a secret without that prefix')
      }
      // One embedded receiver per sandbox (the gateway that embeds it); a new registration replaces it.
      embeddedWebhook = { url: webhookUrl, secret }
    },

    async drainWebhooks() {
      await deviceEvents.settled()
      await delivery.drain()
    },

    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        // close() only stops accepting; keep-alive and in-flight connections would hold it open.
        server.closeAllConnections()
        deviceEvents.stop()
        await Promise.all([closed, delivery.close(), fake.stopServer()])
      })()
      return stopped
    },
  }
}

/**
 * Gets the fake's Node request handler so it can be called in-process.
 *
 * The fake builds its handler (route table, middlewares with the store and base URL) only inside
 * `startServer`, and exposes no other way to get it. So: start it on a free port, take the `request`
 * listener, and close its listening socket at once (it binds every interface for those milliseconds; the
 * fake has no host option). The handler is a closure over the route table and
 * the store, not over the socket, so it keeps working; every request reaches it from the sandbox's own
 * server, unread (or, where the sandbox had to read the body to decide who serves it, replayed byte for
 * byte), and the fake reads the body itself. `baseUrl` is the sandbox URL, so URLs the fake
 * builds (Connect Webview URLs) point at the sandbox.
 */
async function obtainFakeHandler(fake: Fake, baseUrl: string, log: SandboxLog): Promise<RequestListener> {
  const fakeServer = await fake.startServer({ port: 0, baseUrl })
  const [listener] = fakeServer.server.listeners('request')
  await new Promise<void>((resolve) => fakeServer.server.close(() => resolve()))
  if (typeof listener !== 'function') {
    throw new Error(`Expected the fake's server to have a request listener, got ${typeof listener}`)
  }
  const handler = listener as (req: IncomingMessage, res: ServerResponse) => unknown
  return (req, res) => {
    // The fake's handler is async and its server never awaited it; a rejection here must not become an
    // unhandled rejection of the whole process.
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        log('The fake failed to handle a request', {
          path: splitRequestTarget(req.url).pathname,
          error: error instanceof Error ? error.message : String(error),
        })
        if (res.headersSent) {
          res.destroy()
        } else {
          sendSeamError(
            res,
            new SeamApiError(500, 'internal_server_error', 'The fake failed to handle the request'),
          )
        }
      })
  }
}

/**
 * The webhooks of the event's workspace that subscribe to its type, then the embedded webhook. A webhook
 * created without `event_types` (or with `*`) gets every event, as at Seam: the fake stores its own full
 * list for it, which lacks the `action_attempt.*` events, so the sandbox's mark decides
 * (`takesEveryEvent`).
 */
function webhookTargets(
  store: FakeStore,
  event: { readonly event_type: string; readonly workspace_id: string },
  embeddedWebhook: WebhookTarget | undefined,
): WebhookTarget[] {
  const targets: WebhookTarget[] = []
  for (const webhook of store.getState().webhooks) {
    if (webhook._workspace_id !== event.workspace_id || webhook.secret === undefined) continue
    const eventTypes = webhook.event_types
    if (
      takesEveryEvent(webhook) ||
      eventTypes === undefined ||
      eventTypes.includes('*') ||
      eventTypes.includes(event.event_type)
    ) {
      targets.push({ url: webhook.url, secret: webhook.secret })
    }
  }
  if (embeddedWebhook !== undefined) targets.push(embeddedWebhook)
  return targets
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new Error(`Expected to listen on ${host}:${port}, got ${error.code ?? error.message}`, {
          cause: error,
        }),
      )
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/** A URL host for the listening address: loopback for the wildcard addresses, brackets for IPv6. */
function formatHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}
