import type { IncomingMessage } from 'node:http'
import type { FakeStore } from './fake-store.js'
import { SeamApiError, SimulatedOutageError } from './http.js'

/** The workspace an API key belongs to. */
export interface ApiKeyAuth {
  readonly workspaceId: string
}

/**
 * Authenticates a request to one of the sandbox's own routes, which Seam allows for API keys only.
 *
 * The key must be in the fake's `api_keys`, looked up on every request (the store is the only truth:
 * a key added through the fake works at once). Client session tokens, publishable keys, personal access
 * tokens, console sessions and unknown keys are all 401 `unauthorized`; the message says which kind of
 * credential arrived but never repeats it. After authenticating, honours the workspace's simulated
 * outage for `route` as the fake's own middleware does.
 *
 * @throws {SeamApiError} 401 `unauthorized`
 * @throws {SimulatedOutageError} when `/_fake/simulate_workspace_outage` covers `route` for the workspace
 */
export function authenticateApiKey(req: IncomingMessage, store: FakeStore, route: string): ApiKeyAuth {
  const header = req.headers.authorization
  if (header === undefined) {
    throw unauthorized(
      'Expected an API key in an "Authorization: Bearer <API key>" header, got no Authorization header',
    )
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(header)
  const token = match?.[1]
  if (token === undefined) {
    throw unauthorized('Expected an "Authorization: Bearer <API key>" header, got a header of another form')
  }

  const kind = credentialKind(token)
  if (kind !== 'api key') throw unauthorized(`Expected an API key, got a ${kind}`)

  const state = store.getState()
  const apiKey = state.api_keys.find((key) => key.token === token)
  if (apiKey === undefined) throw unauthorized('Expected an API key of this sandbox, got an unknown API key')

  const outage = state.simulatedWorkspaceOutages[apiKey.workspace_id]
  if (outage?.routes.some((outageRoute) => outageRoute === route)) throw new SimulatedOutageError(route)

  return { workspaceId: apiKey.workspace_id }
}

/**
 * Classifies a bearer token by Seam's prefixes (the same ones `@seamapi/http` uses). Anything else may be
 * an API key; the store lookup decides.
 */
function credentialKind(token: string): string {
  if (token.startsWith('seam_cst')) return 'client session token'
  if (token.startsWith('seam_pk')) return 'publishable key'
  if (token.startsWith('seam_at')) return 'personal access token'
  if (token.startsWith('ey')) return 'console session token'
  return 'api key'
}

function unauthorized(message: string): SeamApiError {
  return new SeamApiError(401, 'unauthorized', message)
}
