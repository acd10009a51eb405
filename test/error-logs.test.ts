import { Writable } from 'node:stream'
import { GraphQLError } from 'graphql'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createErrorLogs } from '../src/graphql/plugins/use-error-logs.js'
import { REQUEST_ID_HEADER } from '../src/observability/logger.js'
import { UpstreamError } from '../src/upstream/upstream-error.js'

/**
 * The error lines of `graphql/plugins/use-error-logs.ts` as Yoga drives it: the mask, Yoga's own
 * log call for what the mask replaced, and the result leaving with its request. (The whole path,
 * through a running gateway and Seam's fake, is in logs.test.ts.)
 */

function setup() {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino(
    { base: null, timestamp: false },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
        done()
      },
    }),
  )
  return { lines, logs: createErrorLogs(logger) }
}

/** What Yoga does with an error: masks it, and logs it at error level when the mask replaced it. */
function yogaMasks(logs: ReturnType<typeof createErrorLogs>, error: unknown) {
  const masked = logs.maskError(error, 'Unexpected error.')
  if (masked !== error) logs.logging.error(error)
  return masked
}

const request = (requestId: string) =>
  new Request('http://gateway/graphql', { headers: { [REQUEST_ID_HEADER]: requestId } })

function processResult(logs: ReturnType<typeof createErrorLogs>, requestId: string, result: unknown) {
  let current = result
  void logs.plugin.onResultProcess?.({
    request: request(requestId),
    result: current,
    setResult: (next: unknown) => {
      current = next
    },
  } as never)
  return current
}

const located = (error: Error) => new GraphQLError(error.message, { path: ['devices'], originalError: error })

describe('error lines', () => {
  it('logs an upstream failure once, as a warning, with the id of the request it failed', () => {
    const { lines, logs } = setup()
    const masked = yogaMasks(
      logs,
      located(
        new UpstreamError('Seam is unavailable', 'UPSTREAM_UNAVAILABLE', {
          route: '/devices/list',
          status: 503,
        }),
      ),
    )
    expect(lines).toEqual([])
    processResult(logs, 'req-1', { data: null, errors: [masked] })
    expect(lines).toEqual([
      {
        level: 40,
        requestId: 'req-1',
        err: { name: 'UpstreamError', message: 'Seam is unavailable', stack: '', type: 'Object' },
        code: 'UPSTREAM_UNAVAILABLE',
        route: '/devices/list',
        status: 503,
        msg: 'upstream call failed',
      },
    ])
    // A result seen again (a retry of processing, another hook) does not log it twice.
    processResult(logs, 'req-1', { data: null, errors: [masked] })
    expect(lines).toHaveLength(1)
  })

  it('logs an unexpected error at error level by name and message, never its stack', () => {
    const { lines, logs } = setup()
    const masked = yogaMasks(logs, located(new TypeError('x is not a function')))
    expect((masked as GraphQLError).extensions.code).toBe('INTERNAL_SERVER_ERROR')
    processResult(logs, 'req-2', { errors: [masked] })
    expect(lines).toEqual([
      {
        level: 50,
        requestId: 'req-2',
        err: { name: 'TypeError', message: 'x is not a function', stack: '', type: 'Object' },
        msg: 'unexpected error',
      },
    ])
  })

  it('logs the failures of each event of a stream as the event is sent, with the stream request id', async () => {
    const { lines, logs } = setup()
    const failure = yogaMasks(
      logs,
      located(new UpstreamError('Seam timed out', 'UPSTREAM_TIMEOUT', { route: '/devices/get' })),
    )
    async function* events() {
      yield { data: { ok: true } }
      yield { data: null, errors: [failure] }
    }
    const stream = processResult(logs, 'sse-1', events()) as AsyncIterable<unknown>
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    expect(lines).toEqual([])
    expect(await iterator.next()).toEqual({ done: false, value: { data: null, errors: [failure] } })
    expect(lines).toEqual([expect.objectContaining({ level: 40, requestId: 'sse-1', route: '/devices/get' })])
  })

  it('leaves what the mask keeps (coded errors) unlogged, and logs what it never saw without a request id', () => {
    const { lines, logs } = setup()
    const coded = new GraphQLError('No such device', { extensions: { code: 'NOT_FOUND' } })
    expect(yogaMasks(logs, coded)).toBe(coded)
    processResult(logs, 'req-3', { data: null, errors: [coded] })
    expect(lines).toEqual([])
    logs.logging.error(new Error('outside any request'))
    logs.logging.warn('plain text')
    expect(lines).toEqual([
      {
        level: 50,
        err: { name: 'Error', message: 'outside any request', stack: '', type: 'Object' },
        msg: 'unexpected error',
      },
      { level: 40, msg: 'plain text' },
    ])
  })
})
