import { createHash } from 'node:crypto'
import type { Principal } from '../auth/principal.js'
import { badUserInput } from '../errors.js'
import type { Page } from '../upstream/client.js'

/** `first` when the caller gives none. */
export const DEFAULT_FIRST = 50
/** The largest `first` accepted. */
export const MAX_FIRST = 200

/** A Relay connection as the connection object types resolve it. */
export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>
  pageInfo: {
    hasNextPage: boolean
    hasPreviousPage: boolean
    startCursor: string | null
    endCursor: string | null
  }
}

/**
 * Cursor contents. Opaque to clients (base64url JSON) and bound to the query that made it (`q`,
 * a hash of the field, its filters and the principal), so a cursor cannot be replayed against
 * other filters or by another caller.
 *
 * - Seam-paged lists: `c` is Seam's `page_cursor` of the page (null for the first), `l` the page
 *   size it was fetched with (Seam binds cursors to the query), `s` how many items of it to skip.
 * - In-memory lists: `o`, the offset after which to continue.
 */
type CursorData = { q: string; c: string | null; l: number; s: number } | { q: string; o: number }

const encode = (data: CursorData) => Buffer.from(JSON.stringify(data)).toString('base64url')

const INVALID_CURSOR = 'The after cursor is not a cursor of this connection with these arguments'

const decode = (cursor: string, q: string): CursorData => {
  let data: unknown
  try {
    if (cursor.length > 2000) throw new Error('too long')
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw badUserInput(INVALID_CURSOR)
  }
  if (typeof data !== 'object' || data === null || (data as CursorData).q !== q)
    throw badUserInput(INVALID_CURSOR)
  return data as CursorData
}

/** Validates `first`: 1 to {@link MAX_FIRST}, {@link DEFAULT_FIRST} when absent. */
export function checkFirst(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_FIRST
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw badUserInput(`first must be an integer from 1 to ${MAX_FIRST}, got ${first}`)
  }
  return first
}

/** The hash that binds cursors to one field, its filters and the caller. */
export function queryKey(field: string, filters: unknown, principal: Principal): string {
  const who =
    principal.kind === 'workspace'
      ? principal.workspaceId
      : principal.kind === 'clientSession'
        ? principal.clientSessionId
        : principal.kind
  return createHash('sha256')
    .update(JSON.stringify([field, filters, who]))
    .digest('base64url')
    .slice(0, 16)
}

/** Slices an in-memory list into a connection with offset cursors. */
export function connectionFromList<T>(
  items: readonly T[],
  args: { first?: number | null; after?: string | null },
  q: string,
): Connection<T> {
  const first = checkFirst(args.first)
  let offset = 0
  if (args.after) {
    const data = decode(args.after, q)
    if (!('o' in data) || !Number.isInteger(data.o) || data.o < 0) throw badUserInput(INVALID_CURSOR)
    offset = data.o
  }
  const slice = items.slice(offset, offset + first)
  const edges = slice.map((node, i) => ({ node, cursor: encode({ q, o: offset + i + 1 }) }))
  return {
    edges,
    pageInfo: {
      hasNextPage: offset + first < items.length,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  }
}

/**
 * Builds a connection over a Seam-paginated list: fetches the page the cursor points into, skips
 * what the caller has seen, and follows Seam's `next_page_cursor` until `first` items are found.
 * With no `after` and a page size of `first`, one upstream call answers the common case.
 *
 * @param fetchPage fetches one Seam page for `page_cursor` (undefined for the first) and `limit`
 * @param keep drops items the principal may not see (defense in depth, applied after fetching)
 */
export async function connectionFromSeam<T>(
  args: { first?: number | null; after?: string | null },
  q: string,
  fetchPage: (pageCursor: string | undefined, limit: number) => Promise<Page<T>>,
  keep: (item: T) => boolean = () => true,
): Promise<Connection<T>> {
  const first = checkFirst(args.first)
  let pageCursor: string | null = null
  let limit = first
  let skip = 0
  if (args.after) {
    const data = decode(args.after, q)
    if (!('l' in data) || !Number.isInteger(data.l) || !Number.isInteger(data.s) || data.s < 0) {
      throw badUserInput(INVALID_CURSOR)
    }
    pageCursor = data.c
    limit = data.l
    skip = data.s
  }

  const edges: Connection<T>['edges'] = []
  let hasNextPage = false
  // Seam binds a cursor to its page size, so a cursor's pages keep the size they were made with;
  // filling `first` from smaller pages takes more of them, bounded by what `first` can need (plus
  // slack for items the principal may not see). Stopping at the bound still reports hasNextPage.
  const maxPages = Math.ceil((skip + first) / limit) + 5
  for (let pages = 0; ; pages++) {
    const page = await fetchPage(pageCursor ?? undefined, limit)
    const items = page.items
    let index = skip
    for (; index < items.length && edges.length < first; index++) {
      const item = items[index]!
      if (!keep(item)) continue
      edges.push({ node: item, cursor: encode({ q, c: pageCursor, l: limit, s: index + 1 }) })
    }
    const pageDone = index >= items.length
    if (edges.length === first || page.nextPageCursor === null || pages + 1 >= maxPages) {
      hasNextPage = !pageDone || page.nextPageCursor !== null
      if (pageDone && page.nextPageCursor !== null && edges.length > 0) {
        // The last edge closes its page: its cursor points at the start of the next page.
        edges[edges.length - 1]!.cursor = encode({ q, c: page.nextPageCursor, l: limit, s: 0 })
      }
      break
    }
    pageCursor = page.nextPageCursor
    skip = 0
  }
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  }
}
