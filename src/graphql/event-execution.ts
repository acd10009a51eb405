import type { IncomingMessage } from 'node:http'
import {
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  GraphQLError,
} from 'graphql'
import type { Principal } from '../auth/principal.js'
import type { EndableStream } from '../auth/revalidate-connections.js'
import type { GatewayContext } from '../schema/context.js'
import { MappedIterator } from './iterators.js'

/** Options of {@link createEventExecution}. */
export interface EventExecutionOptions {
  /** Builds an event's context from its subscription's (same principal, same socket). */
  refresh: (context: Pick<GatewayContext, 'principal' | 'socket'>) => GatewayContext
  /** Told +1 when a subscription starts and -1 when it ends (metrics). */
  count?: (delta: number) => void
  /** Applied to every result before it leaves (error masking, where nothing else masks). */
  finish?: (result: ExecutionResult) => ExecutionResult
  /**
   * Told when a stream starts and when it ends, with its subscription's principal: SSE streams are
   * re-validated one by one (a graphql-ws socket is watched as a whole instead).
   */
  watch?: {
    start: (principal: Principal, stream: EndableStream) => void
    end: (stream: EndableStream) => void
  }
  /**
   * Asked before a stream starts, with its subscription's context (over HTTP, the request's `req`
   * too): returns what to call once the stream ends, however it ends, or throws a GraphQLError to
   * refuse the stream, which then answers with that error alone. SSE streams take their places
   * among the open connections this way (a graphql-ws socket holds its places as a whole).
   */
  admit?: (context: Pick<GatewayContext, 'principal'> & { req?: IncomingMessage }) => () => void
}

/**
 * graphql-js `subscribe`, with two differences:
 *
 * - **A context per event.** Every event runs with fresh DataLoaders and a fresh scope-auth cache
 *   (Pothos keys its auth cache by the context object), so that nothing authorised or loaded for
 *   one event is reused by a later one of a long-lived subscription. graphql-js would otherwise
 *   run every event with the one context made when the subscription started.
 * - **One execution per audience.** Subscribers that would compute the same result for an event
 *   (same event object, same principal object, same socket, same parsed document, operation name
 *   and variables) share one execution of it, made with a fresh context of its own. A workspace
 *   broadcast to 10,000 subscriptions of one API key and one document is executed once, not
 *   10,000 times. Principals are never mixed: the key holds the principal object itself.
 *
 * The stream is pull-based: the source is asked for the next event only after the previous result
 * was taken, and returning the stream returns its source at once (a closed socket releases its
 * subscriptions even while they wait).
 */
export function createEventExecution(options: EventExecutionOptions) {
  const { refresh, finish, admit } = options
  const audiences = new Audiences(options)

  return async function subscribe(
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    // The subscription keeps only what `refresh` needs (principal and socket); even its setup
    // runs with a context of its own, so that no scope-auth cache outlives it.
    const context = args.contextValue as SubscriptionContext
    const done = (result: ExecutionResult) => (finish === undefined ? result : finish(result))
    // Before the subscription's own resolver: a refused stream costs no work and no bus listener.
    let release: (() => void) | undefined
    try {
      release = admit?.(context)
    } catch (error) {
      if (error instanceof GraphQLError) return done({ errors: [error] })
      throw error
    }
    let stream: Awaited<ReturnType<typeof createSourceEventStream>>
    try {
      stream = await createSourceEventStream({ ...args, contextValue: refresh(context) })
    } catch (error) {
      release?.()
      throw error
    }
    if (!(Symbol.asyncIterator in stream)) {
      release?.()
      return done(stream)
    }
    return audiences.start(stream as AsyncIterable<unknown>, args, release)
  }
}

/** What a subscription keeps between events: its principal and socket, for `refresh`. */
type SubscriptionContext = Pick<GatewayContext, 'principal' | 'socket'>

/** What every subscription of one {@link createEventExecution} shares: options and results per event. */
class Audiences {
  // Per event: audience key → its result. Gone with the event once every subscriber has it.
  readonly shared = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>()
  readonly #ids = new WeakMap<object, number>()
  #lastId = 0

  constructor(readonly options: EventExecutionOptions) {}

  /** A stream of results for the events of `source`, counted and watched until it ends. */
  start(source: AsyncIterable<unknown>, args: ExecutionArgs, release: (() => void) | undefined): EventStream {
    const { document, operationName, variableValues } = args
    const { principal, socket } = args.contextValue as SubscriptionContext
    const audience = `${this.#idOf(document)}|${this.#idOf(principal)}|${this.#idOf(socket)}|${operationName ?? ''}|${
      variableValues == null ? '' : JSON.stringify(variableValues)
    }`
    this.options.count?.(1)
    const stream = new EventStream(source, this, args, audience, release)
    this.options.watch?.start(principal, stream)
    return stream
  }

  /** Executes the subscription's document for one event, with a context of its own. */
  run(args: ExecutionArgs, event: unknown): ExecutionResult | Promise<ExecutionResult> {
    const { refresh, finish } = this.options
    const result = execute({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName,
      variableValues: args.variableValues,
      rootValue: event,
      contextValue: refresh(args.contextValue as SubscriptionContext),
    }) as ExecutionResult | Promise<ExecutionResult>
    if (finish === undefined) return result
    return result instanceof Promise ? result.then(finish) : finish(result)
  }

  #idOf(value: object | undefined): number {
    if (value === undefined) return 0
    let id = this.#ids.get(value)
    if (id === undefined) {
      id = ++this.#lastId
      this.#ids.set(value, id)
    }
    return id
  }
}

/**
 * One subscription's results: each event executed once per audience. The graphql-ws operation holds
 * `args` already; this adds only its audience key and what ends it.
 */
class EventStream extends MappedIterator<unknown, ExecutionResult> {
  constructor(
    source: AsyncIterable<unknown>,
    private readonly audiences: Audiences,
    private readonly args: ExecutionArgs,
    private readonly audience: string,
    private readonly release: (() => void) | undefined,
  ) {
    super(source)
  }

  protected override map(event: unknown): ExecutionResult | Promise<ExecutionResult> {
    if (typeof event !== 'object' || event === null) return this.audiences.run(this.args, event)
    let results = this.audiences.shared.get(event)
    if (results === undefined) {
      results = new Map()
      this.audiences.shared.set(event, results)
    }
    let result = results.get(this.audience)
    if (result === undefined) {
      result = this.audiences.run(this.args, event)
      results.set(this.audience, result)
    }
    return result
  }

  protected override onEnd(): void {
    const { count, watch } = this.audiences.options
    count?.(-1)
    watch?.end(this)
    this.release?.()
  }
}

/** What {@link createEventExecution} returns: graphql-js `subscribe` with a context per event. */
export type EventExecution = ReturnType<typeof createEventExecution>
