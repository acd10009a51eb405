import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from './helpers/gateway.js'

// GraphQL over HTTP GET (queries only). CSRF prevention refuses a GET that a browser could send
// cross-site without asking (no custom header); every credential header is a custom header, so a GET
// that carries any one of them alone is served.

const JOHN_TOKEN = 'seam_cst1_token'
const VIEWER = '{ viewer { kind workspaceId clientSession { clientSessionId } } }'
const JOHN_VIEWER = {
  data: {
    viewer: {
      kind: 'CLIENT_SESSION',
      workspaceId: 'seed_workspace_1',
      clientSession: { clientSessionId: 'cst1' },
    },
  },
}
const CSRF_REFUSAL = {
  errors: [{ message: 'Required CSRF header(s) not present', extensions: { code: 'FORBIDDEN' } }],
}

let t: TestGateway

beforeAll(async () => {
  t = await startTestGateway()
})

afterAll(async () => {
  await t?.stop()
})

async function get(query: string, headers: Record<string, string>) {
  const response = await fetch(`${t.url}/graphql?${new URLSearchParams({ query })}`, {
    headers: { accept: 'application/graphql-response+json', ...headers },
  })
  return { status: response.status, body: (await response.json()) as unknown }
}

describe('GET /graphql authenticated by one credential header alone', () => {
  it.each<[string, () => Record<string, string>, unknown]>([
    ['client-session-token', () => ({ 'client-session-token': JOHN_TOKEN }), JOHN_VIEWER],
    ['seam-client-session-token', () => ({ 'seam-client-session-token': JOHN_TOKEN }), JOHN_VIEWER],
    [
      'Authorization: Bearer <client session token>',
      () => ({ authorization: `Bearer ${JOHN_TOKEN}` }),
      JOHN_VIEWER,
    ],
    [
      'Authorization: Bearer <API key>',
      () => ({ authorization: `Bearer ${t.apiKey}` }),
      { data: { viewer: { kind: 'WORKSPACE', workspaceId: 'seed_workspace_1', clientSession: null } } },
    ],
  ])('%s: 200 with the data', async (_name, headers, expected) => {
    expect(await get(VIEWER, headers())).toEqual({ status: 200, body: expected })
  })

  it('refuses a GET with no custom header (a cross-site link or image) with 403', async () => {
    expect(await get(VIEWER, {})).toEqual({ status: 403, body: CSRF_REFUSAL })
  })
})
