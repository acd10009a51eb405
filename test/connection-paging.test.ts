import { describe, expect, it } from 'vitest'
import { connectionFromList, connectionFromSeam, createCursorSigner } from '../src/schema/pagination.js'
import type { Page } from '../src/upstream/client.js'

// How a connection walks a list: in memory (offset cursors) and over Seam's pages (page cursors,
// bounded upstream calls). Pure functions: a Seam list here is pages the test hands out, counted.

const codec = () => createCursorSigner('connection-paging-secret').bind('things', {}, { kind: 'anonymous' })

/** Seam's pages, by page cursor (undefined: the first), and the cursors each call asked for. */
function seamPages(pages: Record<string, Page<string>>, maxCalls = 20) {
  const calls: Array<string | undefined> = []
  const fetchPage = async (pageCursor: string | undefined): Promise<Page<string>> => {
    calls.push(pageCursor)
    if (calls.length > maxCalls) throw new Error(`Expected at most ${maxCalls} upstream calls`)
    const page = pages[pageCursor ?? 'first']
    if (page === undefined) throw new Error(`No page ${pageCursor}`)
    return page
  }
  return { calls, fetchPage }
}

const nodes = (connection: { edges: Array<{ node: string }> }) => connection.edges.map((edge) => edge.node)

describe('a connection over an in-memory list', () => {
  it('has a previous page only after a cursor, and a next page only while items remain', async () => {
    const cursors = codec()
    const first = connectionFromList(['a', 'b', 'c'], { first: 1 }, cursors)
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true })
    const rest = connectionFromList(['a', 'b', 'c'], { first: 2, after: first.pageInfo.endCursor }, cursors)
    expect(nodes(rest)).toEqual(['b', 'c'])
    expect(rest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false })
    const whole = connectionFromList(['a', 'b'], { first: 2 }, cursors)
    expect(whole.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false })
  })
})

describe("a connection over Seam's pages", () => {
  it('keeps every item when given no filter', async () => {
    const { fetchPage } = seamPages({ first: { items: ['a', 'b'], nextPageCursor: null } })
    expect(nodes(await connectionFromSeam({ first: 5 }, codec(), fetchPage))).toEqual(['a', 'b'])
  })

  it('has a previous page exactly when it starts after a cursor', async () => {
    const cursors = codec()
    const pages = { first: { items: ['a', 'b'], nextPageCursor: null } }
    const start = await connectionFromSeam({ first: 1 }, cursors, seamPages(pages).fetchPage)
    expect(start.pageInfo.hasPreviousPage).toBe(false)
    const after = await connectionFromSeam(
      { first: 1, after: start.pageInfo.endCursor },
      cursors,
      seamPages(pages).fetchPage,
    )
    expect(nodes(after)).toEqual(['b'])
    expect(after.pageInfo.hasPreviousPage).toBe(true)
  })

  it('stops at the page that filled it, and its end cursor resumes at the next page', async () => {
    const cursors = codec()
    const { calls, fetchPage } = seamPages({
      first: { items: ['a'], nextPageCursor: 'p2' },
      p2: { items: ['b'], nextPageCursor: null },
    })
    const connection = await connectionFromSeam({ first: 1 }, cursors, fetchPage)
    expect(nodes(connection)).toEqual(['a'])
    expect(calls).toEqual([undefined])
    expect(connection.pageInfo.hasNextPage).toBe(true)
    expect(cursors.decode(connection.pageInfo.endCursor!)).toEqual({ c: 'p2', s: 0 })
  })

  it('asks Seam for at most ceil(first / 200) + 1 pages however many items it drops', async () => {
    const cursors = codec()
    const pages: Record<string, Page<string>> = {}
    for (let i = 0; i < 10; i++) {
      pages[i === 0 ? 'first' : `p${i}`] = { items: [`hidden${i}`], nextPageCursor: `p${i + 1}` }
    }
    const { calls, fetchPage } = seamPages(pages)
    const connection = await connectionFromSeam({ first: 1 }, cursors, fetchPage, () => false)
    expect(calls).toEqual([undefined, 'p1'])
    expect(nodes(connection)).toEqual([])
    // Nothing shown, yet the caller can go on from where the walk stopped.
    expect(connection.pageInfo.hasNextPage).toBe(true)
    expect(cursors.decode(connection.pageInfo.endCursor!)).toEqual({ c: 'p2', s: 0 })
  })
})

describe('cursors', () => {
  const INVALID = 'The after cursor is not a cursor of this connection with these arguments'

  it('refuses a cursor of its own with a character outside base64url before or after it', () => {
    const cursors = codec()
    const cursor = cursors.encode({ c: null, s: 1 })
    expect(cursors.decode(cursor)).toEqual({ c: null, s: 1 })
    expect(() => cursors.decode(`!${cursor}`)).toThrow(INVALID)
    expect(() => cursors.decode(`${cursor}!`)).toThrow(INVALID)
  })

  it("resumes after the edge on the last item of a full Seam page, its cursor's skip at the page size", async () => {
    const cursors = codec()
    const full = Array.from({ length: 200 }, (_, i) => `a${i}`)
    const pages = {
      first: { items: full, nextPageCursor: 'p2' },
      p2: { items: ['b0', 'b1'], nextPageCursor: null },
    }
    const start = await connectionFromSeam({ first: 50 }, cursors, seamPages(pages).fetchPage)
    const wide = await connectionFromSeam(
      { first: 200, after: start.pageInfo.endCursor },
      cursors,
      seamPages(pages).fetchPage,
    )
    const lastOfPage = wide.edges[149]!
    expect(lastOfPage.node).toBe('a199')
    const after = await connectionFromSeam(
      { first: 2, after: lastOfPage.cursor },
      cursors,
      seamPages(pages).fetchPage,
    )
    expect(nodes(after)).toEqual(['b0', 'b1'])
  })
})
