import type { AccessCode, ClientSession, ConnectedAccount, Device } from '@seamapi/types/connect'
import { describe, expect, it } from 'vitest'
import { clientSessionPrincipal, type Principal, type WorkspacePrincipal } from '../src/auth/principal.js'
import {
  mayReachConnectedAccount,
  mayReadAccessCode,
  mayReadClientSession,
  mayReadConnectedAccount,
  mayReadDevice,
} from '../src/auth/visibility.js'

// The visibility rules as functions of a principal and an object, for the objects no path through
// the sandbox hands them: another session's, another device's code, a code labelled with another
// workspace, and callers the schema stops before any rule runs (they must still say no).

const WORKSPACE: WorkspacePrincipal = {
  kind: 'workspace',
  workspaceId: 'ws1',
  credential: { kind: 'apiKey', token: 'seam_apikey1_token' },
}
const SESSION = clientSessionPrincipal({
  client_session_id: 'cs1',
  workspace_id: 'ws1',
  token: 'seam_cst1_token',
  connected_account_ids: ['john'],
  expires_at: '2030-01-01T00:00:00.000Z',
} as unknown as ClientSession)
const ANONYMOUS: Principal = { kind: 'anonymous' }
const PUBLISHABLE: Principal = {
  kind: 'publishableKey',
  userIdentifierKey: 'user-1',
  credential: { kind: 'publishableKey', key: 'seam_pk1_token' },
}

const session = (id: string) => ({ client_session_id: id, workspace_id: 'ws1' }) as unknown as ClientSession
const account = { connected_account_id: 'john', workspace_id: 'ws1' } as unknown as ConnectedAccount
const device = { device_id: 'd1', workspace_id: 'ws1', connected_account_id: 'john' } as unknown as Device
const code = (fields: Partial<AccessCode>) =>
  ({ access_code_id: 'ac1', device_id: 'd1', workspace_id: 'ws1', ...fields }) as AccessCode

describe('the visibility rules', () => {
  it("let a client session read its own session, not another one of its workspace's", () => {
    expect(mayReadClientSession(SESSION, session('cs1'))).toBe(true)
    expect(mayReadClientSession(SESSION, session('cs2'))).toBe(false)
  })

  it('let a client session reach only the accounts it was granted; a workspace reaches any', () => {
    expect(mayReachConnectedAccount(SESSION, 'john')).toBe(true)
    expect(mayReachConnectedAccount(SESSION, 'jane')).toBe(false)
    expect(mayReachConnectedAccount(WORKSPACE, 'jane')).toBe(true)
  })

  it('give an anonymous caller and a publishable key no session, account or device', () => {
    for (const principal of [ANONYMOUS, PUBLISHABLE]) {
      expect(mayReadClientSession(principal, session('cs1'))).toBe(false)
      expect(mayReadConnectedAccount(principal, account)).toBe(false)
      expect(mayReadDevice(principal, device)).toBe(false)
    }
  })

  it("give an access code only with its own device, of that device's workspace", () => {
    for (const principal of [WORKSPACE, SESSION]) {
      expect(mayReadAccessCode(principal, code({}), device)).toBe(true)
      expect(mayReadAccessCode(principal, code({ device_id: 'd2' }), device)).toBe(false)
      expect(mayReadAccessCode(principal, code({ workspace_id: 'ws2' }), device)).toBe(false)
    }
  })
})
