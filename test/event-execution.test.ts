/**
 * The pieces under every subscription, on their own: the topics that hand events to subscribers,
 * and the execution that gives each event a fresh context and shares one execution among
 * subscribers who would compute the same result. End to end, over real sockets, they are covered
 * by `transports.test.ts`, `session-end.test.ts` and `authorization-matrix.test.ts`.
 */
import { type GraphQLFieldConfig, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import type { Principal } from '../src/auth/principal.js'
import { Topics } from '../src/events/topics.js'
import { createEventExecution } from '../src/graphql/event-execution.js'
import type { GatewayContext } from '../src/schema/context.js'

type Event = { id: string }

const take = <T>(iterator: AsyncIterator<T>) => iterator.next()
const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('Topics', () => {
  it('hands an item to every stream of its topic, in order, and to no other topic', async () => {
    const topics = new Topics<Event>()
    const a = topics.subscribe('t')
    const b = topics.subscribe('t')
    const other = topics.subscribe('u')
    topics.publish('t', { id: '1' })
    topics.publish('t', { id: '2' })
    expect(await take(a)).toEqual({ done: false, value: { id: '1' } })
    expect(await take(a)).toEqual({ done: false, value: { id: '2' } })
    expect(await take(b)).toEqual({ done: false, value: { id: '1' } })
    let otherGot: unknown
    void take(other).then((result) => (otherGot = result))
    await flush()
    expect(otherGot).toBeUndefined()
  })

  it('passes only what `keep` accepts', async () => {
    const topics = new Topics<Event>()
    const stream = topics.subscribe('t', { keep: (event) => event.id !== 'skip' })
    topics.publish('t', { id: 'skip' })
    topics.publish('t', { id: 'kept' })
    expect(await take(stream)).toEqual({ done: false, value: { id: 'kept' } })
  })

  it('ends a `once` stream after its item was taken and more was asked for, then runs onEnd', async () => {
    const topics = new Topics<Event>()
    let ended = 0
    const stream = topics.subscribe('t', { once: true, onEnd: () => ended++ })
    const pending = take(stream)
    topics.publish('t', { id: '1' })
    expect(await pending).toEqual({ done: false, value: { id: '1' } })
    // It left its topic as soon as it had its item.
    expect(topics.count('t')).toBe(0)
    expect(ended).toBe(0)
    expect(await take(stream)).toEqual({ done: true, value: undefined })
    expect(ended).toBe(1)
    await stream.return()
    expect(ended).toBe(1)
  })

  it('leaves its topic at once on return(), resolving a pending next() as done', async () => {
    const topics = new Topics<Event>()
    let ended = 0
    const stream = topics.subscribe('t', { onEnd: () => ended++ })
    const pending = take(stream)
    expect(topics.count('t')).toBe(1)
    await stream.return()
    expect(await pending).toEqual({ done: true, value: undefined })
    expect(topics.count('t')).toBe(0)
    expect(topics.size).toBe(0)
    expect(ended).toBe(1)
    topics.publish('t', { id: 'late' })
    expect(await take(stream)).toEqual({ done: true, value: undefined })
  })
})

describe('createEventExecution', () => {
  /** A schema whose one subscription field streams a topic and counts its resolver's runs. */
  function setUp() {
    const topics = new Topics<Event>()
    const resolved: Array<{ event: string; context: object }> = []
    const field: GraphQLFieldConfig<Event, GatewayContext> = {
      type: new GraphQLObjectType({
        name: 'Ended',
        fields: { id: { type: GraphQLString } },
      }),
      subscribe: () => topics.subscribe('t'),
      resolve: (event, _args, context) => {
        resolved.push({ event: event.id, context })
        return event
      },
    }
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({ name: 'Subscription', fields: { ended: field } }),
    })
    const subscribe = createEventExecution({ refresh: (context) => ({ ...context }) as GatewayContext })
    const document = parse('subscription { ended { id } }')
    const start = async (principal: Principal, doc = document) => {
      const stream = await subscribe({ schema, document: doc, contextValue: { principal } })
      if (!(Symbol.asyncIterator in stream)) throw new Error('no stream')
      return stream
    }
    return { topics, resolved, start }
  }

  const workspace = (id: string) => ({ kind: 'workspace', workspaceId: id }) as unknown as Principal

  it('executes an event once for subscribers with the same principal and document, each with a fresh context', async () => {
    const { topics, resolved, start } = setUp()
    const principal = workspace('w1')
    const streams = await Promise.all([start(principal), start(principal), start(principal)])
    const results = streams.map(take)
    topics.publish('t', { id: 'e1' })
    expect(await Promise.all(results)).toEqual(
      Array.from({ length: 3 }, () => ({ done: false, value: { data: { ended: { id: 'e1' } } } })),
    )
    expect(resolved.map((r) => r.event)).toEqual(['e1'])
    const next = streams.map(take)
    topics.publish('t', { id: 'e2' })
    await Promise.all(next)
    expect(resolved.map((r) => r.event)).toEqual(['e1', 'e2'])
    // Each event's execution had a context of its own.
    expect(resolved[0]!.context).not.toBe(resolved[1]!.context)
  })

  it('never shares an execution between principals or documents', async () => {
    const { topics, resolved, start } = setUp()
    const one = workspace('w1')
    const streams = await Promise.all([
      start(one),
      start(workspace('w1')),
      start(one, parse('subscription Named { ended { id } }')),
    ])
    const results = streams.map(take)
    topics.publish('t', { id: 'e1' })
    await Promise.all(results)
    expect(resolved).toHaveLength(3)
    expect(new Set(resolved.map((r) => r.context)).size).toBe(3)
  })

  it('returns its source at once when returned while waiting', async () => {
    const { topics, start } = setUp()
    const stream = await start(workspace('w1'))
    const pending = take(stream)
    expect(topics.count('t')).toBe(1)
    await stream.return?.()
    expect(await pending).toEqual({ done: true, value: undefined })
    expect(topics.count('t')).toBe(0)
  })
})
