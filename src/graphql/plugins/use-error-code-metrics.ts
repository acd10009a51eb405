import type { Plugin } from 'graphql-yoga'

/** Options of {@link useErrorCodeMetrics}. */
export interface ErrorCodeMetricsOptions {
  /** Counts one error by its code (`INTERNAL_SERVER_ERROR` when it has none). */
  count: (code: string) => void
}

/** Counts every error a result carries by its `extensions.code` (metrics), on every transport. */
export function useErrorCodeMetrics({ count }: ErrorCodeMetricsOptions): Plugin {
  const countResult = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => {
    for (const error of result.errors ?? []) count(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))
  }
  return {
    onResultProcess({ result }) {
      for (const item of Array.isArray(result) ? result : [result]) {
        if (item !== null && typeof item === 'object' && 'errors' in item) countResult(item as never)
      }
    },
  }
}
