import type { FieldComplexityFunction, FieldComplexityValue } from '@pothos/plugin-complexity'
import { type GraphQLField, isListType, isNonNullType } from 'graphql'
import type { GatewayContext } from './context.js'
import { DEFAULT_FIRST, MAX_FIRST } from './pagination.js'

/**
 * Query cost, computed before anything runs (`graphql/plugins/use-cost-limit.ts`): what each field
 * costs.
 *
 * The unit is one field resolved for one object: a scalar or object field costs 1, and the
 * selections under a list or a connection count once per item it can return. That figure is the
 * page size the field will really use — `first` as a literal, as a variable, or the default of
 * {@link DEFAULT_FIRST} when absent — so that three nested connections cost what they return
 * however the page size is written.
 */

/**
 * The accounts `ClientSession.connectedAccounts` counts for one session. The list has no `first`:
 * it is the session's `connected_account_ids`, which only the workspace grants, about one per
 * device provider its user connected. Ten leaves room for a household with several brands without
 * pricing a workspace's dashboard (fifty sessions, their accounts, their devices) out of reach.
 */
export const SESSION_ACCOUNTS_ESTIMATE = 10

const listOf = (field: GraphQLField<unknown, GatewayContext>) =>
  isListType(isNonNullType(field.type) ? field.type.ofType : field.type)

/**
 * The cost of every field that says nothing itself (the builder's `fieldComplexity`):
 *
 * - a field with a `first` argument (every connection) multiplies its selections by that page
 *   size, {@link DEFAULT_FIRST} when absent. A `first` outside 1 to {@link MAX_FIRST} returns
 *   nothing (the field refuses it, naming the bounds), so it counts at most {@link MAX_FIRST};
 * - a list without `first` (such as `clientSessions`, which Seam does not page) counts as one
 *   default page, unless its field states a figure of its own;
 * - anything else costs 1.
 */
export const fieldCost: FieldComplexityFunction<GatewayContext, Record<string, unknown>> = (
  args,
  _ctx,
  field,
) => {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = args.first
    return {
      field: 1,
      multiplier: typeof first === 'number' ? Math.min(Math.max(first, 0), MAX_FIRST) : DEFAULT_FIRST,
    }
  }
  return listOf(field) ? { field: 1, multiplier: DEFAULT_FIRST } : 1
}

/**
 * The `edges` and `nodes` of a connection: their connection field already multiplied them by its
 * page size.
 */
export const PER_CONNECTION_ITEM: FieldComplexityValue = { field: 1, multiplier: 1 }
