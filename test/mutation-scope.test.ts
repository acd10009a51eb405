import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The mutation run (`npm run test:mutation`, test/MUTATION.md) names a few guards by line range,
 * since the rest of their files carry no guarantee. Line ranges drift as files change: each range
 * must still hold the guard it was chosen for, or the run would mutate something else.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url))
// The configuration as Stryker reads it (a JavaScript module with no type declarations).
const configUrl = new URL('../stryker.config.mjs', import.meta.url).href
const { default: config } = (await import(configUrl)) as { default: { mutate: string[] } }

/** What each ranged entry must contain, in order. */
const GUARDS: Record<string, string[]> = {
  'src/http/server.ts': ['CREDENTIAL_HEADERS.some', "req.method === 'OPTIONS'", 'corsRefusal'],
  'src/graphql/yoga.ts': ['useCSRFPrevention({', "requestHeaders: ['x-graphql-csrf', ...CREDENTIAL_HEADERS]"],
  'src/ws/server.ts': ['verifyClient', 'originAllowed(origin, req.headers.host, config.corsOrigins)'],
  'src/upstream/client.ts': [
    'async page<',
    'has_next_page',
    'async all<',
    'current.nextPageCursor !== null',
    'return items',
  ],
}

describe('the mutation run', () => {
  const ranged = config.mutate.filter((entry) => /:\d+-\d+$/.test(entry))

  it('names a line range for exactly the guards listed here', () => {
    expect(ranged.map((entry) => entry.split(':')[0]).sort()).toEqual(Object.keys(GUARDS).sort())
  })

  it.each(ranged)('%s still holds its guard', (entry) => {
    const [file, range] = entry.split(':') as [string, string]
    const [from, to] = range.split('-').map(Number) as [number, number]
    const lines = readFileSync(`${ROOT}/${file}`, 'utf8')
      .split('\n')
      .slice(from - 1, to)
      .join('\n')
    let position = 0
    for (const marker of GUARDS[file] ?? []) {
      const found = lines.indexOf(marker, position)
      expect(found, `${marker} in ${entry}`).toBeGreaterThanOrEqual(0)
      position = found + marker.length
    }
  })
})
