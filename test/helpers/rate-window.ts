import { sleep } from './clients.js'

/** The gateway's rate-limit window (RATE_LIMIT_* budgets are per wall-clock minute). */
const WINDOW_MS = 60_000

/**
 * Waits, if needed, until at least `needMs` of the current wall-clock minute is left. Rate-limit
 * counters live in wall-clock minute windows: a test that counts a per-minute budget calls this
 * first, so that its requests cannot straddle two windows (and find the budget refilled halfway).
 * @param needMs how long the counting part of the test may take; a longer test asks for more
 */
export async function oneWindow(needMs = 10_000): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS)
  if (left < needMs) await sleep(left + 50)
}
