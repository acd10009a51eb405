import { usePrometheus } from '@graphql-yoga/plugin-prometheus'
import type { Plugin } from 'graphql-yoga'
import type { Registry } from 'prom-client'

/** Options of {@link useOperationMetrics}. */
export interface OperationMetricsOptions {
  /** The app's registry (`createMetrics().registry`): the operation metrics join its others. */
  registry: Registry
}

/**
 * Yoga's and envelop's operation metrics, with only bounded labels: `operationType` (query,
 * mutation, subscription), the error `phase`, and the HTTP `method` and `statusCode`. Off:
 * `operationName`, the error `path` (aliases and list indexes), `url` (a GET's query string),
 * and the resolver labels. The plugin serves no endpoint: the metrics listener
 * (`observability/metrics-server.ts`) or `useMetricsBehindToken` does.
 */
export function useOperationMetrics({ registry }: OperationMetricsOptions): Plugin {
  return usePrometheus({
    endpoint: false,
    registry,
    // Every metric named: the plugin merges this with defaults that switch on seven more, among
    // them a walk of every document for deprecated fields and a Summary (t-digest) per request.
    // They cost CPU on every request for figures nobody reads here.
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_error_result: true,
      graphql_yoga_http_duration: true,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
    labels: {
      operationName: false,
      path: false,
      url: false,
      fieldName: false,
      typeName: false,
      returnType: false,
      operationType: true,
      phase: true,
      method: true,
      statusCode: true,
    },
  })
}
