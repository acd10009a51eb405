import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { expect } from 'vitest'
import { createSandbox, type Sandbox } from '../../sandbox/sandbox.js'
import { type App, createApp } from '../../src/app.js'
import { CreateClientSessionDocument, ViewerDocument } from '../generated/graphql.js'
import { type CountingProxy, startCountingProxy } from './counting-proxy.js'
import { execute } from './execute.js'
import { bearer, testConfig } from './gateway.js'
import { type OverSharingUpstream, startOverSharingUpstream } from './over-sharing-upstream.js'

export const HONEST = 'honest sandbox'
export const OVER_SHARING = 'over-sharing upstream'
export const UPSTREAMS = [HONEST, OVER_SHARING] as const
export type Upstream = (typeof UPSTREAMS)[number]

export const WORKSPACE_1_KEY = 'seam_apikey1_token'
export const WORKSPACE_2_KEY = 'seam_apikey2_token'

/** Seam's reads, as the upstream client tells them apart: anything else a request sends is a write. */
const READ = /\/(get|list)$/

/** One sandbox, seen by two gateways: directly, and through an upstream that over-shares. */
export interface HonestAndOverSharing {
  sandbox: Sandbox
  overSharing: OverSharingUpstream
  /** A counting proxy in front of each upstream, between it and its gateway. */
  proxies: Record<Upstream, CountingProxy>
  gateways: Record<Upstream, { gateway: App; url: string }>
  /** `Authorization` headers of client sessions made at start: John's and Jane's accounts. */
  john: Record<string, string>
  jane: Record<string, string>
  /**
   * Runs an operation through `upstream`'s gateway, with its proxy's counts reset first, and
   * returns the answer and the routes it sent that are not reads (`sent`). Through the
   * over-sharing upstream, the honest gateway is asked too and must answer byte for byte the same:
   * only for operations that change nothing (an action that ran would run twice).
   */
  refused<TData, TVariables>(
    upstream: Upstream,
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers: Record<string, string>,
  ): Promise<Awaited<ReturnType<typeof execute<TData, TVariables>>> & { sent: string[] }>
  stop(): Promise<void>
}

/** The routes `proxy` saw that are not reads. */
export const writesSent = (proxy: CountingProxy) =>
  Object.keys(proxy.counts()).filter((route) => !READ.test(route))

/** The body with the requested id (as sent) replaced, so "foreign" and "missing" compare whole. */
export const withoutId = (text: string, sent: string) =>
  text.split(JSON.stringify(sent).slice(1, -1)).join('<id>')

/**
 * Starts a sandbox, the over-sharing upstream in front of it, a counting proxy in front of each,
 * and a gateway on each proxy (one cursor secret, no rate limit), then a client session of John's
 * account and one of Jane's, each looked up (and cached) by both gateways. Call `stop()` in `afterAll`, even when a test failed; a failed start
 * stops what it started.
 */
export async function startHonestAndOverSharing(cursorSecret: string): Promise<HonestAndOverSharing> {
  const started: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const close of started.reverse()) await close()
  }
  try {
    const sandbox = await createSandbox()
    started.push(() => sandbox.stop())
    const overSharing = await startOverSharingUpstream(sandbox)
    started.push(() => overSharing.close())
    const proxies = {} as Record<Upstream, CountingProxy>
    const gateways = {} as Record<Upstream, { gateway: App; url: string }>
    for (const [upstream, target] of [
      [HONEST, sandbox.url],
      [OVER_SHARING, overSharing.url],
    ] as const) {
      const proxy = await startCountingProxy(target)
      started.push(() => proxy.stop())
      proxies[upstream] = proxy
      const gateway = createApp(
        testConfig({ SEAM_ENDPOINT: proxy.url, CURSOR_SECRET: cursorSecret, RATE_LIMIT_PER_MINUTE: '0' }),
      )
      started.push(() => gateway.stop())
      gateways[upstream] = { gateway, url: await gateway.start() }
    }
    const create = async (accountId: string, key: string) => {
      const { body } = await execute(
        gateways[HONEST].url,
        CreateClientSessionDocument,
        { input: { userIdentifierKey: key, connectedAccountIds: [accountId] } },
        bearer(WORKSPACE_1_KEY),
      )
      return bearer(body.data!.createClientSession.clientSession.token!)
    }
    const john = await create('john_connected_account_id', 'john-of-the-wall')
    const jane = await create('jane_connected_account_id', 'jane-of-the-wall')
    // Each session's principal is looked up now, as a first request would: a test that counts what
    // an operation sends to Seam counts the operation's calls alone, whichever test runs first.
    for (const { url } of Object.values(gateways)) {
      for (const headers of [john, jane]) {
        const { body } = await execute(url, ViewerDocument, {}, headers)
        expect(body.errors).toBeUndefined()
      }
    }
    return {
      sandbox,
      overSharing,
      proxies,
      gateways,
      john,
      jane,
      async refused(upstream, document, variables, headers) {
        proxies[upstream].reset()
        const answer = await execute(gateways[upstream].url, document, variables, headers)
        const sent = writesSent(proxies[upstream])
        if (upstream === OVER_SHARING) {
          const honest = await execute(gateways[HONEST].url, document, variables, headers)
          expect({ status: answer.status, text: answer.text }).toEqual({
            status: honest.status,
            text: honest.text,
          })
        }
        return { ...answer, sent }
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
