/**
 * The local topics on their own: what `subscribeAll` listens to, and a stream's queue once it is
 * drained. The rest of their semantics (order, keep, once, return) is in `event-execution.test.ts`.
 */
import { describe, expect, it } from 'vitest'
import { Topics } from '../src/events/topics.js'

type Event = { id: string }

const flush = () => new Promise((resolve) => setImmediate(resolve))

/** What `next()` settles with before the event loop turns, or 'pending'. */
async function settled<T>(promise: Promise<T>): Promise<T | 'pending'> {
  let result: T | 'pending' = 'pending'
  void promise.then((value) => (result = value))
  await flush()
  return result
}

describe('Topics.subscribeAll', () => {
  it('hears every one of its topics, each item once, and does not end after the first', async () => {
    const topics = new Topics<Event>()
    const stream = topics.subscribeAll(['a', 'b', 'a'])
    expect(topics.count('a')).toBe(1)
    expect(topics.count('b')).toBe(1)
    topics.publish('b', { id: '1' })
    topics.publish('a', { id: '2' })
    topics.publish('c', { id: 'other' })
    topics.publish('a', { id: '3' })
    expect(await stream.next()).toEqual({ done: false, value: { id: '1' } })
    expect(await stream.next()).toEqual({ done: false, value: { id: '2' } })
    expect(await stream.next()).toEqual({ done: false, value: { id: '3' } })
    expect(await settled(stream.next())).toBe('pending')
    await stream.return()
    expect(topics.size).toBe(0)
  })

  it('is a plain stream of its topic when given one topic', async () => {
    const topics = new Topics<Event>()
    const stream = topics.subscribeAll(['a'], { keep: (event) => event.id !== 'skip' })
    expect(stream.topic).toBe('a')
    topics.publish('a', { id: 'skip' })
    topics.publish('a', { id: '1' })
    topics.publish('a', { id: '2' })
    expect(await stream.next()).toEqual({ done: false, value: { id: '1' } })
    expect(await stream.next()).toEqual({ done: false, value: { id: '2' } })
  })

  it('of two topics, names both', () => {
    const topics = new Topics<Event>()
    expect(topics.subscribeAll(['a', 'b']).topic).toEqual(['a', 'b'])
  })
})

describe('TopicStream', () => {
  it('waits for the next item once its queue was drained', async () => {
    const topics = new Topics<Event>()
    const stream = topics.subscribe('t')
    topics.publish('t', { id: '1' })
    expect(await stream.next()).toEqual({ done: false, value: { id: '1' } })
    const pending = stream.next()
    expect(await settled(pending)).toBe('pending')
    topics.publish('t', { id: '2' })
    expect(await pending).toEqual({ done: false, value: { id: '2' } })
  })
})
