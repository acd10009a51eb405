import {
  complexityFromQuery,
  type FieldComplexityFunction,
  type FieldComplexityValue,
} from '@pothos/plugin-complexity'
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getOperationAST,
  isListType,
  isNonNullType,
  Kind,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { GatewayContext } from './context.js'
import { DEFAULT_FIRST, MAX_FIRST } from './pagination.js'

/**
 * Query cost, computed before anything runs.
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

/**
 * The cost of the operation a request runs, with its variables (defaults applied), or `undefined`
 * when it cannot be known before execution: no such operation, or variables that do not coerce
 * (execution then refuses the request itself, before any resolver runs).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | undefined {
  const operation = getOperationAST(document, operationName)
  if (operation == null) return undefined
  // complexityFromQuery measures a document's first operation: give it the one that will run.
  const selected: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      operation,
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  }
  try {
    return complexityFromQuery(selected, { schema, variables: variables ?? {} }).complexity
  } catch (error) {
    if (error instanceof GraphQLError) return undefined
    throw error
  }
}

/** Options of {@link useCostLimit}. */
export interface CostLimitOptions {
  /** Largest cost of one operation (`MAX_COST`), in the unit of {@link fieldCost}. */
  maxCost: number
}

const figure = (n: number) => n.toLocaleString('en-US')

/**
 * Refuses an operation whose cost is over `maxCost` once the document is otherwise valid: on
 * HTTP, SSE and graphql-ws alike, before the context is built (no credential lookup, no resolver,
 * no upstream call), with the shape and status of every other validation error.
 *
 * The cost depends on the request's variables, so it is never part of Yoga's validation cache
 * (keyed by document): a refusal is thrown rather than added to the validation result, which the
 * cache, whose hook runs after this one, would otherwise keep for the next request of the same
 * document.
 */
export function useCostLimit({ maxCost }: CostLimitOptions): Plugin {
  return {
    onValidate({ context, params: { schema, documentAST } }) {
      return ({ valid }) => {
        if (!valid) return
        const params = (context as { params?: { variables?: unknown; operationName?: unknown } }).params
        const variables =
          typeof params?.variables === 'object' && params.variables !== null
            ? (params.variables as Record<string, unknown>)
            : undefined
        const operationName = typeof params?.operationName === 'string' ? params.operationName : undefined
        const cost = operationCost(schema, documentAST, variables, operationName)
        if (cost === undefined || cost <= maxCost) return
        throw new GraphQLError(
          `Query cost ${figure(cost)} exceeds the limit of ${figure(maxCost)} (MAX_COST): the selections of a connection count once per item of its page (first, ${DEFAULT_FIRST} when absent)`,
          { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { spec: true, status: 400 } } },
        )
      }
    },
  }
}
