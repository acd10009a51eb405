import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { corsRefusal, distinctValues, originAllowed, readCappedBody } from '../src/http/guards.js'

// The guards that run on a raw request before Yoga: each is a function of the request's method,
// headers and body stream, checked here on streams the test writes.

/** A request of `method` with these headers whose body is `body` (ended at once). */
function request(method: string, headers: Record<string, string>, body = ''): IncomingMessage {
  const stream = new PassThrough()
  Object.assign(stream, { method, headers })
  stream.end(body)
  return stream as unknown as IncomingMessage
}

describe('readCappedBody', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])(
    'reads no body of a %s, whatever its content-length says',
    async (method) => {
      await expect(
        readCappedBody(request(method, { 'content-length': '1000' }, 'x'.repeat(20)), 10),
      ).resolves.toBe(undefined)
    },
  )

  it('refuses a body whose declared content-length is over the cap before reading it', async () => {
    await expect(readCappedBody(request('POST', { 'content-length': '1000' }, 'short'), 10)).rejects.toThrow(
      'too large',
    )
  })

  it('reads a body within the cap, and an empty one as none', async () => {
    expect(await readCappedBody(request('POST', {}, '{"a":1}'), 10)).toEqual(Buffer.from('{"a":1}'))
    expect(await readCappedBody(request('POST', {}), 10)).toBeUndefined()
  })
})

describe('distinctValues', () => {
  const of = (...raw: string[]) => distinctValues({ rawHeaders: raw } as IncomingMessage, 'authorization')

  it('counts the distinct values of one header, in any case, and no other header', () => {
    expect(of('Cache-Control', 'no-cache')).toBe(0)
    expect(of('Authorization', 'Bearer a', 'cache-control', 'no-cache')).toBe(1)
    expect(of('Authorization', 'Bearer a', 'AUTHORIZATION', 'Bearer a')).toBe(1)
    expect(of('authorization', 'Bearer a', 'Authorization', 'Bearer b')).toBe(2)
  })
})

describe('origins', () => {
  it('lets every origin call with CORS_ORIGINS=*', () => {
    expect(originAllowed('https://app.example.com', 'gateway.example.com', ['*'])).toBe(true)
    expect(originAllowed('https://app.example.com', 'gateway.example.com', [])).toBe(false)
  })

  it('names at most 200 characters of a refused origin, and an absent one as empty', () => {
    const long = `https://${'a'.repeat(300)}.example`
    expect(corsRefusal(long)).toBe(
      `The origin ${JSON.stringify(long.slice(0, 200))} may not call this gateway: CORS_ORIGINS lists the origins that may`,
    )
    expect(corsRefusal(undefined)).toBe(
      'The origin "" may not call this gateway: CORS_ORIGINS lists the origins that may',
    )
  })
})
