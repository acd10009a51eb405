import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type Config, ConfigError, loadConfig } from '../src/config.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))

const DEFAULTS: Config = {
  port: 4000,
  host: '127.0.0.1',
  seamEndpoint: undefined,
  seamApiKey: undefined,
  seamWebhookSecret: undefined,
  redisUrl: undefined,
  redisKeyPrefix: 'seam-gw:',
  cursorSecret: undefined,
  seamEventsPollIntervalMs: 0,
  principalCacheTtlMs: 30_000,
  upstreamTimeoutMs: 5000,
  corsOrigins: [],
  graphiql: true,
  introspection: true,
  logLevel: 'info',
  sandboxPort: 4010,
  sandboxActionDelayMs: 1000,
  sandbox: true,
  limits: {
    maxDepth: 10,
    maxAliases: 30,
    maxTokens: 2000,
    maxDirectives: 20,
    maxBodyBytes: 102_400,
    maxSubscriptionsPerSocket: 20,
    maxCost: 100_000,
    rateLimitPerMinute: 600,
    maxUpstreamCallsPerOperation: 50,
    rateLimitPerAddressPerMinute: 6000,
    maxConnectionsPerPrincipal: 20,
    maxConnectionsPerAddress: 200,
    maxConnections: 10_000,
  },
  persistedOperationsFile: undefined,
  shutdownGraceMs: 10_000,
  metricsPort: 9464,
  metricsHost: '127.0.0.1',
  metricsToken: undefined,
  trustProxy: 0,
  sandboxPublic: false,
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const CURSOR_SECRET = 'Zm9yIGN1cnNvcnMgb2YgZXZlcnkgaW5zdGFuY2U='

/** The error `loadConfig(env)` throws; fails the test when it throws none. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error(`Expected loadConfig(${JSON.stringify(env)}) to throw a ConfigError, it returned a config`)
}

describe('loadConfig', () => {
  it('defaults to the embedded sandbox on 127.0.0.1:4000', () => {
    expect(loadConfig({})).toEqual(DEFAULTS)
  })

  it('treats empty and blank values as unset', () => {
    expect(loadConfig({ PORT: '', HOST: '  ', SEAM_ENDPOINT: '', LOG_LEVEL: '', GRAPHIQL: ' ' })).toEqual(
      DEFAULTS,
    )
  })

  it('turns GraphiQL and introspection off in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toEqual({
      ...DEFAULTS,
      graphiql: false,
      introspection: false,
    })
  })

  it('lets production turn GraphiQL and introspection back on', () => {
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', INTROSPECTION: 'yes' })).toEqual(DEFAULTS)
  })

  it('lets development turn GraphiQL and introspection off', () => {
    expect(loadConfig({ GRAPHIQL: 'off', INTROSPECTION: '0' })).toEqual({
      ...DEFAULTS,
      graphiql: false,
      introspection: false,
    })
  })

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        SEAM_ENDPOINT: 'https://connect.getseam.com/',
        SEAM_API_KEY: 'seam_live_key_123',
        SEAM_WEBHOOK_SECRET: SECRET,
        REDIS_URL: 'redis://127.0.0.1:6379/0',
        REDIS_KEY_PREFIX: 'gateway-a:',
        CURSOR_SECRET: CURSOR_SECRET,
        SEAM_EVENTS_POLL_INTERVAL_MS: '15000',
        PRINCIPAL_CACHE_TTL_MS: '0',
        UPSTREAM_TIMEOUT_MS: '2500',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
        GRAPHIQL: 'false',
        INTROSPECTION: 'true',
        LOG_LEVEL: 'WARN',
        SANDBOX_PORT: '0',
        MAX_DEPTH: '7',
        MAX_ALIASES: '5',
        MAX_TOKENS: '500',
        MAX_DIRECTIVES: '3',
        MAX_BODY_BYTES: '4096',
        MAX_SUBSCRIPTIONS_PER_SOCKET: '4',
        MAX_COST: '900',
        RATE_LIMIT_PER_MINUTE: '0',
        MAX_UPSTREAM_CALLS_PER_OPERATION: '20',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1200',
        MAX_CONNECTIONS_PER_PRINCIPAL: '5',
        MAX_CONNECTIONS_PER_ADDRESS: '0',
        MAX_CONNECTIONS: '2500',
        PERSISTED_OPERATIONS_FILE: '/etc/gateway/operations.json',
        SHUTDOWN_GRACE_MS: '2500',
        METRICS_PORT: '9100',
        METRICS_HOST: '10.0.0.5',
        TRUST_PROXY: '2',
        SANDBOX_PUBLIC: 'true',
        SANDBOX_ACTION_DELAY_MS: '250',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      seamEndpoint: 'https://connect.getseam.com',
      seamApiKey: 'seam_live_key_123',
      seamWebhookSecret: SECRET,
      redisUrl: 'redis://127.0.0.1:6379/0',
      redisKeyPrefix: 'gateway-a:',
      cursorSecret: CURSOR_SECRET,
      seamEventsPollIntervalMs: 15_000,
      principalCacheTtlMs: 0,
      upstreamTimeoutMs: 2500,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      graphiql: false,
      introspection: true,
      logLevel: 'warn',
      sandboxPort: 0,
      sandboxActionDelayMs: 250,
      sandbox: false,
      limits: {
        maxDepth: 7,
        maxAliases: 5,
        maxTokens: 500,
        maxDirectives: 3,
        maxBodyBytes: 4096,
        maxSubscriptionsPerSocket: 4,
        maxCost: 900,
        rateLimitPerMinute: 0,
        maxUpstreamCallsPerOperation: 20,
        rateLimitPerAddressPerMinute: 1200,
        maxConnectionsPerPrincipal: 5,
        maxConnectionsPerAddress: 0,
        maxConnections: 2500,
      },
      persistedOperationsFile: '/etc/gateway/operations.json',
      shutdownGraceMs: 2500,
      metricsPort: 9100,
      metricsHost: '10.0.0.5',
      metricsToken: undefined,
      trustProxy: 2,
      sandboxPublic: true,
    } satisfies Config)
  })

  it('serves /metrics on the public port behind METRICS_TOKEN, with no metrics listener', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-metrics-token' })).toEqual({
      ...DEFAULTS,
      metricsToken: 'a-long-enough-metrics-token',
    })
  })

  it('serves the sandbox on a non-loopback HOST only with SANDBOX_PUBLIC=true', () => {
    expect(loadConfig({ HOST: '0.0.0.0', SANDBOX_PUBLIC: 'true' })).toEqual({
      ...DEFAULTS,
      host: '0.0.0.0',
      sandboxPublic: true,
    })
    // Loopback needs nothing: only this machine can open GraphiQL.
    for (const host of ['localhost', '127.0.0.1', '127.0.1.1', '::1']) {
      expect(loadConfig({ HOST: host })).toEqual({ ...DEFAULTS, host })
    }
    // With a real Seam there is no demo token to give away.
    expect(loadConfig({ HOST: '0.0.0.0', SEAM_ENDPOINT: 'https://connect.getseam.com' })).toEqual({
      ...DEFAULTS,
      host: '0.0.0.0',
      seamEndpoint: 'https://connect.getseam.com',
      sandbox: false,
    })
  })

  it('accepts port 0 (any free port), rediss:// and a wildcard CORS origin', () => {
    expect(
      loadConfig({
        PORT: '0',
        REDIS_URL: 'rediss://cache.example.com:6380',
        CURSOR_SECRET: CURSOR_SECRET,
        CORS_ORIGINS: '*',
      }),
    ).toEqual({
      ...DEFAULTS,
      port: 0,
      redisUrl: 'rediss://cache.example.com:6380',
      cursorSecret: CURSOR_SECRET,
      corsOrigins: ['*'],
    })
  })

  it('signs cursors with a CURSOR_SECRET of 32 characters or more, and without one on a single instance', () => {
    expect(loadConfig({ CURSOR_SECRET: 'x'.repeat(32) })).toEqual({
      ...DEFAULTS,
      cursorSecret: 'x'.repeat(32),
    })
    expect(loadConfig({ CURSOR_SECRET: '  ' })).toEqual(DEFAULTS)
  })

  it('stops several instances (REDIS_URL) without a shared CURSOR_SECRET', () => {
    expect(configError({ REDIS_URL: 'redis://127.0.0.1:6379' }).message).toBe(
      'CURSOR_SECRET must be set when REDIS_URL is set: every instance must sign page cursors with the same secret (such as the output of `openssl rand -base64 32`)',
    )
  })

  it('never repeats a refused CURSOR_SECRET in its message', () => {
    const secret = 'too-short-but-secret'
    const error = configError({ CURSOR_SECRET: secret })
    expect(error.message).toBe(
      'CURSOR_SECRET must be at least 32 characters (such as the output of `openssl rand -base64 32`), got 20 characters',
    )
    expect(error.message).not.toContain(secret)
  })

  it('runs the events poller in sandbox mode without SEAM_API_KEY (the sandbox has its key)', () => {
    expect(loadConfig({ SEAM_EVENTS_POLL_INTERVAL_MS: '1000' })).toEqual({
      ...DEFAULTS,
      seamEventsPollIntervalMs: 1000,
    })
  })

  it('uses a Seam endpoint without an API key (no poller, no webhook setup)', () => {
    expect(loadConfig({ SEAM_ENDPOINT: 'http://127.0.0.1:4010' })).toEqual({
      ...DEFAULTS,
      seamEndpoint: 'http://127.0.0.1:4010',
      sandbox: false,
    })
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535, got "70000"'],
    [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535, got "-1"'],
    [{ PORT: '80.5' }, 'PORT must be an integer from 0 to 65535, got "80.5"'],
    [{ SANDBOX_PORT: '65536' }, 'SANDBOX_PORT must be an integer from 0 to 65535, got "65536"'],
    [
      { SANDBOX_ACTION_DELAY_MS: '-1' },
      'SANDBOX_ACTION_DELAY_MS must be an integer from 0 to 60000, got "-1"',
    ],
    [{ HOST: 'local host' }, 'HOST must be a host name or IP address, got "local host"'],
    [{ SEAM_ENDPOINT: 'ftp://x' }, 'SEAM_ENDPOINT must use http or https, got "ftp"'],
    [{ SEAM_ENDPOINT: 'notaurl' }, 'SEAM_ENDPOINT must be a URL (http or https), got "notaurl"'],
    [
      { SEAM_ENDPOINT: 'https://connect.getseam.com', SEAM_API_KEY: 'seam_cst1_token' },
      'SEAM_API_KEY must be a workspace API key starting with "seam_" (not seam_cst, seam_pk or seam_at)',
    ],
    [
      { SEAM_ENDPOINT: 'https://connect.getseam.com', SEAM_API_KEY: 'seam_pk1_token' },
      'SEAM_API_KEY must be a workspace API key starting with "seam_" (not seam_cst, seam_pk or seam_at)',
    ],
    [
      { SEAM_ENDPOINT: 'https://connect.getseam.com', SEAM_API_KEY: 'seam_at1_token' },
      'SEAM_API_KEY must be a workspace API key starting with "seam_" (not seam_cst, seam_pk or seam_at)',
    ],
    [
      { SEAM_ENDPOINT: 'https://connect.getseam.com', SEAM_API_KEY: 'sk_live_123' },
      'SEAM_API_KEY must be a workspace API key starting with "seam_" (not seam_cst, seam_pk or seam_at)',
    ],
    [
      { SEAM_API_KEY: 'seam_apikey1_token' },
      'SEAM_ENDPOINT must be set when SEAM_API_KEY is set (https://connect.getseam.com for Seam itself)',
    ],
    [{ SEAM_WEBHOOK_SECRET: 'abc' }, 'SEAM_WEBHOOK_SECRET must be a Svix secret of the form whsec_<base64>'],
    [
      { SEAM_WEBHOOK_SECRET: 'whsec_not base64!' },
      'SEAM_WEBHOOK_SECRET must be a Svix secret of the form whsec_<base64>',
    ],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL must use redis or rediss, got "http"'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must use redis or rediss, got "localhost"'],
    [
      { SEAM_EVENTS_POLL_INTERVAL_MS: '500' },
      'SEAM_EVENTS_POLL_INTERVAL_MS must be 0 (off) or at least 1000, got "500"',
    ],
    [
      { SEAM_EVENTS_POLL_INTERVAL_MS: 'often' },
      'SEAM_EVENTS_POLL_INTERVAL_MS must be an integer from 0 to 86400000, got "often"',
    ],
    [
      { SEAM_ENDPOINT: 'https://connect.getseam.com', SEAM_EVENTS_POLL_INTERVAL_MS: '5000' },
      'SEAM_EVENTS_POLL_INTERVAL_MS needs SEAM_API_KEY: the poller reads events with it',
    ],
    [
      { PRINCIPAL_CACHE_TTL_MS: '30s' },
      'PRINCIPAL_CACHE_TTL_MS must be an integer from 0 to 86400000, got "30s"',
    ],
    [{ UPSTREAM_TIMEOUT_MS: '5' }, 'UPSTREAM_TIMEOUT_MS must be an integer from 100 to 120000, got "5"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"'],
    [
      { CORS_ORIGINS: 'not-an-origin' },
      'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com, got "not-an-origin"',
    ],
    [
      { CORS_ORIGINS: 'https://app.example.com/path' },
      'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com, got "https://app.example.com/path"',
    ],
    [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL must be true or false, got "maybe"'],
    [{ INTROSPECTION: 'sometimes' }, 'INTROSPECTION must be true or false, got "sometimes"'],
    [{ MAX_DEPTH: '0' }, 'MAX_DEPTH must be an integer from 1 to 100, got "0"'],
    [{ MAX_ALIASES: '1001' }, 'MAX_ALIASES must be an integer from 0 to 1000, got "1001"'],
    [{ MAX_TOKENS: '5' }, 'MAX_TOKENS must be an integer from 10 to 100000, got "5"'],
    [{ MAX_DIRECTIVES: 'x' }, 'MAX_DIRECTIVES must be an integer from 0 to 1000, got "x"'],
    [{ MAX_BODY_BYTES: '100' }, 'MAX_BODY_BYTES must be an integer from 1024 to 10485760, got "100"'],
    [
      { MAX_UPSTREAM_CALLS_PER_OPERATION: '0' },
      'MAX_UPSTREAM_CALLS_PER_OPERATION must be an integer from 1 to 10000, got "0"',
    ],
    [
      { MAX_UPSTREAM_CALLS_PER_OPERATION: 'many' },
      'MAX_UPSTREAM_CALLS_PER_OPERATION must be an integer from 1 to 10000, got "many"',
    ],
    ...['0.0.0.0', '::', '192.168.1.20', 'gateway.internal'].map((host) => [
      { HOST: host },
      `HOST ${JSON.stringify(host)} is not a loopback address, and the embedded sandbox shows a working demo token in GraphiQL to anyone who reaches it: use HOST=127.0.0.1, set SEAM_ENDPOINT and SEAM_API_KEY, or set SANDBOX_PUBLIC=true to serve it anyway`,
    ]),
    [
      { HOST: '0.0.0.0', SANDBOX_PUBLIC: 'false' },
      'HOST "0.0.0.0" is not a loopback address, and the embedded sandbox shows a working demo token in GraphiQL to anyone who reaches it: use HOST=127.0.0.1, set SEAM_ENDPOINT and SEAM_API_KEY, or set SANDBOX_PUBLIC=true to serve it anyway',
    ],
    [{ SANDBOX_PUBLIC: 'perhaps' }, 'SANDBOX_PUBLIC must be true or false, got "perhaps"'],
    [{ METRICS_PORT: '99999' }, 'METRICS_PORT must be an integer from 0 to 65535, got "99999"'],
    [
      { PORT: '9464' },
      'METRICS_PORT must differ from PORT (the metrics listener is apart from the public one), got 9464 for both',
    ],
    [{ METRICS_HOST: 'metrics host' }, 'METRICS_HOST must be a host name or IP address, got "metrics host"'],
    [
      { METRICS_TOKEN: 'short' },
      'METRICS_TOKEN must be 16 to 512 visible ASCII characters without spaces, got 5 characters',
    ],
    [
      { METRICS_TOKEN: 'a-long-enough-metrics-token', METRICS_PORT: '9100' },
      'METRICS_PORT and METRICS_TOKEN cannot both be set: METRICS_TOKEN serves /metrics on the public port (PORT) instead of a metrics listener',
    ],
    [
      { METRICS_TOKEN: 'a-long-enough-metrics-token', METRICS_HOST: '0.0.0.0' },
      'METRICS_HOST and METRICS_TOKEN cannot both be set: METRICS_TOKEN serves /metrics on the public port (PORT) instead of a metrics listener',
    ],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY must be an integer from 0 to 20, got "yes"'],
    [{ TRUST_PROXY: '21' }, 'TRUST_PROXY must be an integer from 0 to 20, got "21"'],
    [
      { RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '-5' },
      'RATE_LIMIT_PER_ADDRESS_PER_MINUTE must be an integer from 0 to 1000000, got "-5"',
    ],
    [
      { MAX_CONNECTIONS_PER_PRINCIPAL: '100001' },
      'MAX_CONNECTIONS_PER_PRINCIPAL must be an integer from 0 to 100000, got "100001"',
    ],
    [
      { MAX_CONNECTIONS_PER_PRINCIPAL: 'twenty' },
      'MAX_CONNECTIONS_PER_PRINCIPAL must be an integer from 0 to 100000, got "twenty"',
    ],
    [
      { MAX_CONNECTIONS_PER_ADDRESS: '-1' },
      'MAX_CONNECTIONS_PER_ADDRESS must be an integer from 0 to 1000000, got "-1"',
    ],
    [{ MAX_CONNECTIONS: '1e4' }, 'MAX_CONNECTIONS must be an integer from 0 to 1000000, got "1e4"'],
  ] as Array<[Record<string, string>, string]>)('refuses %o: %s', (env, message) => {
    const error = configError(env)
    expect(error.name).toBe('ConfigError')
    expect(error.message).toBe(message)
  })

  it('never repeats a refused SEAM_API_KEY in its message', () => {
    const key = 'seam_cst_secret_token_value'
    const error = configError({ SEAM_ENDPOINT: 'https://connect.getseam.com', SEAM_API_KEY: key })
    expect(error.message).not.toContain(key)
  })

  it('never repeats the password of an unusable REDIS_URL in its message', () => {
    // A generated password with a "/" (base64) makes the URL unparsable unless it is percent-encoded.
    const error = configError({ REDIS_URL: 'redis://default:Zm9v/YmFy+@cache.internal:6379' })
    expect(error.message).toMatch(/^REDIS_URL /)
    expect(error.message).not.toContain('Zm9v/YmFy+')
  })

  it('never repeats a refused METRICS_TOKEN in its message', () => {
    const error = configError({ METRICS_TOKEN: 'metrics token with spaces' })
    expect(error.message).not.toContain('metrics token')
  })

  it('never repeats a refused SEAM_WEBHOOK_SECRET in its message', () => {
    const secret = 'whsec_bad secret value'
    const error = configError({ SEAM_WEBHOOK_SECRET: secret })
    expect(error.message).not.toContain('bad secret value')
  })
})

describe('a bad value at start', () => {
  it('stops `tsx src/main.ts` with exit code 1 and a message naming the variable', async () => {
    // A clean environment: nothing but PATH and the bad value, so no other variable can interfere.
    const child = spawn(TSX, ['src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: 'abc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    try {
      const [code, signal] = await once(child, 'close')
      expect({ code, signal, stdout, stderr }).toEqual({
        code: 1,
        signal: null,
        stdout: '',
        stderr: 'Configuration error: PORT must be an integer from 0 to 65535, got "abc"\n',
      })
    } finally {
      clearTimeout(timer)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
})
