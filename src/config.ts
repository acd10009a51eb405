/**
 * Configuration: environment variables only, parsed and validated once at start.
 *
 * A bad value throws a {@link ConfigError} that names the variable, what was expected and what
 * arrived; `main.ts` prints it and exits. Nothing else in the code reads `process.env`.
 */

/** Log verbosity, from most to least talkative. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

/** Abuse limits applied to every operation, on every transport. */
export interface Limits {
  /** Deepest selection set nesting. @default 10 */
  maxDepth: number
  /** Aliases in one operation. @default 30 */
  maxAliases: number
  /** Lexical tokens in one document. @default 2000 */
  maxTokens: number
  /** Directives in one operation. @default 20 */
  maxDirectives: number
  /** Largest request body in bytes (and largest WebSocket message). @default 102400 */
  maxBodyBytes: number
  /** Operations open at once on one WebSocket (subscriptions and queries in flight). @default 20 */
  maxSubscriptionsPerSocket: number
  /**
   * Largest cost of one operation, computed before anything runs (`src/schema/cost.ts`). One unit
   * is one field resolved for one object; the selections of a connection count once per item of
   * the page it will really return (`first` as a literal or a variable, 50 when absent), those of
   * `nodes(ids)` once per id. At the default, two nested connections of default pages pass with up
   * to 38 fields per item; three never do (the smallest such query costs 132,651).
   * @default 100000
   */
  maxCost: number
  /** Operations per principal per minute; 0 turns the limit off. @default 600 */
  rateLimitPerMinute: number
  /**
   * Upstream calls one operation may make (retries included); the calls past it fail their field
   * with RATE_LIMITED. @default 50
   */
  maxUpstreamCallsPerOperation: number
  /**
   * Requests per client address per minute, counted before the credential is looked up; 0 turns
   * the limit off. Higher than the per-principal limit: everyone behind one NAT or proxy shares an
   * address. @default 6000
   */
  rateLimitPerAddressPerMinute: number
  /**
   * graphql-ws sockets and SSE subscription streams one credential (API key or client session
   * token) may hold open at once, on one instance; 0 turns the cap off. A browser needs one or two
   * (graphql-ws carries every subscription of a tab on one socket), a backend a handful; the rest
   * is room for reconnects that overlap their old socket. @default 20
   */
  maxConnectionsPerPrincipal: number
  /**
   * Sockets and SSE streams one client address may hold open at once, whatever their credentials,
   * on one instance, counted from the WebSocket upgrade; 0 turns the cap off. Far above the
   * per-credential cap: an office or a carrier NAT puts many users behind one address. @default 200
   */
  maxConnectionsPerAddress: number
  /**
   * Sockets and SSE streams the instance holds open at once, whoever holds them; 0 turns the cap
   * off. Keep it below the process's file descriptor limit (`ulimit -n`), so that health checks,
   * queries and upstream calls always find a descriptor. @default 10000
   */
  maxConnections: number
}

/** The gateway's whole configuration. */
export interface Config {
  /** TCP port of the gateway. @default 4000 */
  port: number
  /** Interface the gateway binds. @default '127.0.0.1' */
  host: string
  /**
   * Seam API base URL. Unset together with `seamApiKey` means the embedded sandbox.
   * @default undefined (embedded sandbox)
   */
  seamEndpoint: string | undefined
  /** The gateway's own workspace API key: only for the events poller and webhook setup. */
  seamApiKey: string | undefined
  /** Svix signing secret of the Seam webhook (`whsec_…`); without it `/webhooks/seam` answers 503. */
  seamWebhookSecret: string | undefined
  /** Redis for the event bus, dedupe and rate limits across instances. @default undefined (in memory) */
  redisUrl: string | undefined
  /** Prefix of every Redis key and channel, so several deployments can share a server. @default 'seam-gw:' */
  redisKeyPrefix: string
  /**
   * Secret that seals page cursors (AES-256-GCM), at least 32 characters. Every instance behind one
   * balancer needs the same, so it is required with `REDIS_URL`. @default undefined (random per process)
   */
  cursorSecret: string | undefined
  /** Interval of the `/events/list` poller in ms; 0 turns it off. @default 0 */
  seamEventsPollIntervalMs: number
  /** Longest life of a cached principal in ms (never past a session's `expires_at`). @default 30000 */
  principalCacheTtlMs: number
  /** Timeout of one upstream call in ms. @default 5000 */
  upstreamTimeoutMs: number
  /** Origins allowed by CORS; empty means no cross-origin access. `*` allows any. @default [] */
  corsOrigins: string[]
  /** Serve GraphiQL on `GET /graphql`. @default true, false when NODE_ENV=production */
  graphiql: boolean
  /** Allow introspection. @default true, false when NODE_ENV=production */
  introspection: boolean
  /** @default 'info' */
  logLevel: LogLevel
  /** Port of the stand-alone sandbox (`npm run sandbox`). @default 4010 */
  sandboxPort: number
  /**
   * How long the sandbox holds a lock or unlock attempt PENDING before it completes, as a real
   * lock takes a moment (`SANDBOX_ACTION_DELAY_MS`). @default 1000
   */
  sandboxActionDelayMs: number
  /** True when no Seam endpoint is configured and the embedded sandbox serves as upstream. */
  sandbox: boolean
  /** Abuse limits. */
  limits: Limits
  /**
   * A JSON file mapping operation ids to documents; when set, only those operations run (clients
   * send `extensions.persistedQuery.sha256Hash` or `documentId`). @default undefined (any operation)
   */
  persistedOperationsFile: string | undefined
  /** How long SIGTERM waits for in-flight requests and streams before cutting them, in ms. @default 10000 */
  shutdownGraceMs: number
  /**
   * Port of the metrics listener (`/metrics` only), apart from the public one; 0 picks a free port.
   * Unused when `metricsToken` is set. @default 9464
   */
  metricsPort: number
  /** Interface of the metrics listener. @default '127.0.0.1' */
  metricsHost: string
  /**
   * When set, `/metrics` is served on the public listener instead, to `Authorization: Bearer
   * <token>` only, and there is no metrics listener. @default undefined
   */
  metricsToken: string | undefined
  /**
   * Proxies of the operator's own in front of the gateway, each appending to `X-Forwarded-For`; the
   * client address is the one the outermost of them saw. 0 ignores the header. @default 0
   */
  trustProxy: number
  /**
   * Serve the embedded sandbox on a non-loopback HOST although its GraphiQL hands a working demo
   * token to anyone who can reach the port. @default false
   */
  sandboxPublic: boolean
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Record<string, string | undefined>

const present = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = present(env, name)
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return Number(raw)
}

const boolean = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = present(env, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (['true', '1', 'yes', 'on'].includes(raw)) return true
  if (['false', '0', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(env[name])}`)
}

const url = (env: Env, name: string, protocols: string[]): string | undefined => {
  const raw = present(env, name)
  if (raw === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    // A URL may carry a password: never repeat one that holds credentials.
    const shown = raw.includes('@') ? 'a value with credentials (not shown)' : JSON.stringify(raw)
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}), got ${shown}`)
  }
  if (!protocols.includes(parsed.protocol.slice(0, -1))) {
    throw new ConfigError(
      `${name} must use ${protocols.join(' or ')}, got ${JSON.stringify(parsed.protocol.slice(0, -1))}`,
    )
  }
  return raw.replace(/\/+$/, '')
}

/** Shortest CURSOR_SECRET accepted: 32 characters of base64 carry 192 bits. */
const MIN_CURSOR_SECRET_LENGTH = 32

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']

const hostName = (env: Env, name: string): string => {
  const host = present(env, name) ?? '127.0.0.1'
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    throw new ConfigError(`${name} must be a host name or IP address, got ${JSON.stringify(host)}`)
  }
  return host
}

/** True for a host that only this machine can reach. */
const loopback = (host: string): boolean =>
  host === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1' || host === '[::1]'

/** `METRICS_TOKEN`: long enough not to be guessed, one header-safe word; never repeated in an error. */
const metricsToken = (env: Env): string | undefined => {
  const token = present(env, 'METRICS_TOKEN')
  if (token === undefined) return undefined
  if (!/^[\x21-\x7e]{16,512}$/.test(token)) {
    throw new ConfigError(
      `METRICS_TOKEN must be 16 to 512 visible ASCII characters without spaces, got ${token.length} characters`,
    )
  }
  for (const name of ['METRICS_PORT', 'METRICS_HOST']) {
    if (present(env, name) !== undefined) {
      throw new ConfigError(
        `${name} and METRICS_TOKEN cannot both be set: METRICS_TOKEN serves /metrics on the public port (PORT) instead of a metrics listener`,
      )
    }
  }
  return token
}

/**
 * Reads and validates the configuration.
 *
 * @param env the environment to read. @default process.env
 * @throws ConfigError naming the first variable whose value cannot be used
 */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production'

  const seamEndpoint = url(env, 'SEAM_ENDPOINT', ['http', 'https'])
  const seamApiKey = present(env, 'SEAM_API_KEY')
  if (seamApiKey !== undefined && (!seamApiKey.startsWith('seam_') || /^seam_(cst|pk|at)/.test(seamApiKey))) {
    throw new ConfigError(
      'SEAM_API_KEY must be a workspace API key starting with "seam_" (not seam_cst, seam_pk or seam_at)',
    )
  }
  if (seamApiKey !== undefined && seamEndpoint === undefined) {
    throw new ConfigError(
      'SEAM_ENDPOINT must be set when SEAM_API_KEY is set (https://connect.getseam.com for Seam itself)',
    )
  }

  const seamWebhookSecret = present(env, 'SEAM_WEBHOOK_SECRET')
  if (seamWebhookSecret !== undefined && !/^whsec_[A-Za-z0-9+/=]+$/.test(seamWebhookSecret)) {
    throw new ConfigError('SEAM_WEBHOOK_SECRET must be a Svix secret of the form whsec_<base64>')
  }

  const seamEventsPollIntervalMs = integer(env, 'SEAM_EVENTS_POLL_INTERVAL_MS', 0, 0, 86_400_000)
  if (seamEventsPollIntervalMs > 0 && seamEventsPollIntervalMs < 1000) {
    throw new ConfigError(
      `SEAM_EVENTS_POLL_INTERVAL_MS must be 0 (off) or at least 1000, got ${JSON.stringify(env.SEAM_EVENTS_POLL_INTERVAL_MS)}`,
    )
  }
  if (seamEventsPollIntervalMs > 0 && seamEndpoint !== undefined && seamApiKey === undefined) {
    throw new ConfigError('SEAM_EVENTS_POLL_INTERVAL_MS needs SEAM_API_KEY: the poller reads events with it')
  }

  const logLevel = (present(env, 'LOG_LEVEL')?.toLowerCase() ?? 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`,
    )
  }

  const corsOrigins = (present(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
  for (const origin of corsOrigins) {
    if (origin === '*') continue
    let parsed: URL | undefined
    try {
      parsed = new URL(origin)
    } catch {}
    if (parsed === undefined || parsed.origin !== origin) {
      throw new ConfigError(
        `CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com, got ${JSON.stringify(origin)}`,
      )
    }
  }

  const redisUrl = url(env, 'REDIS_URL', ['redis', 'rediss'])
  const cursorSecret = present(env, 'CURSOR_SECRET')
  if (cursorSecret !== undefined && cursorSecret.length < MIN_CURSOR_SECRET_LENGTH) {
    throw new ConfigError(
      `CURSOR_SECRET must be at least ${MIN_CURSOR_SECRET_LENGTH} characters (such as the output of \`openssl rand -base64 32\`), got ${cursorSecret.length} characters`,
    )
  }
  if (redisUrl !== undefined && cursorSecret === undefined) {
    // Several instances: a cursor one of them signed must verify on whichever serves the next page.
    throw new ConfigError(
      'CURSOR_SECRET must be set when REDIS_URL is set: every instance must sign page cursors with the same secret (such as the output of `openssl rand -base64 32`)',
    )
  }

  const host = hostName(env, 'HOST')
  const sandboxPublic = boolean(env, 'SANDBOX_PUBLIC', false)
  if (seamEndpoint === undefined && !loopback(host) && !sandboxPublic) {
    throw new ConfigError(
      `HOST ${JSON.stringify(host)} is not a loopback address, and the embedded sandbox shows a working demo token in GraphiQL to anyone who reaches it: use HOST=127.0.0.1, set SEAM_ENDPOINT and SEAM_API_KEY, or set SANDBOX_PUBLIC=true to serve it anyway`,
    )
  }
  const port = integer(env, 'PORT', 4000, 0, 65_535)
  const metricsPort = integer(env, 'METRICS_PORT', 9464, 0, 65_535)
  if (metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError(
      `METRICS_PORT must differ from PORT (the metrics listener is apart from the public one), got ${metricsPort} for both`,
    )
  }

  return {
    port,
    host,
    seamEndpoint,
    seamApiKey,
    seamWebhookSecret,
    redisUrl,
    redisKeyPrefix: present(env, 'REDIS_KEY_PREFIX') ?? 'seam-gw:',
    cursorSecret,
    seamEventsPollIntervalMs,
    principalCacheTtlMs: integer(env, 'PRINCIPAL_CACHE_TTL_MS', 30_000, 0, 86_400_000),
    upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 5000, 100, 120_000),
    corsOrigins,
    graphiql: boolean(env, 'GRAPHIQL', !production),
    introspection: boolean(env, 'INTROSPECTION', !production),
    logLevel,
    sandboxPort: integer(env, 'SANDBOX_PORT', 4010, 0, 65_535),
    sandboxActionDelayMs: integer(env, 'SANDBOX_ACTION_DELAY_MS', 1000, 0, 60_000),
    sandbox: seamEndpoint === undefined,
    persistedOperationsFile: present(env, 'PERSISTED_OPERATIONS_FILE'),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    metricsToken: metricsToken(env),
    metricsPort,
    metricsHost: hostName(env, 'METRICS_HOST'),
    trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 20),
    sandboxPublic,
    limits: {
      maxDepth: integer(env, 'MAX_DEPTH', 10, 1, 100),
      maxAliases: integer(env, 'MAX_ALIASES', 30, 0, 1000),
      maxTokens: integer(env, 'MAX_TOKENS', 2000, 10, 100_000),
      maxDirectives: integer(env, 'MAX_DIRECTIVES', 20, 0, 1000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 102_400, 1024, 10_485_760),
      maxSubscriptionsPerSocket: integer(env, 'MAX_SUBSCRIPTIONS_PER_SOCKET', 20, 1, 1000),
      maxCost: integer(env, 'MAX_COST', 100_000, 10, 10_000_000),
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
      maxUpstreamCallsPerOperation: integer(env, 'MAX_UPSTREAM_CALLS_PER_OPERATION', 50, 1, 10_000),
      rateLimitPerAddressPerMinute: integer(env, 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE', 6000, 0, 1_000_000),
      maxConnectionsPerPrincipal: integer(env, 'MAX_CONNECTIONS_PER_PRINCIPAL', 20, 0, 100_000),
      maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', 200, 0, 1_000_000),
      maxConnections: integer(env, 'MAX_CONNECTIONS', 10_000, 0, 1_000_000),
    },
  }
}
