import type { IncomingMessage } from 'node:http'
import { bearerToken, credentialKind } from './credentials.js'
import type { FakeStore } from './fake-store.js'
import { FakeAnswer, SeamApiError, splitRequestTarget } from './http.js'

/** The workspace an API key belongs to. */
export interface ApiKeyAuth {
  readonly workspaceId: string
  /** The key's id, which the fake stores on the sessions a key creates (`api_key_id`). */
  readonly apiKeyId: string
}

/**
 * Authenticates a request to one of the sandbox's own routes, which Seam allows for API keys only.
 *
 * The key must be in the fake's `api_keys`, looked up on every request (the store is the only truth:
 * a key added through the fake works at once). Client session tokens, publishable keys, personal access
 * tokens, console sessions and unknown keys are all 401 `unauthorized`; the message says which kind of
 * credential arrived but never repeats it. After authenticating, honours the workspace's simulated
 * outage for the request's path as the fake's own middleware does.
 *
 * @throws {SeamApiError} 401 `unauthorized`
 * @throws {FakeAnswer} 503 when `/_fake/simulate_workspace_outage` covers the path for the workspace
 */
export function authenticateApiKey(req: IncomingMessage, store: FakeStore): ApiKeyAuth {
  if (req.headers.authorization === undefined) {
    throw unauthorized(
      'Expected an API key in an "Authorization: Bearer <API key>" header, got no Authorization header',
    )
  }
  const token = bearerToken(req)
  if (token === undefined) {
    throw unauthorized('Expected an "Authorization: Bearer <API key>" header, got a header of another form')
  }

  const kind = credentialKind(token)
  if (kind !== 'api key') throw unauthorized(`Expected an API key, got a ${kind}`)

  const apiKey = store.getState().api_keys.find((key) => key.token === token)
  if (apiKey === undefined) throw unauthorized('Expected an API key of this sandbox, got an unknown API key')

  assertNoSimulatedOutage(store, apiKey.workspace_id, req)
  return { workspaceId: apiKey.workspace_id, apiKeyId: apiKey.api_key_id }
}

/**
 * Honours a workspace's simulated outage (set through `/_fake/simulate_workspace_outage`) for the
 * request's path, as the fake's own middleware does once a request is authenticated.
 *
 * @throws {FakeAnswer} 503 with an empty body, the fake's answer to an outage, when it covers the path
 */
export function assertNoSimulatedOutage(store: FakeStore, workspaceId: string, req: IncomingMessage): void {
  const { pathname } = splitRequestTarget(req.url)
  const outage = store.getState().simulatedWorkspaceOutages[workspaceId]
  if (outage?.routes.some((route) => route === pathname)) throw new FakeAnswer(503, null, '')
}

function unauthorized(message: string): SeamApiError {
  return new SeamApiError(401, 'unauthorized', message)
}
