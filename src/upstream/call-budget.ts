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

/** A budget of `max` calls: an object of its own, made for every operation. */
class Budget implements CallBudget {
  spent = 0
  constructor(private readonly max: number) {}

  spend(route: string): void {
    if (this.spent >= this.max) {
      throw new UpstreamError(
        `This operation reached its limit of ${this.max} upstream calls (MAX_UPSTREAM_CALLS_PER_OPERATION)`,
        'RATE_LIMITED',
        { route, seamType: CALL_BUDGET_SPENT },
      )
    }
    this.spent++
  }
}

/** Creates a budget of `max` calls (`MAX_UPSTREAM_CALLS_PER_OPERATION`). */
export const createCallBudget = (max: number): CallBudget => new Budget(max)
