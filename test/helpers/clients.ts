import { setTimeout as sleepFor } from 'node:timers/promises'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { type FormattedExecutionResult, print } from 'graphql'
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse'
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws'
import { expect } from 'vitest'
import WebSocket from 'ws'

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => sleepFor(ms)

/** How a graphql-ws socket was closed, as its client saw the close frame. */
export interface CloseRecord {
  code: number
  reason: string
}

/** A real graphql-ws client on a gateway, and what happened to its socket. */
export interface WsConnection {
  client: WsClient
  /** Every close of the socket, in order (`retryAttempts` is 0, so at most one). */
  closes: CloseRecord[]
  /** How many times the server acknowledged `connection_init` (0 or 1). */
  readonly connected: number
}

/** What one subscription (or query) received, in order. */
export interface Recording<TData> {
  results: FormattedExecutionResult<TData>[]
  /** What the client's `error` callback got: a list of GraphQL errors, or a close event. */
  errors: unknown[]
  completed: boolean
}

/** The callbacks a graphql-ws or graphql-sse `subscribe` takes. */
export interface Sink<TData> {
  next: (value: FormattedExecutionResult<TData>) => void
  error: (error: unknown) => void
  complete: () => void
}

/** A {@link Recording} and the {@link Sink} that fills it. */
export function recorder<TData>(): { recording: Recording<TData>; sink: Sink<TData> } {
  const recording: Recording<TData> = { results: [], errors: [], completed: false }
  return {
    recording,
    sink: {
      next: (value) => recording.results.push(value),
      error: (error) => recording.errors.push(error),
      complete: () => {
        recording.completed = true
      },
    },
  }
}

/** `ws://host:port/graphql` for a gateway's `http://host:port` base URL. */
export const graphqlWsUrl = (gatewayUrl: string): string => `${gatewayUrl.replace(/^http/, 'ws')}/graphql`

/**
 * Opens real clients on gateways and disposes them all at once. Lifecycle: one pool per test file;
 * call {@link ClientPool.disposeAll} in `afterEach`, so that every client a test opened is closed
 * whether the test passed or failed.
 */
export interface ClientPool {
  /**
   * Opens a graphql-ws client on `{gatewayUrl}/graphql` at once (not lazily, no retries), with these
   * connection params (and these HTTP headers on its upgrade request, such as X-Forwarded-For);
   * records its acknowledgements and how its socket closed.
   */
  openWs(
    gatewayUrl: string,
    connectionParams: Record<string, unknown> | undefined,
    upgradeHeaders?: Record<string, string>,
  ): WsConnection
  /**
   * Starts one subscription over SSE (graphql-sse's distinct-connections mode, which is Yoga's) on
   * `{gatewayUrl}/graphql` with these request headers, and records what it receives.
   */
  subscribeSse<TData, TVariables>(
    gatewayUrl: string,
    headers: Record<string, string>,
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Recording<TData>
  /** Disposes every client opened so far; the pool can be used again afterwards. */
  disposeAll(): Promise<void>
}

/** The `ws` WebSocket class, sending these headers with every upgrade request it makes. */
const withHeaders = (headers: Record<string, string>) =>
  class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers })
    }
  }

/** Creates an empty {@link ClientPool}. */
export function createClientPool(): ClientPool {
  const wsClients: WsClient[] = []
  const sseClients: SseClient[] = []
  return {
    openWs(gatewayUrl, connectionParams, upgradeHeaders) {
      const closes: CloseRecord[] = []
      let connected = 0
      const client = createWsClient({
        url: graphqlWsUrl(gatewayUrl),
        webSocketImpl: upgradeHeaders === undefined ? WebSocket : withHeaders(upgradeHeaders),
        connectionParams,
        lazy: false,
        retryAttempts: 0,
        // A refused connection shows in `closes`; the test asserts it there.
        onNonLazyError: () => {},
        on: {
          connected: () => {
            connected++
          },
          closed: (event) => {
            const { code, reason } = event as CloseRecord
            closes.push({ code, reason })
          },
        },
      })
      wsClients.push(client)
      return {
        client,
        closes,
        get connected() {
          return connected
        },
      }
    },
    subscribeSse<TData, TVariables>(
      gatewayUrl: string,
      headers: Record<string, string>,
      document: TypedDocumentNode<TData, TVariables>,
      variables: TVariables,
    ): Recording<TData> {
      const client = createSseClient({
        url: `${gatewayUrl}/graphql`,
        singleConnection: false,
        headers,
        retryAttempts: 0,
      })
      sseClients.push(client)
      const { recording, sink } = recorder<TData>()
      client.subscribe<TData>(
        { query: print(document), variables: variables as Record<string, unknown> },
        sink as Parameters<SseClient['subscribe']>[1],
      )
      return recording
    },
    async disposeAll() {
      for (const client of sseClients.splice(0)) client.dispose()
      await Promise.all(wsClients.splice(0).map((client) => client.dispose()))
    },
  }
}

/** Starts one operation on a graphql-ws client and records what it receives. */
export function subscribeWs<TData, TVariables>(
  client: WsClient,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Recording<TData> {
  const { recording, sink } = recorder<TData>()
  client.subscribe<TData>(
    { query: print(document), variables: variables as Record<string, unknown> },
    sink as Parameters<WsClient['subscribe']>[1],
  )
  return recording
}

/**
 * Runs one query over graphql-ws and resolves with its only result; fails the test when the
 * operation errors or yields anything but exactly one result.
 */
export async function queryWs<TData, TVariables>(
  client: WsClient,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<FormattedExecutionResult<TData>> {
  const recording = subscribeWs(client, document, variables)
  await waitFor(() => recording.completed || recording.errors.length > 0, 'the query to complete')
  expect(recording.errors).toEqual([])
  expect(recording.results).toHaveLength(1)
  return recording.results[0]!
}

/**
 * Resolves once `condition()` is true, checking every 10 ms.
 *
 * @param what what is awaited, for the message: `Expected ${what} within ${timeoutMs} ms`
 * @param timeoutMs @default 3000
 * @throws when the condition is still false after `timeoutMs`
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${timeoutMs} ms`)
    await sleep(10)
  }
}

/**
 * Waits for every socket's `connection_ack`, then 150 ms more for the subscriptions started on them
 * to reach the event bus (graphql-ws acknowledges connections, not subscriptions).
 */
export async function connectedAndSubscribed(...sockets: Array<{ connected: number }>): Promise<void> {
  await waitFor(() => sockets.every((socket) => socket.connected === 1), 'connection_ack on every socket')
  await sleep(150)
}
