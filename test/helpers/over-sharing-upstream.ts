import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Database } from '@seamapi/fake-seam-connect'
import { type FakeClientSession, getFakeStore } from '../../sandbox/fake-store.js'
import type { Sandbox } from '../../sandbox/sandbox.js'
import { toSeamClientSession } from '../../sandbox/seam-shapes.js'

/** A running {@link startOverSharingUpstream}. */
export interface OverSharingUpstream {
  /** Base URL to give the gateway as SEAM_ENDPOINT. */
  url: string
  close(): Promise<void>
}

/** An answer: status, headers (`seam-request-id`, content type), body. */
interface Answer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** Answers as a workspace API key would, however the request came in. */
type Caller = { workspaceId: string; session: FakeClientSession | undefined }

const CLIENT_SESSION_HEADERS = ['client-session-token', 'seam-client-session-token']

/**
 * A buggy Seam, for tests only: a proxy in front of a real sandbox that over-shares wherever the
 * gateway's own wall is supposed to hold, and answers in Seam's own shapes.
 *
 * - `/devices/list` and `/devices/get` answer a client session token as its workspace's API key
 *   would: the whole workspace, with the request's own filters (`device_ids`,
 *   `connected_account_id(s)`, …) but not the token's scope.
 * - `/client_sessions/get` answers the session asked for (by `client_session_id` or
 *   `user_identifier_key`) whatever the credential: another session's token, or another workspace's
 *   API key, gets it.
 * - `/connected_accounts/get` answers any account of any workspace, and `/connected_accounts/list`
 *   lists the accounts of every workspace, the caller's first, whatever the credential.
 * - A client session token the store still holds is accepted even when it expired or was revoked:
 *   `/client_sessions/get` answers with its session as if it were alive (its `expires_at` unchanged).
 *
 * Anything else (unknown and deleted credentials, the client session routes that write, every other
 * path) goes to the sandbox unchanged, so its refusals and errors stay the honest ones.
 *
 * Lifecycle: one per test file, in front of that file's sandbox; `close()` in `afterAll`.
 */
export async function startOverSharingUpstream(sandbox: Sandbox): Promise<OverSharingUpstream> {
  const store = getFakeStore(sandbox.fake)

  /** Sends a request to the sandbox; `apiKey` replaces the request's credential when given. */
  const forward = async (
    req: IncomingMessage,
    path: string,
    body: Buffer,
    apiKey?: string,
  ): Promise<Answer> => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value !== 'string' || ['host', 'connection', 'content-length'].includes(name)) continue
      if (apiKey !== undefined && (name === 'authorization' || CLIENT_SESSION_HEADERS.includes(name)))
        continue
      headers[name] = value
    }
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`
    const method = req.method ?? 'POST'
    const answer = await fetch(`${sandbox.url}${path}`, {
      method,
      headers,
      ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: new Uint8Array(body) } : {}),
    })
    return {
      status: answer.status,
      headers: headersOf(answer),
      body: Buffer.from(await answer.arrayBuffer()),
    }
  }

  /** POSTs `params` as JSON to the sandbox with `apiKey`; the parsed answer, or the answer as it came. */
  const post = async (path: string, params: Record<string, unknown>, apiKey: string) => {
    const answer = await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(params),
    })
    const body = Buffer.from(await answer.arrayBuffer())
    if (answer.status !== 200) {
      return { failed: { status: answer.status, headers: headersOf(answer), body } as Answer }
    }
    return { json: JSON.parse(body.toString('utf8')) as Record<string, unknown> }
  }

  /** Who the credential belongs to, as the store knows it, whether or not it still works. */
  const callerOf = (req: IncomingMessage, state: Database): Caller | undefined => {
    const header = CLIENT_SESSION_HEADERS.map((name) => req.headers[name]).find((v) => typeof v === 'string')
    const bearer = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1]
    const token = (header as string | undefined) ?? (bearer?.startsWith('seam_cst') ? bearer : undefined)
    if (token !== undefined) {
      const session = state.client_sessions.find((candidate) => candidate.token === token)
      return session === undefined ? undefined : { workspaceId: session.workspace_id, session }
    }
    const key = state.api_keys.find((candidate) => candidate.token === bearer)
    return key === undefined ? undefined : { workspaceId: key.workspace_id, session: undefined }
  }

  const apiKeyOf = (state: Database, workspaceId: string) =>
    state.api_keys.find((key) => key.workspace_id === workspaceId)?.token

  /** Every workspace that has an API key, `first` first. */
  const workspacesFrom = (state: Database, first: string) => [
    first,
    ...new Set(state.api_keys.map((key) => key.workspace_id).filter((id) => id !== first)),
  ]

  const json = (value: unknown): Answer => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'seam-request-id': randomUUID() },
    body: Buffer.from(JSON.stringify(value)),
  })

  const answer = async (req: IncomingMessage, path: string, body: Buffer): Promise<Answer> => {
    const state = store.getState()
    const caller = callerOf(req, state)
    if (caller === undefined) return forward(req, path, body)
    const params = readParams(req, body)

    if (path === '/devices/list' || path === '/devices/get') {
      if (caller.session === undefined) return forward(req, path, body)
      const apiKey = apiKeyOf(state, caller.workspaceId)
      if (apiKey === undefined) return forward(req, path, body)
      return forward(req, path, body, apiKey)
    }

    if (path === '/client_sessions/get') {
      const { client_session_id: id, user_identifier_key: key } = params
      const inOrder = [
        ...state.client_sessions.filter((s) => s.workspace_id === caller.workspaceId),
        ...state.client_sessions.filter((s) => s.workspace_id !== caller.workspaceId),
      ]
      const session =
        id !== undefined
          ? inOrder.find((s) => s.client_session_id === id)
          : key !== undefined
            ? inOrder.find((s) => s.user_identifier_key === key)
            : caller.session
      if (session === undefined) return forward(req, path, body)
      return json({ client_session: toSeamClientSession(session, state.devices), ok: true })
    }

    if (path === '/connected_accounts/get') {
      const account = state.connected_accounts.find(
        (a) => a.connected_account_id === params.connected_account_id,
      )
      const apiKey = apiKeyOf(state, account?.workspace_id ?? caller.workspaceId)
      if (apiKey === undefined) return forward(req, path, body)
      return forward(req, path, Buffer.from(JSON.stringify(params)), apiKey)
    }

    if (path === '/connected_accounts/list') {
      const { limit, page_cursor: pageCursor, ...filters } = params
      const accounts: unknown[] = []
      for (const workspaceId of workspacesFrom(state, caller.workspaceId)) {
        const apiKey = apiKeyOf(state, workspaceId)!
        let cursor: unknown
        do {
          const page = await post(
            path,
            cursor === undefined ? filters : { ...filters, page_cursor: cursor },
            apiKey,
          )
          if (page.failed !== undefined) return page.failed
          accounts.push(...(page.json.connected_accounts as unknown[]))
          const pagination = page.json.pagination as { next_page_cursor?: string | null } | undefined
          cursor = pagination?.next_page_cursor ?? undefined
        } while (cursor !== undefined)
      }
      // Its own page cursors: the offset of the page, in base64.
      const start = typeof pageCursor === 'string' ? Number(Buffer.from(pageCursor, 'base64').toString()) : 0
      const size = typeof limit === 'number' ? limit : accounts.length
      const end = start + size
      const next = end < accounts.length ? Buffer.from(String(end)).toString('base64') : null
      return json({
        connected_accounts: accounts.slice(start, end),
        pagination: { has_next_page: next !== null, next_page_cursor: next, next_page_url: null },
        ok: true,
      })
    }

    return forward(req, path, body)
  }

  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!
      answer(req, path, Buffer.concat(chunks))
        .then(({ status, headers, body }) => {
          res.writeHead(status, { ...headers, 'content-length': String(body.length) })
          res.end(body)
        })
        .catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The headers of a sandbox answer worth passing on: all but the ones of its own connection. */
function headersOf(answer: Response): Record<string, string> {
  const headers: Record<string, string> = {}
  answer.headers.forEach((value, name) => {
    if (
      !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)
    )
      headers[name] = value
  })
  return headers
}

/** A request's params: its JSON body, or its query string. */
function readParams(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  if (body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'))
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>
    } catch {
      // Not JSON: the sandbox refuses it in its own words.
    }
    return {}
  }
  return Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams)
}
