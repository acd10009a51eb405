import { UpstreamError } from './upstream-error.js'

/** `seamType` of the error a spent budget throws: not Seam's, so never retried. */
export const CALL_BUDGET_SPENT = 'call_budget_spent'

/**
 * The upstream calls one operation may still make. Per operation (and per subscription event):
 * shared by every Seam client that operation uses, so that no page size, alias, cursor or list a
 * caller sends can turn one operation into an unbounded number of calls.
 */
export interface CallBudget {
  /** Counts one call to `route`, or throws RATE_LIMITED when the operation has made all it may. */
  spend(route: string): void
  /** Calls counted so far. */
  readonly spent: number
}

/** Creates a budget of `max` calls (`MAX_UPSTREAM_CALLS_PER_OPERATION`). */
export function createCallBudget(max: number): CallBudget {
  let spent = 0
  return {
    spend(route) {
      if (spent >= max) {
        throw new UpstreamError(
          `This operation reached its limit of ${max} upstream calls (MAX_UPSTREAM_CALLS_PER_OPERATION)`,
          'RATE_LIMITED',
          { route, seamType: CALL_BUDGET_SPENT },
        )
      }
      spent++
    },
    get spent() {
      return spent
    },
  }
}
