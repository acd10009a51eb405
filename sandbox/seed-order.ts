import type { FakeStore } from './fake-store.js'

/**
 * Stamps the seeded connected accounts and devices one second apart, in the order the seed made
 * them, the last one a second before now.
 *
 * Seam lists them oldest first, then by id (`created_at`, then `connected_account_id` or
 * `device_id`), and the fake stamps each seeded record with the clock as it goes. A process that
 * has seeded a fake before (the tests start many sandboxes in one process) seeds them all within
 * one millisecond, and then they list by id: John's account after Jane's, unlike a first seed.
 * Stamped here, they list in the seed's order in every process, and a record made later is newer
 * than every seeded one.
 */
export function stampSeedOrder(store: FakeStore): void {
  const now = Date.now()
  const stamped = <T extends { created_at: string }>(records: readonly T[]): T[] =>
    records.map((record, index) => ({
      ...record,
      created_at: new Date(now - (records.length - index) * 1000).toISOString(),
    }))
  const { connected_accounts, devices } = store.getState()
  store.setState({ connected_accounts: stamped(connected_accounts), devices: stamped(devices) })
}
