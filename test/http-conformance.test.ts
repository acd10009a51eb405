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

/**
 * Every SHOULD and MAY audit of graphql-http, by id, with its name: the gateway passes each one. An
 * audit the gateway chose not to follow would be listed apart, with its expected failure and why.
 */
const SHOULD_AND_MAY: Array<[id: string, name: string]> = [
  ['22EB', 'SHOULD accept application/graphql-response+json and match the content-type'],
  ['47DE', 'SHOULD accept */* and use application/json for the content-type'],
  ['80D8', 'SHOULD assume application/json content-type when accept is missing'],
  ['5A70', 'MAY accept application/x-www-form-urlencoded formatted GET requests'],
  ['9C48', 'MAY NOT allow executing mutations on GET requests'],
  ['9ABE', 'SHOULD respond with 4xx status code if content-type is not supplied on POST requests'],
  ['A5BF', 'MAY use 400 status code when request body is missing on POST'],
  ['423L', 'MAY use 400 status code on missing {query} parameter'],
  ['LKJ0', 'MAY use 400 status code on object {query} parameter'],
  ['LKJ1', 'MAY use 400 status code on number {query} parameter'],
  ['LKJ2', 'MAY use 400 status code on boolean {query} parameter'],
  ['LKJ3', 'MAY use 400 status code on array {query} parameter'],
  ['34A2', 'SHOULD allow string {query} parameter when accepting application/graphql-response+json'],
  ['6C00', 'MAY use 400 status code on object {operationName} parameter'],
  ['6C01', 'MAY use 400 status code on number {operationName} parameter'],
  ['6C02', 'MAY use 400 status code on boolean {operationName} parameter'],
  ['6C03', 'MAY use 400 status code on array {operationName} parameter'],
  ['8161', 'SHOULD allow string {operationName} parameter when accepting application/graphql-response+json'],
  ['94B0', 'SHOULD allow null {variables} parameter when accepting application/graphql-response+json'],
  ['94B1', 'SHOULD allow null {operationName} parameter when accepting application/graphql-response+json'],
  ['94B2', 'SHOULD allow null {extensions} parameter when accepting application/graphql-response+json'],
  ['4760', 'MAY use 400 status code on string {variables} parameter'],
  ['4761', 'MAY use 400 status code on number {variables} parameter'],
  ['4762', 'MAY use 400 status code on boolean {variables} parameter'],
  ['4763', 'MAY use 400 status code on array {variables} parameter'],
  ['2EA1', 'SHOULD allow map {variables} parameter when accepting application/graphql-response+json'],
  [
    'D6D5',
    'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  ],
  ['6A70', 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json'],
  ['58B0', 'MAY use 400 status code on string {extensions} parameter'],
  ['58B1', 'MAY use 400 status code on number {extensions} parameter'],
  ['58B2', 'MAY use 400 status code on boolean {extensions} parameter'],
  ['58B3', 'MAY use 400 status code on array {extensions} parameter'],
  ['428F', 'SHOULD allow map {extensions} parameter when accepting application/graphql-response+json'],
  ['B6DC', 'MAY use 2xx, 4xx, or 5xx status codes on JSON parsing failure when accepting application/json'],
  ['BCF8', 'SHOULD use 400 status code on JSON parsing failure when accepting application/json'],
  [
    'B7N8',
    'SHOULD use 400 status code on JSON parsing failure when accepting application/graphql-response+json',
  ],
  ['8764', 'MAY use 4xx or 5xx status codes if parameters are invalid'],
  ['3E3A', 'MAY use 400 status code if parameters are invalid'],
  ['572B', 'SHOULD use 200 status code on document parsing failure when accepting application/json'],
  ['FDE2', 'SHOULD use 200 status code on document validation failure when accepting application/json'],
  ['7B9B', 'SHOULD use a status code of 200 on variable coercion failure when accepting application/json'],
  [
    '865D',
    'SHOULD use 4xx or 5xx status codes on document parsing failure when accepting application/graphql-response+json',
  ],
  [
    '556A',
    'SHOULD use 400 status code on document parsing failure when accepting application/graphql-response+json',
  ],
  [
    'D586',
    'SHOULD not contain the data entry on document parsing failure when accepting application/graphql-response+json',
  ],
  [
    '51FE',
    'SHOULD use 4xx or 5xx status codes on document validation failure when accepting application/graphql-response+json',
  ],
  [
    '74FF',
    'SHOULD use 400 status code on document validation failure when accepting application/graphql-response+json',
  ],
  [
    '5E5B',
    'SHOULD not contain the data entry on document validation failure when accepting application/graphql-response+json',
  ],
  [
    '86EE',
    'SHOULD use a status code of 400 on variable coercion failure when accepting application/graphql-response+json',
  ],
]

describe('GraphQL over HTTP: SHOULD and MAY audits', () => {
  it('runs every SHOULD and MAY audit of graphql-http, and only those', () => {
    expect(otherAudits.map((audit) => [audit.id, audit.name])).toEqual(SHOULD_AND_MAY)
  })

  it.each(SHOULD_AND_MAY)('%s %s', async (id) => {
    const audit = otherAudits.find((candidate) => candidate.id === id)
    if (audit === undefined) throw new Error(`Expected graphql-http to have the audit ${id}`)
    const result = await audit.fn()
    const failure = await describeFailure(result)
    expect({ status: result.status, failure }).toEqual({ status: 'ok', failure: '' })
  })
})
