import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/** Frames held back at most before they are written together. */
export const FRAMES_PER_WRITE = 64

/**
 * Frames a WebSocket sends in one turn of the event loop leave together, in writes of up to
 * {@link FRAMES_PER_WRITE} frames.
 *
 * A workspace broadcast hands one event to every subscription of a socket in the same turn; `ws`
 * writes each frame to the TCP socket at once, one system call per frame. Corking the socket on
 * the first send and uncorking it on the next tick, or once it holds a batch of frames, sends
 * them together. The cap matters as much as the cork: a broadcast to tens of thousands of
 * subscriptions runs as one long chain of microtasks, and a cork held to the next tick would hold
 * every socket's frames until the whole broadcast was done, none of them on its way meanwhile and
 * all of them living long enough to be promoted out of the young generation. Order is kept:
 * pings, pongs and the close frame go through the same corked socket.
 */
export function corkPerTurn(socket: WebSocket, tcp: Socket): void {
  const send = socket.send
  let corked = false
  let held = 0
  const uncork = () => {
    if (!corked) return
    corked = false
    held = 0
    tcp.uncork()
  }
  socket.send = function (this: WebSocket, ...args: Parameters<WebSocket['send']>) {
    if (!corked && !tcp.destroyed) {
      corked = true
      tcp.cork()
      process.nextTick(uncork)
    }
    const sent = send.apply(this, args)
    if (corked && ++held >= FRAMES_PER_WRITE) {
      // Written now; the rest of the turn's frames start a new batch.
      tcp.uncork()
      held = 0
      tcp.cork()
    }
    return sent
  } as WebSocket['send']
}
