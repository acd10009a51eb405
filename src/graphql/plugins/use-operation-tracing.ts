import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import { type ExecutionResult, getOperationAST } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { errorCodeLabel } from '../../observability/metrics.js'

/** Options of {@link useOperationTracing}. */
export interface OperationTracingOptions {
  /** The gateway's tracer (`observability/tracing.ts`); the plugin is left out when tracing is off. */
  tracer: Tracer
}

/** The longest operation name recorded; a longer one is cut (callers choose it). */
const MAX_NAME_LENGTH = 100

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value

/** The distinct public error codes of a result, from the fixed set (anything else is OTHER). */
const codesOf = (result: ExecutionResult): string[] => [
  ...new Set((result.errors ?? []).map((error) => errorCodeLabel(String(error.extensions?.code ?? 'OTHER')))),
]

const finish = (span: Span, result: ExecutionResult) => {
  const codes = codesOf(result)
  if (codes.length > 0) {
    span.setAttribute('graphql.error.codes', codes)
    span.setStatus({ code: SpanStatusCode.ERROR })
  }
}

/**
 * A span per GraphQL operation, over HTTP, SSE and graphql-ws: `graphql.operation`, a child of the
 * request's span, with the operation's type, its name (cut to 100 characters) and the public codes
 * of its errors; the resolvers' upstream calls are its children. The span name is fixed, never the
 * caller's operation name, and no document, variable or result is recorded (they may carry
 * tokens). A subscription's span covers its setup (authorization, first reads), not its lifetime.
 */
export function useOperationTracing({ tracer }: OperationTracingOptions): Plugin {
  const start = (
    document: Parameters<typeof getOperationAST>[0],
    operationName: string | null | undefined,
  ) => {
    const operation = getOperationAST(document, operationName)
    const name = operation?.name?.value
    return tracer.startSpan('graphql.operation', {
      kind: SpanKind.INTERNAL,
      attributes: {
        'graphql.operation.type': operation?.operation ?? 'unknown',
        ...(name === undefined ? {} : { 'graphql.operation.name': name.slice(0, MAX_NAME_LENGTH) }),
      },
    })
  }
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const span = start(args.document, args.operationName)
      const spanContext = trace.setSpan(context.active(), span)
      setExecuteFn((executionArgs) => context.with(spanContext, () => executeFn(executionArgs)))
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) {
            return {
              onNext: ({ result: next }) => finish(span, next),
              onEnd: () => span.end(),
            }
          }
          finish(span, result)
          span.end()
          return undefined
        },
      }
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const span = start(args.document, args.operationName)
      const spanContext = trace.setSpan(context.active(), span)
      setSubscribeFn((subscribeArgs) => context.with(spanContext, () => subscribeFn(subscribeArgs)))
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) finish(span, result)
          span.end()
        },
        onSubscribeError() {
          span.setStatus({ code: SpanStatusCode.ERROR })
          span.end()
        },
      }
    },
  }
}
