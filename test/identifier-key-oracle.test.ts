import { randomBytes } from 'node:crypto'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'
import { type App, createApp } from '../src/app.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute } from './helpers/execute.js'
import { bearer, testConfig } from './helpers/gateway.js'
import { type OverSharingUpstream, startOverSharingUpstream } from './helpers/over-sharing-upstream.js'

/**
 * No oracles (SPEC §4): a client session may filter by `userIdentifierKey` only with its own key. Any
 * other key, the key of a real user who shares an account with it included, answers exactly as a key
 * that exists nowhere, so that a browser token cannot tell which user identifier keys exist.
 *
 * Through the honest sandbox, and through an over-sharing upstream (which answers a client session
 * token as its workspace's key) where the gateway's filter is the only one: there, every answer must
 * also be byte for byte the honest one.
 */

const API_KEY = 'seam_apikey1_token'
/** The seed's session: John's account, user identifier key `john_user_identifier_key`. */
const JOHN_TOKEN = 'seam_cst1_token'
const JOHN_KEY = 'john_user_identifier_key'
const JOHN_DEVICES = ['august_device_1', 'august_device_2', 'ecobee_device_1', 'minut_device_1']

const BY_KEY = parse(`
  query ByKey($key: String) {
    devices(userIdentifierKey: $key) { nodes { deviceId } pageInfo { hasNextPage endCursor } }
    connectedAccounts(userIdentifierKey: $key) { nodes { connectedAccountId } pageInfo { hasNextPage endCursor } }
  }
`) as TypedDocumentNode<unknown, { key: string }>

const NOTHING = {
  data: {
    devices: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
    connectedAccounts: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
  },
}

const HONEST = 'honest sandbox'
const OVER_SHARING = 'over-sharing upstream'
const UPSTREAMS = [HONEST, OVER_SHARING] as const
type Upstream = (typeof UPSTREAMS)[number]

let sandbox: Sandbox
let overSharing: OverSharingUpstream
/** Per upstream: a gateway, and a counting proxy between it and its upstream. */
const through = {} as Record<Upstream, { gateway: App; url: string; proxy: CountingProxy }>

beforeAll(async () => {
  sandbox = await createSandbox()
  overSharing = await startOverSharingUpstream(sandbox)
  for (const [upstream, endpoint] of [
    [HONEST, sandbox.url],
    [OVER_SHARING, overSharing.url],
  ] as const) {
    const proxy = await startCountingProxy(endpoint)
    const gateway = createApp(
      testConfig({
        SEAM_ENDPOINT: proxy.url,
        RATE_LIMIT_PER_MINUTE: '0',
        // Both hand out the same cursor for the same page, so their answers compare byte for byte.
        CURSOR_SECRET: 'identifier-key-oracle-cursor-secret',
      }),
    )
    through[upstream] = { gateway, url: await gateway.start(), proxy }
  }
  // Another user who shares John's account: the key an attacker holding John's token would probe for.
  await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify({
      user_identifier_key: 'shares-johns-account',
      connected_account_ids: ['john_connected_account_id'],
    }),
  })
  for (const { url } of Object.values(through))
    await execute(url, parse('{ viewer { kind } }'), {}, bearer(JOHN_TOKEN))
})

afterAll(async () => {
  for (const { gateway, proxy } of Object.values(through)) {
    await gateway.stop()
    await proxy.stop()
  }
  await overSharing?.close()
  await sandbox?.stop()
})

describe.each(UPSTREAMS)('through the %s', (upstream) => {
  /** Asks this upstream's gateway; through the over-sharing one, the honest one must answer the same. */
  const ask = async (key: string, token: string) => {
    const answer = await execute(through[upstream].url, BY_KEY, { key }, bearer(token))
    if (upstream === OVER_SHARING) {
      const honest = await execute(through[HONEST].url, BY_KEY, { key }, bearer(token))
      expect({ status: answer.status, text: answer.text }).toEqual({
        status: honest.status,
        text: honest.text,
      })
    }
    return answer
  }

  describe('devices and connectedAccounts by userIdentifierKey, for a client session', () => {
    it("answers another user's real key byte for byte like a key that exists nowhere, without asking Seam", async () => {
      const { proxy } = through[upstream]
      proxy.reset()
      const real = await execute(
        through[upstream].url,
        BY_KEY,
        { key: 'shares-johns-account' },
        bearer(JOHN_TOKEN),
      )
      const madeUp = await execute(
        through[upstream].url,
        BY_KEY,
        { key: `no-such-user-${randomBytes(6).toString('hex')}` },
        bearer(JOHN_TOKEN),
      )
      expect(proxy.total()).toBe(0)
      expect(real.status).toBe(madeUp.status)
      expect(real.text).toBe(madeUp.text)
      expect(real.body).toEqual(NOTHING)
      await ask('shares-johns-account', JOHN_TOKEN)
    })

    it('still filters by its own key', async () => {
      const own = await ask(JOHN_KEY, JOHN_TOKEN)
      expect(own.body).toEqual({
        data: {
          devices: {
            nodes: JOHN_DEVICES.map((deviceId) => ({ deviceId })),
            pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
          },
          connectedAccounts: {
            nodes: [{ connectedAccountId: 'john_connected_account_id' }],
            pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
          },
        },
      })
    })

    it('leaves a workspace API key free to filter by any key', async () => {
      const theirs = await ask('shares-johns-account', API_KEY)
      expect(theirs.body).toEqual({
        data: {
          devices: {
            nodes: JOHN_DEVICES.map((deviceId) => ({ deviceId })),
            pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
          },
          connectedAccounts: {
            nodes: [{ connectedAccountId: 'john_connected_account_id' }],
            pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
          },
        },
      })
    })
  })
})
