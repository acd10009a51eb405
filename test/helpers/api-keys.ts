import { randomBytes } from 'node:crypto'
import { getFakeStore } from '../../sandbox/fake-store.js'
import type { Sandbox } from '../../sandbox/sandbox.js'

/** A new API key of the seed's workspace 1, added to the fake's store as Seam would issue one. */
export function issueApiKey(sandbox: Sandbox, prefix = 'seam_test_key'): string {
  const token = `${prefix}_${randomBytes(8).toString('hex')}`
  getFakeStore(sandbox.fake).getState().addApiKey({ workspace_id: 'seed_workspace_1', token, name: token })
  return token
}

/** Revokes an API key at Seam directly: gone from the store, nobody tells the gateway. */
export function revokeApiKey(sandbox: Sandbox, token: string): void {
  const store = getFakeStore(sandbox.fake)
  store.setState({ api_keys: store.getState().api_keys.filter((key) => key.token !== token) })
}
