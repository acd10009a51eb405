import { randomBytes } from 'node:crypto'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '../src/gateway.js'
import { createSandbox, type Sandbox } from '../src/sandbox/sandbox.js'
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js'
import { execute } from './helpers/execute.js'
import { bearer, testConfig } from './helpers/gateway.js'

/**
 * No oracles (SPEC §4): a client session may filter by `userIdentifierKey` only with its own key. Any
 * other key, the key of a real user who shares an account with it included, answers exactly as a key
 * that exists nowhere, so that a browser token cannot tell which user identifier keys exist.
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

let sandbox: Sandbox
let proxy: CountingProxy
let gateway: Gateway
let url: string

beforeAll(async () => {
  sandbox = await createSandbox()
  proxy = await startCountingProxy(sandbox.url)
  gateway = createGateway(testConfig({ SEAM_ENDPOINT: proxy.url, RATE_LIMIT_PER_MINUTE: '0' }))
  url = await gateway.start()
  // Another user who shares John's account: the key an attacker holding John's token would probe for.
  await fetch(`${sandbox.url}/client_sessions/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(API_KEY) },
    body: JSON.stringify({
      user_identifier_key: 'shares-johns-account',
      connected_account_ids: ['john_connected_account_id'],
    }),
  })
  await execute(url, parse('{ viewer { kind } }'), {}, bearer(JOHN_TOKEN))
})

afterAll(async () => {
  await gateway?.stop()
  await proxy?.stop()
  await sandbox?.stop()
})

describe('devices and connectedAccounts by userIdentifierKey, for a client session', () => {
  it("answers another user's real key byte for byte like a key that exists nowhere, without asking Seam", async () => {
    proxy.reset()
    const real = await execute(url, BY_KEY, { key: 'shares-johns-account' }, bearer(JOHN_TOKEN))
    const made_up = await execute(
      url,
      BY_KEY,
      { key: `no-such-user-${randomBytes(6).toString('hex')}` },
      bearer(JOHN_TOKEN),
    )
    console.log(`real key: ${real.text}\nmade-up key: ${made_up.text}`)
    expect(real.status).toBe(made_up.status)
    expect(real.text).toBe(made_up.text)
    expect(real.body).toEqual(NOTHING)
    expect(proxy.total()).toBe(0)
  })

  it('still filters by its own key', async () => {
    const own = await execute(url, BY_KEY, { key: JOHN_KEY }, bearer(JOHN_TOKEN))
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
    const theirs = await execute(url, BY_KEY, { key: 'shares-johns-account' }, bearer(API_KEY))
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
