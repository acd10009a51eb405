import type { IncomingMessage } from 'node:http'
import { isIP, type Socket } from 'node:net'

/**
 * The address a rate limit counts a request against.
 *
 * `X-Forwarded-For` is written by whoever sent the request, so it is believed only as far as the
 * operator says proxies of their own append to it (`TRUST_PROXY` hops): with N hops the client is
 * the Nth address from the right, the one the outermost trusted proxy saw. With 0 (the default)
 * the header is ignored and the socket's peer is the client.
 *
 * An IPv6 client is counted by its /64: one host is routinely given a whole /64, so counting
 * single addresses would give it 2^64 budgets.
 */
export function clientAddress(req: IncomingMessage | undefined, trustProxy: number): string {
  if (req !== undefined && trustProxy === 0) return peerOf(req.socket)
  const peer = normalize(req?.socket?.remoteAddress)
  if (req === undefined) return bucket(peer)
  const header = req.headers['x-forwarded-for']
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '')
  if (hops.length === 0) return bucket(peer)
  // Fewer hops than trusted proxies: the leftmost was still written by one of them.
  const chosen = normalize(hops[Math.max(0, hops.length - trustProxy)])
  // Not an address (a misconfigured proxy, or more hops trusted than there are): the peer.
  return bucket(chosen ?? peer)
}

/** The counting unit of each connection's peer, once per connection (keep-alive: many requests). */
const peers = new WeakMap<Socket, string>()

function peerOf(socket: Socket | undefined): string {
  if (socket === undefined) return bucket(undefined)
  let peer = peers.get(socket)
  if (peer === undefined) {
    peer = bucket(normalize(socket.remoteAddress))
    // A socket that has closed has no remote address any more: nothing to remember.
    if (socket.remoteAddress !== undefined) peers.set(socket, peer)
  }
  return peer
}

/** An address without port, brackets, zone or IPv4-mapped prefix; undefined when it is not one. */
function normalize(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  let address = raw
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address)?.[1]
  if (bracketed !== undefined) address = bracketed
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'))
  address = address.replace(/%.*$/, '').toLowerCase()
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) address = address.slice(7)
  return isIP(address) === 0 ? undefined : address
}

/** The counting unit of an address: itself for IPv4, its /64 for IPv6, `unknown` without one. */
function bucket(address: string | undefined): string {
  if (address === undefined) return 'unknown'
  if (isIP(address) === 4) return address
  return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted quad counts as two). */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined]
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [group.replace(/^0+(?=.)/, '')]
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number]
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
        })
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
}
