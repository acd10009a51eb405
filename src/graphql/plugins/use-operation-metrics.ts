import type { DocumentNode, ExecutionResult } from 'graphql'
import { getOperationAST } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { Counter, Histogram, type Registry } from 'prom-client'

/** Options of {@link createOperationMetrics}. */
export interface OperationMetricsOptions {
  /** The app's registry (`createMetrics().registry`): the operation metrics join its others. */
  registry: Registry
}

/** What the operation metrics know of one request's operation, from its parsed document. */
interface Parsed {
  /** `query`, `mutation` or `subscription`, or `undefined` when the document's first definition is no operation. */
  operationType: string | undefined
}

/** An HTTP request's operation metrics: when it started, and its operation once parsed. */
interface HttpObservation {
  start: number
  /** The operation's type, once its document parsed. */
  operationType?: string | undefined
}

/** The series every operation adds to, with only bounded labels. */
export interface OperationMetrics {
  /** The envelop plugin: parse, validation, context, execution and subscription hooks, and HTTP timing. */
  plugin: Plugin
}

const seconds = (start: number) => (performance.now() - start) / 1000

/**
 * Yoga's and envelop's operation metrics (the series `@graphql-yoga/plugin-prometheus` named, with
 * their help, labels, buckets and counting rules), with only bounded labels: `operationType`, the
 * error `phase`, and the HTTP `method` and `statusCode`. Never a caller's value: no operation
 * name, error path, URL or field. Made here rather than by the plugin, whose label filters, maps
 * and spreads cost more CPU per request than the observations themselves. The endpoint is the
 * metrics listener's (`observability/metrics-server.ts`) or `useMetricsBehindToken`'s. Per app.
 *
 * - `graphql_envelop_request`: operations executed (a subscription once it ends);
 * - `graphql_envelop_request_duration` and `graphql_envelop_phase_execute`: their execution time
 *   (the first also of subscriptions, to their end);
 * - `graphql_envelop_error_result`: errors by phase (`parse`, `validate`, `context`, `execute`);
 * - `graphql_yoga_http_duration`: HTTP requests whose document parsed, from arrival to response.
 */
export function createOperationMetrics({ registry }: OperationMetricsOptions): OperationMetrics {
  const registers = [registry]
  // Registered in the order the plugin registered them, which is the order of /metrics.
  const httpDuration = new Histogram({
    name: 'graphql_yoga_http_duration',
    help: 'Time spent on HTTP connection',
    labelNames: ['method', 'statusCode', 'operationType'],
    registers,
  })
  const executeDuration = new Histogram({
    name: 'graphql_envelop_phase_execute',
    help: 'Time spent on running the GraphQL "execute" function',
    labelNames: ['operationType'],
    registers,
  })
  const requestDuration = new Histogram({
    name: 'graphql_envelop_request_duration',
    help: 'Time spent on running the GraphQL operation from parse to execute',
    labelNames: ['operationType'],
    registers,
  })
  const errors = new Counter({
    name: 'graphql_envelop_error_result',
    help: 'Counts the amount of errors reported from all phases',
    labelNames: ['operationType', 'phase'],
    registers,
  })
  const requests = new Counter({
    name: 'graphql_envelop_request',
    help: 'Counts the amount of GraphQL requests executed through Envelop',
    labelNames: ['operationType'],
    registers,
  })
  // Per operation (its context), from its parsed document; per HTTP request (Yoga's Request).
  const parsedByContext = new WeakMap<object, Parsed>()
  const httpByRequest = new WeakMap<object, HttpObservation>()

  // As envelop's plugin labels them: the type of the document's first definition (the string
  // "undefined" when that is a fragment, or when the document did not parse).
  const labelOf = (operationType: string | undefined) => ({ operationType: `${operationType}` })
  const countError = (operationType: string | undefined, phase: string | undefined) =>
    errors.inc({ operationType: `${operationType}`, phase: `${phase}` })
  const countResultErrors = (operationType: string | undefined, result: ExecutionResult) => {
    const count = result.errors?.length ?? 0
    if (count > 0) errors.inc({ operationType: `${operationType}`, phase: 'execute' }, count)
  }
  const ended = (operationType: string | undefined, start: number, execute: boolean) => {
    const labels = labelOf(operationType)
    const elapsed = seconds(start)
    if (execute) executeDuration.observe(labels, elapsed)
    requestDuration.observe(labels, elapsed)
    requests.inc(labels)
  }
  const firstOperationType = (document: DocumentNode) =>
    (document.definitions[0] as { operation?: string } | undefined)?.operation

  // An HTTP request's timing: `start` when it arrived, `operation` once its document parsed (an
  // unparsable document is not timed, as in Yoga), then `done` with its status.
  const http = {
    start: (): HttpObservation => ({ start: performance.now() }),
    operation(observation: HttpObservation, document: DocumentNode, operationName: string | undefined) {
      observation.operationType = getOperationAST(document, operationName)?.operation ?? 'unknown'
    },
    done(observation: HttpObservation, method: string, status: number) {
      if (observation.operationType === undefined) return
      httpDuration.observe(
        { method, statusCode: String(status), operationType: observation.operationType },
        seconds(observation.start),
      )
    },
  }

  const plugin: Plugin = {
    onPluginInit({ registerContextErrorHandler }) {
      registerContextErrorHandler(({ context }) =>
        countError(parsedByContext.get(context)?.operationType, 'context'),
      )
    },
    onRequest({ request }) {
      httpByRequest.set(request, http.start())
    },
    onParse({ context }) {
      return ({ result }) => {
        if (result === null || result instanceof Error) {
          countError(undefined, 'parse')
          return
        }
        parsedByContext.set(context, { operationType: firstOperationType(result) })
        const request = (context as { request?: Request }).request
        const observation = request === undefined ? undefined : httpByRequest.get(request)
        if (observation !== undefined) {
          const operationName = (context as { params?: { operationName?: string } }).params?.operationName
          http.operation(observation, result, operationName)
        }
      }
    },
    onValidate({ context }) {
      const parsed = parsedByContext.get(context)
      if (parsed === undefined) return
      return ({ valid }) => {
        if (!valid) countError(parsed.operationType, 'validate')
      }
    },
    onExecute({ args }) {
      const parsed = parsedByContext.get(args.contextValue as object)
      if (parsed === undefined) return
      const start = performance.now()
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) {
            return {
              onNext: ({ result: next }) => countResultErrors(parsed.operationType, next),
              onEnd: () => ended(parsed.operationType, start, true),
            }
          }
          countResultErrors(parsed.operationType, result)
          ended(parsed.operationType, start, true)
          return undefined
        },
      }
    },
    onSubscribe({ args }) {
      const parsed = parsedByContext.get(args.contextValue as object)
      if (parsed === undefined) return
      const start = performance.now()
      return {
        onSubscribeResult({ result }) {
          if (Symbol.asyncIterator in result) {
            return {
              onNext: ({ result: next }) => countResultErrors(parsed.operationType, next),
              onEnd: () => ended(parsed.operationType, start, false),
            }
          }
          countResultErrors(parsed.operationType, result)
          ended(parsed.operationType, start, false)
          return undefined
        },
        // As envelop's plugin counts a subscription that fails to start: with no phase.
        onSubscribeError: () => countError(parsed.operationType, undefined),
      }
    },
    onResponse({ request, response }) {
      const observation = httpByRequest.get(request)
      if (observation !== undefined) http.done(observation, request.method, response.status)
    },
  }
  return { plugin }
}

/** The operation metrics as a plugin alone (Yoga serves every request). */
export function useOperationMetrics(options: OperationMetricsOptions): Plugin {
  return createOperationMetrics(options).plugin
}
