/**
 * The gateway child of the benchmarks with OpenTelemetry on, as `src/main.ts` starts it when the
 * `OTEL_*` variables ask for tracing: the SDK, the undici instrumentation and OTLP/HTTP export in
 * batches (to the sink the benchmark runs). A child of its own, so that `gateway.ts` stays what any
 * tree `bench/compare.ts` compiles can run.
 */

import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { startTracing, tracingFromEnv } from '../../src/observability/tracing.js'
import { serveParent } from '../lib/child.js'
import type { GatewayInfo } from './gateway.js'

await serveParent<GatewayInfo>(async () => {
  const tracingConfig = tracingFromEnv(process.env)
  if (tracingConfig === undefined)
    throw new Error('Expected OTEL_EXPORTER_OTLP_ENDPOINT for the traced gateway, got none')
  const tracing = await startTracing(tracingConfig)
  const gateway = createApp(loadConfig(process.env), { tracer: tracing.tracer })
  const url = await gateway.start()
  return {
    info: { url, metricsUrl: gateway.metricsUrl },
    handlers: {
      cpu: () => process.cpuUsage(),
      rss: () => process.memoryUsage().rss,
    },
    dispose: async () => {
      await gateway.stop()
      await tracing.shutdown()
    },
  }
})
