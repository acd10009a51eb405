/**
 * A gateway process for the benchmarks: `createApp(loadConfig(process.env))`, exactly as
 * `src/main.ts` builds it, plus IPC answers the benchmarks need from inside the process (heap and
 * CPU time), so that nothing in src/ has to expose them.
 *
 * Run with `--expose-gc` to make `heap` collect garbage before it measures.
 */

import v8 from 'node:v8'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { serveParent } from '../lib/child.js'

/** What the gateway child reports once listening. */
export interface GatewayInfo {
  url: string
  /** Its metrics listener's `/metrics` (start it with METRICS_PORT=0 when several run). */
  metricsUrl: string
}

/** The `heap` answer: `process.memoryUsage()` after full garbage collections. */
export type HeapAnswer = NodeJS.MemoryUsage

/** Runs every collection there is, a few times, so that what is left is what is held. */
async function collect(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('Expected the gateway child to run with --expose-gc, got no gc()')
  for (let i = 0; i < 4; i++) {
    gc()
    // Lets finalizers and weak callbacks run between collections.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

await serveParent<GatewayInfo>(async () => {
  const gateway = createApp(loadConfig(process.env))
  const url = await gateway.start()
  return {
    info: { url, metricsUrl: gateway.metricsUrl },
    handlers: {
      heap: async (): Promise<HeapAnswer> => {
        await collect()
        return process.memoryUsage()
      },
      cpu: () => process.cpuUsage(),
      rss: () => process.memoryUsage().rss,
      // Where the heap is (after full collections): a profiling aid, no benchmark reads it.
      'heap-spaces': async () => {
        await collect()
        return { spaces: v8.getHeapSpaceStatistics(), statistics: v8.getHeapStatistics() }
      },
      'heap-snapshot': async (file: string) => {
        await collect()
        return v8.writeHeapSnapshot(file)
      },
    },
    dispose: () => gateway.stop(),
  }
})
