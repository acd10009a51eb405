import type { Database, Fake } from '@seamapi/fake-seam-connect'

/** A client session as the fake stores it, private fields (`api_key_id`, `revoked_at`, …) included. */
export type FakeClientSession = Database['client_sessions'][number]

/**
 * Reads the `customer_key` the sandbox stores on a session (`/client_sessions/create` takes one; the
 * fake's type has no such field, but the fake's own routes return stored sessions whole, so it shows in
 * its `/client_sessions/get` too).
 */
export function customerKeyOf(session: FakeClientSession): string | undefined {
  const value: unknown = (session as { customer_key?: unknown }).customer_key
  return typeof value === 'string' ? value : undefined
}

/** An event as the fake stores it (it adds `event_description`, which Seam's events do not carry). */
export type FakeEvent = Database['events'][number]

/**
 * The zustand store behind `fake.database`.
 *
 * The fake types `fake.database` as its state only, but at runtime it is the hoisted zustand store,
 * which also has `getState`/`setState`/`subscribe`. Its state is produced with immer, so objects read from
 * `getState()` may be frozen: always replace them, never mutate them.
 */
export interface FakeStore {
  getState(): Database
  setState(partial: Partial<Database>): void
  /** Calls `listener` after every change, synchronously; returns what unsubscribes it. */
  subscribe(listener: (state: Database, previous: Database) => void): () => void
}

/**
 * Returns the fake's store with the `getState`/`setState` its type declaration leaves out.
 *
 * @throws if the fake no longer exposes a zustand store (a breaking change in `@seamapi/fake-seam-connect`).
 */
export function getFakeStore(fake: Fake): FakeStore {
  const candidate = fake.database as unknown as Partial<FakeStore>
  if (
    typeof candidate.getState !== 'function' ||
    typeof candidate.setState !== 'function' ||
    typeof candidate.subscribe !== 'function'
  ) {
    throw new Error(
      `Expected fake.database to be a zustand store with getState, setState and subscribe, got ${typeof candidate.getState} getState, ${typeof candidate.setState} setState and ${typeof candidate.subscribe} subscribe`,
    )
  }
  return candidate as FakeStore
}
