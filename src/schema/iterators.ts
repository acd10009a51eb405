/**
 * Async iterator combinators whose `return()` reaches their source at once.
 *
 * An async generator that is awaiting its source cannot be returned until the source yields, so a
 * subscription whose socket closed would wait, and hold its memory, until an event happened to
 * pass its filter (maybe never). These iterators forward `return()` straight to the source, whose
 * pending `next()` then resolves as done.
 */

/** Maps each item; `onEnd` runs once when the iterator finishes, however it finishes. */
export function mapAsync<T, U>(
  source: AsyncIterable<T>,
  map: (item: T) => U | Promise<U>,
  onEnd: () => void = () => {},
): AsyncIterableIterator<U> {
  return wrap(
    source,
    async (iterator, finish) => {
      const next = await iterator.next()
      if (next.done) return finish()
      return { done: false, value: await map(next.value) }
    },
    onEnd,
  )
}

/** Passes the items that match `keep`. */
export function filterAsync<T>(
  source: AsyncIterable<T>,
  keep: (item: T) => boolean,
): AsyncIterableIterator<T> {
  return wrap(source, async (iterator, finish) => {
    for (;;) {
      const next = await iterator.next()
      if (next.done) return finish()
      if (keep(next.value)) return { done: false, value: next.value }
    }
  })
}

/**
 * Passes the first item only. `onEnd` runs when the consumer asks for more after it (the item
 * has been handed on by then) or returns early.
 */
export function firstAsync<T>(
  source: AsyncIterable<T>,
  onEnd: () => void = () => {},
): AsyncIterableIterator<T> {
  let taken = false
  return wrap(
    source,
    async (iterator, finish) => {
      if (taken) {
        await iterator.return?.()
        return finish()
      }
      const next = await iterator.next()
      if (next.done) return finish()
      taken = true
      return { done: false, value: next.value }
    },
    onEnd,
  )
}

function wrap<T, U>(
  source: AsyncIterable<T>,
  step: (
    iterator: AsyncIterator<T>,
    finish: () => IteratorReturnResult<undefined>,
  ) => Promise<IteratorResult<U>>,
  onEnd: () => void = () => {},
): AsyncIterableIterator<U> {
  const iterator = source[Symbol.asyncIterator]()
  let ended = false
  const finish = (): IteratorReturnResult<undefined> => {
    if (!ended) {
      ended = true
      onEnd()
    }
    return { done: true, value: undefined }
  }
  return {
    [Symbol.asyncIterator]() {
      return this
    },
    next: () => (ended ? Promise.resolve(finish()) : step(iterator, finish)),
    async return() {
      const result = finish()
      await iterator.return?.()
      return result
    },
    async throw(error: unknown) {
      finish()
      await iterator.return?.()
      throw error
    },
  }
}
