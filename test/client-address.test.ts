import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { clientAddress } from '../src/auth/client-address.js'

// The address a rate limit or connection cap counts against is a function of the request's socket
// peer and its X-Forwarded-For header; checked here on requests the test writes.

/** A request whose socket's peer is `peer`, with these X-Forwarded-For values. */
function from(peer: string | undefined, forwardedFor?: string | string[]): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }
  return { socket: { remoteAddress: peer } as Socket, headers } as unknown as IncomingMessage
}

describe('clientAddress without TRUST_PROXY', () => {
  it('counts the socket’s peer and ignores X-Forwarded-For', () => {
    expect(clientAddress(from('192.0.2.1', '198.51.100.7'), 0)).toBe('192.0.2.1')
    expect(clientAddress(from('::ffff:192.0.2.1'), 0)).toBe('192.0.2.1')
  })

  it('keeps a connection’s peer once seen, and does not remember a peer it could not read', () => {
    const req = from(undefined)
    const socket = req.socket as { remoteAddress: string | undefined }
    // A socket that closed has no remote address: counted as unknown, and not remembered so.
    expect(clientAddress(req, 0)).toBe('unknown')
    socket.remoteAddress = '192.0.2.1'
    expect(clientAddress(req, 0)).toBe('192.0.2.1')
    // Seen once: the same connection keeps its address after it closed.
    socket.remoteAddress = undefined
    expect(clientAddress(req, 0)).toBe('192.0.2.1')
  })

  it('counts a request without a socket, or no request at all, as unknown', () => {
    expect(clientAddress({ headers: {} } as IncomingMessage, 0)).toBe('unknown')
    expect(clientAddress(undefined, 0)).toBe('unknown')
    expect(clientAddress(undefined, 1)).toBe('unknown')
  })
})

describe('clientAddress behind TRUST_PROXY hops', () => {
  it('counts the address the outermost trusted proxy saw', () => {
    expect(clientAddress(from('10.0.0.1', '203.0.113.9, 198.51.100.7'), 1)).toBe('198.51.100.7')
    expect(clientAddress(from('10.0.0.1', '203.0.113.9, 198.51.100.7, 10.0.0.2'), 2)).toBe('198.51.100.7')
    // Several header lines are one list.
    expect(clientAddress(from('10.0.0.1', ['203.0.113.9', '198.51.100.7']), 1)).toBe('198.51.100.7')
    // Empty entries and spaces are not hops.
    expect(clientAddress(from('10.0.0.1', ' 198.51.100.7 ,, , '), 1)).toBe('198.51.100.7')
  })

  it('reads the header of a request without a socket, and counts the peer as unknown', () => {
    const bare = (headers: IncomingMessage['headers']) => ({ headers }) as IncomingMessage
    expect(clientAddress(bare({ 'x-forwarded-for': '203.0.113.9' }), 1)).toBe('203.0.113.9')
    expect(clientAddress(bare({}), 1)).toBe('unknown')
  })

  it('takes the leftmost hop when there are fewer hops than trusted proxies', () => {
    expect(clientAddress(from('10.0.0.1', '203.0.113.9, 198.51.100.7'), 3)).toBe('203.0.113.9')
  })

  it('counts the peer when the header is missing, empty or not an address', () => {
    expect(clientAddress(from('10.0.0.1'), 1)).toBe('10.0.0.1')
    expect(clientAddress(from('10.0.0.1', ' , '), 1)).toBe('10.0.0.1')
    expect(clientAddress(from('10.0.0.1', 'unknown'), 1)).toBe('10.0.0.1')
    expect(clientAddress(from('::ffff:10.0.0.1', 'not-an-address'), 1)).toBe('10.0.0.1')
    expect(clientAddress(from(undefined, 'garbage'), 1)).toBe('unknown')
  })

  it('reads a hop with a port, brackets or zone as its address, and nothing around one as an address', () => {
    const hop = (value: string) => clientAddress(from('10.0.0.1', value), 1)
    expect(hop('198.51.100.7:8080')).toBe('198.51.100.7')
    expect(hop('[2001:db8:1:2::7]:443')).toBe('2001:db8:1:2::/64')
    expect(hop('[2001:db8:1:2::7]')).toBe('2001:db8:1:2::/64')
    expect(hop('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(hop('::ffff:198.51.100.7')).toBe('198.51.100.7')
    expect(hop('::ffff:198.51.100.7%eth0')).toBe('198.51.100.7')
    // A port is read off an IPv4 address only: an unbracketed IPv6 address has none.
    for (const junk of [
      '198.51.100.7:80x',
      'x[2001:db8::7]',
      '[2001:db8::7]:443x',
      '[2001:db8::7]x',
      '::ffff:198.51.100.7:8080',
    ]) {
      expect(hop(junk), junk).toBe('10.0.0.1')
    }
  })
})

describe('the counting unit of an address', () => {
  const unit = (address: string) => clientAddress(from(address), 0)

  it('is an IPv4 address itself', () => {
    expect(unit('198.51.100.7')).toBe('198.51.100.7')
  })

  it('is the /64 of an IPv6 address, in lower case and without leading zeros', () => {
    expect(unit('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64')
    expect(unit('2001:0DB8:00ab:0000:0:0:0:1')).toBe('2001:db8:ab:0::/64')
    expect(unit('2001:db8:1000:a00b::1')).toBe('2001:db8:1000:a00b::/64')
    expect(unit('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(unit('::1')).toBe('0:0:0:0::/64')
    expect(unit('::ffff:abcd')).toBe('0:0:0:0::/64')
    // Only the ::ffff: prefix maps an IPv4 address: this one ends in a dotted quad of its own.
    expect(unit('1:2:3::192.0.2.1')).toBe('1:2:3:0::/64')
  })

  it('counts an embedded dotted quad as two groups', () => {
    expect(unit('1::3:4:5:6:1.2.3.4')).toBe('1:0:3:4::/64')
  })
})
