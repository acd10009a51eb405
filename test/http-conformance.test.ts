import { type AuditResult, serverAudits } from 'graphql-http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, startTestGateway, type TestGateway } from './helpers/gateway.js'

// The GraphQL-over-HTTP conformance audits of `graphql-http`, run against the gateway's real /graphql
// endpoint. Every audit sends a workspace API key, as a real client would (the gateway refuses
// anonymous data requests, and its CSRF prevention needs a custom header on GET requests).

let t: TestGateway | undefined

beforeAll(async () => {
  t = await startTestGateway()
})

afterAll(async () => {
  await t?.stop()
})

/** `fetch` with the API key added to every request the audits make. */
const fetchWithApiKey: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers)
  for (const [name, value] of Object.entries(bearer(t!.apiKey))) headers.set(name, value)
  return fetch(input, { ...init, headers })
}

// The audits are listed before the gateway starts: each one asks for the URL when it runs.
const audits = serverAudits({ url: () => `${t!.url}/graphql`, fetchFn: fetchWithApiKey })
const mustAudits = audits.filter((audit) => audit.name.startsWith('MUST '))
const otherAudits = audits.filter((audit) => !audit.name.startsWith('MUST '))

/** Reads (and so releases) the body of a failed audit's response; resolves with what it says. */
async function describeFailure(result: AuditResult): Promise<string> {
  if (result.status === 'ok') return ''
  const body = await result.response.text().catch(() => '<unreadable body>')
  return `${result.reason} (HTTP ${result.response.status}: ${body.slice(0, 500)})`
}

describe('GraphQL over HTTP: MUST audits', () => {
  it('has MUST audits to run', () => {
    expect(mustAudits.length).toBeGreaterThan(0)
  })

  it.each(mustAudits.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))(
    '%s',
    async (_name, audit) => {
      const result = await audit.fn()
      const failure = await describeFailure(result)
      expect({ status: result.status, failure }).toEqual({ status: 'ok', failure: '' })
    },
  )
})

describe('GraphQL over HTTP: SHOULD and MAY audits', () => {
  it('runs every one and prints how each went', async () => {
    const rows: Array<{ id: string; name: string; status: string; reason: string }> = []
    for (const audit of otherAudits) {
      const result = await audit.fn()
      rows.push({
        id: audit.id,
        name: audit.name,
        status: result.status,
        reason: result.status === 'ok' ? '' : await describeFailure(result),
      })
    }
    const passed = rows.filter((row) => row.status === 'ok').length
    console.log(
      [
        `SHOULD/MAY audits: ${passed} of ${rows.length} ok`,
        ...rows.map(
          (row) => `${row.status.padEnd(6)} ${row.id}  ${row.name}${row.reason ? ` — ${row.reason}` : ''}`,
        ),
      ].join('\n'),
    )
    expect(rows).toHaveLength(otherAudits.length)
    expect(rows.length + mustAudits.length).toBe(audits.length)
  })
})
