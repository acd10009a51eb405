import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { corkPerTurn, FRAMES_PER_WRITE } from '../src/ws/socket-writes.js'

/** A real `ws` server and client on a loopback socket, the server's socket corked per turn. */
async function connected() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await once(server, 'listening')
  const accepted = once(server, 'connection')
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
  const received: string[] = []
  client.on('message', (data: Buffer) => received.push(data.toString()))
  const [socket, request] = (await accepted) as [WebSocket, { socket: import('node:net').Socket }]
  await once(client, 'open')
  corkPerTurn(socket, request.socket)
  opened.push({ server, client })
  return { socket, tcp: request.socket, received }
}

const opened: Array<{ server: WebSocketServer; client: WebSocket }> = []
afterEach(async () => {
  for (const { server, client } of opened.splice(0)) {
    client.terminate()
    await new Promise((resolve) => server.close(resolve))
  }
})

const waitFor = async (check: () => boolean) => {
  const deadline = Date.now() + 5000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Expected the condition within 5 s')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('corkPerTurn', () => {
  it('writes a long turn of frames as it goes, a batch at a time, and the rest on the next tick, in order', async () => {
    const { socket, tcp, received } = await connected()
    const count = 2 * FRAMES_PER_WRITE + 3
    const frameBytes = 2 + 'message 000'.length
    for (let i = 0; i < count; i++) socket.send(`message ${String(i).padStart(3, '0')}`)
    // Still in the turn: two batches have left; the last 3 frames wait in the corked socket.
    expect(tcp.writableCorked).toBe(1)
    expect(tcp.writableLength).toBe(3 * frameBytes)
    await new Promise((resolve) => process.nextTick(resolve))
    expect(tcp.writableCorked).toBe(0)
    await waitFor(() => received.length === count)
    expect(received).toEqual(Array.from({ length: count }, (_, i) => `message ${String(i).padStart(3, '0')}`))
  })

  it('corks again in a later turn, and lets a ping through in its place among the frames', async () => {
    const { socket, tcp, received } = await connected()
    socket.send('first')
    expect(tcp.writableCorked).toBe(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(tcp.writableCorked).toBe(0)
    socket.send('second')
    socket.ping()
    socket.send('third')
    expect(tcp.writableCorked).toBe(1)
    await waitFor(() => received.length === 3)
    expect(received).toEqual(['first', 'second', 'third'])
  })
})
