import { describe, expect, it } from 'vitest'
import { createQueryInterner } from '../src/ws/server.js'

// graphql-ws subscriptions of one document share its text (src/ws/server.ts); the texts come from
// callers, so what the interner keeps must stay bounded whatever they send.

describe('the query interner', () => {
  it('answers the first copy of an equal text', () => {
    const interner = createQueryInterner()
    const first = ['subscription { clientSessionDeleted { reason } }'].join('')
    const second = ['subscription { clientSessionDeleted', ' { reason } }'].join('')
    expect(interner.intern(first)).toBe(first)
    expect(interner.intern(second)).toBe(first)
    expect(interner.size).toEqual({ entries: 1, characters: first.length })
  })

  it('keeps no text longer than maxLength', () => {
    const interner = createQueryInterner({ maxLength: 10 })
    interner.intern('x'.repeat(11))
    expect(interner.size).toEqual({ entries: 0, characters: 0 })
  })

  it('never holds more than maxTotalLength characters or maxEntries texts, however many distinct texts arrive', () => {
    const interner = createQueryInterner({ maxLength: 100, maxEntries: 50, maxTotalLength: 1000 })
    let most = { entries: 0, characters: 0 }
    for (let i = 0; i < 10_000; i++) {
      interner.intern(`${i}`.padEnd(1 + (i % 100), '.'))
      const { entries, characters } = interner.size
      most = { entries: Math.max(most.entries, entries), characters: Math.max(most.characters, characters) }
    }
    expect(most.characters).toBeLessThanOrEqual(1000)
    expect(most.entries).toBeLessThanOrEqual(50)
    expect(most.entries).toBeGreaterThan(1)
  })
})
