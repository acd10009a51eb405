import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { findSessionOfUser } from './client-session-store.js'
import { credentialHeaders, workspaceOfCredential } from './credentials.js'
import type { FakeStore } from './fake-store.js'
import {
  FakeAnswer,
  isJson,
  jsonObjectOrNone,
  queryToValues,
  type RequestParams,
  readRawBody,
  replayRequest,
  type SandboxInterceptor,
  type SandboxLog,
  SeamApiError,
  sendJson,
  sendRouteFailure,
} from './http.js'
import { invalidInput, ParamReader } from './params.js'

/** What the filtered list routes need from the sandbox. */
export interface FilteredListRoutesOptions {
  /** The fake's store; read for the client session a `user_identifier_key` names. */
  readonly store: FakeStore
  /** Where a route that fails unexpectedly is reported. */
  readonly log: SandboxLog
  /**
   * The sandbox's own URL: the routes call the fake through it (a request without `search` and
   * `user_identifier_key` goes to the fake) and build `next_page_url` with it.
   */
  readonly baseUrl: () => string
}

/** An item of a list, as the fake serializes it. */
type Item = Readonly<Record<string, unknown>>

/** One paginated list route of the fake, and how to search its items. */
interface ListRoute {
  readonly path: string
  /** The response key of the items. */
  readonly key: string
  /** The id field, which the fake's sort and cursor use after `created_at`. */
  readonly idField: string
  /** Seam's documented default page size. */
  readonly defaultLimit: number
  /** The texts `search` looks in. */
  readonly searchableTexts: (item: Item) => unknown[]
}

/** Params the sandbox applies itself; all others go to the fake, which validates and applies them. */
const OWN_PARAMS = ['search', 'user_identifier_key', 'limit', 'page_cursor']

/** Most pages read from the fake for one request (500 items each): far beyond any sandbox's data. */
const MAX_FAKE_PAGES = 1000

/** How long one call to the fake may take; it answers from memory in milliseconds. */
const FAKE_CALL_TIMEOUT_MS = 30_000

const LIST_ROUTES: readonly ListRoute[] = [
  {
    path: '/devices/list',
    key: 'devices',
    idField: 'device_id',
    defaultLimit: 500,
    // Seam's description of `search`: device_id, display_name, custom_metadata, location.location_name;
    // and the names a user sees: properties.name and properties.appearance.name.
    searchableTexts: (device) => [
      device.device_id,
      device.display_name,
      field(device, 'properties', 'name'),
      field(device, 'properties', 'appearance', 'name'),
      field(device, 'location', 'location_name'),
      ...metadataValues(device),
    ],
  },
  {
    path: '/connected_accounts/list',
    key: 'connected_accounts',
    idField: 'connected_account_id',
    defaultLimit: 11000,
    // Seam's description of `search`: connected_account_id, account_type, customer_key, custom_metadata,
    // user_identifier.username, .email and .phone; and the display name.
    searchableTexts: (account) => [
      account.connected_account_id,
      account.display_name,
      account.account_type,
      account.customer_key,
      field(account, 'user_identifier', 'email'),
      field(account, 'user_identifier', 'username'),
      field(account, 'user_identifier', 'phone'),
      ...metadataValues(account),
    ],
  },
]

/**
 * Serves `/devices/list` and `/connected_accounts/list` when a request has `user_identifier_key` or
 * `search`, which the fake ignores; every other request goes to the fake untouched (a POST whose body
 * had to be read to tell is replayed to it byte for byte).
 *
 * How: the sandbox asks the fake itself for the full list, with the request's own credential and every
 * other filter (`device_ids`, `connected_account_ids`, `connected_account_id`, `device_types`, …) but
 * without `user_identifier_key`, `search`, `limit` and `page_cursor`, following the fake's pages to
 * the end. Then it keeps the items of the connected accounts of the workspace's session with that
 * `user_identifier_key` (none when there is no such session), keeps the items `search` matches, and
 * cuts the page itself. The call goes through the sandbox's own URL: the fake builds its handler for
 * one server only and reads bodies from real requests, and a loopback request is the one way in that
 * needs no imitation of its internals.
 *
 * Why that way: the fake keeps authenticating (the same 401s), scoping (a client session token sees
 * only its own accounts' items, so the result is always a subset of what the fake would show that
 * token), validating the other params (its 400s), honouring simulated outages (its empty 503) and
 * shaping and ordering the items (by `created_at`, then id); the sandbox only narrows and pages.
 *
 * Pagination is Seam's: `pagination: {has_next_page, next_page_cursor, next_page_url}`. A cursor has
 * the fake's form (base64 of `[hash of the other params, {created_at, <id>}]`), so a cursor used with
 * other params is 400 `mismatched_page_parameters` here and at the fake alike.
 *
 * Lifecycle: created once per sandbox; holds no state of its own.
 */
export function createFilteredListRoutes(
  options: FilteredListRoutesOptions,
): Map<string, SandboxInterceptor> {
  return new Map(
    LIST_ROUTES.map((route): [string, SandboxInterceptor] => [route.path, createInterceptor(route, options)]),
  )
}

function createInterceptor(route: ListRoute, options: FilteredListRoutesOptions): SandboxInterceptor {
  const { store, log, baseUrl } = options
  return {
    async intercept(req, res, query, fake) {
      try {
        const method = req.method ?? 'GET'
        let params: RequestParams
        if (method === 'GET' || method === 'HEAD') {
          params = { source: 'query', values: queryToValues(query) }
          if (!needsSandbox(params.values)) return fake(req, res)
        } else if (method === 'POST') {
          const body = await readRawBody(req)
          // An empty body means the query string alone, whatever the content type (as for the fake).
          const bodyValues = body.length === 0 ? {} : isJson(req) ? jsonObjectOrNone(body) : undefined
          if (bodyValues === undefined) return fake(replayRequest(req, body), res)
          // Seam reads a POST's params from its body and its query string alike.
          const values = { ...queryToValues(query), ...bodyValues }
          if (!needsSandbox(values)) return fake(replayRequest(req, body), res)
          params = { source: body.length === 0 ? 'query' : 'body', values }
        } else {
          return fake(req, res)
        }
        sendJson(res, 200, await serveList(route, req, params, { store, baseUrl }))
      } catch (error) {
        sendRouteFailure(req, res, error, log)
      }
    },
  }
}

/** Whether the fake would ignore a param the request has. */
function needsSandbox(values: Readonly<Record<string, unknown>>): boolean {
  return values.search !== undefined || values.user_identifier_key !== undefined
}

async function serveList(
  route: ListRoute,
  req: IncomingMessage,
  params: RequestParams,
  context: { store: FakeStore; baseUrl: () => string },
): Promise<unknown> {
  const forwarded = Object.fromEntries(
    Object.entries(params.values).filter(([name]) => !OWN_PARAMS.includes(name)),
  )
  // First the fake: it authenticates and validates the other params before the sandbox reads its own.
  let items = await collectFromFake(route, req, forwarded, context.baseUrl())

  const reader = new ParamReader(params)
  const search = reader.optionalString('search')
  const userIdentifierKey = reader.optionalString('user_identifier_key')
  const limit = reader.optionalPositiveInteger('limit') ?? route.defaultLimit
  const pageCursor = readPageCursor(params.values.page_cursor, route)

  if (userIdentifierKey !== undefined) {
    const state = context.store.getState()
    const workspaceId = workspaceOfCredential(req, state)
    const session =
      workspaceId === undefined ? undefined : findSessionOfUser(state, workspaceId, userIdentifierKey)
    const accountIds = new Set(session?.connected_account_ids ?? [])
    items = items.filter((item) => accountIds.has(String(item.connected_account_id)))
  }
  if (search !== undefined) {
    const needle = search.toLowerCase()
    items = items.filter((item) =>
      route
        .searchableTexts(item)
        .some((text) => typeof text === 'string' && text.toLowerCase().includes(needle)),
    )
  }

  const { page_cursor: _cursor, ...boundParams } = params.values
  const queryHash = hashParams(route.path, { ...boundParams, limit })
  let start = 0
  if (pageCursor !== undefined) {
    if (pageCursor.queryHash !== queryHash) {
      // The fake's type and message.
      throw new SeamApiError(
        400,
        'mismatched_page_parameters',
        'When using next_page_cursor, the request must send parameters identical to the initial request.',
      )
    }
    // The first item at or after the cursor's in the fake's order, which still works when that item
    // has gone since.
    start = items.findIndex((item) => !isBefore(item, pageCursor, route.idField))
    if (start === -1) start = items.length
  }

  const page = items.slice(start, start + limit)
  const next = items[start + limit]
  const nextPageCursor =
    next === undefined
      ? null
      : Buffer.from(
          JSON.stringify([queryHash, { created_at: next.created_at, [route.idField]: next[route.idField] }]),
          'utf8',
        ).toString('base64')
  return {
    [route.key]: page,
    pagination: {
      has_next_page: next !== undefined,
      next_page_cursor: nextPageCursor,
      next_page_url:
        nextPageCursor === null
          ? null
          : nextPageUrl(context.baseUrl(), route.path, boundParams, nextPageCursor),
    },
    ok: true,
  }
}

/**
 * Reads every page of the fake's list for the request's credential and `params`, in the request's own
 * form: a GET as a query string (the fake reads repeated and single keys its own way), anything else as
 * a JSON body.
 *
 * @throws {FakeAnswer} when the fake answers anything but 200, to be passed on as it is
 */
async function collectFromFake(
  route: ListRoute,
  req: IncomingMessage,
  params: Record<string, unknown>,
  baseUrl: string,
): Promise<Item[]> {
  const headers = credentialHeaders(req)
  const asQuery = req.method === 'GET' || req.method === 'HEAD'
  const items: Item[] = []
  let pageCursor: string | undefined
  for (let pages = 0; pages < MAX_FAKE_PAGES; pages++) {
    let response: Response
    if (asQuery) {
      const search = toSearchParams(params) ?? new URLSearchParams()
      if (pageCursor !== undefined) search.set('page_cursor', pageCursor)
      response = await fetch(`${baseUrl}${route.path}?${search}`, {
        method: 'GET',
        headers,
        signal: AbortSignal.timeout(FAKE_CALL_TIMEOUT_MS),
      })
    } else {
      response = await fetch(`${baseUrl}${route.path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(pageCursor === undefined ? params : { ...params, page_cursor: pageCursor }),
        signal: AbortSignal.timeout(FAKE_CALL_TIMEOUT_MS),
      })
    }
    const text = await response.text()
    if (response.status !== 200)
      throw new FakeAnswer(response.status, response.headers.get('content-type'), text)

    const body = JSON.parse(text) as Record<string, unknown>
    const pageItems = body[route.key]
    if (!Array.isArray(pageItems)) {
      throw new Error(
        `Expected the fake's ${route.path} to answer with ${route.key}, got ${typeof pageItems}`,
      )
    }
    items.push(...(pageItems as Item[]))
    const next = (body.pagination as { next_page_cursor?: unknown } | undefined)?.next_page_cursor
    if (typeof next !== 'string') return items
    pageCursor = next
  }
  throw new Error(`Expected the fake's ${route.path} to end within ${MAX_FAKE_PAGES} pages, got more`)
}

/** A decoded page cursor: the hash of the params it belongs to and the first item of its page. */
interface PageCursor {
  readonly queryHash: string
  readonly createdAt: string
  readonly id: string
}

/**
 * Decodes a `page_cursor` of the fake's form; absent and null mean the first page.
 *
 * @throws {SeamApiError} 400 `invalid_input` for anything else
 */
function readPageCursor(value: unknown, route: ListRoute): PageCursor | undefined {
  if (value === undefined || value === null) return undefined
  const unreadable = invalidInput(
    `Invalid page_cursor: expected the next_page_cursor of an earlier ${route.path} page, got ${typeof value === 'string' ? 'an unreadable cursor' : `a ${Array.isArray(value) ? 'array' : typeof value}`}`,
  )
  if (typeof value !== 'string') throw unreadable
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
  } catch {
    throw unreadable
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw unreadable
  const [queryHash, pointer] = decoded as [unknown, unknown]
  if (typeof queryHash !== 'string' || pointer === null || typeof pointer !== 'object') throw unreadable
  const { created_at: createdAt, [route.idField]: id } = pointer as Record<string, unknown>
  if (typeof createdAt !== 'string' || typeof id !== 'string') throw unreadable
  return { queryHash, createdAt, id }
}

/** Whether an item comes before the cursor's in the fake's order: `created_at`, then id, as strings. */
function isBefore(item: Item, cursor: PageCursor, idField: string): boolean {
  const createdAt = String(item.created_at)
  if (createdAt !== cursor.createdAt) return createdAt < cursor.createdAt
  return String(item[idField]) < cursor.id
}

/**
 * Hashes the params a cursor is bound to. Every value counts as a list of strings, so the same params
 * hash alike from a JSON body (`["a"]`, `2`) and from a query string (`a`, `"2"`), and `next_page_url`
 * works as a GET.
 */
function hashParams(path: string, params: Readonly<Record<string, unknown>>): string {
  const normalized = Object.keys(params)
    .sort()
    .filter((name) => params[name] !== undefined && params[name] !== null)
    .map((name) => {
      const value = params[name]
      const list = Array.isArray(value) ? value : [value]
      return [name, list.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))]
    })
  return createHash('sha256')
    .update(JSON.stringify([path, normalized]))
    .digest('hex')
}

/**
 * The URL of the next page: the same params as a query string (arrays as repeated keys), and the
 * cursor. Null when a param has no query string form (an object, an empty array).
 */
function nextPageUrl(
  baseUrl: string,
  path: string,
  params: Readonly<Record<string, unknown>>,
  cursor: string,
): string | null {
  const search = toSearchParams(params)
  if (search === undefined) return null
  search.set('page_cursor', cursor)
  return `${baseUrl}${path}?${search}`
}

/** Params as a query string (arrays as repeated keys); undefined when one has no such form. */
function toSearchParams(params: Readonly<Record<string, unknown>>): URLSearchParams | undefined {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    const list = Array.isArray(value) ? value : [value]
    if (list.length === 0) return undefined
    for (const item of list) {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return undefined
      search.append(name, String(item))
    }
  }
  return search
}

/** A nested field of an item, or undefined. */
function field(item: Item, ...path: string[]): unknown {
  let current: unknown = item
  for (const name of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[name]
  }
  return current
}

/** The string values of an item's `custom_metadata`. */
function metadataValues(item: Item): unknown[] {
  const metadata = item.custom_metadata
  return metadata !== null && typeof metadata === 'object' ? Object.values(metadata) : []
}
