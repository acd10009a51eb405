import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { GatewayContext } from './context.js'
import { mapAsync } from './iterators.js'

/**
 * Executes every event of a subscription with a context of its own: fresh DataLoaders and a fresh
 * scope-auth cache (Pothos keys its auth cache by the context object), so that nothing authorised
 * or loaded for one event is reused by a later one of a long-lived subscription. graphql-js would
 * otherwise run every event with the one context made when the subscription started.
 *
 * @param refresh builds an event's context from the subscription's (same principal and socket)
 */
export function useFreshContextPerEvent(
  refresh: (context: GatewayContext) => GatewayContext,
  /** Told +1 when a subscription starts and -1 when it ends (metrics). */
  count: (delta: number) => void = () => {},
): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const stream = await createSourceEventStream(args)
        if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult
        return executeEach(stream, args, refresh, count)
      })
    },
  }
}

/**
 * Maps each event to its execution result. Pull-based: the source is asked for the next event only
 * after the previous result was taken; returning this iterator returns the source at once (a
 * closed socket releases its subscriptions even while they wait).
 */
function executeEach(
  stream: AsyncIterable<unknown>,
  args: ExecutionArgs,
  refresh: (context: GatewayContext) => GatewayContext,
  count: (delta: number) => void,
): AsyncIterableIterator<ExecutionResult> {
  count(1)
  return mapAsync(
    stream,
    (payload) =>
      execute({
        ...args,
        rootValue: payload,
        contextValue: refresh(args.contextValue as GatewayContext),
      }) as ExecutionResult | Promise<ExecutionResult>,
    () => count(-1),
  )
}
