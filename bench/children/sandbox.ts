/**
 * The realistic upstream of the benchmarks: the embedded sandbox (Seam's own fake, slow like a real
 * service is far away) behind the tests' counting proxy, which counts every request on the wire by
 * path. The parent reads and resets the counts over IPC.
 *
 * Seeded with bench data on top of the fake's default seed: two connected accounts with 12 and 8
 * devices (UUID ids, as Seam's are: a gateway generated from Seam's OpenAPI rejects the seed's
 * `august_device_1`-style ids as invalid UUIDs) and {@link SESSIONS} client sessions of both
 * accounts.
 */
import { randomUUID } from 'node:crypto'
import { getFakeStore } from '../../sandbox/fake-store.js'
import { createSandbox } from '../../sandbox/sandbox.js'
import { startCountingProxy } from '../../test/helpers/counting-proxy.js'
import { serveParent } from '../lib/child.js'

/** Client sessions seeded (the fake's seed brings one more of its own). */
export const SESSIONS = 24

/** What the sandbox child reports once seeded and listening. */
export interface SandboxInfo {
  /** The counting proxy in front of the sandbox: every benchmark client calls this one. */
  proxyUrl: string
  apiKey: string
  /** Client session tokens of the seeded sessions, each reaching both bench accounts. */
  sessionTokens: string[]
  /** The two bench connected accounts. */
  connectedAccountIds: string[]
  /** Their 20 devices. */
  deviceIds: string[]
}

const WORKSPACE_ID = 'seed_workspace_1'

await serveParent<SandboxInfo>(async () => {
  const sandbox = await createSandbox({ log: () => {} })
  const proxy = await startCountingProxy(sandbox.url).catch(async (error: unknown) => {
    await sandbox.stop()
    throw error
  })
  const store = getFakeStore(sandbox.fake) as unknown as {
    getState(): {
      addConnectedAccount(account: Record<string, unknown>): unknown
      addDevice(device: Record<string, unknown>): unknown
    }
  }

  const connectedAccountIds = [randomUUID(), randomUUID()]
  const deviceIds: string[] = []
  for (const [index, connectedAccountId] of connectedAccountIds.entries()) {
    store.getState().addConnectedAccount({
      connected_account_id: connectedAccountId,
      provider: 'august',
      workspace_id: WORKSPACE_ID,
      user_identifier: { email: `front-desk-${index}@example.com` },
    })
    for (let i = 0; i < (index === 0 ? 12 : 8); i++) {
      const deviceId = randomUUID()
      deviceIds.push(deviceId)
      store.getState().addDevice({
        device_id: deviceId,
        device_type: 'august_lock',
        display_name: `Room ${index + 1}${String(i).padStart(2, '0')}`,
        name: `Room ${index + 1}${String(i).padStart(2, '0')}`,
        connected_account_id: connectedAccountId,
        workspace_id: WORKSPACE_ID,
        properties: { locked: true, manufacturer: 'august' },
      })
    }
  }

  const sessionTokens: string[] = []
  for (let i = 0; i < SESSIONS; i++) {
    const response = await fetch(`${sandbox.url}/client_sessions/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
      body: JSON.stringify({
        user_identifier_key: `bench-user-${i}`,
        connected_account_ids: connectedAccountIds,
      }),
    })
    if (!response.ok) throw new Error(`Expected 200 from /client_sessions/create, got ${response.status}`)
    const body = (await response.json()) as { client_session: { token: string } }
    sessionTokens.push(body.client_session.token)
  }

  return {
    info: { proxyUrl: proxy.url, apiKey: sandbox.apiKey, sessionTokens, connectedAccountIds, deviceIds },
    handlers: {
      counts: () => proxy.counts(),
      reset: () => proxy.reset(),
      cpu: () => process.cpuUsage(),
    },
    dispose: async () => {
      await proxy.stop()
      await sandbox.stop()
    },
  }
})
