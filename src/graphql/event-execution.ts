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
export function createEventExecution({
  refresh,
  count = () => {},
  finish,
  watch,
  admit,
}: EventExecutionOptions) {
  // Per event: audience key → its result. Gone with the event once every subscriber has it.
  const shared = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>()
  const ids = new WeakMap<object, number>()
  let lastId = 0
  const idOf = (value: object | undefined) => {
    if (value === undefined) return 0
    let id = ids.get(value)
    if (id === undefined) {
      id = ++lastId
      ids.set(value, id)
    }
    return id
  }

  return async function subscribe(
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    // The subscription keeps only what `refresh` needs (principal and socket); even its setup
    // runs with a context of its own, so that no scope-auth cache outlives it.
    const context = args.contextValue as Pick<GatewayContext, 'principal' | 'socket'>
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
    const { schema, document, operationName, variableValues } = args
    const { principal, socket } = context
    const audience = `${idOf(document)}|${idOf(principal)}|${idOf(socket)}|${operationName ?? ''}|${
      variableValues == null ? '' : JSON.stringify(variableValues)
    }`
    const run = (event: unknown): ExecutionResult | Promise<ExecutionResult> => {
      const result = execute({
        schema,
        document,
        operationName,
        variableValues,
        rootValue: event,
        contextValue: refresh(context),
      }) as ExecutionResult | Promise<ExecutionResult>
      if (finish === undefined) return result
      return result instanceof Promise ? result.then(finish) : finish(result)
    }
    count(1)
    const iterator: MappedIterator<unknown, ExecutionResult> = new MappedIterator(
      stream as AsyncIterable<unknown>,
      (event) => {
        if (typeof event !== 'object' || event === null) return run(event)
        let results = shared.get(event)
        if (results === undefined) {
          results = new Map()
          shared.set(event, results)
        }
        let result = results.get(audience)
        if (result === undefined) {
          result = run(event)
          results.set(audience, result)
        }
        return result
      },
      watch === undefined && release === undefined
        ? () => count(-1)
        : () => {
            count(-1)
            watch?.end(iterator)
            release?.()
          },
    )
    watch?.start(principal, iterator)
    return iterator
  }
}

/** What {@link createEventExecution} returns: graphql-js `subscribe` with a context per event. */
export type EventExecution = ReturnType<typeof createEventExecution>
