import type { ClientSessionPrincipal, Principal, WorkspacePrincipal } from '../../src/auth/principal.js'

/** A workspace principal of seed workspace 1 holding the API key `token`. */
export const apiKeyPrincipal = (token: string): WorkspacePrincipal => ({
  kind: 'workspace',
  workspaceId: 'seed_workspace_1',
  credential: { kind: 'apiKey', token },
})

/**
 * The principal of client session `id` of seed workspace 1, with only the fields the auth modules
 * read (id, workspace, credential): for unit tests of limits and re-validation.
 */
export const sessionPrincipal = (id: string): Principal =>
  ({
    kind: 'clientSession',
    workspaceId: 'seed_workspace_1',
    clientSessionId: id,
    credential: { kind: 'clientSessionToken', token: `seam_cst_${id}` },
  }) as unknown as ClientSessionPrincipal
