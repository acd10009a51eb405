/**
 * Maps each item of an async iterable; `return()` reaches the source at once.
 *
 * An async generator that is awaiting its source cannot be returned until the source yields, so a
 * subscription whose socket closed would wait, and hold its memory, until an event happened to
 * pass (maybe never). This iterator forwards `return()` straight to the source, whose pending
 * `next()` then resolves as done. One exists per live subscription: a subclass maps and ends in
 * prototype methods, with what they need in its own fields, so that no closure and no async frame
 * is held per subscription.
 */
export abstract class MappedIterator<T, U> implements AsyncIterableIterator<U> {
  readonly #source: AsyncIterator<T>
  #ended = false

  constructor(source: AsyncIterable<T>) {
    this.#source = source[Symbol.asyncIterator]()
  }

  /** Maps one item of the source. */
  protected abstract map(item: T): U | Promise<U>

  /** Runs once when the iterator finishes, however it finishes. */
  protected onEnd(): void {}

  next(): Promise<IteratorResult<U>> {
    if (this.#ended) return Promise.resolve(this.#finish())
    return this.#source.next().then((next) => this.#step(next))
  }

  return(): Promise<IteratorResult<U>> {
    const result = this.#finish()
    const returned = this.#source.return?.()
    return returned === undefined ? Promise.resolve(result) : returned.then(() => result)
  }

  throw(error: unknown): Promise<IteratorResult<U>> {
    this.#finish()
    const returned = this.#source.return?.()
    return returned === undefined ? Promise.reject(error) : returned.then(() => Promise.reject(error))
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  #step(next: IteratorResult<T>): IteratorResult<U> | Promise<IteratorResult<U>> {
    if (next.done) return this.#finish()
    const mapped = this.map(next.value)
    return mapped instanceof Promise ? mapped.then(asValue) : { done: false, value: mapped }
  }

  #finish(): IteratorReturnResult<undefined> {
    if (!this.#ended) {
      this.#ended = true
      this.onEnd()
    }
    return { done: true, value: undefined }
  }
}

const asValue = <U>(value: U): IteratorResult<U> => ({ done: false, value })
