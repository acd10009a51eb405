import type { Plugin } from 'graphql-yoga'
import type { EventExecution } from '../event-execution.js'

/** Options of {@link useFreshContextPerEvent}. */
export interface FreshContextPerEventOptions {
  /** Runs a subscription with a context per event (`createEventExecution`). */
  subscribe: EventExecution
}

/**
 * The envelop plugin for subscriptions that Yoga serves itself (SSE): `subscribe` is
 * `createEventExecution`'s. graphql-ws subscriptions call it directly (`ws/graphql-ws-options.ts`).
 *
 * Every stream it starts ends when its request does. Yoga returns a stream when the client goes
 * away while it is streaming, but not in two cases, where the stream would keep its bus listener,
 * its re-validation and its places among the open connections for good:
 *
 * - the client went away before the stream was ready (during the credential lookup or the
 *   subscription's setup): the request's abort signal ends it, now or when it fires;
 * - no result processor streams what the client accepts (`Accept: application/json`): Yoga answers
 *   406 Not Acceptable and drops the stream; it is returned once every processor (Yoga's own run
 *   first) has passed on it.
 */
export function useFreshContextPerEvent({ subscribe }: FreshContextPerEventOptions): Plugin {
  return {
    onSubscribe({ setSubscribeFn, args }) {
      setSubscribeFn(subscribe)
      const signal = (args.contextValue as { request?: Request }).request?.signal
      if (signal === undefined) return
      return {
        onSubscribeResult({ result }) {
          if (!isStream(result)) return
          if (signal.aborted) return end(result)
          signal.addEventListener('abort', () => end(result), { once: true })
        },
      }
    },
    onResultProcess({ result, resultProcessor }) {
      if (resultProcessor === undefined && isStream(result)) end(result)
    },
  }
}

type Stream = AsyncIterable<unknown> & { return?: () => unknown }

const isStream = (result: unknown): result is Stream =>
  typeof result === 'object' && result !== null && Symbol.asyncIterator in result

const end = (stream: Stream): void => {
  void Promise.resolve(stream.return?.()).catch(() => {})
}
