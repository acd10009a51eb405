/**
 * The expiry check on its own, against the embedded sandbox: the verdict Seam's answer gives on a
 * session whose known `expires_at` has come, asked with the session's token or with the gateway's
 * API key, and what counts as an answer about the session (a refusal of its token, a missing
 * session) rather than a failure to ask (a refused key, Seam out of reach).
 */
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { updateClientSession } from '../sandbox/client-session-store.js'
import { getFakeStore } from '../sandbox/fake-store.js'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { createExpiryCheck } from '../src/events/expiry-check.js'
import { createUpstream, type Upstream } from '../src/upstream/client.js'

let sandbox: Sandbox
let upstream: Upstream
/** An endpoint nothing listens on. */
let unreachable: Upstream

interface Session {
  clientSessionId: string
  token: string
  expiresAt: string
}

async function newSession(): Promise<Session> {
  const { client_session } = await upstream
    .as({ kind: 'apiKey', token: sandbox.apiKey })
    .call('/client_sessions/create', { user_identifier_key: `user-${Math.random()}` })
  return {
    clientSessionId: client_session.client_session_id,
    token: client_session.token,
    expiresAt: client_session.expires_at,
  }
}

/** Moves the session's `expires_at` in Seam's store. */
function expireAt(session: Session, expiresAt: string): void {
  updateClientSession(getFakeStore(sandbox.fake), session.clientSessionId, (stored) => ({
    ...stored,
    expires_at: expiresAt,
  }))
}

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0 })
  upstream = createUpstream({ endpoint: sandbox.url, maxRetries: 0 })
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  unreachable = createUpstream({ endpoint: `http://127.0.0.1:${port}`, maxRetries: 0, timeoutMs: 2000 })
}, 30_000)

afterEach(() => {
  vi.useRealTimers()
})

afterAll(async () => {
  await upstream?.close()
  await unreachable?.close()
  await sandbox?.stop()
})

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString()

describe.each([
  ['with the session token', (s: Session) => ({ token: s.token, apiKey: undefined })],
  ['with the API key', (_s: Session) => ({ token: undefined, apiKey: 'seam_apikey1_token' })],
])('asked %s', (_how, credentials) => {
  const check = (session: Session, via = upstream) => {
    const { token, apiKey } = credentials(session)
    return createExpiryCheck({ upstream: via, apiKey })({
      clientSessionId: session.clientSessionId,
      token,
      expiresAt: Date.parse(session.expiresAt),
    })
  }

  it('a session Seam extended is extended, to the time Seam gives', async () => {
    const session = await newSession()
    const extendedTo = inMs(3_600_000)
    expireAt(session, extendedTo)
    expect(await check(session)).toEqual({ kind: 'extended', expiresAt: extendedTo })
  })

  it('a session Seam still shows, but whose expires_at has passed or is now, has ended', async () => {
    const session = await newSession()
    const passed = inMs(-1000)
    expireAt(session, passed)
    const verdict = await check(session)
    // Seam may refuse the token of a session it holds expired, or show it: either way it ended.
    expect(verdict).toEqual({ kind: 'ended' })
    const now = inMs(60_000)
    expireAt(session, now)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse(now))
    expect(await check(session)).toEqual({ kind: 'ended' })
  })

  it('Seam out of reach is no verdict', async () => {
    const session = await newSession()
    const verdict = await check(session, unreachable)
    expect(verdict.kind).toBe('unconfirmed')
  })
})

describe('asked with the session token', () => {
  it('a token Seam refuses means the session ended', async () => {
    const verdict = await createExpiryCheck({ upstream, apiKey: undefined })({
      clientSessionId: 'cst_unknown',
      token: 'seam_cst_not_a_token',
      expiresAt: Date.now(),
    })
    expect(verdict).toEqual({ kind: 'ended' })
  })

  it('a token that Seam answers for with another session means the session asked about ended', async () => {
    const session = await newSession()
    const other = await newSession()
    expect(
      await createExpiryCheck({ upstream, apiKey: undefined })({
        clientSessionId: other.clientSessionId,
        token: session.token,
        expiresAt: Date.parse(other.expiresAt),
      }),
    ).toEqual({ kind: 'ended' })
  })
})

describe('asked with the API key', () => {
  it('a session Seam does not have has ended', async () => {
    expect(
      await createExpiryCheck({ upstream, apiKey: sandbox.apiKey })({
        clientSessionId: '00000000-0000-4000-8000-000000000000',
        token: undefined,
        expiresAt: Date.now(),
      }),
    ).toEqual({ kind: 'ended' })
  })

  it('a key Seam refuses is no verdict', async () => {
    const session = await newSession()
    const verdict = await createExpiryCheck({ upstream, apiKey: 'seam_apikey_not_a_key' })({
      clientSessionId: session.clientSessionId,
      token: undefined,
      expiresAt: Date.parse(session.expiresAt),
    })
    expect(verdict.kind).toBe('unconfirmed')
  })

  it('neither a token nor a key is no verdict, saying so', async () => {
    expect(
      await createExpiryCheck({ upstream, apiKey: undefined })({
        clientSessionId: 'cst',
        token: undefined,
        expiresAt: Date.now(),
      }),
    ).toEqual({ kind: 'unconfirmed', reason: 'neither the session token nor an API key to ask Seam with' })
  })
})
