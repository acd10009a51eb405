import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { graphqlWsUrl } from './helpers/clients.js'
import { startTestGateway, type TestGateway } from './helpers/gateway.js'

// A browser's WebSocket carries its page's Origin and no CORS preflight: the gateway accepts a socket
// only from its own origin or one of CORS_ORIGINS (as it answers cross-origin HTTP), so that a page
// elsewhere cannot ride a user's connection. Clients that are not browsers send no Origin.

const ALLOWED = 'https://app.example.com'

let t: TestGateway

beforeAll(async () => {
  t = await startTestGateway({ CORS_ORIGINS: ALLOWED })
})

afterAll(async () => {
  await t?.stop()
})

type Handshake = { accepted: true; firstMessage: unknown } | { accepted: false; error: string }

/**
 * Opens a graphql-ws socket with this Origin (none when undefined); once open, sends
 * `connection_init` with the API key and resolves with the gateway's first message. Refused:
 * resolves with the client's error.
 */
function handshake(origin: string | undefined): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = new WebSocket(graphqlWsUrl(t.url), 'graphql-transport-ws', origin ? { origin } : {})
    socket.once('open', () => {
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.apiKey}` } }),
      )
    })
    socket.once('message', (data) => {
      resolve({ accepted: true, firstMessage: JSON.parse(String(data)) })
      socket.close()
    })
    socket.once('error', (error) => resolve({ accepted: false, error: error.message }))
  })
}

const ACKNOWLEDGED: Handshake = { accepted: true, firstMessage: { type: 'connection_ack' } }
const REFUSED: Handshake = { accepted: false, error: 'Unexpected server response: 401' }

describe(`the WebSocket Origin check (CORS_ORIGINS=${ALLOWED})`, () => {
  it("accepts a socket from the gateway's own origin", async () => {
    expect(await handshake(new URL(t.url).origin)).toEqual(ACKNOWLEDGED)
  })

  it('accepts a socket from an origin of CORS_ORIGINS', async () => {
    expect(await handshake(ALLOWED)).toEqual(ACKNOWLEDGED)
  })

  it('accepts a socket without an Origin (not a browser)', async () => {
    expect(await handshake(undefined)).toEqual(ACKNOWLEDGED)
  })

  it.each<[string, () => string]>([
    ['a foreign origin', () => 'https://evil.example'],
    ['an allowed host on another scheme', () => 'http://app.example.com'],
    ["the gateway's host on another port", () => `http://127.0.0.1:${Number(new URL(t.url).port) + 1}`],
    ['the opaque origin of a sandboxed frame or a file', () => 'null'],
  ])('refuses a socket from %s before the handshake', async (_name, origin) => {
    expect(await handshake(origin())).toEqual(REFUSED)
  })
})
