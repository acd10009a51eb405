import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClientPool, queryWs, sleep, waitFor } from './helpers/clients.js'

// The logs of a whole run of the real process (`tsx src/main.ts`, LOG_LEVEL=debug): every credential
// the run uses goes through it, on every transport and on the webhook path, and none may appear in
// stdout or stderr, except where the start banner prints the sandbox's API key and demo token on
// purpose. Every line but the banner is JSON, and every request's line carries its request id.

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`
const PUBLISHABLE_KEY = 'seam_pk1_token'
/** Credentials the gateway must refuse (and never repeat). */
const BAD_TOKENS = {
  clientSession: 'seam_cst_forged_for_logs_0001',
  apiKey: 'seam_apikey_forged_for_logs_0002',
  personal: 'seam_at_personal_for_logs_0003',
  basicPassword: 'dXNlcjpzdXBlcnNlY3JldHBhc3N3b3Jk',
  queryString: 'seam_querystring_for_logs_0004',
  socket: 'seam_cst_forged_socket_for_logs_0005',
}

let child: ChildProcessWithoutNullStreams | undefined
let stdout = ''
let stderr = ''
let exitCode: number | null = null
let banner: { url: string; sandboxUrl: string; apiKey: string; demoToken: string }
/** Tokens the run made along the way (a created session's, the publishable key's session's). */
const madeTokens: string[] = []
/** The request ids this run sent, one per HTTP request to the gateway, with the status it got. */
const sent: Array<{ requestId: string; status: number }> = []
/** The request ids of the requests that failed upstream or were refused, by scenario step. */
const failedRequests: Record<string, string> = {}

const clients = createClientPool()

/** The banner block of stdout: from its first line to its Health/Ready/Metrics line. */
function bannerLines(): { start: number; end: number; lines: string[] } {
  const lines = stdout.split('\n')
  const start = lines.findIndex((line) => line.startsWith('Seam GraphQL Gateway listening on '))
  const end = lines.findIndex((line, index) => index > start && line.includes('Metrics: '))
  return { start, end, lines }
}

/** Every line of stdout and stderr outside the banner, without empty lines. */
function logLines(): string[] {
  const { start, end, lines } = bannerLines()
  const outside = start === -1 ? lines : [...lines.slice(0, start), ...lines.slice(end + 1)]
  return [...outside, ...stderr.split('\n')].filter((line) => line.trim() !== '')
}

/** The log lines that are JSON objects, parsed. */
function parsedLogLines(): Array<Record<string, unknown>> {
  return logLines().flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line)
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? [parsed as Record<string, unknown>]
        : []
    } catch {
      return []
    }
  })
}

/** POSTs a query to the gateway with these headers and a fresh request id; records the id and status. */
async function graphql(query: string, headers: Record<string, string>, search = '') {
  const requestId = `logs-run-${sent.length + 1}`
  const response = await fetch(`${banner.url}/graphql${search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    body: JSON.stringify({ query }),
  })
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] }
  sent.push({ requestId, status: response.status })
  return { status: response.status, body, requestId }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

beforeAll(async () => {
  // Node itself with tsx's loader, not the `tsx` wrapper: the wrapper forwards SIGTERM and gives its
  // child only a moment to report before it exits 143 on its own, which would hide the real exit.
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'debug',
      SEAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  })
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  child.on('exit', (code) => {
    exitCode = code
  })

  await waitFor(
    () => /Metrics: \S+\n/.test(stdout) || child!.exitCode !== null,
    `the start banner (stdout so far: ${stdout.slice(0, 200)})`,
    15_000,
  )
  const url = /Seam GraphQL Gateway listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout)?.[1]
  const sandboxUrl = /Upstream: +embedded Seam sandbox at (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout)?.[1]
  const apiKey = /Sandbox API key \(workspace\): +(\S+)\n/.exec(stdout)?.[1]
  const demoToken = /Demo client session token: +(\S+)\n/.exec(stdout)?.[1]
  if (!url || !sandboxUrl || !apiKey || !demoToken) {
    throw new Error(`Expected a complete banner, got:\n${stdout}\n${stderr}`)
  }
  banner = { url, sandboxUrl, apiKey, demoToken }

  // The run: every kind of credential, good and bad, on every transport, and the webhook path.
  const results: Record<string, number> = {}
  results.apiKey = (
    await graphql('{ viewer { kind } devices { nodes { deviceId } } }', bearer(apiKey))
  ).status
  results.demoToken = (await graphql('{ viewer { kind } }', bearer(demoToken))).status
  results.badClientSession = (await graphql('{ viewer { kind } }', bearer(BAD_TOKENS.clientSession))).status
  results.badApiKey = (await graphql('{ viewer { kind } }', bearer(BAD_TOKENS.apiKey))).status
  results.personal = (await graphql('{ viewer { kind } }', bearer(BAD_TOKENS.personal))).status
  results.basic = (
    await graphql('{ viewer { kind } }', { authorization: `Basic ${BAD_TOKENS.basicPassword}` })
  ).status
  results.badSessionHeader = (
    await graphql('{ viewer { kind } }', { 'client-session-token': BAD_TOKENS.clientSession })
  ).status
  results.queryString = (
    await graphql(
      '{ viewer { kind } }',
      {},
      `?${new URLSearchParams({ authorization: `Bearer ${BAD_TOKENS.queryString}`, token: BAD_TOKENS.queryString })}`,
    )
  ).status

  const fromPublishableKey = await graphql(
    'mutation { getOrCreateClientSession(input: {}) { clientSession { clientSessionId token } } }',
    { 'seam-publishable-key': PUBLISHABLE_KEY, 'seam-user-identifier-key': 'logs-user' },
  )
  results.publishableKey = fromPublishableKey.status
  const pkSession = (
    fromPublishableKey.body.data?.getOrCreateClientSession as { clientSession?: { token?: string } }
  )?.clientSession
  if (pkSession?.token) madeTokens.push(pkSession.token)

  const created = await graphql(
    'mutation { createClientSession(input: { userIdentifierKey: "logs-created", connectedAccountIds: ["john_connected_account_id"] }) { clientSession { clientSessionId token } } }',
    bearer(apiKey),
  )
  results.created = created.status
  const session = (
    created.body.data?.createClientSession as
      | { clientSession: { clientSessionId: string; token: string } }
      | undefined
  )?.clientSession
  if (session === undefined)
    throw new Error(`Expected a created session, got ${JSON.stringify(created.body)}`)
  madeTokens.push(session.token)
  results.createdToken = (
    await graphql('{ viewer { kind } devices { nodes { deviceId } } }', {
      'seam-client-session-token': session.token,
    })
  ).status

  // graphql-ws with connection params: an API key, a session token, and a forged token.
  const workspaceSocket = clients.openWs(banner.url, { authorization: `Bearer ${apiKey}` })
  await queryWs(workspaceSocket.client, parse('{ viewer { kind } }'), {})
  const sessionSocket = clients.openWs(banner.url, { clientSessionToken: session.token })
  await queryWs(sessionSocket.client, parse('{ viewer { kind } }'), {})
  const refusedSocket = clients.openWs(banner.url, { clientSessionToken: BAD_TOKENS.socket })
  await waitFor(() => refusedSocket.closes.length > 0, 'the forged socket to be refused')
  results.refusedSocket = refusedSocket.closes[0]!.code

  // Upstream errors: an outage of /devices/list, and Seam's invalid_input.
  const outage = (routes: string[]) =>
    fetch(`${banner.sandboxUrl}/_fake/simulate_workspace_outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace_id: 'seed_workspace_1', routes }),
    })
  await outage(['/devices/list'])
  const unavailable = await graphql('{ devices { nodes { deviceId } } }', bearer(session.token))
  results.outage = (unavailable.body.errors as Array<{ extensions: { code: string } }>).length
  failedRequests.outage = unavailable.requestId
  // A failure before any resolver runs: the credential's own lookup (a token not seen before),
  // sent without an x-request-id: the gateway's own id is the one its line carries.
  await outage(['/client_sessions/get'])
  const unauthenticatable = await fetch(`${banner.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(pkSession?.token ?? 'none') },
    body: JSON.stringify({ query: '{ viewer { kind } }' }),
  })
  const lookupBody = (await unauthenticatable.json()) as { errors?: Array<{ extensions: { code: string } }> }
  results.lookupOutage = lookupBody.errors?.length ?? 0
  failedRequests.lookupOutage = unauthenticatable.headers.get('x-request-id') ?? 'none'
  expect(failedRequests.lookupOutage).toMatch(/^[0-9a-f-]{36}$/)
  sent.push({ requestId: failedRequests.lookupOutage, status: unauthenticatable.status })
  await outage([])
  const invalid = await graphql(
    '{ devices(deviceTypes: ["not_a_device_type"]) { nodes { deviceId } } }',
    bearer(apiKey),
  )
  results.invalidInput = (invalid.body.errors as unknown[]).length
  failedRequests.invalidInput = invalid.requestId

  // The webhook path: a deletion makes the sandbox deliver a signed webhook to /webhooks/seam, and a
  // forged delivery is refused.
  results.deleted = (
    await graphql(
      `mutation { deleteClientSession(clientSessionId: "${session.clientSessionId}") { clientSessionId } }`,
      bearer(apiKey),
    )
  ).status
  await waitFor(() => /"path":"\/webhooks\/seam"/.test(stdout), 'the signed webhook delivery', 5000)
  const forged = await fetch(`${banner.url}/webhooks/seam`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': 'logs-forged-webhook',
      'svix-id': 'msg_forged_for_logs',
      'svix-timestamp': String(Math.floor(Date.now() / 1000)),
      'svix-signature': `v1,${randomBytes(32).toString('base64')}`,
    },
    body: JSON.stringify({ event_type: 'client_session.deleted', client_session_id: 'cst1' }),
  })
  results.forgedWebhook = forged.status
  sent.push({ requestId: 'logs-forged-webhook', status: forged.status })

  await clients.disposeAll()
  // Let the last lines reach the pipes, then stop the process as an orchestrator does.
  await sleep(200)
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await Promise.race([
    exited,
    sleep(10_000).then(() => {
      throw new Error('Expected the gateway to exit within 10 s of SIGTERM')
    }),
  ])
  scenario = results
}, 60_000)

let scenario: Record<string, number> = {}

afterAll(async () => {
  await clients.disposeAll()
  // Whatever happened, the process does not outlive the file.
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    await exited
  }
})

describe('a whole run of tsx src/main.ts at LOG_LEVEL=debug', () => {
  it('went as planned: every credential was used and answered as expected, and SIGTERM ended it with 0', () => {
    expect(scenario).toEqual({
      apiKey: 200,
      demoToken: 200,
      badClientSession: 401,
      badApiKey: 401,
      personal: 401,
      basic: 401,
      badSessionHeader: 401,
      queryString: 401,
      publishableKey: 200,
      created: 200,
      createdToken: 200,
      refusedSocket: 4403,
      outage: 1,
      lookupOutage: 1,
      invalidInput: 1,
      deleted: 200,
      forgedWebhook: 401,
    })
    expect(madeTokens).toHaveLength(2)
    expect(exitCode).toBe(0)
  })

  it('writes only JSON objects outside the start banner, on stdout and on stderr', () => {
    const notJson = logLines().filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line)
        return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)
      } catch {
        return true
      }
    })
    expect(notJson).toEqual([])
  })

  it("logs one line per request with the request's id, method, path and status", () => {
    const requestLines = parsedLogLines().filter((line) => line.msg === 'request')
    for (const line of requestLines) {
      expect(line).toEqual(
        expect.objectContaining({
          requestId: expect.stringMatching(/^[\w.:-]{1,100}$/),
          method: expect.any(String),
          path: expect.stringMatching(/^\//),
          status: expect.any(Number),
        }),
      )
    }
    const byId = new Map(requestLines.map((line) => [line.requestId, line]))
    for (const { requestId, status } of sent) {
      expect(byId.get(requestId)).toEqual(expect.objectContaining({ requestId, status, method: 'POST' }))
    }
    // The sandbox's own delivery to /webhooks/seam was a request too.
    expect(requestLines.filter((line) => line.path === '/webhooks/seam').length).toBeGreaterThanOrEqual(2)
  })

  it('gives every warning and error its request id, so that it can be traced to the request', () => {
    const untraced = parsedLogLines().filter(
      (line) => typeof line.level === 'number' && line.level >= 40 && typeof line.requestId !== 'string',
    )
    expect(untraced).toEqual([])
    // And the lines are there: each failed request's own, with its id.
    const linesOf = (requestId: string) =>
      parsedLogLines().filter((line) => line.requestId === requestId && line.msg !== 'request')
    expect(linesOf(failedRequests.outage!)).toEqual([
      expect.objectContaining({ level: 40, msg: 'upstream call failed', route: '/devices/list' }),
    ])
    expect(linesOf(failedRequests.lookupOutage!)).toEqual([
      expect.objectContaining({ level: 40, msg: 'upstream call failed', route: '/client_sessions/get' }),
    ])
    expect(linesOf(failedRequests.invalidInput!)).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'upstream call failed',
        route: '/devices/list',
        status: 400,
      }),
    ])
    expect(linesOf('logs-forged-webhook')).toEqual([
      expect.objectContaining({ level: 40, msg: 'webhook rejected', svixId: 'msg_forged_for_logs' }),
    ])
  })

  it('prints the sandbox API key and the demo token only in the banner: the key once, the token in its line and its curl example', () => {
    const { start, end, lines } = bannerLines()
    expect(start).toBeGreaterThanOrEqual(0)
    expect(end).toBeGreaterThan(start)
    const bannerText = lines.slice(start, end + 1).join('\n')
    expect(bannerText.split(banner.apiKey).length - 1).toBe(1)
    expect(bannerText).toContain(`Sandbox API key (workspace):   ${banner.apiKey}\n`)
    expect(bannerText.split(banner.demoToken).length - 1).toBe(2)
    expect(bannerText).toContain(`Demo client session token:     ${banner.demoToken}\n`)
    expect(bannerText).toContain(`-H 'authorization: Bearer ${banner.demoToken}'`)
  })

  it('never logs a credential or secret anywhere else: keys, tokens (good and bad), the webhook secret', () => {
    const logs = logLines().join('\n')
    const secrets = [
      banner.apiKey,
      banner.demoToken,
      PUBLISHABLE_KEY,
      WEBHOOK_SECRET,
      WEBHOOK_SECRET.slice('whsec_'.length),
      ...madeTokens,
      ...Object.values(BAD_TOKENS),
    ]
    for (const secret of secrets) {
      expect({ secret, found: logs.includes(secret) }).toEqual({ secret, found: false })
    }
    // Nor anything shaped like one.
    for (const prefix of ['seam_apikey', 'seam_cst', 'seam_pk', 'seam_at', 'whsec_']) {
      expect({ prefix, found: logs.includes(prefix) }).toEqual({ prefix, found: false })
    }
  })
})
