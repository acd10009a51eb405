/**
 * Local topics for subscriptions: `publish` hands an item, synchronously, to every stream of its
 * topic. Per process; the bus carries items between instances.
 *
 * Built for tens of thousands of idle subscribers: a stream is one small object (no Repeater, no
 * EventTarget listener, no async generator frame, no closure of its own), its `next()` is a plain
 * promise, and its `return()` leaves the topic at once, so a socket that closes releases its
 * subscriptions even while they wait.
 */
export class Topics<T> {
  readonly #streams = new Map<string, TopicSet<T>>()

  /**
   * A stream of the items published to `topic` from now on.
   *
   * @param options.keep passes only the items it accepts (checked at publish time, so a refused
   *   item costs no promise and no wake-up)
   * @param options.once ends the stream after its first item: the next `next()` is done
   * @param options.onEnd runs once when the stream ends, however it ends; for a `once` stream,
   *   only after its item was taken and more was asked for
   */
  subscribe(
    topic: string,
    options: {
      keep?: ((item: T) => boolean) | undefined
      once?: boolean
      onEnd?: (() => void) | undefined
    } = {},
  ): TopicStream<T> {
    const streams = this.#streamsOf(topic)
    // The topic's own string: its streams share one, not one each.
    const stream = new TopicStream<T>(this, streams.topic, options.keep, options.once === true, options.onEnd)
    streams.add(stream)
    return stream
  }

  /**
   * One stream of the items published to any of `topics`, from now on (options as for
   * {@link subscribe}). An item published to several of them reaches the stream once per topic:
   * callers subscribe to topics that never share an item. No topics: a stream that only ends.
   */
  subscribeAll(
    topics: readonly string[],
    options: { keep?: ((item: T) => boolean) | undefined; onEnd?: (() => void) | undefined } = {},
  ): TopicStream<T> {
    if (topics.length === 1) return this.subscribe(topics[0] as string, options)
    const sets = [...new Set(topics)].map((topic) => this.#streamsOf(topic))
    const stream = new TopicStream<T>(
      this,
      sets.map((streams) => streams.topic),
      options.keep,
      false,
      options.onEnd,
    )
    for (const streams of sets) streams.add(stream)
    return stream
  }

  #streamsOf(topic: string): TopicSet<T> {
    let streams = this.#streams.get(topic)
    if (streams === undefined) {
      streams = new TopicSet(topic)
      this.#streams.set(topic, streams)
    }
    return streams
  }

  /** Hands `item` to every stream of `topic`. */
  publish(topic: string, item: T): void {
    const streams = this.#streams.get(topic)
    if (streams === undefined) return
    for (const stream of streams) stream.push(item)
  }

  /** Streams currently subscribed to `topic` (metrics, tests). */
  count(topic: string): number {
    return this.#streams.get(topic)?.size ?? 0
  }

  /** Topics that have at least one stream. */
  get size(): number {
    return this.#streams.size
  }

  /** @internal a stream leaves its topic. */
  leave(stream: TopicStream<T>): void {
    if (typeof stream.topic === 'string') this.#leave(stream.topic, stream)
    else for (const topic of stream.topic) this.#leave(topic, stream)
  }

  #leave(topic: string, stream: TopicStream<T>): void {
    const streams = this.#streams.get(topic)
    if (streams === undefined) return
    streams.delete(stream)
    if (streams.size === 0) this.#streams.delete(topic)
  }
}

/** The streams of one topic, with the topic's string. */
class TopicSet<T> extends Set<TopicStream<T>> {
  constructor(readonly topic: string) {
    super()
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined })

const OPEN = 0
/** A `once` stream got its item: it has left its topic and ends when that item was taken. */
const TAKEN = 1
const ENDED = 2

/** One subscriber of a topic; see {@link Topics.subscribe}. */
export class TopicStream<T> implements AsyncIterableIterator<T> {
  #queue: T[] | undefined
  #waiter: ((result: IteratorResult<T>) => void) | undefined
  #state: typeof OPEN | typeof TAKEN | typeof ENDED = OPEN

  constructor(
    private readonly topics: Topics<T>,
    /** Its topic, or its topics (see {@link Topics.subscribeAll}). */
    readonly topic: string | readonly string[],
    private readonly keep: ((item: T) => boolean) | undefined,
    private readonly once: boolean,
    private onEnd: (() => void) | undefined,
  ) {}

  /** @internal an item published to this stream's topic. */
  push(item: T): void {
    if (this.#state !== OPEN) return
    if (this.keep !== undefined && !this.keep(item)) return
    if (this.once) {
      this.#state = TAKEN
      this.topics.leave(this)
    }
    const waiter = this.#waiter
    if (waiter !== undefined) {
      this.#waiter = undefined
      waiter({ done: false, value: item })
    } else if (this.#queue === undefined) this.#queue = [item]
    else this.#queue.push(item)
  }

  next(): Promise<IteratorResult<T>> {
    const queue = this.#queue
    if (queue !== undefined && queue.length > 0) {
      return Promise.resolve({ done: false, value: queue.shift() as T })
    }
    if (this.#state !== OPEN) {
      this.#end()
      return Promise.resolve(DONE)
    }
    return new Promise((resolve) => {
      this.#waiter = resolve
    })
  }

  return(): Promise<IteratorResult<T>> {
    this.#end()
    return Promise.resolve(DONE)
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.#end()
    return Promise.reject(error)
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  #end(): void {
    if (this.#state !== ENDED) {
      if (this.#state === OPEN) this.topics.leave(this)
      this.#state = ENDED
      this.#queue = undefined
      const onEnd = this.onEnd
      this.onEnd = undefined
      onEnd?.()
    }
    const waiter = this.#waiter
    if (waiter !== undefined) {
      this.#waiter = undefined
      waiter(DONE)
    }
  }
}
