import pino from 'pino'
import { expect, it } from 'vitest'
import type { WorkspacePrincipal } from '../src/auth/principal.js'
import { createConnectionRevalidator } from '../src/auth/revalidate-connections.js'
import { sleep, waitFor } from './helpers/clients.js'

// The re-validator's timer ticks on Node's timer clock, and its checks fall due by `Date.now()`:
// the two count whole milliseconds of different clocks, so a tick can come a millisecond before the
// clock says its interval has passed. Here the timer is real and the clock is the test's, stopped
// where the test puts it.

const WORKSPACE: WorkspacePrincipal = {
  kind: 'workspace',
  workspaceId: 'seed_workspace_1',
  credential: { kind: 'apiKey', token: 'seam_apikey1_token' },
}

it('checks the first connection’s credential at the third tick, even when the tick comes a millisecond early by the clock', async () => {
  const clock = { now: 0 }
  const rechecks: number[] = []
  // A period of 200 ms: a tick every 50 ms; a credential falls due 150 ms after its last check.
  const revalidator = createConnectionRevalidator({
    periodMs: 200,
    now: () => clock.now,
    recheck: async () => {
      rechecks.push(clock.now)
      return WORKSPACE
    },
    logger: pino({ level: 'silent' }),
  })
  try {
    // The first connection starts the timer: its first check is due at the third tick.
    revalidator.watchStream(WORKSPACE, { return: () => undefined })
    clock.now = 100
    await sleep(200)
    expect(rechecks).toEqual([])
    clock.now = 149
    await waitFor(() => rechecks.length > 0, 'a check of the credential', 1000)
    expect(rechecks).toEqual([149])
  } finally {
    revalidator.close()
  }
})
