import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto'
import type { Principal } from '../auth/principal.js'
import { badUserInput } from '../contract/errors.js'
import type { Page } from '../upstream/client.js'

/** `first` when the caller gives none. */
export const DEFAULT_FIRST = 50
/** The largest `first` accepted. */
export const MAX_FIRST = 200
/**
 * The page size the gateway asks of Seam, whatever the caller sends. Fixed because Seam binds its
 * page cursors to the query, `limit` included: every cursor the gateway hands out must keep working
 * with the same size. Equal to {@link MAX_FIRST} so that any page of `first` items, starting
 * anywhere in one of Seam's pages, is filled from that page and the next: at most 2 calls.
 */
export const SEAM_PAGE_SIZE = MAX_FIRST

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
 * Where a page starts. In a Seam-paged list: `c`, Seam's `page_cursor` of the page (null for the
 * first), and `s`, how many of its items the caller may see to skip. In an in-memory list: `o`,
 * the offset.
 */
type SeamPosition = { c: string | null; s: number }
type ListPosition = { o: number }

const INVALID_CURSOR = 'The after cursor is not a cursor of this connection with these arguments'
/** Longest cursor read: Seam's own page cursor inside, encrypted, base64url. */
const MAX_CURSOR_LENGTH = 4096
/** AES-256-GCM's nonce and tag, in bytes. */
const IV_LENGTH = 12
const TAG_LENGTH = 16

/** The cursors of one connection: one field, its filters, one caller. */
export interface CursorCodec {
  encode(position: SeamPosition | ListPosition): string
  /** The position a cursor of this connection carries; BAD_USER_INPUT for anything else. */
  decode(cursor: string): unknown
}

/** Seals page cursors. Per process; instances behind one balancer share its secret. */
export interface CursorSigner {
  /** The codec of one connection's cursors: a cursor of another binding does not open. */
  bind(field: string, filters: unknown, principal: Principal): CursorCodec
}

/**
 * Creates the sealer of every cursor: the position encrypted and authenticated with AES-256-GCM
 * (base64url of nonce, ciphertext and tag), the connection's binding (field, filters, caller) as
 * its additional data. A caller can neither read a cursor (Seam's page cursor inside, and how many
 * items of Seam's page it skips, which would count what the caller may not see) nor change it,
 * nor use it on another connection, with other filters, or as someone else; a cursor that fails is
 * refused without saying why.
 *
 * The nonce is synthetic: an HMAC of the binding and the position, so a position always has the
 * same cursor, and two different positions never share a nonce under one key.
 *
 * @param secret `CURSOR_SECRET`, or random bytes made once per process
 */
export function createCursorSigner(secret: string | Buffer): CursorSigner {
  // Two keys from the one secret: one encrypts, one derives the nonces.
  const encryptionKey = createHmac('sha256', secret).update('cursor encryption key').digest()
  const nonceKey = createHmac('sha256', secret).update('cursor nonce key').digest()
  return {
    bind(field, filters, principal) {
      // Made on first use: a page whose cursors nobody selects seals none (see LazyEdge).
      let bound: Buffer | undefined
      const bindingOf = () => (bound ??= Buffer.from(JSON.stringify([field, filters, callerOf(principal)])))
      return {
        encode(position) {
          const binding = bindingOf()
          const plaintext = Buffer.from(JSON.stringify(position))
          // JSON never holds a raw newline: binding and position cannot run into each other.
          const iv = createHmac('sha256', nonceKey)
            .update(binding)
            .update('\n')
            .update(plaintext)
            .digest()
            .subarray(0, IV_LENGTH)
          const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv).setAAD(binding)
          const sealed = [iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]
          return Buffer.concat(sealed).toString('base64url')
        },
        decode(cursor) {
          if (cursor.length > MAX_CURSOR_LENGTH || !/^[\w-]+$/.test(cursor))
            throw badUserInput(INVALID_CURSOR)
          const raw = Buffer.from(cursor, 'base64url')
          if (raw.length <= IV_LENGTH + TAG_LENGTH) throw badUserInput(INVALID_CURSOR)
          const binding = bindingOf()
          try {
            const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, IV_LENGTH))
              .setAAD(binding)
              .setAuthTag(raw.subarray(raw.length - TAG_LENGTH))
            const plaintext = Buffer.concat([
              decipher.update(raw.subarray(IV_LENGTH, raw.length - TAG_LENGTH)),
              decipher.final(),
            ])
            return JSON.parse(plaintext.toString('utf8')) as unknown
          } catch {
            throw badUserInput(INVALID_CURSOR)
          }
        },
      }
    },
  }
}

/** Who a cursor belongs to: the workspace of an API key, the session of a token. */
const callerOf = (principal: Principal): string =>
  principal.kind === 'workspace'
    ? principal.workspaceId
    : principal.kind === 'clientSession'
      ? principal.clientSessionId
      : principal.kind

const isSeamPosition = (value: unknown): value is SeamPosition => {
  const { c, s } = (value ?? {}) as Partial<SeamPosition>
  return (
    (c === null || typeof c === 'string') &&
    typeof s === 'number' &&
    Number.isInteger(s) &&
    s >= 0 &&
    s <= SEAM_PAGE_SIZE
  )
}

const isListPosition = (value: unknown): value is ListPosition => {
  const { o } = (value ?? {}) as Partial<ListPosition>
  return typeof o === 'number' && Number.isInteger(o) && o >= 0
}

/** The most ids `nodes(ids)` takes: each may cost a lookup and a NOT_FOUND error of its own. */
export const MAX_NODE_IDS = 100

/**
 * Refuses a list argument longer than `max` (ids, filters): its length is the caller's choice, and
 * it would otherwise bound a loop, an upstream body and the errors of one response.
 */
export function checkListLength(
  name: string,
  list: readonly unknown[] | null | undefined,
  max: number,
): void {
  if (list != null && list.length > max) {
    throw badUserInput(`${name} may hold at most ${max} values, got ${list.length}`)
  }
}

/** Validates `first`: 1 to {@link MAX_FIRST}, {@link DEFAULT_FIRST} when absent. */
export function checkFirst(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_FIRST
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw badUserInput(`first must be an integer from 1 to ${MAX_FIRST}, got ${first}`)
  }
  return first
}

/**
 * An edge whose cursor is sealed (an HMAC and AES-GCM) only when a client selects it, once: most
 * pages are read by their nodes alone.
 */
class LazyEdge<T> {
  private sealed: string | undefined
  constructor(
    readonly node: T,
    private position: SeamPosition | ListPosition,
    private readonly codec: CursorCodec,
  ) {}

  get cursor(): string {
    this.sealed ??= this.codec.encode(this.position)
    return this.sealed
  }

  /** Moves the edge's cursor to `position` (where the next page of a connection resumes). */
  resumeAt(position: SeamPosition): void {
    this.position = position
    this.sealed = undefined
  }
}

/** Slices an in-memory list into a connection with offset cursors. */
export function connectionFromList<T>(
  items: readonly T[],
  args: { first?: number | null; after?: string | null },
  cursors: CursorCodec,
): Connection<T> {
  const first = checkFirst(args.first)
  let offset = 0
  if (args.after) {
    const position = cursors.decode(args.after)
    if (!isListPosition(position)) throw badUserInput(INVALID_CURSOR)
    offset = position.o
  }
  const slice = items.slice(offset, offset + first)
  const edges = slice.map((node, i) => new LazyEdge(node, { o: offset + i + 1 }, cursors))
  return {
    edges,
    pageInfo: {
      hasNextPage: offset + first < items.length,
      hasPreviousPage: offset > 0,
      get startCursor() {
        return edges[0]?.cursor ?? null
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null
      },
    },
  }
}

/**
 * Builds a connection over a Seam-paginated list: fetches the page the cursor points into, skips
 * what the caller has seen, and follows Seam's `next_page_cursor` until `first` items are found.
 *
 * Upstream calls are bounded by `first` alone: pages of {@link SEAM_PAGE_SIZE}, at most
 * `ceil(first / SEAM_PAGE_SIZE) + 1` of them, however many items `keep` drops. Stopping at the
 * bound still reports `hasNextPage`, with an end cursor where the walk stopped (even on a page
 * with no edges), so the caller can go on.
 *
 * @param fetchPage fetches one Seam page for `page_cursor` (undefined for the first) and `limit`
 * @param keep drops items the principal may not see (defense in depth, applied after fetching);
 *   they take no place in any position, so the connection reads as if Seam had never sent them
 */
export async function connectionFromSeam<T>(
  args: { first?: number | null; after?: string | null },
  cursors: CursorCodec,
  fetchPage: (pageCursor: string | undefined, limit: number) => Promise<Page<T>>,
  keep: (item: T) => boolean = () => true,
): Promise<Connection<T>> {
  const first = checkFirst(args.first)
  let pageCursor: string | null = null
  let skip = 0
  if (args.after) {
    const position = cursors.decode(args.after)
    if (!isSeamPosition(position)) throw badUserInput(INVALID_CURSOR)
    pageCursor = position.c
    skip = position.s
  }

  const edges: Array<LazyEdge<T>> = []
  const maxPages = Math.ceil(first / SEAM_PAGE_SIZE) + 1
  // Where the next page of this connection starts; null once Seam's list is done.
  let next: SeamPosition | null = null
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(pageCursor ?? undefined, SEAM_PAGE_SIZE)
    // A position counts only the items `keep` lets through: where a page ends, and every cursor,
    // then depend on what the caller may see alone, whatever else Seam handed out around it.
    let kept = 0
    next = null
    for (const item of page.items) {
      if (!keep(item)) continue
      kept++
      if (kept <= skip) continue
      if (edges.length === first) {
        next = { c: pageCursor, s: kept - 1 }
        break
      }
      edges.push(new LazyEdge(item, { c: pageCursor, s: kept }, cursors))
    }
    if (next !== null || page.nextPageCursor === null) break
    next = { c: page.nextPageCursor, s: 0 }
    if (edges.length === first || pages >= maxPages) break
    pageCursor = page.nextPageCursor
    skip = 0
  }
  const last = edges.at(-1)
  // Everything before `next` was seen (or may not be seen): the last edge resumes there, and so
  // does a page that kept no edge.
  if (next !== null) last?.resumeAt(next)
  const resume = next
  let endCursor: string | null | undefined
  return {
    edges,
    pageInfo: {
      hasNextPage: next !== null,
      hasPreviousPage: args.after != null,
      get startCursor() {
        return edges[0]?.cursor ?? null
      },
      get endCursor() {
        endCursor ??= last?.cursor ?? (resume === null ? null : cursors.encode(resume))
        return endCursor
      },
    },
  }
}
