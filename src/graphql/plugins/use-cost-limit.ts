import { complexityFromQuery } from '@pothos/plugin-complexity'
import { type DocumentNode, GraphQLError, type GraphQLSchema, getOperationAST, Kind } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { DEFAULT_FIRST } from '../../schema/pagination.js'

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
  /** Largest cost of one operation (`MAX_COST`), in the unit of `fieldCost` (`schema/cost.ts`). */
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
  // The cost of the operations that declare no variables, by document (Yoga's parser cache hands
  // out one document per query text) and operation name: it depends on nothing else.
  const fixedCosts = new WeakMap<DocumentNode, Map<string | undefined, number | undefined>>()
  const costOf = (
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
  ) => {
    const operation = getOperationAST(document, operationName)
    if ((operation?.variableDefinitions?.length ?? 0) > 0)
      return operationCost(schema, document, variables, operationName)
    let costs = fixedCosts.get(document)
    if (costs === undefined) {
      costs = new Map()
      fixedCosts.set(document, costs)
    }
    // A name that names no operation costs undefined, and is not kept (names are the caller's).
    if (costs.has(operationName)) return costs.get(operationName)
    const cost = operationCost(schema, document, variables, operationName)
    if (operation != null) costs.set(operationName, cost)
    return cost
  }
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
        const cost = costOf(schema, documentAST, variables, operationName)
        if (cost === undefined || cost <= maxCost) return
        throw new GraphQLError(
          `Query cost ${figure(cost)} exceeds the limit of ${figure(maxCost)} (MAX_COST): the selections of a connection count once per item of its page (first, ${DEFAULT_FIRST} when absent)`,
          { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { spec: true, status: 400 } } },
        )
      }
    },
  }
}
