import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { getFakeStore } from '../sandbox/fake-store.js'
import { CreateClientSessionDocument, DeleteClientSessionDocument } from './generated/graphql.js'
import { graphqlWsUrl, sleep, waitFor } from './helpers/clients.js'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'
import { readMetrics, untilOpenSubscriptions } from './helpers/metrics.js'

// SPEC §6: an ended session's socket first gets its own clientSessionDeleted event, then is closed
// with 4403. A subscription that cannot deliver its event (here: a client that stopped reading, so
// the gateway's writes never finish) must not keep the socket open: it is closed anyway after a
// grace of 1 s (src/events/socket-registry.ts).
//
// How that shows from outside: the close is decided while the event still waits in the socket, so
// no `complete` message can follow it. Had the socket waited for the delivery instead, the client
// would read `complete` for both operations before the close frame.

const STALL_ACCOUNT = 'stall_account'
/** The padding of one device; the query below lists it six times, more than loopback buffers hold. */
const PADDING_BYTES = 3 * 1024 * 1024
const GRACE_MS = 1000
/** How long after the session ended the client starts reading again: the grace, and then some. */
const READ_AGAIN_AFTER_MS = GRACE_MS + 1500

let t: TestGateway
let token: string
let clientSessionId: string
const sockets: WebSocket[] = []

beforeAll(async () => {
  t = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '0' })
  const store = getFakeStore(t.sandbox!.fake)
  const state = store.getState()
  const account = state.connected_accounts.find(
    (a) => a.connected_account_id === 'john_connected_account_id',
  )!
  const device = state.devices.find((d) => d.device_id === 'august_device_1')!
  store.setState({
    connected_accounts: [...state.connected_accounts, { ...account, connected_account_id: STALL_ACCOUNT }],
    devices: [
      ...state.devices,
      {
        ...device,
        device_id: 'stall_device',
        connected_account_id: STALL_ACCOUNT,
        // The padding goes in a free text the device type has.
        properties: { ...device.properties, name: 'x'.repeat(PADDING_BYTES) },
      },
    ],
  })
  const { body } = await t.execute(
    CreateClientSessionDocument,
    { input: { userIdentifierKey: 'stalled-reader', connectedAccountIds: [STALL_ACCOUNT] } },
    bearer(t.apiKey),
  )
  const session = body.data!.createClientSession.clientSession
  token = session.token!
  clientSessionId = session.clientSessionId
})

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate()
})

afterAll(async () => {
  await t?.stop()
})

/** A metric's value (0 before its first sample). */
async function metric(line: RegExp): Promise<number> {
  return Number(line.exec(await readMetrics(t.gateway))?.[1] ?? 0)
}
const QUERIES_EXECUTED = /^graphql_envelop_phase_execute_count\{operationType="query"\} (\d+)$/m

describe('an ended session whose socket cannot take its event', () => {
  it(`is closed with 4403 after the ${GRACE_MS} ms grace, without waiting for the delivery`, async () => {
    const socket = new WebSocket(graphqlWsUrl(t.url), 'graphql-transport-ws')
    sockets.push(socket)
    const messages: Array<{ id?: string; type: string; payload?: unknown }> = []
    const closes: Array<{ code: number; reason: string }> = []
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown }
      // The padded listing is not kept: only that it came.
      messages.push(message.id === 'big' && message.type === 'next' ? { id: 'big', type: 'next' } : message)
    })
    socket.on('close', (code, reason) => closes.push({ code, reason: String(reason) }))
    await new Promise((resolve) => socket.once('open', resolve))
    socket.send(JSON.stringify({ type: 'connection_init', payload: { clientSessionToken: token } }))
    await waitFor(() => messages.length > 0, 'connection_ack')
    expect(messages.splice(0)).toEqual([{ type: 'connection_ack' }])

    socket.send(
      JSON.stringify({
        id: 'end',
        type: 'subscribe',
        payload: { query: 'subscription { clientSessionDeleted { clientSessionId reason } }' },
      }),
    )
    await untilOpenSubscriptions(t.gateway, 1)

    // The client stops reading, then asks for six padded listings: the gateway's writes stall.
    socket.pause()
    const executed = await metric(QUERIES_EXECUTED)
    const listing = 'clientSession { devices { nodes { properties } } }'
    socket.send(
      JSON.stringify({
        id: 'big',
        type: 'subscribe',
        payload: {
          query: `{ ${['a', 'b', 'c', 'd', 'e', 'f'].map((alias) => `${alias}: viewer { ${listing} }`).join(' ')} }`,
        },
      }),
    )
    // Executed: its result (about 18 MiB) went into the socket in the same turn.
    const sent = Date.now() + 10_000
    while ((await metric(QUERIES_EXECUTED)) !== executed + 1) {
      if (Date.now() > sent) throw new Error('Expected the padded query to be executed within 10000 ms')
    }

    const deleted = await t.execute(DeleteClientSessionDocument, { clientSessionId }, bearer(t.apiKey))
    expect(deleted.body).toEqual({ data: { deleteClientSession: { clientSessionId } } })
    await sleep(READ_AGAIN_AFTER_MS)
    socket.resume()

    await waitFor(() => closes.length > 0, 'the socket to close', 10_000)
    expect({ messages, closes }).toEqual({
      messages: [
        { id: 'big', type: 'next' },
        {
          id: 'end',
          type: 'next',
          payload: { data: { clientSessionDeleted: { clientSessionId, reason: 'DELETED' } } },
        },
      ],
      closes: [{ code: 4403, reason: 'Forbidden' }],
    })
  }, 30_000)
})
